//! The model's parameter sections. Each field's doc says what it means and where its
//! default comes from: "Seed:" for a fact from the source text, "Assumption:" otherwise.

use std::collections::BTreeMap;

use crate::scenario::dist::Dist;
use crate::scenario::limits::*;
use crate::section;

section! {
    /// The district's structure and population (MODEL.md §2).
    pub struct World {
        /// Streets (街道). Seed: Shangcheng has 6.
        pub streets: u32 = 6, "count", Range(1.0, OFFICES);
        /// Communities (社区). Seed: 54.
        pub communities: u32 = 54, "count", Range(1.0, COMMUNITIES);
        /// Grids (网格). Seed: 268.
        pub grids: u32 = 268, "count", Range(1.0, RESIDENTS);
        /// Residents. Seed: about 340,000 before the 2021 merger.
        pub residents: u32 = 340_000, "count", Range(2.0, RESIDENTS);
        /// Mean household size. Seed: about 140,000 households, so 340,000 / 140,000 ≈ 2.43.
        pub household_size_mean: f64 = 2.43, "residents", Range(1.0, 10.0);
        /// Mean households per building (楼). Assumption: a six-storey walk-up block.
        pub households_per_building: f64 = 24.0, "households", Range(1.0, 1000.0);
        /// Coefficient of variation of community population. Assumption.
        pub community_size_cv: f64 = 0.3, "ratio", Range(0.0, 2.0);
        /// District departments (区级部门). Seed: 17.
        pub departments: u32 = 17, "count", Range(1.0, OFFICES);
        /// Department staff who can be sunk into the street platforms (agents with the
        /// department's skill and `government.staff_capacity` each). Seed: 261 from 10
        /// departments.
        pub department_staff: u32 = 261, "count", Range(0.0, RESIDENTS);
        /// Departments whose staff are sunk into the platforms (the first ones by index).
        /// Seed: 10 of the 17.
        pub platform_departments: u32 = 10, "count", Range(0.0, OFFICES);
        /// Communities with a 3+X service complex. Seed: 10 of 54.
        pub service_complexes: u32 = 10, "count", Range(0.0, COMMUNITIES);
        /// Share of young adults. Assumption (age shares sum to 1).
        pub young_share: f64 = 0.30, "share", Unit;
        /// Share of middle-aged residents. Assumption.
        pub middle_share: f64 = 0.45, "share", Unit;
        /// Share of elders (the specification's default).
        pub elder_share: f64 = 0.25, "share", Unit;
        /// Share of party members (the specification's default).
        pub party_share: f64 = 0.08, "share", Unit;
        /// Share of residents who use the community platform online. Assumption.
        pub online_share: f64 = 0.35, "share", Unit;
        /// Activation threshold φ, clipped to [0, 1] (the specification's default).
        pub threshold: Dist = Dist::Normal(0.25, 0.1), "share", Any;
        /// Social workers (社工): agents with skill and a caseload, attached to a community
        /// station or an organisation of their community. Assumption: 3 per community.
        pub social_workers: u32 = 162, "count", Range(0.0, RESIDENTS);
        /// Social organisations (社会组织) at the start. Assumption: 5 per community.
        pub organisations: u32 = 270, "count", Range(0.0, RESIDENTS);
        /// Property-management companies (物业). Assumption.
        pub property_companies: u32 = 60, "count", Range(0.0, RESIDENTS);
        /// Local businesses that may fund community work. Assumption: 10 per community.
        pub businesses: u32 = 540, "count", Range(0.0, RESIDENTS);
    }
}

