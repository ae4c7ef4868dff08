//! # 党群联动 Party–masses linkage (`party_masses`)
//!
//! Party members are seed actives: they start active, and a member who has lapsed is
//! re-activated by organisational duty with probability `commitment` per day. Active members
//! visit their neighbours: residents of a building receive mobilisation pressure
//! `mobilisation` × min(1, `visits_per_member` × active members / residents) and gain
//! institutional trust at `visit_trust` times the same coverage per day; a visited resident
//! forms a linking tie with the party branch with probability `visit_tie_probability`
//! (per active member per day). Through the "mass line" a latent issue is detected with
//! hazard `mass_line_detection` per active member among its affected residents. Regional
//! party building seats units and enterprises on the community party committee; they put
//! `regional_funds` yuan a year into the enterprise pool for community work.

use crate::engine::detection::building_range;
use crate::engine::{Ctx, Phase};
use crate::issues::Stage;
use crate::mechanisms::{Mechanism, MechanismParams};
use crate::network::{Edge, TieKind};
use crate::rng;
use crate::scenario::limits::{HAZARD, MEMBERS, YUAN};
use crate::section;
use crate::world::residents::role;

section! {
    /// `[mechanisms.party_masses]`.
    pub struct PartyMasses {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Daily probability that a lapsed party member becomes active again.
        pub commitment: f64 = 0.05, "probability/day", Unit;
        /// Mobilisation pressure at full visit coverage of a building.
        pub mobilisation: f64 = 0.08, "share", Range(0.0, 1.0);
        /// Households each active member visits (coverage per member).
        pub visits_per_member: f64 = 6.0, "residents", Range(0.0, MEMBERS);
        /// Daily trust gain at full coverage.
        pub visit_trust: f64 = 0.002, "1/day", Unit;
        /// Daily probability per active member that a visit forms a linking tie.
        pub visit_tie_probability: f64 = 0.01, "probability/day", Unit;
        /// Detection hazard per active member among an issue's affected, per day.
        pub mass_line_detection: f64 = 0.03, "1/day", Range(0.0, HAZARD);
        /// Money units and enterprises on the committee give per year.
        pub regional_funds: f64 = 3_000_000.0, "yuan/year", Range(0.0, YUAN);
    }
}

impl MechanismParams for PartyMasses {
    fn build(&self) -> Box<dyn Mechanism> {
        Box::new(PartyMassesMechanism { p: self.clone(), members: Vec::new() })
    }
}

struct PartyMassesMechanism {
    p: PartyMasses,
    /// Party members' resident ids (membership does not change during a run).
    members: Vec<u32>,
}

impl Mechanism for PartyMassesMechanism {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Detection, Phase::Resourcing, Phase::Residents]
    }

    fn init(&mut self, ctx: &mut Ctx<'_>) {
        let r = &mut ctx.world.residents;
        self.members = (0..r.len() as u32).filter(|&i| r.has(i as usize, role::PARTY)).collect();
        for &i in &self.members {
            r.active[i as usize] = true;
        }
    }

    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>) {
        let tick = ctx.world.tick;
        match phase {
            Phase::Detection => {
                let w = &mut *ctx.world;
                for issue in w.issues.iter_mut().filter(|i| i.stage == Stage::Latent) {
                    let members: u32 = w.stats.buildings[building_range(&w.places, issue)].iter().map(|s| s.active_party).sum();
                    let p = 1.0 - (-self.p.mass_line_detection * members as f64).exp();
                    if members > 0 && rng::unit_f64(ctx.rng) < p {
                        ctx.record.detect(issue, tick);
                    }
                }
            }
            Phase::Resourcing if ctx.day() % 365 == 0 => ctx.world.ledger.enterprise.allocate(self.p.regional_funds),
            Phase::Residents => {
                let w = &mut *ctx.world;
                for b in 0..w.places.buildings.len() {
                    let members = w.stats.buildings[b].active_party;
                    if members == 0 {
                        continue;
                    }
                    let size = w.places.buildings.size(b) as f64;
                    let coverage = (self.p.visits_per_member * members as f64 / size).min(1.0);
                    ctx.levers.mobilisation[b] += (self.p.mobilisation * coverage) as f32;
                    ctx.levers.contact[b] += (self.p.visit_trust * coverage) as f32;
                    for _ in 0..members {
                        if rng::unit_f64(ctx.rng) < self.p.visit_tie_probability {
                            let range = w.places.buildings.residents(b);
                            let i = range.start + rng::index(ctx.rng, size as usize) as u32;
                            let c = w.residents.community[i as usize] as u32;
                            w.new_ties.push(Edge { a: i, b: w.nodes.party + c, kind: TieKind::Linking });
                        }
                    }
                }
                for &i in &self.members {
                    let active = &mut w.residents.active[i as usize];
                    if !*active && rng::unit_f64(ctx.rng) < self.p.commitment {
                        *active = true;
                    }
                }
            }
            _ => {}
        }
    }
}
