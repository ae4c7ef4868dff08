//! # 三社联动 Three-society linkage (`three_society`)
//!
//! Community, social organisations and social workers act together. Social workers
//! facilitate forums: the confidence bound widens by `facilitation_eps` and forums seat
//! `extra_participants` more (as a share of their size). Professional support adds
//! `skill_bonus` to the skill brought to high-complexity issues. Known issues are matched to
//! a social organisation of their community and domain with probability `matching`.
//! Organisations are incubated: `incubation_per_year` new ones a year, each founded in the
//! community and domain with the most open issues (matched to needs), with
//! `incubation_funds` yuan.

use crate::engine::arrivals::draw_poisson;
use crate::engine::organisations::found_organisation;
use crate::engine::{Ctx, Phase};
use crate::mechanisms::{Mechanism, MechanismParams};
use crate::scenario::limits::{COMMUNITIES, YUAN};
use crate::section;

section! {
    /// `[mechanisms.three_society]`.
    pub struct ThreeSociety {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Widening of the forums' confidence bound ε by facilitation.
        pub facilitation_eps: f64 = 0.15, "opinion", Range(0.0, 1.0);
        /// Extra forum participants as a share of the forum's size.
        pub extra_participants: f64 = 0.5, "share", Range(0.0, 10.0);
        /// Skill added on high-complexity issues.
        pub skill_bonus: f64 = 0.2, "index", Unit;
        /// Probability that a known issue is matched to an organisation.
        pub matching: f64 = 0.3, "probability", Unit;
        /// Organisations incubated per year.
        pub incubation_per_year: f64 = 12.0, "1/year", Range(0.0, 365.0 * COMMUNITIES);
        /// Start-up funds of an incubated organisation.
        pub incubation_funds: f64 = 60_000.0, "yuan", Range(0.0, YUAN);
    }
}

impl MechanismParams for ThreeSociety {
    fn build(&self) -> Box<dyn Mechanism> {
        Box::new(self.clone())
    }
}

impl Mechanism for ThreeSociety {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Routing, Phase::Deliberation, Phase::Implementation, Phase::Organisations]
    }

    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>) {
        match phase {
            Phase::Routing => ctx.levers.organisation_routing = (ctx.levers.organisation_routing + self.matching).min(1.0),
            Phase::Deliberation => {
                ctx.levers.forum_eps_bonus += self.facilitation_eps;
                ctx.levers.forum_extra_participants += self.extra_participants;
            }
            Phase::Implementation => ctx.levers.complex_skill_bonus += self.skill_bonus as f32,
            Phase::Organisations => {
                for _ in 0..draw_poisson(self.incubation_per_year / 365.0, ctx.rng) {
                    let (c, d) = neediest(ctx);
                    found_organisation(ctx.world, ctx.scenario, c, d, self.incubation_funds, ctx.rng);
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
    let best = counts.iter().enumerate().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0))).map(|(k, _)| k).unwrap_or(0);
    ((best / nd) as u32, (best % nd) as u16)
}