section! {
    /// Initial states (MODEL.md §9), each drawn from a named distribution clipped to [0, 1].
    pub struct Init {
        /// Engagement of young adults. Assumption: the young take little part.
        pub engagement_young: Dist = Dist::Beta(2.0, 9.0), "index", Any;
        /// Engagement of the middle-aged. Assumption.
        pub engagement_middle: Dist = Dist::Beta(2.0, 7.0), "index", Any;
        /// Engagement of elders. Assumption: elders are the core of community activity.
        pub engagement_elder: Dist = Dist::Beta(3.0, 6.0), "index", Any;
        /// Trust in party and government. Assumption.
        pub trust_institutional: Dist = Dist::Beta(7.0, 3.0), "index", Any;
        /// Trust in neighbours. Assumption: "strangers' society" in new blocks.
        pub trust_neighbour: Dist = Dist::Beta(4.0, 5.0), "index", Any;
        /// Grievance. Assumption.
        pub grievance: Dist = Dist::Beta(1.0, 30.0), "index", Any;
        /// Satisfaction. Assumption.
        pub satisfaction: Dist = Dist::Beta(5.0, 4.0), "index", Any;
        /// Expected service level (Van Ryzin 2004). Assumption: slightly above what is received.
        pub expectation: Dist = Dist::Beta(6.0, 4.0), "index", Any;
        /// Share of residents active at the start. Assumption: near the share at which the
        /// baseline settles (about 17%), so the warm-up is short; the activation cascade has
        /// a band of nearby equilibria, and a start far below it takes years to climb.
        pub seed_active_share: f64 = 0.15, "share", Unit;
        /// Warm-up ticks run before recording starts, without linkage mechanisms: the world
        /// before the reform, in which stocks settle. The full baseline settles by about day
        /// 630 (scenarios/warmup.toml, docs/figures/warmup_*.png): the shipped scenarios use
        /// 730. The default of 0 suits only tests and checks of the initial conditions.
        pub warmup: u32 = 0, "days", Range(0.0, TICKS);
    }
}

section! {
    /// The tie network (MODEL.md §2): dense within buildings, small-world within grids,
    /// organisation ties. A tie is used when its two ends act together (a forum, an
    /// organisation, volunteering on one issue, an online group) or meet in everyday life
    /// (at the `contact_*` rates); a tie left unused for `idle_days` may decay at each
    /// rebuild; everyday encounters form new ties at the rate that replaces everyday decay
    /// (times `encounter_scale`), so the drawn network is the baseline's equilibrium.
    pub struct NetworkParams {
        /// Extra bonding ties per resident to others in its building (household members are
        /// always tied). Assumption, with the others giving mean degree ≈ 8.
        pub building_degree: f64 = 3.0, "ties", Range(0.0, 100.0);
        /// Ring degree k of the Watts–Strogatz layer within each grid.
        pub grid_ring_degree: u32 = 4, "ties", Range(0.0, 100.0);
        /// Rewiring probability p of the grid layer (Watts & Strogatz 1998).
        pub grid_rewire: f64 = 0.1, "probability", Unit;
        /// Ties to co-members per organisation member.
        pub org_member_degree: f64 = 2.0, "ties", Range(0.0, 100.0);
        /// Days between rebuilds of the network (ties formed since the last rebuild are added,
        /// idle ties may decay, everyday use is drawn).
        pub rebuild_period: u32 = 30, "days", Range(1.0, TICKS);
        /// A tie not used for this many days is idle and may decay.
        pub idle_days: u32 = 180, "days", Range(1.0, TICKS);
        /// Probability that an idle tie decays at a rebuild (household ties never decay).
        pub decay_probability: f64 = 0.3, "probability", Unit;
        /// Daily probability that two tied residents of one building meet in everyday life
        /// (which uses their tie). Assumption: about every three months.
        pub contact_bonding: f64 = 0.01, "probability/day", Unit;
        /// Daily probability that two tied residents of different buildings meet.
        /// Assumption: about every six months.
        pub contact_bridging: f64 = 0.005, "probability/day", Unit;
        /// Daily probability that a resident tied to an institutional node has contact with
        /// it. Assumption: about twice a year.
        pub contact_linking: f64 = 0.005, "probability/day", Unit;
        /// Everyday encounters form new ties at this multiple of the rate that replaces
        /// everyday decay (1: the drawn network is the baseline's equilibrium).
        pub encounter_scale: f64 = 1.0, "ratio", Range(0.0, 10.0);
        /// Probability that two co-participants of a forum, patrol or online thread who are
        /// not yet tied form a tie.
        pub formation_probability: f64 = 0.05, "probability", Unit;
        /// Share of residents tied to their community committee at the start (besides party
        /// members, who are tied to their party branch). Assumption.
        pub initial_linking_share: f64 = 0.1, "share", Unit;
        /// Probability that an institutional contact (a handled report, a visit) forms a
        /// linking tie.
        pub linking_probability: f64 = 0.05, "probability", Unit;
    }
}

