//! What a linkage mechanism is to the engine: something that acts at the start of the
//! phases it names, on the world (agents, ties, routes and handlers, information, money
//! moved from a named pool, opinions) and never on a tally or outcome metric (MODEL.md §10,
//! rule 1). The mechanisms themselves live in `crate::mechanisms`, above the engine.

use super::{DomainSpec, Phase};
use crate::engine::Record;
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::world::World;

/// A linkage mechanism.
pub trait Mechanism: Send {
    /// Phases in which it acts (at the start of each, before the core rule).
    fn phases(&self) -> &'static [Phase];
    /// Sets up when the reform starts (recruit volunteers, station staff, add ties, ...).
    fn init(&mut self, _ctx: &mut Ctx<'_>) {}
    /// Acts at the start of `phase`.
    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>);
}

/// What a mechanism sees when it acts: the scenario, the world, the record (through which
/// issues are detected and closed, so each event is counted once, by the engine), and its
/// own random stream for this tick and phase.
pub struct Ctx<'a> {
    /// The validated scenario.
    pub scenario: &'a Scenario,
    /// The issue domains in index order.
    pub domains: &'a [DomainSpec],
    /// The world.
    pub world: &'a mut World,
    /// What happened: this tick's tally, the run's totals, outcome events.
    pub record: &'a mut Record,
    /// The mechanism's stream for this tick and phase.
    pub rng: &'a mut Rng,
}

impl Ctx<'_> {
    /// Days since the reform started (the first recorded day is day 0). Mechanisms count
    /// their cycles (funding rounds, matchmaking, regular forums) from here.
    pub fn day(&self) -> u32 {
        self.world.tick.saturating_sub(self.scenario.init.warmup)
    }
}
