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

/// Per-place aggregates of the last resident update, read by later phases and mechanisms.
#[derive(Debug, Clone, Default)]
pub struct PlaceStats {
    /// Active residents per building.
    pub active: Vec<u32>,
    /// Active party members per building.
    pub active_party: Vec<u32>,
    /// Sum of engagement per building.
    pub engagement: Vec<f32>,
    /// Sum of engagement of online residents per building.
    pub engagement_online: Vec<f32>,
    /// Sum of neighbour trust per building.
    pub trust_neighbour: Vec<f32>,
    /// Residents per building who would join a collective petition.
    pub would_petition: Vec<u32>,
    /// Sum of grievance per building.
    pub grievance: Vec<f32>,
    /// Sum of institutional trust per building.
    pub trust_institutional: Vec<f32>,
    /// Sum of satisfaction per building.
    pub satisfaction: Vec<f32>,
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

    /// Queues a tie to be added at the next network rebuild.
    pub fn form_tie(&mut self, edge: Edge) {
        self.new_ties.push(edge);
    }
}