section! {
    /// Resident behaviour: activation, engagement, trust, grievance, satisfaction,
    /// complaints and petitions (MODEL.md §3, §4, §8).
    pub struct Residents {
        /// Probability per day that an active resident lapses. Assumption: activity lasts ~2 months.
        pub lapse_probability: f64 = 0.02, "probability/day", Unit;
        /// Weight of efficacy in activation pressure: pressure += w·(e − reference).
        /// Assumption, calibrated so that low-engagement residents (mostly young adults)
        /// almost never act, the baseline settles near 13% active, and a cascade does not
        /// sweep the whole district.
        pub efficacy_weight: f64 = 3.0, "index", Range(0.0, 5.0);
        /// Engagement at which efficacy adds no pressure.
        pub efficacy_reference: f64 = 0.4, "index", Unit;
        /// Daily rate at which engagement relaxes toward its resting level. Assumption: a
        /// spell of activity fades over about three months, so activity cannot lock in.
        pub engagement_relaxation: f64 = 0.01, "1/day", Unit;
        /// Engagement gain while active (learning by doing).
        pub engagement_gain_active: f64 = 0.001, "1/day", Unit;
        /// Efficacy gain e += η⁺(1 − e) when an issue one took part in is resolved.
        pub efficacy_gain: f64 = 0.08, "index", Unit;
        /// Frustration e −= η⁻·e when an issue one took part in fails.
        pub frustration: f64 = 0.12, "index", Unit;
        /// Trust gain α⁺ after a good experience: t += α⁺(1 − t) (Slovic 1993).
        pub trust_gain: f64 = 0.03, "index", Unit;
        /// Trust loss α⁻ after a bad experience: t −= α⁻·t; α⁻ > α⁺ (Slovic 1993).
        pub trust_loss: f64 = 0.06, "index", Unit;
        /// Social learning: trust moves this far per day toward the mean of one's ties.
        pub trust_social_learning: f64 = 0.01, "1/day", Unit;
        /// Daily drift of institutional and neighbour trust toward their initial means when
        /// nothing happens.
        /// Assumption: memories of experiences fade over about a year.
        pub trust_drift: f64 = 0.003, "1/day", Unit;
        /// Neighbour-trust gain per day while active alongside active neighbours.
        pub neighbour_trust_gain: f64 = 0.004, "1/day", Unit;
        /// Neighbour-trust loss per day while a neighbour dispute is open in one's building.
        pub neighbour_trust_loss: f64 = 0.01, "1/day", Unit;
        /// Daily rate at which grievance moves toward hardship × (1 − legitimacy) (Epstein 2002).
        pub grievance_rate: f64 = 0.05, "1/day", Unit;
        /// Hardship per unit of severity of an unresolved issue affecting the resident.
        pub hardship_per_severity: f64 = 2.0, "index", Range(0.0, 10.0);
        /// Daily rate at which satisfaction follows the gap between performance and
        /// expectation (Van Ryzin 2004).
        pub satisfaction_rate: f64 = 0.02, "1/day", Unit;
        /// Daily rate at which expectations adapt to experienced performance (slow).
        pub expectation_rate: f64 = 0.002, "1/day", Unit;
        /// Complaint threshold: a resident may complain when g − cost > threshold (Epstein 2002).
        pub complaint_threshold: f64 = 0.05, "index", Unit;
        /// Perceived cost of complaining offline.
        pub complaint_cost: f64 = 0.05, "index", Unit;
        /// Probability per day of complaining while above the threshold. Assumption: city
        /// hotlines hear a few complaints per ten residents a year.
        pub complaint_probability: f64 = 0.002, "probability/day", Unit;
        /// Probability per day that an engaged resident affected by a latent issue reports it,
        /// scaled by engagement and severity.
        pub report_probability: f64 = 0.04, "probability/day", Unit;
        /// Grievance (hardship × (1 − legitimacy)) above which an affected resident would
        /// join a collective petition (Epstein 2002). Assumption, calibrated so that ordinary
        /// stalled issues raise complaints but rarely petitions (about 13 a year in the
        /// default district), while a contested renovation without deliberation does.
        pub petition_grievance: f64 = 0.3, "index", Unit;
        /// A stalled issue becomes a collective petition when this share of its affected
        /// residents would join (a threshold on their count, as in activation).
        pub petition_share: f64 = 0.08, "share", Unit;
        /// Minimum number of residents for a collective petition.
        pub petition_min_count: u32 = 10, "count", Range(1.0, RESIDENTS);
        /// Days after which an unresolved known issue counts as stalled.
        pub stall_days: u32 = 45, "days", Range(1.0, TICKS);
        /// Online sentiment gained per online resident reached by a negative post, relative to
        /// the community's online residents (the contention index is that stock).
        pub sentiment_spread: f64 = 1.0, "ratio", Range(0.0, 100.0);
        /// Daily decay of online sentiment.
        pub sentiment_decay: f64 = 0.05, "1/day", Unit;
        /// Days before the same issue can give rise to another petition.
        pub petition_cooldown: u32 = 60, "days", Range(1.0, TICKS);
        /// Daily probability that a resident affected by a contested issue talks it over with
        /// a tied resident affected by the same issue (bounded confidence, Deffuant et al.
        /// 2000): opinions spread through ties between forums.
        pub opinion_talk: f64 = 0.05, "probability/day", Unit;
        /// Confidence bound ε of everyday talk (forums widen it by facilitation).
        pub opinion_eps: f64 = 0.15, "opinion", Unit;
        /// Convergence rate μ of everyday talk and forums.
        pub opinion_mu: f64 = 0.3, "ratio", Range(0.0, 0.5);
        /// Contention from which the affected hold opinions on an issue (issues needing
        /// consent and top-down projects always carry opinions).
        pub opinion_contention: f64 = 0.3, "index", Unit;
        /// Daily probability that an online resident affected by a known, unanswered issue
        /// posts about it, per unit of its grievance.
        pub post_probability: f64 = 0.2, "probability/day", Unit;
    }
}

