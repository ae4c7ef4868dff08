//! Issues: the work governance does. An issue arises at a location, becomes known,
//! is routed to a handler, may go to a forum, is funded, worked on, and ends resolved or
//! failed. Affected residents are a contiguous range of ids.

use crate::world::institutions::state;
use std::ops::Range;

use crate::world::institutions::Handler;
use crate::world::money::Cents;
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

/// Money paid for an issue's work, by whose money it was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Funding {
    /// Public budgets.
    pub public: Cents,
    /// Foundations and philanthropy.
    pub social: Cents,
    /// Enterprises.
    pub enterprise: Cents,
    /// Residents.
    pub resident: Cents,
}

impl Funding {
    /// All money paid.
    pub fn total(&self) -> Cents {
        self.public + self.social + self.enterprise + self.resident
    }
}

state! {
    /// One issue.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Issue {
        /// Its number in the order issues arose in the run (0, 1, ...): its id in `issues.csv`.
        fixed id: u64, "id";
        /// Index of its domain in the scenario's domain list.
        fixed domain: u16, "id";
        /// Level at which it arose.
        fixed scope: Scope, "household…community";
        /// Index of its place at that level.
        fixed place: u32, "id";
        /// Affected residents.
        fixed residents: Range<u32>, "id range";
        /// Number of affected households.
        fixed households: u32, "count";
        /// Community of the place.
        fixed community: u32, "id";
        /// Street of the place.
        fixed street: u32, "id";
        /// Hardship imposed while unresolved.
        fixed severity: f32, "[0, 1]";
        /// Cost of its work (for elder care: of the community's care-days).
        dynamic cost: Cents, "≥ 0 cents";
        /// Complexity (skill needed).
        fixed complexity: f32, "[0, 1]";
        /// Contention among the affected (its domain's, for issues without opinions).
        fixed contention: f32, "[0, 1]";
        /// Opinions of the affected residents, in resident order (contested issues only):
        /// each persists between forums and moves through talk and deliberation.
        dynamic opinions: Option<Box<[f32]>>, "[0, 1] each";
        /// Consent share needed (0: none).
        fixed consent_share: f32, "[0, 1]";
        /// Responsible department.
        fixed department: u32, "id";
        /// Work days needed.
        fixed duration: f32, "days";
        /// Share of cost residents are asked to fund.
        dynamic resident_share: f32, "[0, 1]";
        /// Largest share of cost public budgets cover.
        fixed public_share: f32, "[0, 1]";
        /// Share of cost enterprises are asked to fund.
        fixed enterprise_share: f32, "[0, 1]";
        /// Top-down project.
        fixed top_down: bool, "flag";
        /// Elder-care need.
        fixed elder_care: bool, "flag";
        /// Current stage.
        dynamic stage: Stage, "latent…failed";
        /// Current handler.
        dynamic handler: Handler, "level";
        /// Organisation handling it, when `handler` is `Organisation`.
        dynamic organisation: u32, "id";
        /// Social worker working it (`NONE`: none): their skill is the case's.
        dynamic worker: u32, "id";
        /// Work is shared with a household carer (elder care with family–community linkage).
        dynamic shared_care: bool, "flag";
        /// Tick it arose.
        fixed arisen: u32, "tick";
        /// Tick it became known.
        dynamic detected: Option<u32>, "tick";
        /// Tick it was first routed to a handler.
        dynamic routed: Option<u32>, "tick";
        /// The handler it was first routed to (see `routed`).
        dynamic routed_to: Handler, "level";
        /// Tick its handler first took it from the queue.
        dynamic taken: Option<u32>, "tick";
        /// Tick its affected households reached consent.
        dynamic deliberated: Option<u32>, "tick";
        /// Tick it was fully funded and work began.
        dynamic funded: Option<u32>, "tick";
        /// Tick of its last escalation.
        dynamic escalated: Option<u32>, "tick";
        /// Tick from which its handler can take it (coordination delay).
        dynamic ready_at: u32, "tick";
        /// Tick it entered its current stage.
        dynamic stage_since: u32, "tick";
        /// Work days left.
        dynamic work_left: f32, "days";
        /// Escalations so far.
        dynamic escalations: u32, "count";
        /// Money committed.
        dynamic funding: Funding, "yuan by source";
        /// Tick residents and enterprises were last asked to co-fund.
        dynamic asked: Option<u32>, "tick";
        /// Enterprise that funded it (u32::MAX: none).
        dynamic enterprise: u32, "id";
        /// Reported through the online platform.
        dynamic online: bool, "flag";
        /// A handler has answered (acknowledged) it.
        dynamic answered: bool, "flag";
        /// Forums held on it.
        dynamic forums: u32, "count";
        /// Tick of its last forum.
        dynamic last_forum: Option<u32>, "tick";
        /// A facilitator (social worker) sat in its last forum.
        dynamic facilitated: bool, "flag";
        /// Consent reached.
        dynamic consent: bool, "flag";
        /// Consent votes held.
        dynamic votes: u32, "count";
        /// Residents took part (reports, forums, co-funding): efficacy follows the outcome.
        dynamic participated: bool, "flag";
        /// Last tick it gave rise to a collective petition.
        dynamic petitioned: Option<u32>, "tick";
        /// Tick it ended.
        dynamic closed: Option<u32>, "tick";
    }
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
        self.severity * (0.5 + self.current_contention())
    }

    /// Mean opinion of the affected (support), or `None` without opinions.
    pub fn support(&self) -> Option<f32> {
        let o = self.opinions.as_deref()?;
        Some(o.iter().sum::<f32>() / o.len().max(1) as f32)
    }

    /// Contention now: from the spread of opinions where the affected hold them (sd 0.1 →
    /// 0, 0.5 → 1, the inverse of how opinions are first drawn), else the domain's.
    pub fn current_contention(&self) -> f32 {
        match self.opinions.as_deref() {
            Some(o) if !o.is_empty() => {
                let n = o.len() as f32;
                let m = o.iter().sum::<f32>() / n;
                let sd = (o.iter().map(|x| (x - m) * (x - m)).sum::<f32>() / n).sqrt();
                ((sd - 0.1) / 0.4).clamp(0.0, 1.0)
            }
            _ => self.contention,
        }
    }

    /// Cost still to be paid.
    pub fn unfunded(&self) -> Cents {
        (self.cost - self.funding.total()).max(0)
    }
}
