//! The world: residents (columns), places, the tie network, institutions, money and issues.
//! Built from a validated scenario and a seed by [`build::build`]; the engine's phases
//! change it tick by tick.

pub mod build;
pub mod institutions;
pub mod places;
pub mod residents;

use crate::issues::Issue;
use crate::network::{Edge, Network};
use crate::world::institutions::{Credits, Enterprise, Ledger, Organisation};
use crate::world::places::Places;
use crate::world::residents::Residents;

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
    /// Enterprises.
    pub enterprises: Vec<Enterprise>,
    /// Money pools.
    pub ledger: Ledger,
    /// Handlers' case credits.
    pub credits: Credits,
    /// Open issues (closed ones are counted and dropped).
    pub issues: Vec<Issue>,
    /// Ties formed since the last network rebuild.
    pub new_ties: Vec<Edge>,
    /// Aggregates of the last resident update.
    pub stats: PlaceStats,
    /// Performance of each community as residents perceive it (EMA of outcomes).
    pub performance: Vec<f32>,
    /// Online sentiment per community in [0, 1]: the stock behind the contention index.
    pub sentiment: Vec<f32>,
    /// Bonding, bridging and linking capital indices of the current network.
    pub capital: [f64; 3],
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
        self.network.rebuild(|_, _, _, _| true, &ties, stamp);
        self.new_ties = ties;
        self.new_ties.clear();
    }

    /// Queues a tie to be added at the next network rebuild.
    pub fn form_tie(&mut self, edge: Edge) {
        self.new_ties.push(edge);
    }
}