section! {
    /// Government nodes: departments, street offices and their platforms, community
    /// committees. Capacities are per resident served, so worlds of different sizes with
    /// the same proportions behave alike; budgets are yuan per resident per year (the
    /// district's totals are their derivation) and lapse at the end of each budget year.
    pub struct Government {
        /// Days of coordination delay when an issue crosses departments (the "silo" value).
        /// Assumption.
        pub coordination_delay: f64 = 12.0, "days", Range(0.0, TICKS);
        /// Cases per day a community committee (居委会) takes on, per 10,000 residents of
        /// the community. Assumption: 2 a day for Shangcheng's mean community of 6,300.
        pub community_capacity_per_10k: f64 = 3.2, "cases/day/10k residents", Range(0.0, CAPACITY);
        /// Cases per day a street office takes on, per 10,000 residents of the street.
        /// Assumption: 8 a day for a street of 56,700.
        pub street_capacity_per_10k: f64 = 1.4, "cases/day/10k residents", Range(0.0, CAPACITY);
        /// Cases per day the district departments take on together, per 10,000 residents
        /// of the district, shared equally among departments. Assumption: 3 a day for each
        /// of 17 departments.
        pub department_capacity_per_10k: f64 = 1.5, "cases/day/10k residents", Range(0.0, CAPACITY);
        /// Cases per day one department staff member handles (platform staff carry this
        /// capacity from their department to the street).
        pub staff_capacity: f64 = 0.1, "cases/day", Range(0.0, CAPACITY);
        /// Days a routed issue waits for its handler before it is passed on: an
        /// organisation hands it back to the community, the community passes it to the
        /// street, the street (or its platform) to the department.
        pub queue_patience: u32 = 30, "days", Range(1.0, TICKS);
        /// Probability that the community refers a known issue to a social organisation of
        /// its community and domain that has room (before any linkage). Assumption.
        pub organisation_referral: f64 = 0.1, "probability", Unit;
        /// Skill of community committees against issue complexity.
        pub community_skill: f64 = 0.45, "index", Unit;
        /// Skill of street offices.
        pub street_skill: f64 = 0.55, "index", Unit;
        /// Skill of departments (and of their staff on the platforms).
        pub department_skill: f64 = 0.7, "index", Unit;
        /// Logistic scale of success against the skill − complexity gap.
        pub success_scale: f64 = 0.12, "index", Above(0.0, 10.0);
        /// Complexity up to which the community handles an issue itself.
        pub community_max_complexity: f64 = 0.4, "index", Unit;
        /// Complexity up to which the street handles an issue (above: a department).
        pub street_max_complexity: f64 = 0.65, "index", Unit;
        /// Escalations allowed after a failed attempt (community → street → district).
        pub max_escalations: u32 = 2, "count", Range(0.0, 1000.0);
        /// Probability per day that a handler answers (acknowledges) a known issue it holds;
        /// an answered issue imposes no hardship until it stalls.
        pub responsiveness: f64 = 0.6, "probability/day", Unit;
        /// District budget for community issues. Assumption: 150,000,000 yuan a year for
        /// 340,000 residents.
        pub district_budget_per_resident: f64 = 441.0, "yuan/resident/year", Range(0.0, 1e6);
        /// Each street's budget. Assumption: 8,000,000 yuan a year for a street of 56,700.
        pub street_budget_per_resident: f64 = 141.0, "yuan/resident/year", Range(0.0, 1e6);
        /// Each community's budget. Assumption: 400,000 yuan a year for a community of
        /// 6,300.
        pub community_budget_per_resident: f64 = 63.5, "yuan/resident/year", Range(0.0, 1e6);
    }
}

