//! The metric registry and codebook: every column the observer writes, with its unit, kind,
//! basis, range and definition, and the per-run summary columns derived from it.
//!
//! This list is the contract between the observer (which fills a [`Row`] each tick), the
//! CSV writers, the experiment aggregates, the figures (units for axis labels, ranges for
//! intervals) and the codebook (`metrics.csv` beside every output, and the ODD's table).
//! Adding a metric means one line in the `metrics!` call below and filling it in the
//! observer.

use std::path::Path;

/// How a metric behaves over time, which decides how it is summarised per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A count or amount per tick: summed over the run (`_total`).
    Flow,
    /// A level: summarised by its last value (`_final`) and, unless it is already
    /// cumulative, its mean over the recorded days (`_mean`).
    Stock,
}

impl Kind {
    /// The codebook's word for it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Flow => "flow",
            Kind::Stock => "stock",
        }
    }
}

/// Over which period a metric's value on a given day is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// That day alone (a count during the day, or a level at its end).
    Tick,
    /// Everything since the run began, warm-up included (a running ratio or mean).
    Cumulative,
    /// The last 30 days.
    Window30,
}

impl Basis {
    /// The codebook's word for it.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Tick => "per day",
            Basis::Cumulative => "cumulative over the recorded days (after the warm-up)",
            Basis::Window30 => "last 30 days",
        }
    }
}

/// A per-run summary of a metric: a column `<metric>_<stat>` of `summary.csv` / `runs.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    /// The value on the last recorded day.
    Final,
    /// The mean of the daily values over the recorded days (after the warm-up).
    Mean,
    /// The sum of the daily values over the recorded days (after the warm-up).
    Total,
}

impl Stat {
    /// The column suffix, without the underscore.
    pub fn suffix(self) -> &'static str {
        match self {
            Stat::Final => "final",
            Stat::Mean => "mean",
            Stat::Total => "total",
        }
    }

    /// How the summary is computed from the daily values, for the codebook.
    pub fn definition(self) -> &'static str {
        match self {
            Stat::Final => "value on the last recorded day",
            Stat::Mean => "mean of the daily values over the recorded days (after the warm-up)",
            Stat::Total => "sum of the daily values over the recorded days (after the warm-up)",
        }
    }
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
    /// The period a day's value covers.
    pub basis: Basis,
    /// Smallest possible value.
    pub min: f64,
    /// Largest possible value (`f64::INFINITY`: unbounded).
    pub max: f64,
    /// One sentence saying what it measures.
    pub doc: &'static str,
}

impl MetricInfo {
    /// The per-run summaries that mean something for this metric: `_total` for a flow;
    /// `_final` and `_mean` for a stock, only `_final` for a cumulative one (its last value
    /// already covers the run, and a mean of running means has no reading).
    pub fn stats(&self) -> &'static [Stat] {
        match (self.kind, self.basis) {
            (Kind::Flow, _) => &[Stat::Total],
            (Kind::Stock, Basis::Cumulative) => &[Stat::Final],
            (Kind::Stock, _) => &[Stat::Final, Stat::Mean],
        }
    }

    /// The summary column drawn and analysed by default: `_final` for a stock, `_total`
    /// for a flow.
    pub fn default_stat(&self) -> Stat {
        match self.kind {
            Kind::Flow => Stat::Total,
            Kind::Stock => Stat::Final,
        }
    }

    /// The range of a summary of this metric: a total of non-negative daily values is
    /// unbounded above; a final value or a mean keeps the metric's range.
    pub fn range_of(&self, stat: Stat) -> (f64, f64) {
        match stat {
            Stat::Total if self.min >= 0.0 => (0.0, f64::INFINITY),
            Stat::Total => (f64::NEG_INFINITY, f64::INFINITY),
            _ => (self.min, self.max),
        }
    }
}

/// Unbounded above.
const INF: f64 = f64::INFINITY;

