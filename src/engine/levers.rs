//! Levers: the parts of the world's state that linkage mechanisms set and the core phases
//! read. The engine resets them to their baseline values at the start of every tick, then
//! each enabled mechanism moves the ones it owns. Mechanisms never read each other's
//! switches; when two move the same lever, their effects add up.

use crate::scenario::Scenario;

/// Lever values for one tick.
#[derive(Debug, Clone)]
pub struct Levers {
    /// Multiplier on the report hazard of online residents (≥ 1 with online reporting).
    pub online_report_multiplier: f32,
    /// Days of coordination delay for issues handled above the community.
    pub coordination_delay: f64,
    /// Extra cases per day per street office.
    pub street_capacity_bonus: f64,
    /// Extra skill of street offices.
    pub street_skill_bonus: f32,
    /// Extra skill on high-complexity issues (professional support).
    pub complex_skill_bonus: f32,
    /// Probability that a newly known issue is routed to a matching social organisation.
    pub organisation_routing: f64,
    /// Probability per day that a handler answers a known issue (responsiveness).
    pub responsiveness: f64,
    /// Probability per day that an issue reported online is answered on the platform.
    pub online_responsiveness: f64,
    /// Extra confidence bound ε added in forums (facilitation).
    pub forum_eps_bonus: f64,
    /// Extra forum participants, as a share of the forum's size (facilitation, online calls).
    pub forum_extra_participants: f64,
    /// Share of an issue's cost that social funds may cover.
    pub social_cover_share: f64,
    /// Extra probability that an enterprise pays its share when asked.
    pub enterprise_response_bonus: f64,
    /// Mobilisation pressure on residents, per building.
    pub mobilisation: Vec<f32>,
    /// Mobilisation pressure on online residents (calls to participate).
    pub online_mobilisation: f32,
    /// Institutional contact per building: trust gained per day from visits.
    pub contact: Vec<f32>,
    /// Factor on the perceived cost of complaining for online residents.
    pub online_complaint_cost: f32,
    /// Multiplier on the spread of negative online sentiment about unanswered issues.
    pub sentiment_amplification: f32,
    /// Daily damping of online sentiment by answered issues.
    pub sentiment_damping: f32,
    /// Trips per routine request, per community.
    pub service_trips: Vec<f32>,
    /// Wait per routine request in days, per community.
    pub service_wait: Vec<f32>,
    /// Work-speed factor for elder-care issues (shared household–community care).
    pub elder_care_speed: f32,
}

impl Levers {
    /// Baseline levers for a world of `buildings` buildings and `communities` communities.
    pub fn baseline(s: &Scenario, buildings: usize, communities: usize) -> Levers {
        Levers {
            online_report_multiplier: 1.0,
            coordination_delay: s.government.coordination_delay,
            street_capacity_bonus: 0.0,
            street_skill_bonus: 0.0,
            complex_skill_bonus: 0.0,
            organisation_routing: 0.0,
            responsiveness: s.government.responsiveness,
            online_responsiveness: 0.0,
            forum_eps_bonus: 0.0,
            forum_extra_participants: 0.0,
            social_cover_share: 0.0,
            enterprise_response_bonus: 0.0,
            mobilisation: vec![0.0; buildings],
            online_mobilisation: 0.0,
            contact: vec![0.0; buildings],
            online_complaint_cost: 1.0,
            sentiment_amplification: 1.0,
            sentiment_damping: 0.0,
            service_trips: vec![s.services.trips as f32; communities],
            service_wait: vec![s.services.wait_days as f32; communities],
            elder_care_speed: 1.0,
        }
    }

    /// Resets every lever to `base` without reallocating.
    pub fn reset_to(&mut self, base: &Levers) {
        self.online_report_multiplier = base.online_report_multiplier;
        self.coordination_delay = base.coordination_delay;
        self.street_capacity_bonus = base.street_capacity_bonus;
        self.street_skill_bonus = base.street_skill_bonus;
        self.complex_skill_bonus = base.complex_skill_bonus;
        self.organisation_routing = base.organisation_routing;
        self.responsiveness = base.responsiveness;
        self.online_responsiveness = base.online_responsiveness;
        self.forum_eps_bonus = base.forum_eps_bonus;
        self.forum_extra_participants = base.forum_extra_participants;
        self.social_cover_share = base.social_cover_share;
        self.enterprise_response_bonus = base.enterprise_response_bonus;
        self.mobilisation.copy_from_slice(&base.mobilisation);
        self.online_mobilisation = base.online_mobilisation;
        self.contact.copy_from_slice(&base.contact);
        self.online_complaint_cost = base.online_complaint_cost;
        self.sentiment_amplification = base.sentiment_amplification;
        self.sentiment_damping = base.sentiment_damping;
        self.service_trips.copy_from_slice(&base.service_trips);
        self.service_wait.copy_from_slice(&base.service_wait);
        self.elder_care_speed = base.elder_care_speed;
    }
}
