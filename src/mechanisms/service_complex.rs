//! # 3+X 综合体, 一窗受理 Service complexes and one-window service (`service_complex`)
//!
//! Routine requests are served nearby in one visit. In the communities with a 3+X service
//! complex (`world.service_complexes` of them) a request takes `trips` trips and `wait_days`
//! days; elsewhere one-window acceptance at the street cuts the baseline trips and wait by
//! `window_factor`.

use crate::engine::{Ctx, Phase};
use crate::mechanisms::{Mechanism, MechanismParams};
use crate::scenario::limits::{TICKS};
use crate::section;

section! {
    /// `[mechanisms.service_complex]`.
    pub struct ServiceComplex {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Trips per request at a complex.
        pub trips: f64 = 1.0, "trips", Range(1.0, 100.0);
        /// Wait per request at a complex.
        pub wait_days: f64 = 1.0, "days", Range(0.0, TICKS);
        /// Factor on trips and wait elsewhere (one window at the street).
        pub window_factor: f64 = 0.8, "ratio", Unit;
    }
}

impl MechanismParams for ServiceComplex {
    fn build(&self) -> Box<dyn Mechanism> {
        Box::new(self.clone())
    }
}

impl Mechanism for ServiceComplex {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Implementation]
    }

    fn act(&mut self, _phase: Phase, ctx: &mut Ctx<'_>) {
        let l = &mut *ctx.levers;
        for (c, &has) in ctx.world.places.community_has_complex.iter().enumerate() {
            if has {
                l.service_trips[c] = l.service_trips[c].min(self.trips as f32);
                l.service_wait[c] = l.service_wait[c].min(self.wait_days as f32);
            } else {
                l.service_trips[c] = (l.service_trips[c] * self.window_factor as f32).max(1.0);
                l.service_wait[c] *= self.window_factor as f32;
            }
        }
    }
}