macro_rules! metrics {
    ($($variant:ident => $name:literal, $unit:literal, $kind:ident, $basis:ident, [$min:expr, $max:expr], $doc:literal;)*) => {
        /// A metric, by name. Its discriminant indexes [`METRICS`] and [`Row`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(usize)]
        pub enum Metric { $(#[doc = $doc] $variant,)* }

        /// Every metric in column order.
        pub const METRICS: &[MetricInfo] = &[
            $(MetricInfo {
                name: $name,
                unit: $unit,
                kind: Kind::$kind,
                basis: Basis::$basis,
                min: $min,
                max: $max,
                doc: $doc,
            },)*
        ];
    };
}

// name, unit, kind, basis, [min, max], definition.
metrics! {
    Residents => "residents", "count", Stock, Tick, [0.0, INF], "Residents of the world (for per-capita rates).";
    ActiveShare => "active_share", "share", Stock, Tick, [0.0, 1.0], "Share of residents who are active (积极行动者).";
    ActiveShareParty => "active_share_party", "share", Stock, Tick, [0.0, 1.0], "Active share among party members.";
    ActiveShareNonparty => "active_share_nonparty", "share", Stock, Tick, [0.0, 1.0], "Active share among residents who are not party members.";
    EngagementMean => "engagement_mean", "index", Stock, Tick, [0.0, 1.0], "Mean engagement e.";
    TrustInstitutionalMean => "trust_institutional_mean", "index", Stock, Tick, [0.0, 1.0], "Mean trust in party and government.";
    TrustNeighbourMean => "trust_neighbour_mean", "index", Stock, Tick, [0.0, 1.0], "Mean trust in neighbours.";
    SatisfactionMean => "satisfaction_mean", "index", Stock, Tick, [0.0, 1.0], "Mean satisfaction s.";
    GrievanceMean => "grievance_mean", "index", Stock, Tick, [0.0, 1.0], "Mean grievance g.";
    IssuesArisen => "issues_arisen", "count", Flow, Tick, [0.0, INF], "Issues that arose during the day.";
    IssuesOpen => "issues_open", "count", Stock, Tick, [0.0, INF], "Issues neither resolved nor failed at the end of the day.";
    IssuesLatent => "issues_latent", "count", Stock, Tick, [0.0, INF], "Open issues no one in charge knows of yet.";
    IssuesOpenCommunity => "issues_open_community", "count", Stock, Tick, [0.0, INF], "Open known issues held by community committees (queued, deciding, funding or in work).";
    IssuesOpenStreet => "issues_open_street", "count", Stock, Tick, [0.0, INF], "Open known issues held by street offices.";
    IssuesOpenPlatform => "issues_open_platform", "count", Stock, Tick, [0.0, INF], "Open known issues held by street platforms' sunk department staff.";
    IssuesOpenDepartment => "issues_open_department", "count", Stock, Tick, [0.0, INF], "Open known issues held by district departments.";
    IssuesOpenOrganisation => "issues_open_organisation", "count", Stock, Tick, [0.0, INF], "Open known issues held by social organisations.";
    IssuesResolved => "issues_resolved", "count", Flow, Tick, [0.0, INF], "Issues resolved during the day.";
    IssuesFailed => "issues_failed", "count", Flow, Tick, [0.0, INF], "Issues that failed during the day (for any reason).";
    IssuesFailedUnfunded => "issues_failed_unfunded", "count", Flow, Tick, [0.0, INF], "Issues that failed during the day for lack of money.";
    IssuesFailedExpired => "issues_failed_expired", "count", Flow, Tick, [0.0, INF], "Issues that failed during the day for staying open longer than issues.max_open_days.";
    ResolutionDaysSum => "resolution_days_sum", "days", Flow, Tick, [0.0, INF], "Days from arising to resolution, summed over the issues resolved during the day (with issues_resolved, a window's mean).";
    ResolutionDaysMean => "resolution_days_mean", "days", Stock, Cumulative, [0.0, INF], "Mean days from arising to resolution, over issues resolved since recording began (cumulative).";
    DetectionDaysMean => "detection_days_mean", "days", Stock, Cumulative, [0.0, INF], "Mean days from arising to detection, over issues detected since recording began (cumulative).";
    Complaints => "complaints", "count", Flow, Tick, [0.0, INF], "Individual complaints during the day.";
    ConstructiveActs => "constructive_acts", "count", Flow, Tick, [0.0, INF], "Constructive acts during the day: issue reports, proposals, volunteer acts and co-funding pledges (forum attendance is not one).";
    CollectivePetitions => "collective_petitions", "count", Flow, Tick, [0.0, INF], "Collective petitions (群体性信访) during the day.";
    ProjectPetitions => "project_petitions", "count", Flow, Tick, [0.0, INF], "Collective petitions about top-down projects (renovations) during the day.";
    ForumsHeld => "forums_held", "count", Flow, Tick, [0.0, INF], "Deliberative forums held during the day.";
    ConsentsReached => "consents_reached", "count", Flow, Tick, [0.0, INF], "Consent-requiring issues that reached their consent share during the day.";
    ConsentRate => "consent_rate", "share", Stock, Cumulative, [0.0, 1.0], "Share of consent-requiring issues decided since recording began that reached consent (per issue, cumulative).";
    HighComplexityResolutionDays => "high_complexity_resolution_days", "days", Stock, Cumulative, [0.0, INF], "Mean days from arising to resolution of high-complexity issues resolved since recording began (cumulative).";
    HighComplexityResolutionRate => "high_complexity_resolution_rate", "share", Stock, Cumulative, [0.0, 1.0], "Share of high-complexity issues closed since recording began that were resolved (cumulative).";
    Escalations => "escalations", "count", Flow, Tick, [0.0, INF], "Issues escalated a level after a failed attempt during the day.";
    Handoffs => "handoffs", "count", Flow, Tick, [0.0, INF], "Issues passed on during the day because their handler could not take them within the queue patience.";
    PublicSpending => "public_spending", "yuan", Flow, Tick, [0.0, INF], "Public money spent during the day on issue work and paid to organisations and social pools.";
    SocialFunds => "social_funds", "yuan", Flow, Tick, [0.0, INF], "Foundations' and philanthropic money spent on issue work during the day.";
    EnterpriseFunds => "enterprise_funds", "yuan", Flow, Tick, [0.0, INF], "Enterprise money spent on issue work during the day.";
    ResidentFunds => "resident_funds", "yuan", Flow, Tick, [0.0, INF], "Residents' co-funding spent on issue work during the day.";
    Leverage => "leverage", "ratio", Stock, Cumulative, [0.0, INF], "(enterprise + social + resident money on issue work) / public spending, since recording began (cumulative).";
    OrganisationsAlive => "organisations_alive", "count", Stock, Tick, [0.0, INF], "Social organisations alive.";
    OrganisationMembers => "organisation_members", "count", Stock, Tick, [0.0, INF], "Residents who belong to a living organisation.";
    OrganisationFunds => "organisation_funds", "yuan", Stock, Tick, [0.0, INF], "Funds living organisations hold.";
    ServiceCapacity => "service_capacity", "cases/day", Stock, Tick, [0.0, INF], "Cases per day that living organisations can take.";
    Volunteers => "volunteers", "count", Stock, Tick, [0.0, INF], "Active residents in a volunteer role.";
    BondingCapital => "bonding_capital", "share", Stock, Tick, [0.0, 1.0], "Composition: mean share of a resident's resident ties inside its building.";
    BridgingCapital => "bridging_capital", "share", Stock, Tick, [0.0, 1.0], "Composition: mean share of a resident's resident ties crossing building lines.";
    LinkingCapital => "linking_capital", "share", Stock, Tick, [0.0, 1.0], "Share of residents with at least one tie to an institutional node.";
    BondingTies => "bonding_ties", "ties", Stock, Tick, [0.0, INF], "Volume: bonding ties per resident.";
    BridgingTies => "bridging_ties", "ties", Stock, Tick, [0.0, INF], "Volume: bridging ties per resident.";
    LinkingTies => "linking_ties", "ties", Stock, Tick, [0.0, INF], "Volume: linking ties per resident.";
    BridgedShare => "bridged_share", "share", Stock, Tick, [0.0, 1.0], "Share of residents with at least one bridging tie.";
    OnlineContention => "online_contention", "index", Stock, Tick, [0.0, 1.0], "Online contention index: mean online sentiment of communities, 0 to 1.";
    ComplaintParticipationRatio => "complaint_participation_ratio", "ratio", Stock, Window30, [0.0, INF], "Complaints per constructive act over the last 30 days.";
    SatisfactionGiniCommunities => "satisfaction_gini_communities", "index", Stock, Tick, [0.0, 1.0], "Gini coefficient of mean satisfaction across communities.";
    ElderCareCoverage => "elder_care_coverage", "share", Stock, Tick, [0.0, 1.0], "Share of elder households without an open elder-care need at the end of the day.";
    ServiceTrips => "service_trips", "count", Flow, Tick, [0.0, INF], "Trips residents made to service halls during the day.";
    ServiceTripsPerRequest => "service_trips_per_request", "trips", Stock, Cumulative, [0.0, INF], "Trips per routine request completed, since recording began (cumulative).";
    ServiceWaitDays => "service_wait_days", "days", Stock, Cumulative, [0.0, INF], "Mean days from request to completion over routine requests completed since recording began (cumulative).";
}

/// Number of metrics.
pub const N_METRICS: usize = METRICS.len();

/// One tick's values, indexed by [`Metric`].
pub type Row = [f64; N_METRICS];

/// Looks a metric up by column name.
pub fn by_name(name: &str) -> Option<&'static MetricInfo> {
    METRICS.iter().find(|m| m.name == name)
}

/// Every per-run summary column in order: metric by metric, its [`MetricInfo::stats`].
pub fn summaries() -> impl Iterator<Item = (usize, Stat)> {
    METRICS
        .iter()
        .enumerate()
        .flat_map(|(k, m)| m.stats().iter().map(move |&s| (k, s)))
}

/// Names of the per-run summary columns, in the order of [`summaries`].
pub fn summary_columns() -> Vec<String> {
    summaries()
        .map(|(k, s)| format!("{}_{}", METRICS[k].name, s.suffix()))
        .collect()
}

/// The metric and summary of a summary column name such as `complaints_total`.
pub fn summary_of(column: &str) -> Option<(&'static MetricInfo, Stat)> {
    for stat in [Stat::Final, Stat::Mean, Stat::Total] {
        let suffix = format!("_{}", stat.suffix());
        if let Some(info) = column.strip_suffix(&suffix).and_then(by_name)
            && info.stats().contains(&stat)
        {
            return Some((info, stat));
        }
    }
    None
}

/// The summary column meant by `name`: itself when it is one, else the metric's default
/// summary (`_final` for a stock, `_total` for a flow). None when it names neither.
pub fn summary_column(name: &str) -> Option<String> {
    if summary_of(name).is_some() {
        return Some(name.to_string());
    }
    by_name(name).map(|m| format!("{}_{}", m.name, m.default_stat().suffix()))
}

/// The range of a metric or summary column's values, if it is one.
pub fn range_of(column: &str) -> Option<(f64, f64)> {
    if let Some(m) = by_name(column) {
        return Some((m.min, m.max));
    }
    summary_of(column).map(|(m, s)| m.range_of(s))
}

/// Columns of the codebook `metrics.csv`.
pub const CODEBOOK_COLUMNS: [&str; 8] = [
    "name",
    "table",
    "unit",
    "kind",
    "basis",
    "min",
    "max",
    "definition",
];

fn bound(x: f64) -> String {
    if x == f64::INFINITY {
        "Inf".into()
    } else if x == f64::NEG_INFINITY {
        "-Inf".into()
    } else {
        format!("{x}")
    }
}

/// The codebook: one row per daily metric (`timeseries.csv`) and one per summary column
/// (`summary.csv` of a run, `runs.csv` of an experiment, the `metric` of `aggregate.csv`
/// and `contrasts.csv`), in the order of [`CODEBOOK_COLUMNS`].
pub fn codebook() -> Vec<[String; 8]> {
    let mut rows = Vec::with_capacity(3 * N_METRICS);
    for m in METRICS {
        rows.push([
            m.name.to_string(),
            "timeseries".into(),
            m.unit.into(),
            m.kind.name().into(),
            m.basis.name().into(),
            bound(m.min),
            bound(m.max),
            m.doc.into(),
        ]);
    }
    for (k, stat) in summaries() {
        let m = &METRICS[k];
        let (lo, hi) = m.range_of(stat);
        rows.push([
            format!("{}_{}", m.name, stat.suffix()),
            "summary".into(),
            m.unit.into(),
            m.kind.name().into(),
            "per run".into(),
            bound(lo),
            bound(hi),
            format!(
                "{} of `{}` ({})",
                capitalise(stat.definition()),
                m.name,
                m.basis.name()
            ),
        ]);
    }
    rows
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The codebook's file name: CSV whatever the format of the tables (it documents them; it
/// is not one of them).
pub const CODEBOOK_FILE: &str = "metrics.csv";

/// Writes the codebook as `dir/metrics.csv`.
pub fn write_codebook(dir: &Path) -> crate::Result<()> {
    let header: Vec<String> = CODEBOOK_COLUMNS.iter().map(|s| s.to_string()).collect();
    crate::output::write_csv(
        &dir.join(CODEBOOK_FILE),
        &header,
        codebook().into_iter().map(|r| r.to_vec()),
    )
}

/// The codebook as a Markdown table, for the ODD.
pub fn codebook_markdown() -> String {
    let mut out = format!(
        "| {} |\n|{}\n",
        CODEBOOK_COLUMNS.join(" | "),
        "---|".repeat(CODEBOOK_COLUMNS.len())
    );
    for row in codebook() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = c.replace('|', "\\|");
                if i == 0 { format!("`{c}`") } else { c }
            })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
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

    #[test]
    fn summaries_follow_kind_and_basis() {
        let cols = summary_columns();
        // Flows have only a total; stocks a final value and a mean; cumulative stocks only
        // a final value.
        assert!(cols.contains(&"complaints_total".to_string()));
        assert!(!cols.contains(&"complaints_final".to_string()));
        assert!(!cols.contains(&"complaints_mean".to_string()));
        assert!(cols.contains(&"active_share_final".to_string()));
        assert!(cols.contains(&"active_share_mean".to_string()));
        assert!(!cols.contains(&"active_share_total".to_string()));
        assert!(cols.contains(&"detection_days_mean_final".to_string()));
        assert!(!cols.contains(&"detection_days_mean_mean".to_string()));
        for c in &cols {
            assert!(summary_of(c).is_some(), "{c}");
        }
        assert!(summary_of("complaints_final").is_none());
        assert_eq!(
            summary_column("complaints").as_deref(),
            Some("complaints_total")
        );
        assert_eq!(
            summary_column("leverage").as_deref(),
            Some("leverage_final")
        );
        assert_eq!(summary_column("nope"), None);
    }

    #[test]
    fn ranges_are_ordered_and_shares_are_unit() {
        for m in METRICS {
            assert!(m.min < m.max, "{}", m.name);
            if m.unit == "share" {
                assert_eq!((m.min, m.max), (0.0, 1.0), "{}", m.name);
            }
        }
        assert_eq!(range_of("complaints_total"), Some((0.0, f64::INFINITY)));
        assert_eq!(range_of("active_share_mean"), Some((0.0, 1.0)));
    }

    #[test]
    fn codebook_has_a_row_per_column() {
        let rows = codebook();
        assert_eq!(rows.len(), N_METRICS + summary_columns().len());
        let md = codebook_markdown();
        assert!(md.contains("| `detection_days_mean` | timeseries | days | stock | cumulative"));
        assert!(md.contains("| `complaints_total` | summary |"));
    }
}
