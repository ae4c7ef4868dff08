//! Issues: the work governance does. An issue arises at a location, becomes known,
//! is routed to a handler, may go to a forum, is funded, worked on, and ends resolved or
//! failed. Affected residents are a contiguous range of ids.

use std::ops::Range;

use crate::world::institutions::Handler;
use crate::world::places::Scope;

/// Where an issue is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Exists but no one in charge knows (raises grievance).
    Latent,
    /// Known, not yet routed to a handler.
    Known,
    /// Routed, waiting for its handler (after coordination delay, within capacity).
    Queued,
    /// Needs the consent of the affected (or is contentious): waiting for a decision.
    Consent,
    /// Waiting for funds.
    Funding,
    /// Being worked on.
    Working,
    /// Resolved (terminal).
    Resolved,
    /// Failed (terminal).
    Failed,
}

/// Money committed to an issue, by source.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Funding {
    /// Public budgets.
    pub public: f64,
    /// Social organisations and philanthropy.
    pub social: f64,
    /// Enterprises.
    pub enterprise: f64,
    /// Residents.
    pub resident: f64,
}

impl Funding {
    /// All committed money.
    pub fn total(&self) -> f64 {
        self.public + self.social + self.enterprise + self.resident
    }
}

/// One issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Index of its domain in the scenario's domain list.
    pub domain: u16,
    /// Level at which it arose.
    pub scope: Scope,
    /// Index of its place at that level.
    pub place: u32,
    /// Affected residents.
    pub residents: Range<u32>,
    /// Number of affected households.
    pub households: u32,
    /// Community of the place.
    pub community: u32,
    /// Street of the place.
    pub street: u32,
    /// Hardship imposed while unresolved.
    pub severity: f32,
    /// Cost in yuan.
    pub cost: f64,
    /// Complexity (skill needed).
    pub complexity: f32,
    /// Contention among the affected.
    pub contention: f32,
    /// Mean initial support among the affected.
    pub support: f32,
    /// Consent share needed (0: none).
    pub consent_share: f32,
    /// Responsible department.
    pub department: u32,
    /// Work days needed.
    pub duration: f32,
    /// Share of cost residents are asked to fund.
    pub resident_share: f32,
    /// Share of cost enterprises are asked to fund.
    pub enterprise_share: f32,
    /// Top-down project.
    pub top_down: bool,
    /// Elder-care need.
    pub elder_care: bool,
    /// Current stage.
    pub stage: Stage,
    /// Current handler.
    pub handler: Handler,
    /// Organisation handling it, when `handler` is `Organisation`.
    pub organisation: u32,
    /// Tick it arose.
    pub arisen: u32,
    /// Tick it became known.
    pub detected: Option<u32>,
    /// Tick from which its handler can take it (coordination delay).
    pub ready_at: u32,
    /// Tick it entered its current stage.
    pub stage_since: u32,
    /// Work days left.
    pub work_left: f32,
    /// Escalations so far.
    pub escalations: u32,
    /// Money committed.
    pub funding: Funding,
    /// Residents and enterprises have been asked to co-fund.
    pub asked: bool,
    /// Enterprise that funded it (u32::MAX: none).
    pub enterprise: u32,
    /// Reported through the online platform.
    pub online: bool,
    /// A handler has answered (acknowledged) it.
    pub answered: bool,
    /// Forums held on it.
    pub forums: u32,
    /// Tick of its last forum.
    pub last_forum: Option<u32>,
    /// Consent reached.
    pub consent: bool,
    /// Consent votes held.
    pub votes: u32,
    /// Residents took part (reports, forums, co-funding): efficacy follows the outcome.
    pub participated: bool,
    /// Skill bonus from facilitation and professional support.
    pub skill_bonus: f32,
    /// Last tick it gave rise to a collective petition.
    pub petitioned: Option<u32>,
    /// Tick it ended.
    pub closed: Option<u32>,
}

impl Issue {
    /// Whether it is still open.
    pub fn is_open(&self) -> bool {
        !matches!(self.stage, Stage::Resolved | Stage::Failed)
    }

    /// Whether it is known to those in charge.
    pub fn is_known(&self) -> bool {
        self.detected.is_some()
    }

    /// Hardship it imposes on each affected resident per unit of the hardship weight:
    /// severity, raised by contention (a divisive issue hurts more while unsettled).
    pub fn hardship(&self) -> f32 {
        self.severity * (0.5 + self.contention)
    }
}
