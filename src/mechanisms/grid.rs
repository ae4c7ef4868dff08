//! # 全科网格 Comprehensive grid management (`grid`)
//!
//! Each grid has a grid leader and `volunteers_per_grid` volunteer grid members, recruited
//! when the reform starts among its most engaged residents (drawn with probability equal to
//! engagement), each with a skill drawn from `volunteer_skill` and a linking tie to the grid
//! leader (a relaunch by a `[[change]]` tops them up to that number). Every day they patrol: a latent issue in the grid is detected with hazard
//! `patrol_detection` + `volunteer_detection` × volunteers (halved inside a household). A
//! found issue whose cost is at most `fix_cost` is fixed on the spot when the grid's most
//! skilled volunteer succeeds against its complexity (the same logistic as any handler),
//! paid from the community budget; otherwise it goes on as a known issue. Each find is a
//! volunteer act, and patrolling together uses the ties among the grid's volunteers and
//! their leader.

use crate::engine::implementation::success_probability;
use crate::engine::{Ctx, Mechanism, Phase};
use crate::issues::Stage;
use crate::network::{Edge, TieKind};
use crate::rng;
use crate::scenario::mechanisms::Grid;
use crate::world::money::{Pool, cents};
use crate::world::places::Scope;
use crate::world::residents::role;

/// The mechanism.
pub struct GridManagement {
    p: Grid,
    /// Volunteers of each grid (sorted ids), the grid leader's node last.
    volunteers: Vec<Vec<u32>>,
    /// Skill of each grid's most skilled volunteer.
    best_skill: Vec<f32>,
}

/// The mechanism with its parameters.
pub fn new(p: &Grid) -> GridManagement {
    GridManagement {
        p: p.clone(),
        volunteers: Vec::new(),
        best_skill: Vec::new(),
    }
}

impl Mechanism for GridManagement {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Detection]
    }

    fn init(&mut self, ctx: &mut Ctx<'_>) {
        let w = &mut *ctx.world;
        let grids = w.places.grids.len();
        self.volunteers = vec![Vec::new(); grids];
        self.best_skill = vec![0.0; grids];
        let want = self.p.volunteers_per_grid as usize;
        for g in 0..grids {
            let range = w.places.grids.residents(g);
            let len = (range.end - range.start) as usize;
            // Volunteers recruited before (a relaunch by a `[[change]]`) still serve.
            self.volunteers[g] = range.clone().filter(|&i| w.residents.roles[i as usize] & role::GRID_VOLUNTEER != 0).collect();
            let mut tries = 0;
            while self.volunteers[g].len() < want && tries < 50 * want && len > 0 {
                tries += 1;
                let i = range.start + rng::index(ctx.rng, len) as u32;
                let iu = i as usize;
                if w.residents.roles[iu] & role::GRID_VOLUNTEER == 0
                    && rng::unit_f32(ctx.rng) < w.residents.engagement[iu]
                {
                    w.residents.roles[iu] |= role::GRID_VOLUNTEER;
                    w.new_ties.push(Edge {
                        a: i,
                        b: w.nodes.grid_leader + g as u32,
                        kind: TieKind::Linking,
                    });
                    let skill = self.p.volunteer_skill.sample_unit(ctx.rng);
                    self.best_skill[g] = self.best_skill[g].max(skill);
                    self.volunteers[g].push(i);
                }
            }
            self.volunteers[g].sort_unstable();
            self.volunteers[g].push(w.nodes.grid_leader + g as u32);
        }
    }

    fn act(&mut self, _phase: Phase, ctx: &mut Ctx<'_>) {
        let tick = ctx.world.tick;
        let scale = ctx.scenario.government.success_scale as f32;
        let fix_cost = cents(self.p.fix_cost);
        let w = &mut *ctx.world;
        let stamp = tick.min(u16::MAX as u32) as u16;
        for issue in w.issues.iter_mut().filter(|i| i.stage == Stage::Latent) {
            let first = w.places.buildings.starts.partition_point(|&s| s <= issue.residents.start) - 1;
            let g = w.places.building_grid[first] as usize;
            let n = self.volunteers[g].len().saturating_sub(1);
            let mut hazard = self.p.patrol_detection + self.p.volunteer_detection * n as f64;
            if issue.scope == Scope::Household {
                hazard *= 0.5;
            }
            if rng::unit_f64(ctx.rng) >= 1.0 - (-hazard).exp() {
                continue;
            }
            ctx.record.detect(issue, tick);
            if n > 0 {
                ctx.record.volunteered(1);
                w.network.touch_among(&self.volunteers[g], stamp);
            }
            let pool = Pool::Community(issue.community);
            let affordable = issue.cost <= fix_cost && w.ledger.balance(pool) >= issue.cost;
            let p = success_probability(self.best_skill[g], issue.complexity, scale);
            if n > 0 && affordable && rng::unit_f64(ctx.rng) < p as f64 {
                let cost = issue.cost;
                w.ledger.fund_issue(pool, issue, cost);
                ctx.record.close(issue, true, tick, &w.places);
            }
        }
    }
}
