//! # 网络联动 Online linkage (`online`: 社区通, 社区大脑)
//!
//! The community platform goes online when the reform starts. It gathers each community's
//! online residents in groups: each gains about `group_ties` bridging ties with other
//! online residents of its community, over which posts, calls and talk now travel. Online
//! residents report at lower cost and sooner (their engagement counts `report_weight`
//! times in the report hazard).
//! Monitoring flags hotspots: a latent issue above the household is detected with hazard
//! `monitoring_detection` × the mean grievance of its community's online residents. Calls
//! to participate reach further: online residents get `call_mobilisation` pressure and
//! forums seat `call_reach` more per online share of the affected. The platform answers
//! each known issue reported online with probability `responsiveness` a day. Nobody posts
//! about an answered issue; an unanswered one is posted about, and its posts now travel
//! through the groups: "from online protest to online participation" needs responsive
//! handling, which nothing here sets: contention follows from who answers and who reads.

use crate::engine::{Ctx, Mechanism, Phase};
use crate::issues::Stage;
use crate::network::{Edge, TieKind};
use crate::rng;
use crate::scenario::mechanisms::Online;
use crate::world::OnlinePlatform;
use crate::world::places::Scope;
use crate::world::residents::role;

/// The mechanism.
pub struct OnlineLinkage {
    p: Online,
}

/// The mechanism with its parameters.
pub fn new(p: &Online) -> OnlineLinkage {
    OnlineLinkage { p: p.clone() }
}

impl Mechanism for OnlineLinkage {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Detection, Phase::Routing, Phase::Residents]
    }

    fn init(&mut self, ctx: &mut Ctx<'_>) {
        let w = &mut *ctx.world;
        w.arrangements.online_platform = Some(OnlinePlatform {
            report_weight: self.p.report_weight as f32,
            call_reach: self.p.call_reach,
        });
        // Platform groups: ties among online residents of each community.
        let mut online: Vec<u32> = Vec::new();
        for c in 0..w.places.communities.len() {
            online.clear();
            online.extend(
                w.places
                    .communities
                    .residents(c)
                    .filter(|&i| w.residents.roles[i as usize] & role::ONLINE != 0),
            );
            if online.len() < 2 {
                continue;
            }
            for &a in &online {
                for _ in 0..rng::poisson(self.p.group_ties / 2.0, ctx.rng) {
                    let b = online[rng::index(ctx.rng, online.len())];
                    if a != b {
                        w.new_ties.push(Edge { a, b, kind: TieKind::Bridging });
                    }
                }
            }
        }
    }

    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>) {
        let tick = ctx.world.tick;
        let w = &mut *ctx.world;
        match phase {
            Phase::Detection => {
                for issue in w.issues.iter_mut().filter(|i| i.stage == Stage::Latent && i.scope != Scope::Household) {
                    let c = issue.community as usize;
                    let n = w.stats.online_community[c];
                    if n == 0 {
                        continue;
                    }
                    let g = w.stats.grievance_online_community[c] / n as f64;
                    if rng::unit_f64(ctx.rng) < 1.0 - (-self.p.monitoring_detection * g).exp() {
                        issue.online = true;
                        ctx.record.detect(issue, tick);
                    }
                }
            }
            Phase::Routing => {
                for issue in w.issues.iter_mut().filter(|i| i.online && i.is_known() && i.is_open() && !i.answered) {
                    issue.answered = rng::unit_f64(ctx.rng) < self.p.responsiveness;
                }
            }
            Phase::Residents => w.contacts.online_call += self.p.call_mobilisation as f32,
            _ => {}
        }
    }
}
