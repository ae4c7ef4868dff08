//! The metric registry: every column the observer writes, with its unit and meaning.
//!
//! This list is the contract between the observer (which fills a [`Row`] each tick), the
//! CSV writers, the experiment aggregates and the figures (which read units for axis
//! labels from here). Adding a metric means one line in the `metrics!` call below and filling it in the
//! observer.

/// How a metric behaves over time, which decides how it is summarised per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A count or amount per tick (its `_total` is meaningful).
    Flow,
    /// A level at the end of the tick (its `_final` is meaningful).
    Stock,
}

/// One metric's description.
#[derive(Debug, Clone, Copy)]
pub struct MetricInfo {
    /// Column name in the CSV files.
    pub name: &'static str,
    /// Unit for axis labels: "share", "days", "yuan", "count", "index", "ratio".
    pub unit: &'static str,
    /// Flow or stock.
    pub kind: Kind,
    /// One sentence saying what it measures.
    pub doc: &'static str,
}

macro_rules! metrics {
    ($($variant:ident => $name:literal, $unit:literal, $kind:ident, $doc:literal;)*) => {
        /// A metric, by name. Its discriminant indexes [`METRICS`] and [`Row`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(usize)]
        pub enum Metric { $(#[doc = $doc] $variant,)* }

        /// Every metric in column order.
        pub const METRICS: &[MetricInfo] = &[
            $(MetricInfo { name: $name, unit: $unit, kind: Kind::$kind, doc: $doc },)*
        ];
    };
}

metrics! {
    Residents => "residents", "count", Stock, "Residents of the world (for per-capita rates).";
    ActiveShare => "active_share", "share", Stock, "Share of residents who are active (积极行动者).";
    ActiveShareParty => "active_share_party", "share", Stock, "Active share among party members.";
    ActiveShareNonparty => "active_share_nonparty", "share", Stock, "Active share among residents who are not party members.";
    EngagementMean => "engagement_mean", "index", Stock, "Mean engagement e.";
    TrustInstitutionalMean => "trust_institutional_mean", "index", Stock, "Mean trust in party and government.";
    TrustNeighbourMean => "trust_neighbour_mean", "index", Stock, "Mean trust in neighbours.";
    SatisfactionMean => "satisfaction_mean", "index", Stock, "Mean satisfaction s.";
    GrievanceMean => "grievance_mean", "index", Stock, "Mean grievance g.";
    IssuesArisen => "issues_arisen", "count", Flow, "Issues that arose this tick.";
    IssuesOpen => "issues_open", "count", Stock, "Issues neither resolved nor failed at the end of the tick.";
    IssuesLatent => "issues_latent", "count", Stock, "Open issues no one in charge knows of yet.";
    IssuesOpenCommunity => "issues_open_community", "count", Stock, "Open known issues held by community committees (queued, deciding, funding or in work).";
    IssuesOpenStreet => "issues_open_street", "count", Stock, "Open known issues held by street offices.";
    IssuesOpenPlatform => "issues_open_platform", "count", Stock, "Open known issues held by street platforms' sunk department staff.";
    IssuesOpenDepartment => "issues_open_department", "count", Stock, "Open known issues held by district departments.";
    IssuesOpenOrganisation => "issues_open_organisation", "count", Stock, "Open known issues held by social organisations.";
    IssuesResolved => "issues_resolved", "count", Flow, "Issues resolved this tick.";
    IssuesFailed => "issues_failed", "count", Flow, "Issues that failed this tick (for any reason).";
    IssuesFailedUnfunded => "issues_failed_unfunded", "count", Flow, "Issues that failed this tick for lack of money.";
    IssuesFailedExpired => "issues_failed_expired", "count", Flow, "Issues that failed this tick for staying open longer than issues.max_open_days.";
    ResolutionDaysSum => "resolution_days_sum", "days", Flow, "Days from arising to resolution, summed over the issues resolved this tick (with issues_resolved, a window's mean).";
    ResolutionDaysMean => "resolution_days_mean", "days", Stock, "Mean days from arising to resolution, over issues resolved since recording began (cumulative).";
    DetectionDaysMean => "detection_days_mean", "days", Stock, "Mean days from arising to detection, over issues detected since recording began (cumulative).";
    Complaints => "complaints", "count", Flow, "Individual complaints this tick.";
    ConstructiveActs => "constructive_acts", "count", Flow, "Constructive acts this tick: issue reports, proposals, volunteer acts and co-funding pledges (forum attendance is not one).";
    CollectivePetitions => "collective_petitions", "count", Flow, "Collective petitions (群体性信访) this tick.";
    ForumsHeld => "forums_held", "count", Flow, "Deliberative forums held this tick.";
    ConsentsReached => "consents_reached", "count", Flow, "Consent-requiring issues that reached their consent share this tick.";
    ConsentRate => "consent_rate", "share", Stock, "Share of consent-requiring issues decided since recording began that reached consent (per issue, cumulative).";
    HighComplexityResolutionDays => "high_complexity_resolution_days", "days", Stock, "Mean days from arising to resolution of high-complexity issues resolved since recording began (cumulative).";
    HighComplexityResolutionRate => "high_complexity_resolution_rate", "share", Stock, "Share of high-complexity issues closed since recording began that were resolved (cumulative).";
    Escalations => "escalations", "count", Flow, "Issues escalated a level after a failed attempt this tick.";
    Handoffs => "handoffs", "count", Flow, "Issues passed on this tick because their handler could not take them within the queue patience.";
    PublicSpending => "public_spending", "yuan", Flow, "Public money spent this tick on issue work and paid to organisations and social pools.";
    SocialFunds => "social_funds", "yuan", Flow, "Foundations' and philanthropic money spent on issue work this tick.";
    EnterpriseFunds => "enterprise_funds", "yuan", Flow, "Enterprise money spent on issue work this tick.";
    ResidentFunds => "resident_funds", "yuan", Flow, "Residents' co-funding spent on issue work this tick.";
    Leverage => "leverage", "ratio", Stock, "(enterprise + social + resident money on issue work) / public spending, since recording began (cumulative).";
    OrganisationsAlive => "organisations_alive", "count", Stock, "Social organisations alive.";
    OrganisationMembers => "organisation_members", "count", Stock, "Residents who belong to a living organisation.";
    OrganisationFunds => "organisation_funds", "yuan", Stock, "Funds living organisations hold.";
    ServiceCapacity => "service_capacity", "cases/day", Stock, "Cases per day that living organisations can take.";
    Volunteers => "volunteers", "count", Stock, "Active residents in a volunteer role.";
    BondingCapital => "bonding_capital", "share", Stock, "Composition: mean share of a resident's resident ties inside its building.";
    BridgingCapital => "bridging_capital", "share", Stock, "Composition: mean share of a resident's resident ties crossing building lines.";
    LinkingCapital => "linking_capital", "share", Stock, "Share of residents with at least one tie to an institutional node.";
    BondingTies => "bonding_ties", "ties", Stock, "Volume: bonding ties per resident.";
    BridgingTies => "bridging_ties", "ties", Stock, "Volume: bridging ties per resident.";
    LinkingTies => "linking_ties", "ties", Stock, "Volume: linking ties per resident.";
    BridgedShare => "bridged_share", "share", Stock, "Share of residents with at least one bridging tie.";
    OnlineContention => "online_contention", "index", Stock, "Online contention index: mean online sentiment of communities, 0 to 1.";
    ComplaintParticipationRatio => "complaint_participation_ratio", "ratio", Stock, "Complaints per constructive act over the last 30 days.";
    SatisfactionGiniCommunities => "satisfaction_gini_communities", "index", Stock, "Gini coefficient of mean satisfaction across communities.";
    ElderCareCoverage => "elder_care_coverage", "share", Stock, "Share of elder households without an open elder-care need at the end of the tick.";
    ServiceTrips => "service_trips", "count", Flow, "Trips residents made to service halls this tick.";
    ServiceTripsPerRequest => "service_trips_per_request", "trips", Stock, "Trips per routine request completed, since recording began (cumulative).";
    ServiceWaitDays => "service_wait_days", "days", Stock, "Mean days from request to completion over routine requests completed since recording began (cumulative).";
}

/// Number of metrics.
pub const N_METRICS: usize = METRICS.len();

/// One tick's values, indexed by [`Metric`].
pub type Row = [f64; N_METRICS];

/// Looks a metric up by column name.
pub fn by_name(name: &str) -> Option<&'static MetricInfo> {
    METRICS.iter().find(|m| m.name == name)
}

/// Names of the per-run summary columns: every metric with `_final`, `_mean`, `_total`.
pub fn summary_columns() -> Vec<String> {
    let mut cols = Vec::with_capacity(3 * N_METRICS);
    for m in METRICS {
        for suffix in ["final", "mean", "total"] {
            cols.push(format!("{}_{suffix}", m.name));
        }
    }
    cols
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_indexed() {
        let mut names: Vec<_> = METRICS.iter().map(|m| m.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), N_METRICS);
        assert_eq!(METRICS[Metric::Leverage as usize].name, "leverage");
        assert_eq!(by_name("complaints").unwrap().kind, Kind::Flow);
        assert_eq!(
            METRICS[Metric::ServiceWaitDays as usize].name,
            "service_wait_days"
        );
    }
}