section! {
    /// How issues move: cost spread, work time, and public-goods co-funding.
    pub struct IssueRules {
        /// Coefficient of variation of an issue's cost around its domain mean.
        pub cost_cv: f64 = 0.5, "ratio", Range(0.0, 5.0);
        /// Standard deviation of an issue's complexity around its domain mean.
        pub complexity_sd: f64 = 0.1, "index", Range(0.0, 1.0);
        /// Complexity at or above which an issue counts as high-complexity (P4).
        pub high_complexity: f64 = 0.6, "index", Unit;
        /// Days an issue waits for funds before it fails.
        pub funding_patience: u32 = 120, "days", Range(1.0, TICKS);
        /// Days an issue may stay open in all before it fails.
        pub max_open_days: u32 = 540, "days", Range(1.0, TICKS);
        /// Share of residents who are conditional cooperators in co-funding
        /// (Fischbacher, Gächter & Fehr 2001: about half).
        pub conditional_cooperators: f64 = 0.5, "share", Unit;
        /// Share of free riders (Fischbacher et al. 2001: about a third).
        pub free_riders: f64 = 0.33, "share", Unit;
        /// Critical mass: resident co-funding happens only when at least this share of the
        /// affected would contribute (Oliver, Marwell & Teixeira 1985).
        pub critical_mass: f64 = 0.3, "share", Unit;
        /// Probability that a property company or business pays its share when asked
        /// without matchmaking, scaled by its social orientation.
        pub enterprise_base_response: f64 = 0.3, "probability", Unit;
        /// Days an issue waits for funds before enterprises are asked again.
        pub ask_again_days: u32 = 30, "days", Range(1.0, TICKS);
    }
}

