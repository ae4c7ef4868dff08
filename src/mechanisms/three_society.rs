//! # 三社联动 Three-society linkage (`three_society`)
//!
//! Community, social organisations and social workers act together. When the linkage
//! starts, `stationed_share` of the social workers working for organisations are stationed
//! in their community. Station social workers then take part in community work beyond
//! casework: each day a complex issue (complexity ≥ `issues.high_complexity`) of their
//! community in work with a government handler and without a social worker is co-handled
//! by the //! most skilled station social worker of its community with room in their caseload, whose
//! skill becomes the case's (the skill gap closes because a skilled agent works the case);
//! and a station social worker with room facilitates community forums: the confidence bound
//! widens by `facilitation_eps`, and the facilitator argues for the workable compromise
//! `compromise`, drawing participants within the bound toward it. Known issues are matched with probability
//! `matching` to an organisation of their community and domain that has room (best
//! reputation first). Organisations are incubated: `incubation_per_100k` a year per
//! 100,000 residents, each founded in the community and domain with the most open issues,
//! with `incubation_funds` from the district budget.

use crate::engine::routing::{self, has_room, matching_organisation, org_queues};
use crate::engine::{Ctx, Mechanism, Phase};
use crate::issues::Stage;
use crate::rng;
use crate::scenario::mechanisms::ThreeSociety;
use crate::world::institutions::{Handler, NONE};
use crate::world::money::{Pool, cents};
use crate::world::Facilitation;
use crate::world::organisations::found;

/// The mechanism.
pub struct ThreeSocietyLinkage {
    p: ThreeSociety,
}

/// The mechanism with its parameters.
pub fn new(p: &ThreeSociety) -> ThreeSocietyLinkage {
    ThreeSocietyLinkage { p: p.clone() }
}

impl Mechanism for ThreeSocietyLinkage {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Routing, Phase::Implementation, Phase::Organisations]
    }

    fn init(&mut self, ctx: &mut Ctx<'_>) {
        let sw = &mut ctx.world.social_workers;
        for k in 0..sw.len() {
            if sw.organisation[k] != NONE && rng::unit_f64(ctx.rng) < self.p.stationed_share {
                sw.organisation[k] = NONE;
            }
        }
        ctx.world.arrangements.forum_facilitation = Some(Facilitation {
            eps: self.p.facilitation_eps,
            compromise: self.p.compromise as f32,
        });
    }

    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>) {
        let tick = ctx.world.tick;
        let s = ctx.scenario;
        match phase {
            Phase::Routing => {
                let caps = routing::organisation_capacities(ctx.world, s);
                let mut queued = org_queues(ctx.world);
                let w = &mut *ctx.world;
                for issue in w.issues.iter_mut().filter(|i| i.stage == crate::issues::Stage::Known && !i.top_down) {
                    if rng::unit_f64(ctx.rng) >= self.p.matching {
                        continue;
                    }
                    let room = |k: usize| has_room(caps[k], queued[k], s);
                    if let Some(k) = matching_organisation(issue, &w.organisations, room) {
                        queued[k] += 1;
                        routing::refer(issue, k, s, tick);
                    }
                }
            }
            Phase::Implementation => {
                let high = s.issues.high_complexity as f32;
                let caseload = s.organisations.social_worker_caseload;
                let w = &mut *ctx.world;
                for issue in w.issues.iter_mut() {
                    let at_government = issue.handler != Handler::Organisation;
                    if issue.stage != Stage::Working || issue.worker != NONE || !at_government || issue.complexity < high {
                        continue;
                    }
                    if let Some(k) = w.social_workers.free(issue.community, NONE, caseload) {
                        w.social_workers.cases[k as usize] += 1;
                        issue.worker = k;
                    }
                }
            }
            Phase::Organisations => {
                let n = ctx.world.residents.len() as f64;
                let births = rng::poisson(self.p.incubation_per_100k * n / 1e5 / 365.0, ctx.rng);
                for _ in 0..births {
                    let (c, d) = neediest(ctx);
                    let id = found(ctx.world, s, c, d, ctx.rng) as usize;
                    let w = &mut *ctx.world;
                    let o = &mut w.organisations[id];
                    w.ledger.transfer_to_agent(Pool::District, Pool::Organisations, &mut o.funds, cents(self.p.incubation_funds));
                }
            }
            _ => {}
        }
    }
}

/// The (community, domain) with the most open issues; ties go to the lowest indices.
fn neediest(ctx: &Ctx<'_>) -> (u32, u16) {
    let nd = ctx.domains.len();
    let mut counts = vec![0u32; ctx.world.places.communities.len() * nd];
    for i in ctx.world.issues.iter().filter(|i| !i.top_down) {
        counts[i.community as usize * nd + i.domain as usize] += 1;
    }
    let best = counts
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .map(|(k, _)| k)
        .unwrap_or(0);
    ((best / nd) as u32, (best % nd) as u16)
}
