//! `[mechanisms.<key>]`: each linkage mechanism's parameters, with its `enabled` switch.
//! The rules live with each mechanism's process in `crate::mechanisms::<key>`; this file is
//! data only, so the scenario layer depends on nothing above it.

use crate::scenario::dist::Dist;
use crate::scenario::{Problem, Scenario};
use crate::section;

section! {
    /// `[mechanisms.party_masses]`: 党群联动.
    pub struct PartyMasses {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Activation pressure on party members from their organisational duty (they are
        /// more likely to act, not forced to).
        pub duty: f64 = 0.15, "share", Unit;
        /// Mobilisation pressure at full visit coverage of a building.
        pub mobilisation: f64 = 0.08, "share", Unit;
        /// Residents each active member visits (coverage per member).
        pub visits_per_member: f64 = 6.0, "residents", Range(0.0, 1000.0);
        /// Daily trust gain at full coverage.
        pub visit_trust: f64 = 0.002, "1/day", Unit;
        /// Daily probability per active member that a visit forms a linking tie.
        pub visit_tie_probability: f64 = 0.01, "probability/day", Unit;
        /// Detection hazard per active member among an issue's affected, per day.
        pub mass_line_detection: f64 = 0.03, "1/day", Range(0.0, 10.0);
        /// Yearly rise of enterprises' social orientation from sitting on the community's
        /// party committee (区域化党建): o += this × (1 − o). No money moves.
        pub regional_orientation: f64 = 0.1, "index/year", Unit;
    }
}

section! {
    /// `[mechanisms.grid]`: 全科网格.
    pub struct Grid {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Volunteer grid members per grid. Assumption.
        pub volunteers_per_grid: u32 = 8, "residents", Range(0.0, 1000.0);
        /// Daily detection hazard of the grid leader's patrol.
        pub patrol_detection: f64 = 0.08, "1/day", Range(0.0, 10.0);
        /// Extra daily hazard per volunteer.
        pub volunteer_detection: f64 = 0.01, "1/day", Range(0.0, 10.0);
        /// Skill of volunteer grid members (drawn per volunteer).
        pub volunteer_skill: Dist = Dist::Beta(4.0, 4.0), "index", Any;
        /// Highest cost a patrol fixes on the spot, from the community budget.
        pub fix_cost: f64 = 5_000.0, "yuan", Range(0.0, 1e9);
    }
}

section! {
    /// `[mechanisms.platforms]`: 四个平台 + 综合指挥.
    pub struct Platforms {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Days from the command centre to the sunk staff who act (replacing the silo
        /// coordination delay for the departments whose staff sit on the platform).
        pub dispatch_days: f64 = 2.0, "days", Range(0.0, 365.0);
    }
}

section! {
    /// `[mechanisms.three_society]`: 三社联动.
    pub struct ThreeSociety {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Share of organisations' social workers stationed in their community when the
        /// linkage starts.
        pub stationed_share: f64 = 0.5, "share", Unit;
        /// Widening of a forum's confidence bound ε when a station social worker
        /// facilitates it.
        pub facilitation_eps: f64 = 0.15, "opinion", Unit;
        /// The opinion a facilitator argues for: the workable compromise facilitated
        /// consultation finds (compensation for ground-floor households, a fair cost
        /// split). Assumption.
        pub compromise: f64 = 0.65, "opinion", Unit;
        /// Probability that a known issue is matched to an organisation of its community
        /// and domain with room.
        pub matching: f64 = 0.3, "probability", Unit;
        /// Organisations incubated per 100,000 residents per year, each in the community
        /// and domain with the most open issues.
        pub incubation_per_100k: f64 = 3.5, "1/year/100k residents", Range(0.0, 10_000.0);
        /// Start-up funds of an incubated organisation, from the district budget.
        pub incubation_funds: f64 = 60_000.0, "yuan", Range(0.0, 1e9);
    }
}

section! {
    /// `[mechanisms.government_society]`: 政社联动.
    pub struct GovernmentSociety {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Days between funding rounds.
        pub period: u32 = 365, "days", Range(0.0, 3650.0);
        /// Purchase of services per round, moved from the district budget to the
        /// service-purchase pool that pays organisations' fees. Assumption: 6,000,000 yuan
        /// a year for 340,000 residents.
        pub purchase_per_resident: f64 = 17.6, "yuan/resident/round", Range(0.0, 1e6);
        /// Probability that a known issue is routed to an organisation with room by purchase.
        pub purchase_routing: f64 = 0.25, "probability", Unit;
        /// Venture-philanthropy fund per round. Seed: 5,000,000 yuan a year for the district,
        /// pooled from district and street venture funds.
        pub venture_per_resident: f64 = 14.7, "yuan/resident/round", Range(0.0, 1e6);
        /// Share of the venture fund streets put in (the rest is the district's). Assumption.
        pub venture_street_share: f64 = 0.5, "share", Unit;
        /// Venture-philanthropy projects per 100,000 residents per round. Seed: about 64 a
        /// year for 340,000 residents.
        pub venture_projects_per_100k: f64 = 18.8, "count/100k residents", Range(0.0, 1e5);
        /// Share of venture projects that found a new organisation (the rest fund a living
        /// one). Assumption: 公益创投 incubates new groups as well as growing old ones.
        pub founding_share: f64 = 0.25, "share", Unit;
        /// Foundations' endowment, paid in when the linkage starts. Assumption.
        pub foundation_endowment_per_resident: f64 = 30.0, "yuan/resident", Range(0.0, 1e6);
        /// Social yuan foundations match per venture yuan granted, from their endowment.
        /// Assumption.
        pub foundation_match: f64 = 0.5, "ratio", Range(0.0, 100.0);
        /// Largest share of an issue's cost social money may cover.
        pub social_cover_share: f64 = 0.3, "share", Unit;
        /// Golden-idea contest fund per round. Seed: 1,000,000 yuan a year for the district.
        pub golden_idea_per_resident: f64 = 2.94, "yuan/resident/round", Range(0.0, 1e6);
        /// Largest grant for one golden idea. Assumption.
        pub golden_idea_grant: f64 = 20_000.0, "yuan", Range(1.0, 1e9);
    }
}

section! {
    /// `[mechanisms.family_community]`: 家社联动.
    pub struct FamilyCommunity {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Daily detection hazard of the community's elder roster.
        pub roster_detection: f64 = 0.1, "1/day", Range(0.0, 10.0);
        /// Share of each care-day a household carer gives where care is shared.
        /// Assumption.
        pub household_share: f64 = 0.4, "share", Unit;
    }
}

section! {
    /// `[mechanisms.government_enterprise]`: 政企联动.
    pub struct GovernmentEnterprise {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Days between matchmaking sessions.
        pub matchmaking_period: u32 = 90, "days", Range(0.0, 3650.0);
        /// Enterprises matched per session per 10,000 residents of the street (rounded at
        /// random). Assumption: 10 a session for Shangcheng's mean street of 56,700.
        pub matches_per_10k: f64 = 1.76, "count/10k residents", Range(0.0, 10_000.0);
        /// Largest share of its remaining resources a matched enterprise commits to its
        /// project.
        pub pledge_share: f64 = 0.4, "share", Unit;
        /// Rise in a property company's social orientation per session it attends
        /// (co-operation with owners): o += this × (1 − o).
        pub cooperation: f64 = 0.1, "index", Unit;
    }
}

section! {
    /// `[mechanisms.online]`: 网络联动 (社区通, 社区大脑).
    pub struct Online {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Weight of online residents' engagement in reporting (reporting costs less).
        pub report_weight: f64 = 3.0, "ratio", Range(1.0, 100.0);
        /// Detection hazard of latent issues per unit of mean online grievance in their
        /// community (monitoring flags hotspots).
        pub monitoring_detection: f64 = 0.3, "1/day", Range(0.0, 10.0);
        /// Mobilisation pressure on online residents from calls to participate.
        pub call_mobilisation: f64 = 0.03, "share", Unit;
        /// Extra forum seats from online calls, per online share of the affected.
        pub call_reach: f64 = 0.3, "share", Range(0.0, 10.0);
        /// Daily probability the platform answers a known issue reported online.
        pub responsiveness: f64 = 0.7, "probability/day", Unit;
        /// Ties each online resident gains with others of its community in the platform's
        /// groups.
        pub group_ties: f64 = 2.0, "ties", Range(0.0, 100.0);
    }
}

section! {
    /// `[mechanisms.deliberation]`: 协商 (多层, 节点, 平台).
    pub struct Deliberation {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Days between regular forums in each community.
        pub forum_period: u32 = 30, "days", Range(0.0, 3650.0);
        /// Issues a community's regular forum takes up.
        pub forums_per_round: u32 = 3, "count", Range(0.0, 10_000.0);
        /// Contention from which an issue goes to a forum.
        pub contention_threshold: f64 = 0.3, "index", Unit;
        /// Seats in a forum.
        pub forum_size: u32 = 30, "residents", Range(2.0, 100_000.0);
        /// Confidence bound ε (Deffuant et al. 2000).
        pub eps: f64 = 0.25, "opinion", Unit;
        /// Convergence rate μ.
        pub mu: f64 = 0.3, "ratio", Range(0.0, 0.5);
        /// Encounters per participant.
        pub rounds: u32 = 10, "count", Range(1.0, 1000.0);
        /// Trust the affected buildings gain from a forum (voice).
        pub trust_contact: f64 = 0.02, "index", Unit;
        /// Mean grievance of the affected that signals a strong public reaction.
        pub reaction_grievance: f64 = 0.2, "index", Unit;
        /// Share of would-be petitioners among the affected that signals an early warning.
        pub early_warning: f64 = 0.04, "share", Unit;
        /// Online sentiment of a community that makes a hot topic.
        pub hot_topic: f64 = 0.3, "index", Unit;
        /// Days open after which an issue is a legacy issue.
        pub legacy_days: u32 = 120, "days", Range(0.0, 65_000.0);
        /// Days between node-triggered forums on the same issue.
        pub node_cooldown: u32 = 30, "days", Range(0.0, 3650.0);
        /// Widening of ε per escalation level (multi-level deliberation).
        pub level_eps: f64 = 0.05, "opinion", Unit;
    }
}

section! {
    /// `[mechanisms.service_complex]`: 3+X 综合体, 一窗受理.
    pub struct ServiceComplex {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Visits per day a community's complex serves, per 10,000 residents of the
        /// community. Assumption.
        pub complex_capacity_per_10k: f64 = 60.0, "visits/day/10k residents", Range(0.0, 1e6);
        /// One-window acceptance (一窗受理) at every hall: one visit hands in all of a
        /// request's services.
        pub one_window: bool = true, "", Any;
    }
}

/// A period parameter that must be at least one day when the mechanism is on.
fn check_period(path: &str, days: u32) -> Vec<Problem> {
    if days == 0 {
        vec![Problem {
            others: Vec::new(),
            path: path.to_string(),
            message: "a period of 0 days cannot be used while the mechanism is enabled; allowed: at least 1".into(),
        }]
    } else {
        Vec::new()
    }
}

macro_rules! mechanism_sections {
    ($($key:ident => $params:ident;)*) => {
        section! {
            /// `[mechanisms]`: every mechanism's parameters, each with an `enabled` switch.
            pub struct Mechanisms {
                $(
                    #[doc = concat!("`", stringify!($key), "`.")]
                    pub $key: $params = $params::default(), "", Any;
                )*
            }
        }

        /// Keys of all mechanisms, in registry order.
        pub const KEYS: &[&str] = &[$(stringify!($key)),*];

        impl Mechanisms {
            /// The same configuration with every mechanism switched on or off.
            pub fn all(on: bool) -> Mechanisms {
                let mut m = Mechanisms::default();
                $(m.$key.enabled = on;)*
                m
            }

            /// The switches, in registry order.
            pub fn switches(&self) -> Vec<(&'static str, bool)> {
                vec![$((stringify!($key), self.$key.enabled)),*]
            }
        }
    };
}

mechanism_sections! {
    party_masses => PartyMasses;
    grid => Grid;
    platforms => Platforms;
    three_society => ThreeSociety;
    government_society => GovernmentSociety;
    family_community => FamilyCommunity;
    government_enterprise => GovernmentEnterprise;
    online => Online;
    deliberation => Deliberation;
    service_complex => ServiceComplex;
}

impl Mechanisms {
    /// Problems of enabled mechanisms' parameters.
    pub fn problems(&self, _s: &Scenario) -> Vec<Problem> {
        let mut out = Vec::new();
        let p = "mechanisms";
        if self.government_society.enabled {
            out.extend(check_period(
                &format!("{p}.government_society.period"),
                self.government_society.period,
            ));
        }
        if self.government_enterprise.enabled {
            out.extend(check_period(
                &format!("{p}.government_enterprise.matchmaking_period"),
                self.government_enterprise.matchmaking_period,
            ));
        }
        if self.deliberation.enabled {
            out.extend(check_period(
                &format!("{p}.deliberation.forum_period"),
                self.deliberation.forum_period,
            ));
            out.extend(check_period(
                &format!("{p}.deliberation.node_cooldown"),
                self.deliberation.node_cooldown,
            ));
        }
        out
    }
}
