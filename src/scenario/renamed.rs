//! Keys that earlier versions of cogov accepted, with what replaced them. A scenario
//! written for an earlier model gets a message that names the new key and its unit rather
//! than "unknown key" (money and capacities became per resident so that worlds of
//! different sizes behave alike; several mechanisms' levers became processes).

/// (old key path, what to use now and why).
pub const RENAMED: &[(&str, &str)] = &[
    (
        "government.district_budget",
        "renamed `government.district_budget_per_resident`, in yuan per resident per year (money is per resident so that worlds of any size spend alike); the old 150,000,000 yuan a year for 340,000 residents is 441",
    ),
    (
        "government.street_budget",
        "renamed `government.street_budget_per_resident`, in yuan per resident per year; the old 8,000,000 yuan a year for a street of 56,700 is 141",
    ),
    (
        "government.community_budget",
        "renamed `government.community_budget_per_resident`, in yuan per resident per year; the old 400,000 yuan a year for a community of 6,300 is 63.5",
    ),
    (
        "government.community_capacity",
        "renamed `government.community_capacity_per_10k`, in cases a day per 10,000 residents of the community; the old 2 a day for 6,300 residents is 3.2",
    ),
    (
        "government.street_capacity",
        "renamed `government.street_capacity_per_10k`, in cases a day per 10,000 residents of the street; the old 8 a day for 56,700 residents is 1.4",
    ),
    (
        "government.department_capacity",
        "renamed `government.department_capacity_per_10k`, in cases a day per 10,000 residents of the district for all departments together; the old 3 a day for each of 17 departments is 1.5",
    ),
    (
        "mechanisms.government_enterprise.matches_per_session",
        "renamed `mechanisms.government_enterprise.matches_per_10k`, enterprises matched per session per 10,000 residents of the street; the old 10 a session for a street of 56,700 is 1.76",
    ),
    (
        "organisations.birth_rate",
        "renamed `organisations.birth_rate_per_100k`, in organisations per 100,000 residents per year",
    ),
    (
        "organisations.capacity",
        "removed: an organisation's capacity comes from its members, social workers and paid staff (`organisations.member_capacity`, `organisations.social_worker_capacity`, `organisations.growth_per_yuan`)",
    ),
    (
        "services.trips",
        "removed: trips are counted from the service halls' queues (`services.services_per_request`, `services.redo_probability`)",
    ),
    (
        "services.wait_days",
        "removed: waits are counted from the service halls' queues (`services.counter_capacity_per_10k`, `services.processing_days`)",
    ),
    (
        "mechanisms.party_masses.regional_funds",
        "removed: regional party building no longer creates money; it raises enterprises' social orientation (`mechanisms.party_masses.regional_orientation`)",
    ),
    (
        "mechanisms.party_masses.commitment",
        "removed: members are no longer forced active; their duty adds activation pressure (`mechanisms.party_masses.duty`)",
    ),
    (
        "mechanisms.grid.fix_complexity",
        "removed: volunteers fix what their skill allows (`mechanisms.grid.volunteer_skill`)",
    ),
    (
        "mechanisms.grid.fix_probability",
        "removed: volunteers fix what their skill allows (`mechanisms.grid.volunteer_skill`)",
    ),
    (
        "mechanisms.platforms.integrated_delay",
        "renamed `mechanisms.platforms.dispatch_days`: the command centre's dispatch to the sunk staff",
    ),
    (
        "mechanisms.platforms.capacity_per_staff",
        "renamed `government.staff_capacity`: sunk staff carry their department's capacity to the street, in cases a day each",
    ),
    (
        "mechanisms.platforms.skill_bonus",
        "removed: sunk staff bring their department's skill (`government.department_skill`)",
    ),
    (
        "mechanisms.three_society.skill_bonus",
        "removed: social workers co-handle complex issues with their own skill (`organisations.social_worker_skill`)",
    ),
    (
        "mechanisms.three_society.extra_participants",
        "removed: forums grow through online calls (`mechanisms.online.call_reach`)",
    ),
    (
        "mechanisms.three_society.incubation_per_year",
        "renamed `mechanisms.three_society.incubation_per_100k`, per 100,000 residents per year; the old 12 a year for 340,000 residents is 3.5",
    ),
    (
        "mechanisms.government_society.purchase_budget",
        "renamed `mechanisms.government_society.purchase_per_resident`, in yuan per resident per round; the old 6,000,000 yuan for 340,000 residents is 17.6",
    ),
    (
        "mechanisms.government_society.venture_fund",
        "renamed `mechanisms.government_society.venture_per_resident`, in yuan per resident per round; the seed's 5,000,000 yuan a year for 340,000 residents is 14.7",
    ),
    (
        "mechanisms.government_society.venture_projects",
        "renamed `mechanisms.government_society.venture_projects_per_100k`; the seed's 64 projects for 340,000 residents is 18.8",
    ),
    (
        "mechanisms.government_society.golden_idea_fund",
        "renamed `mechanisms.government_society.golden_idea_per_resident`, in yuan per resident per round; the seed's 1,000,000 yuan a year for 340,000 residents is 2.94",
    ),
    (
        "mechanisms.government_society.golden_ideas",
        "removed: the number of ideas follows from the fund and `mechanisms.government_society.golden_idea_grant`",
    ),
    (
        "mechanisms.family_community.speed",
        "removed: speed follows from who does the care (`mechanisms.family_community.household_share`, `care.capacity_per_10k`)",
    ),
    (
        "mechanisms.family_community.cost_factor",
        "removed: the cost falls by the care-days households give (`mechanisms.family_community.household_share`)",
    ),
    (
        "mechanisms.online.report_multiplier",
        "renamed `mechanisms.online.report_weight`",
    ),
    (
        "mechanisms.online.amplification",
        "removed: contention now comes from posts travelling over online ties (`mechanisms.online.group_ties`, `residents.post_probability`)",
    ),
    (
        "mechanisms.online.damping",
        "removed: answered issues are not posted about (`mechanisms.online.responsiveness`)",
    ),
    (
        "mechanisms.service_complex.trips",
        "removed: trips are counted from the queues (`mechanisms.service_complex.one_window`)",
    ),
    (
        "mechanisms.service_complex.wait_days",
        "removed: waits are counted from the queues (`mechanisms.service_complex.complex_capacity_per_10k`)",
    ),
    (
        "mechanisms.service_complex.window_factor",
        "removed: one-window acceptance is a rule of the halls (`mechanisms.service_complex.one_window`)",
    ),
];

/// What replaced `path`, if it is a key of an earlier model.
pub fn replacement(path: &str) -> Option<&'static str> {
    RENAMED
        .iter()
        .find(|(old, _)| *old == path)
        .map(|(_, new)| *new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    /// No old key is a key of the current model, and every replacement it names exists.
    #[test]
    fn old_keys_are_gone_and_their_replacements_exist() {
        let params: Vec<String> = Scenario::default()
            .params()
            .into_iter()
            .map(|p| p.path)
            .collect();
        for (old, new) in RENAMED {
            assert!(!params.iter().any(|p| p == old), "{old} still exists");
            for named in new.split('`').skip(1).step_by(2) {
                assert!(
                    params.iter().any(|p| p == named),
                    "{old}: `{named}` does not exist"
                );
            }
        }
    }
}
