//! # 家社联动 Family–community linkage (`family_community`)
//!
//! Elder care is shared between households and community services. The community keeps a
//! roster of elder households and visits them, so a latent elder-care need is found with
//! hazard `roster_detection` per day. A need whose household has a carer (a member who is
//! not an elder) is cared for together: the carer gives `household_share` of each care-day
//! and community care workers the rest. The case then draws fewer of the community's
//! scarce care-days (it moves faster when care workers are stretched) and its cost, which
//! pays for the community's care-days, falls by the household's share. Households of
//! elders alone are cared for by the community as before.

use crate::engine::{Ctx, Mechanism, Phase};
use crate::issues::Stage;
use crate::rng;
use crate::scenario::mechanisms::FamilyCommunity;
use crate::world::money::share_of;
use crate::world::places::Scope;
use crate::world::residents::Age;

/// The mechanism.
pub struct FamilyCommunityLinkage {
    p: FamilyCommunity,
}

/// The mechanism with its parameters.
pub fn new(p: &FamilyCommunity) -> FamilyCommunityLinkage {
    FamilyCommunityLinkage { p: p.clone() }
}

impl Mechanism for FamilyCommunityLinkage {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Detection, Phase::Resourcing]
    }

    fn init(&mut self, ctx: &mut Ctx<'_>) {
        ctx.world.arrangements.household_care_share = Some(self.p.household_share as f32);
    }

    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>) {
        let tick = ctx.world.tick;
        let w = &mut *ctx.world;
        match phase {
            Phase::Detection => {
                let p = 1.0 - (-self.p.roster_detection).exp();
                for issue in w.issues.iter_mut().filter(|i| i.elder_care && i.stage == Stage::Latent) {
                    if rng::unit_f64(ctx.rng) < p {
                        ctx.record.detect(issue, tick);
                    }
                }
            }
            _ => {
                let h = self.p.household_share;
                for issue in w.issues.iter_mut() {
                    let new_case = issue.elder_care && issue.stage == Stage::Funding && issue.asked.is_none() && !issue.shared_care;
                    if !new_case || issue.scope != Scope::Household {
                        continue;
                    }
                    let carer = issue.residents.clone().any(|i| w.residents.age[i as usize] != Age::Elder as u8);
                    if carer {
                        issue.shared_care = true;
                        issue.cost = share_of(issue.cost, 1.0 - h);
                    }
                }
            }
        }
    }
}
