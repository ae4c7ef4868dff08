//! # 家社联动 Family–community linkage (`family_community`)
//!
//! Elder care is shared between households and community services. The community keeps a
//! roster of elder households, so a latent elder-care need is found with hazard
//! `roster_detection` per day. Shared care works `speed` times faster than care the
//! community provides alone, costs `cost_factor` times as much, and households bear
//! `household_share` of that cost. It applies to issues of the domains flagged `elder_care`.

use crate::engine::{Ctx, Phase};
use crate::issues::Stage;
use crate::mechanisms::{Mechanism, MechanismParams};
use crate::rng;
use crate::scenario::limits::{HAZARD};
use crate::section;

section! {
    /// `[mechanisms.family_community]`.
    pub struct FamilyCommunity {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Daily detection hazard of the elder roster.
        pub roster_detection: f64 = 0.1, "1/day", Range(0.0, HAZARD);
        /// Work-speed factor of shared care.
        pub speed: f64 = 2.0, "ratio", Range(0.1, 100.0);
        /// Cost of shared care relative to community care.
        pub cost_factor: f64 = 0.7, "ratio", Range(0.0, 10.0);
        /// Share of the cost households bear.
        pub household_share: f64 = 0.3, "share", Unit;
    }
}

impl MechanismParams for FamilyCommunity {
    fn build(&self) -> Box<dyn Mechanism> {
        Box::new(self.clone())
    }
}

impl Mechanism for FamilyCommunity {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Detection, Phase::Resourcing, Phase::Implementation]
    }

    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>) {
        let tick = ctx.world.tick;
        match phase {
            Phase::Detection => {
                let p = 1.0 - (-self.roster_detection).exp();
                for issue in ctx.world.issues.iter_mut().filter(|i| i.elder_care && i.stage == Stage::Latent) {
                    if rng::unit_f64(ctx.rng) < p {
                        ctx.record.detect(issue, tick);
                    }
                }
            }
            Phase::Resourcing => {
                for issue in ctx.world.issues.iter_mut().filter(|i| i.elder_care && i.stage == Stage::Funding && !i.asked) {
                    issue.cost *= self.cost_factor;
                    issue.resident_share = self.household_share as f32;
                }
            }
            _ => ctx.levers.elder_care_speed *= self.speed as f32,
        }
    }
}