section! {
    /// An issue domain (data, not code): where issues arise, how hard and costly they are.
    pub struct Domain {
        /// Expected issues per location per year (Poisson). 0 means only scheduled projects.
        pub rate: f64 = 0.5, "1/year", Range(0.0, RATE);
        /// Level at which an issue arises and whom it affects.
        pub scope: String = "building".into(), "", OneOf(&["household", "building", "grid", "community"]);
        /// Only households with an elder (for elder care).
        pub elders_only: bool = false, "", Any;
        /// Hardship the issue imposes on the affected while unresolved.
        pub severity: f64 = 0.3, "index", Unit;
        /// Mean cost per issue.
        pub cost: f64 = 20_000.0, "yuan", Range(0.0, YUAN);
        /// Cost per affected household, added to `cost` (for work that scales with the
        /// place, such as renovating a community).
        pub cost_per_household: f64 = 0.0, "yuan/household", Range(0.0, 1e7);
        /// Mean complexity (professional skill needed).
        pub complexity: f64 = 0.3, "index", Unit;
        /// Contention: how divided the affected are (spread of their opinions).
        pub contention: f64 = 0.1, "index", Unit;
        /// Mean initial support among the affected (opinion in [0, 1]).
        pub support: f64 = 0.6, "index", Unit;
        /// Share of affected households that must agree (0: no consent needed).
        pub consent_share: f64 = 0.0, "share", Unit;
        /// Responsible department (index from 0).
        pub department: u32 = 0, "index", Range(0.0, OFFICES);
        /// Days of work once started.
        pub duration: f64 = 7.0, "days", Above(0.0, TICKS);
        /// Share of cost residents are asked to co-fund.
        pub resident_share: f64 = 0.0, "share", Unit;
        /// Share of cost enterprises (property companies, businesses) are asked to fund.
        pub enterprise_share: f64 = 0.1, "share", Unit;
        /// Largest share of cost public budgets cover; the rest must come from residents,
        /// enterprises or social money, or the issue fails for lack of funds.
        pub public_share: f64 = 1.0, "share", Unit;
        /// Casework of community social workers (elder care, mediation): station social
        /// workers co-handle it where the community handles it.
        pub social_work: bool = false, "", Any;
        /// A top-down project: known from the start, decided by the government.
        pub top_down: bool = false, "", Any;
        /// Elder-care need (counted in elder_care_coverage).
        pub elder_care: bool = false, "", Any;
    }
}

/// The seven default domains of MODEL.md §2. Rates and costs are assumptions; the
/// elevator-retrofit consent share of 2/3 is from the seed text.
pub fn default_domains() -> BTreeMap<String, Domain> {
    let d = Domain::default();
    let mut m = BTreeMap::new();
    m.insert(
        "maintenance".into(),
        Domain {
            rate: 0.8,
            severity: 0.25,
            cost: 15_000.0,
            complexity: 0.3,
            contention: 0.1,
            department: 0,
            duration: 7.0,
            enterprise_share: 0.3,
            ..d.clone()
        },
    );
    m.insert(
        "environment".into(),
        Domain {
            scope: "grid".into(),
            rate: 4.0,
            severity: 0.2,
            cost: 30_000.0,
            complexity: 0.35,
            contention: 0.15,
            department: 1,
            duration: 10.0,
            ..d.clone()
        },
    );
    m.insert(
        "elder_care".into(),
        Domain {
            scope: "household".into(),
            elders_only: true,
            elder_care: true,
            public_share: 0.7,
            rate: 0.25,
            severity: 0.35,
            cost: 3_000.0,
            complexity: 0.3,
            contention: 0.0,
            department: 2,
            duration: 14.0,
            resident_share: 0.3,
            enterprise_share: 0.0,
            ..d.clone()
        },
    );
    m.insert(
        "neighbour_dispute".into(),
        Domain {
            rate: 0.3,
            severity: 0.2,
            cost: 0.0,
            complexity: 0.5,
            contention: 0.6,
            support: 0.5,
            social_work: true,
            department: 3,
            duration: 10.0,
            enterprise_share: 0.0,
            ..d.clone()
        },
    );
    m.insert(
        "parking_public_space".into(),
        Domain {
            scope: "grid".into(),
            rate: 1.0,
            severity: 0.3,
            cost: 80_000.0,
            complexity: 0.55,
            contention: 0.5,
            support: 0.55,
            department: 4,
            duration: 30.0,
            enterprise_share: 0.2,
            public_share: 0.8,
            ..d.clone()
        },
    );
    m.insert(
        "elevator_retrofit".into(),
        Domain {
            rate: 0.03,
            severity: 0.3,
            cost: 600_000.0,
            complexity: 0.7,
            contention: 0.45,
            // Assumption: slightly more against than for (ground-floor households lose
            // light and gain nothing), so consent needs a compromise.
            support: 0.45,
            consent_share: 2.0 / 3.0,
            department: 0,
            duration: 120.0,
            // Assumption: a public subsidy of 40%, owners pay most of the rest.
            resident_share: 0.55,
            enterprise_share: 0.05,
            public_share: 0.4,
            ..d.clone()
        },
    );
    m.insert(
        "renovation".into(),
        Domain {
            scope: "community".into(),
            rate: 0.0,
            severity: 0.8, // assumption: months of building work disrupt daily life
            // Assumption: about 8,000,000 yuan for a community of 2,600 households.
            cost: 0.0,
            cost_per_household: 3_000.0,
            complexity: 0.75,
            contention: 0.6,
            support: 0.55,
            department: 0,
            duration: 180.0,
            // A top-down project is paid by the government.
            enterprise_share: 0.0,
            public_share: 1.0,
            top_down: true,
            ..d
        },
    );
    m
}

