//! # 党群联动 Party–masses linkage (`party_masses`)
//!
//! Party members' organisational duty adds `duty` to their activation pressure: they are
//! more likely to act, not forced to. Active members visit their neighbours: residents of
//! a building receive mobilisation pressure `mobilisation` × min(1, `visits_per_member` ×
//! active members / residents) and gain institutional trust at `visit_trust` times the
//! same coverage per day; a visited resident forms (or refreshes) a linking tie with the
//! party branch with probability `visit_tie_probability` per active member per day.
//! Through the "mass line" a latent issue is detected with hazard `mass_line_detection`
//! per active member among its affected residents (each find a volunteer act). Regional party building (区域化党建)
//! seats the community's enterprises on its party committee: each year their social
//! orientation rises by `regional_orientation` × (1 − orientation), so they answer the
//! community's requests for money more often. It moves no money itself.

use crate::engine::detection::building_range;
use crate::engine::{Ctx, Mechanism, Phase};
use crate::issues::Stage;
use crate::network::{Edge, TieKind};
use crate::rng;
use crate::scenario::mechanisms::PartyMasses;

/// The mechanism.
pub struct PartyMassesLinkage {
    p: PartyMasses,
}

/// The mechanism with its parameters.
pub fn new(p: &PartyMasses) -> PartyMassesLinkage {
    PartyMassesLinkage { p: p.clone() }
}

impl Mechanism for PartyMassesLinkage {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Detection, Phase::Organisations, Phase::Residents]
    }

    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>) {
        let tick = ctx.world.tick;
        let year_start = ctx.day() % 365 == 0;
        let w = &mut *ctx.world;
        match phase {
            Phase::Detection => {
                for issue in w.issues.iter_mut().filter(|i| i.stage == Stage::Latent) {
                    let members: u32 = w.stats.buildings[building_range(&w.places, issue)]
                        .iter()
                        .map(|s| s.active_party)
                        .sum();
                    let p = 1.0 - (-self.p.mass_line_detection * members as f64).exp();
                    if members > 0 && rng::unit_f64(ctx.rng) < p {
                        // A member found it on a visit: a volunteer act.
                        ctx.record.volunteered(1);
                        ctx.record.detect(issue, tick);
                    }
                }
            }
            Phase::Organisations if year_start => {
                let g = self.p.regional_orientation;
                for en in w.enterprises.iter_mut() {
                    en.orientation += g * (1.0 - en.orientation);
                }
            }
            Phase::Residents => {
                w.contacts.party_duty += self.p.duty as f32;
                for b in 0..w.places.buildings.len() {
                    let members = w.stats.buildings[b].active_party;
                    if members == 0 {
                        continue;
                    }
                    let size = w.places.buildings.size(b) as f64;
                    let coverage = (self.p.visits_per_member * members as f64 / size).min(1.0);
                    w.contacts.mobilisation[b] += (self.p.mobilisation * coverage) as f32;
                    w.contacts.trust[b] += (self.p.visit_trust * coverage) as f32;
                    for _ in 0..members {
                        if rng::unit_f64(ctx.rng) < self.p.visit_tie_probability {
                            let range = w.places.buildings.residents(b);
                            let i = range.start + rng::index(ctx.rng, size as usize) as u32;
                            let c = w.residents.community[i as usize] as u32;
                            w.new_ties.push(Edge {
                                a: i,
                                b: w.nodes.party + c,
                                kind: TieKind::Linking,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
