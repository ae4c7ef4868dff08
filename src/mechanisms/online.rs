//! # 网络联动 Online linkage (`online`: 社区通, 社区大脑)
//!
//! Online residents use the community platform. Reporting costs less and comes sooner: their
//! engagement counts `report_multiplier` times in the report hazard, and their perceived
//! cost of complaining is scaled by `complaint_cost_factor`. Sentiment monitoring flags
//! hotspots: a latent issue above the household is detected with hazard
//! `monitoring_detection` × the mean grievance of its community's online residents. Calls to
//! participate reach further: online residents get `call_mobilisation` pressure and forums
//! seat `call_reach` more. The platform answers issues reported online with probability
//! `responsiveness` per day; answered issues damp online sentiment by
//! `damping` × `responsiveness`, while negative sentiment about unanswered issues spreads
//! `amplification` times faster ("from online protest to online participation" needs
//! responsive handling).

use crate::engine::{Ctx, Phase};
use crate::issues::Stage;
use crate::mechanisms::{Mechanism, MechanismParams};
use crate::rng;
use crate::scenario::limits::{HAZARD};
use crate::section;
use crate::world::places::Scope;

section! {
    /// `[mechanisms.online]`.
    pub struct Online {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Weight of online residents' engagement in reporting.
        pub report_multiplier: f64 = 3.0, "ratio", Range(1.0, 100.0);
        /// Factor on online residents' perceived cost of complaining.
        pub complaint_cost_factor: f64 = 0.5, "ratio", Unit;
        /// Detection hazard per unit of online grievance.
        pub monitoring_detection: f64 = 0.3, "1/day", Range(0.0, HAZARD);
        /// Mobilisation pressure on online residents from calls to participate.
        pub call_mobilisation: f64 = 0.03, "share", Unit;
        /// Extra forum seats from online calls, as a share of forum size.
        pub call_reach: f64 = 0.3, "share", Range(0.0, 10.0);
        /// Daily probability the platform answers an issue reported online.
        pub responsiveness: f64 = 0.7, "probability/day", Unit;
        /// Spread multiplier of negative sentiment about unanswered issues.
        pub amplification: f64 = 2.0, "ratio", Range(0.0, 100.0);
        /// Daily damping of sentiment by answered issues, at full responsiveness.
        pub damping: f64 = 0.05, "1/day", Unit;
    }
}

impl MechanismParams for Online {
    fn build(&self) -> Box<dyn Mechanism> {
        Box::new(self.clone())
    }
}

impl Mechanism for Online {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Detection, Phase::Routing, Phase::Deliberation, Phase::Residents, Phase::Complaints]
    }

    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>) {
        let l = &mut *ctx.levers;
        match phase {
            Phase::Detection => {
                l.online_report_multiplier *= self.report_multiplier as f32;
                let tick = ctx.world.tick;
                let w = &mut *ctx.world;
                for issue in w.issues.iter_mut().filter(|i| i.stage == Stage::Latent && i.scope != Scope::Household) {
                    let c = issue.community as usize;
                    let n = w.stats.online_community[c];
                    if n == 0 {
                        continue;
                    }
                    let g = w.stats.grievance_online_community[c] / n as f64;
                    if rng::unit_f64(ctx.rng) < 1.0 - (-self.monitoring_detection * g).exp() {
                        issue.online = true;
                        ctx.record.detect(issue, tick);
                    }
                }
            }
            Phase::Routing => l.online_responsiveness = l.online_responsiveness.max(self.responsiveness),
            Phase::Deliberation => l.forum_extra_participants += self.call_reach,
            Phase::Residents => l.online_mobilisation += self.call_mobilisation as f32,
            Phase::Complaints => {
                l.online_complaint_cost *= self.complaint_cost_factor as f32;
                l.sentiment_amplification *= self.amplification as f32;
                l.sentiment_damping += (self.damping * self.responsiveness) as f32;
            }
            _ => {}
        }
    }
}