section! {
    /// A scheduled project (e.g. an old-neighbourhood renovation) starting on a given day.
    pub struct Project {
        /// Domain of the project's issues.
        pub domain: String = "renovation".into(), "", Any;
        /// Day it starts, counted from the end of the warm-up.
        pub start: u32 = 0, "day", Range(0.0, TICKS);
        /// Communities it covers (indices from 0); one issue per community.
        pub communities: Vec<u32> = Vec::new(), "", Any;
    }
}

section! {
    /// An exogenous shock: a domain's arrival rate multiplied over a period.
    pub struct Shock {
        /// Domain affected.
        pub domain: String = "elder_care".into(), "", Any;
        /// First day, counted from the end of the warm-up.
        pub start: u32 = 0, "day", Range(0.0, TICKS);
        /// Last day (inclusive), counted from the end of the warm-up.
        pub end: u32 = 0, "day", Range(0.0, TICKS);
        /// Rate multiplier.
        pub multiplier: f64 = 2.0, "ratio", Range(0.0, RATIO);
    }
}

section! {
    /// Social organisations (社会组织) and social workers (社工): birth, membership, funds,
    /// capacity, death.
    pub struct Organisations {
        /// Grassroots organisations founded per 100,000 residents per year (spontaneous
        /// births). Assumption, calibrated so that the baseline's number of organisations
        /// settles.
        pub birth_rate_per_100k: f64 = 2.0, "1/year/100k residents", Range(0.0, 10_000.0);
        /// Funds founders bring to a new organisation (an outside source).
        pub initial_funds: f64 = 20_000.0, "yuan", Range(0.0, 1e9);
        /// Running cost per day.
        pub running_cost: f64 = 5.0, "yuan/day", Range(0.0, 1e6);
        /// Dues each member pays per year (an outside source).
        pub dues: f64 = 500.0, "yuan/member/year", Range(0.0, 1e6);
        /// Cases per day each member's volunteer work adds to the organisation's capacity.
        pub member_capacity: f64 = 0.005, "cases/day", Range(0.0, 100.0);
        /// Cases per day each yuan of grants and fees received adds (staff hired with it).
        pub growth_per_yuan: f64 = 0.000_001, "cases/day/yuan", Range(0.0, 1.0);
        /// Skill of a member-run organisation without a social worker on the case.
        pub professionalism: Dist = Dist::Beta(3.0, 4.0), "index", Any;
        /// Mean members (residents) of a new organisation.
        pub members: f64 = 12.0, "residents", Range(0.0, 10_000.0);
        /// An organisation with fewer members than this dissolves.
        pub min_members: u32 = 4, "residents", Range(0.0, MEMBERS);
        /// Daily probability that an organisation recruits a member, times (0.5 +
        /// reputation): good work attracts members.
        pub recruit_probability: f64 = 0.06, "probability/day", Unit;
        /// Daily probability that a member leaves (doubled while the organisation has no
        /// funds).
        pub member_loss: f64 = 0.005, "probability/day", Unit;
        /// Fee the district pays per case an organisation handles under purchase of services.
        pub fee_per_case: f64 = 2_000.0, "yuan", Range(0.0, 1e9);
        /// Skill of social workers (drawn per agent).
        pub social_worker_skill: Dist = Dist::Beta(6.0, 3.0), "index", Any;
        /// Cases a social worker holds at once (caseload limit).
        pub social_worker_caseload: u32 = 8, "cases", Range(1.0, 1000.0);
        /// Cases per day a social worker adds to its organisation's intake.
        pub social_worker_capacity: f64 = 0.1, "cases/day", Range(0.0, 100.0);
        /// Share of social workers attached to community stations (社工站) rather than to an
        /// organisation. Assumption.
        pub station_share: f64 = 0.5, "share", Unit;
    }
}

