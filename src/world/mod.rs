//! The world: residents (columns), places, the tie network, institutions, money and issues.
//! Built from a validated scenario and a seed by [`build::build`]; the engine's phases
//! change it tick by tick.

pub mod build;
pub mod institutions;
pub mod money;
pub mod organisations;
pub mod places;
pub mod residents;
pub mod services;

use crate::issues::Issue;
use crate::network::{Edge, Network};
use crate::world::institutions::{Capacities, Credits, Enterprise, Organisation, SocialWorkers};
use crate::world::money::Ledger;
use crate::world::places::Places;
use crate::world::residents::Residents;
use crate::world::services::ServiceHalls;

/// Ids of institutional nodes in the network (after the residents).
#[derive(Debug, Clone, Copy, Default)]
pub struct InstitutionNodes {
    /// First party-branch node (one per community).
    pub party: u32,
    /// First grid-leader node (one per grid).
    pub grid_leader: u32,
    /// First community-committee node (one per community).
    pub committee: u32,
    /// First social-worker node (one per social worker).
    pub social_worker: u32,
    /// One past the last node.
    pub end: u32,
}

/// One resident's state after its update, as the per-building sums see it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResidentState {
    /// Active.
    pub active: bool,
    /// Party member.
    pub party: bool,
    /// Uses the online platform.
    pub online: bool,
    /// Would join a collective petition (grievance past its threshold).
    pub would_petition: bool,
    /// Engagement.
    pub engagement: f32,
    /// Institutional trust.
    pub trust_institutional: f32,
    /// Neighbour trust.
    pub trust_neighbour: f32,
    /// Grievance.
    pub grievance: f32,
    /// Satisfaction.
    pub satisfaction: f32,
}

/// Sums over one building's residents from the last resident update.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BuildingSums {
    /// Active residents.
    pub active: u32,
    /// Active party members.
    pub active_party: u32,
    /// Online residents.
    pub online: u32,
    /// Residents who would join a collective petition.
    pub would_petition: u32,
    /// Σ engagement.
    pub engagement: f32,
    /// Σ engagement of online residents.
    pub engagement_online: f32,
    /// Σ institutional trust.
    pub trust_institutional: f32,
    /// Σ neighbour trust.
    pub trust_neighbour: f32,
    /// Σ grievance.
    pub grievance: f32,
    /// Σ grievance of online residents.
    pub grievance_online: f32,
    /// Σ satisfaction.
    pub satisfaction: f32,
}

impl BuildingSums {
    /// Adds one resident.
    #[inline]
    pub fn add(&mut self, r: &ResidentState) {
        self.active += r.active as u32;
        self.active_party += (r.active && r.party) as u32;
        self.would_petition += r.would_petition as u32;
        self.engagement += r.engagement;
        self.trust_institutional += r.trust_institutional;
        self.trust_neighbour += r.trust_neighbour;
        self.grievance += r.grievance;
        self.satisfaction += r.satisfaction;
        if r.online {
            self.online += 1;
            self.engagement_online += r.engagement;
            self.grievance_online += r.grievance;
        }
    }
}

/// Per-place aggregates of the last resident update, read by later phases and mechanisms.
#[derive(Debug, Clone, Default)]
pub struct PlaceStats {
    /// Sums per building.
    pub buildings: Vec<BuildingSums>,
    /// Sum of grievance of online residents per community.
    pub grievance_online_community: Vec<f64>,
    /// Online residents per community.
    pub online_community: Vec<u32>,
    /// Mean satisfaction per community.
    pub satisfaction_community: Vec<f64>,
}

/// Arrangements the linkage mechanisms put in place when the reform starts: structures the
/// core phases work through (a mechanism's process, not a lever on an outcome).
#[derive(Debug, Clone, Default)]
pub struct Arrangements {
    /// The online platform (社区通), when there is one.
    pub online_platform: Option<OnlinePlatform>,
    /// Days from a street platform's command centre to the sunk staff who act (None: no
    /// platforms; department work waits out the silo coordination delay).
    pub platform_dispatch_days: Option<f64>,
    /// How station social workers facilitate community forums (三社联动); None: they do
    /// not sit in them.
    pub forum_facilitation: Option<Facilitation>,
    /// Share of each elder-care day a household carer gives where care is shared (家社联动).
    pub household_care_share: Option<f32>,
}

