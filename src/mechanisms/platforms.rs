//! # 四个平台 + 综合指挥 Four platforms and the command centre (`platforms`)
//!
//! Department staff are sunk into the street platforms (comprehensive governance, law
//! enforcement, market supervision, convenience services) under one command centre. The
//! coordination delay for issues handled above the community falls from the "silo" value
//! (`government.coordination_delay`) to `integrated_delay`; each street office gains
//! `capacity_per_staff` × (`world.department_staff` / streets) cases per day and
//! `skill_bonus` skill, because the staff who can act sit together.

use crate::engine::{Ctx, Phase};
use crate::mechanisms::{Mechanism, MechanismParams};
use crate::scenario::limits::{CAPACITY, TICKS};
use crate::section;

section! {
    /// `[mechanisms.platforms]`.
    pub struct Platforms {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Coordination delay once departments work on one platform.
        pub integrated_delay: f64 = 3.0, "days", Range(0.0, TICKS);
        /// Cases per day added per sunk staff member.
        pub capacity_per_staff: f64 = 0.05, "cases/day", Range(0.0, CAPACITY);
        /// Skill added to street offices.
        pub skill_bonus: f64 = 0.05, "index", Unit;
    }
}

impl MechanismParams for Platforms {
    fn build(&self) -> Box<dyn Mechanism> {
        Box::new(self.clone())
    }
}

impl Mechanism for Platforms {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Routing, Phase::Implementation]
    }

    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>) {
        let l = &mut *ctx.levers;
        match phase {
            Phase::Routing => {
                l.coordination_delay = l.coordination_delay.min(self.integrated_delay);
                let w = &ctx.scenario.world;
                l.street_capacity_bonus += self.capacity_per_staff * w.department_staff as f64 / w.streets.max(1) as f64;
            }
            _ => l.street_skill_bonus += self.skill_bonus as f32,
        }
    }
}