section! {
    /// Enterprises (企业): property companies and local businesses.
    pub struct Enterprises {
        /// Resources each enterprise can put into community work per year (an outside
        /// source; what is unused returns to the enterprise at the year's end). Assumption.
        pub resources: f64 = 60_000.0, "yuan/year", Range(0.0, 1e10);
        /// Social orientation ("the social attribute of capital", 资本的社会属性).
        pub social_orientation: Dist = Dist::Beta(2.0, 5.0), "index", Any;
        /// Orientation gained when a funded project succeeds.
        pub orientation_gain: f64 = 0.05, "index", Unit;
        /// Orientation lost when a funded project fails.
        pub orientation_loss: f64 = 0.05, "index", Unit;
    }
}

section! {
    /// Routine services (certificates, subsidies, 52 kinds at the community window): each
    /// request needs one or more services; without one-window acceptance each service is a
    /// separate visit to the street's service hall; every visit queues at counters with a
    /// daily capacity; a visit may have to be repeated (missing documents).
    pub struct Services {
        /// Routine requests per resident per year. Assumption.
        pub request_rate: f64 = 1.5, "1/year", Range(0.0, 1000.0);
        /// Mean services a request needs (1 + Poisson of the rest). Assumption.
        pub services_per_request: f64 = 2.0, "services", Range(1.0, 52.0);
        /// Probability that a visit must be repeated (missing documents). Assumption.
        pub redo_probability: f64 = 0.25, "probability", Range(0.0, 0.95);
        /// Days the back office takes to process handed-in services before the resident can
        /// go on (or collect the result). Assumption.
        pub processing_days: u32 = 3, "days", Range(1.0, 365.0);
        /// Visits per day the street's service hall serves, per 10,000 residents of the
        /// street. Assumption: about 1.05 times the demand without one-window acceptance.
        pub counter_capacity_per_10k: f64 = 115.0, "visits/day/10k residents", Range(0.0, 1e6);
    }
}

section! {
    /// Elder care (养老): community care workers share their care-days among the elder-care
    /// cases in work (processor sharing, at most one care-day per case per day); a case is
    /// done when it has received its domain's `duration` in care-days. Its cost is for the
    /// community's care-days: care-days a household gives itself cost the budgets nothing.
    pub struct Care {
        /// Care-days per day community care workers give, per 10,000 residents of the
        /// community. Assumption: about 1.3 times the mean demand.
        pub capacity_per_10k: f64 = 28.0, "care-days/day/10k residents", Range(0.0, 1e6);
    }
}

section! {
    /// The book's two ingredients of co-governance, as switches over all the mechanisms:
    /// ties between actors and actors who act ("只有关联或联系，而没有行动 … 无从建立起来").
    /// Both on is the model; switching one off removes that ingredient of every linkage
    /// mechanism while leaving the rest of each mechanism at work.
    pub struct Linkage {
        /// The ties linkage creates: when off, the bridging and linking ties mechanisms form
        /// (forum, visit, volunteer, online-group and organisation ties) are not added to
        /// the network; bonding ties between neighbours they form stay.
        pub ties: bool = true, "", Any;
        /// Actors who act beyond their own threshold: when off, the mobilisation pressure
        /// mechanisms add (visits, duty, calls) is removed, so residents act only on their
        /// own threshold, efficacy and neighbours.
        pub action: bool = true, "", Any;
    }
}