/// A facilitator in a forum: a station social worker with room in their caseload.
#[derive(Debug, Clone, Copy)]
pub struct Facilitation {
    /// Widening of the forum's confidence bound.
    pub eps: f64,
    /// The workable compromise the facilitator argues for.
    pub compromise: f32,
}

/// The online platform's properties.
#[derive(Debug, Clone, Copy)]
pub struct OnlinePlatform {
    /// Weight of online residents' engagement in reporting (reporting is cheaper online).
    pub report_weight: f32,
    /// Extra forum seats from online calls, per online share of the affected.
    pub call_reach: f64,
}

/// This tick's contacts between institutions and residents, per building: visits, forum
/// voice and calls. Cleared at the start of every tick.
#[derive(Debug, Clone, Default)]
pub struct Contacts {
    /// Mobilisation pressure from visits, per building.
    pub mobilisation: Vec<f32>,
    /// Institutional trust gained from contact (visits, forum voice), per building.
    pub trust: Vec<f32>,
    /// Mobilisation pressure on online residents from calls to participate.
    pub online_call: f32,
    /// Activation pressure on party members from their organisational duty.
    pub party_duty: f32,
}

impl Contacts {
    /// Clears the tick's contacts.
    pub fn clear(&mut self) {
        self.mobilisation.fill(0.0);
        self.trust.fill(0.0);
        self.online_call = 0.0;
        self.party_duty = 0.0;
    }
}

/// Social capital of the current network (Putnam 2000; Woolcock 2001): composition shares
/// and volumes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Capital {
    /// Mean share of a resident's ties inside its building or household.
    pub bonding_share: f64,
    /// Mean share of a resident's ties crossing building or community lines.
    pub bridging_share: f64,
    /// Share of residents with at least one tie to an institutional node.
    pub linking_share: f64,
    /// Bonding ties per resident.
    pub bonding_ties: f64,
    /// Bridging ties per resident.
    pub bridging_ties: f64,
    /// Linking ties per resident.
    pub linking_ties: f64,
    /// Share of residents with at least one bridging tie.
    pub bridged_share: f64,
}

/// Everything that changes during a run.
#[derive(Debug, Clone)]
pub struct World {
    /// The current tick (day).
    pub tick: u32,
    /// Resident columns.
    pub residents: Residents,
    /// The place hierarchy.
    pub places: Places,
    /// The tie network.
    pub network: Network,
    /// Ids of institutional nodes.
    pub nodes: InstitutionNodes,
    /// Social organisations (dead ones stay, flagged, so ids are stable).
    pub organisations: Vec<Organisation>,
    /// Social workers.
    pub social_workers: SocialWorkers,
    /// Enterprises.
    pub enterprises: Vec<Enterprise>,
    /// Money: pools, balances and this tick's flows.
    pub ledger: Ledger,
    /// Government handlers' daily capacities.
    pub capacities: Capacities,
    /// Handlers' case credits.
    pub credits: Credits,
    /// Open issues (closed ones are counted and dropped).
    pub issues: Vec<Issue>,
    /// Routine-service halls and their queues.
    pub services: ServiceHalls,
    /// What the mechanisms put in place.
    pub arrangements: Arrangements,
    /// This tick's contacts.
    pub contacts: Contacts,
    /// Ties formed since the last network rebuild.
    pub new_ties: Vec<Edge>,
    /// Aggregates of the last resident update.
    pub stats: PlaceStats,
    /// Performance of each community as residents perceive it (EMA of outcomes).
    pub performance: Vec<f32>,
    /// Online sentiment per community in [0, 1]: the stock behind the contention index.
    pub sentiment: Vec<f32>,
    /// Social capital of the current network.
    pub capital: Capital,
}

impl World {
    /// Number of residents.
    pub fn n_residents(&self) -> usize {
        self.residents.len()
    }

    /// Adds the queued ties to the network now, without decaying any (used when the world
    /// is built and when mechanisms set up).
    pub fn add_new_ties(&mut self) {
        if self.new_ties.is_empty() {
            return;
        }
        let stamp = self.tick.min(u16::MAX as u32) as u16;
        let ties = std::mem::take(&mut self.new_ties);
        self.network
            .rebuild(|_, _, _, used| Some(used), &ties, stamp);
        self.new_ties = ties;
        self.new_ties.clear();
    }

    /// Queues a tie to be added at the next network rebuild.
    pub fn form_tie(&mut self, edge: Edge) {
        self.new_ties.push(edge);
    }
}
