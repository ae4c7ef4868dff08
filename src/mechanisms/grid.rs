//! # 全科网格 Comprehensive grid management (`grid`)
//!
//! Each grid has a grid leader and `volunteers_per_grid` volunteer grid members, recruited
//! at the start among its most engaged residents (drawn with probability proportional to
//! engagement) and tied to the grid leader; a relaunch tops them up to that number. Every
//! day they patrol: a latent issue in the grid is detected with hazard `patrol_detection` +
//! `volunteer_detection` × volunteers (halved for issues inside a household). An issue found on patrol whose complexity is at
//! most `fix_complexity` and whose cost is at most `fix_cost` is fixed on the spot with
//! probability `fix_probability`, paid from the community budget.

use crate::engine::resourcing::{Source, pay};
use crate::engine::{Ctx, Phase};
use crate::issues::Stage;
use crate::mechanisms::{Mechanism, MechanismParams};
use crate::network::{Edge, TieKind};
use crate::rng;
use crate::section;
use crate::world::places::Scope;
use crate::world::residents::role;

section! {
    /// `[mechanisms.grid]`.
    pub struct Grid {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Volunteer grid members per grid. Assumption.
        pub volunteers_per_grid: u32 = 8, "residents", AtLeast(0.0);
        /// Daily detection hazard of the grid leader's patrol.
        pub patrol_detection: f64 = 0.08, "1/day", AtLeast(0.0);
        /// Extra daily hazard per volunteer.
        pub volunteer_detection: f64 = 0.01, "1/day", AtLeast(0.0);
        /// Highest complexity fixed on the spot.
        pub fix_complexity: f64 = 0.3, "index", Unit;
        /// Highest cost fixed on the spot.
        pub fix_cost: f64 = 5_000.0, "yuan", AtLeast(0.0);
        /// Probability that a fixable issue is fixed on the spot.
        pub fix_probability: f64 = 0.5, "probability", Unit;
    }
}

impl MechanismParams for Grid {
    fn build(&self) -> Box<dyn Mechanism> {
        Box::new(GridMechanism { p: self.clone(), volunteers: Vec::new() })
    }
}

struct GridMechanism {
    p: Grid,
    /// Volunteers per grid.
    volunteers: Vec<u32>,
}

impl Mechanism for GridMechanism {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Detection]
    }

    fn init(&mut self, ctx: &mut Ctx<'_>) {
        let w = &mut *ctx.world;
        let grids = w.places.grids.len();
        self.volunteers = vec![0; grids];
        for g in 0..grids {
            let range = w.places.grids.residents(g);
            let len = (range.end - range.start) as usize;
            // Volunteers recruited before (a relaunch by a `[[change]]`) still serve.
            self.volunteers[g] = range.clone().filter(|&i| w.residents.roles[i as usize] & role::GRID_VOLUNTEER != 0).count() as u32;
            let mut tries = 0;
            while self.volunteers[g] < self.p.volunteers_per_grid && tries < 50 * self.p.volunteers_per_grid && len > 0 {
                tries += 1;
                let i = range.start + rng::index(ctx.rng, len) as u32;
                let iu = i as usize;
                if w.residents.roles[iu] & role::GRID_VOLUNTEER == 0 && rng::unit_f32(ctx.rng) < w.residents.engagement[iu] {
                    w.residents.roles[iu] |= role::GRID_VOLUNTEER;
                    w.new_ties.push(Edge { a: i, b: w.nodes.grid_leader + g as u32, kind: TieKind::Linking });
                    self.volunteers[g] += 1;
                }
            }
        }
    }

    fn act(&mut self, _phase: Phase, ctx: &mut Ctx<'_>) {
        let tick = ctx.world.tick;
        let w = &mut *ctx.world;
        for issue in w.issues.iter_mut().filter(|i| i.stage == Stage::Latent) {
            let first_building = w.places.buildings.starts.partition_point(|&s| s <= issue.residents.start) - 1;
            let g = w.places.building_grid[first_building] as usize;
            let mut hazard = self.p.patrol_detection + self.p.volunteer_detection * self.volunteers[g] as f64;
            if issue.scope == Scope::Household {
                hazard *= 0.5;
            }
            if rng::unit_f64(ctx.rng) >= 1.0 - (-hazard).exp() {
                continue;
            }
            ctx.record.detect(issue, tick);
            let fixable = (issue.complexity as f64) <= self.p.fix_complexity && issue.cost <= self.p.fix_cost;
            let pool = &mut w.ledger.communities[issue.community as usize];
            if fixable && pool.remaining() >= issue.cost && rng::unit_f64(ctx.rng) < self.p.fix_probability {
                let paid = pool.spend(issue.cost);
                pay(issue, &mut ctx.record.tally, Source::Public, paid);
                ctx.record.close(issue, true, tick, &w.places);
            }
        }
    }
}
