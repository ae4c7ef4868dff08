//! # 3+X 综合体, 一窗受理 Service complexes and one-window service (`service_complex`)
//!
//! When the reform starts, one-window acceptance (一窗受理, `one_window`) opens at every
//! service hall: a resident hands in all of a request's services in one visit and the back
//! office works them together, instead of one visit and one processing round per service.
//! The communities with a 3+X complex (`world.service_complexes` of them) get their own
//! hall nearby with `complex_capacity_per_10k` visits a day per 10,000 residents, so their
//! residents no longer queue at the street's hall. Trips and waits are counted from the
//! queues (see `world::services`), never set.

use crate::engine::{Ctx, Mechanism, Phase};
use crate::scenario::mechanisms::ServiceComplex;
use crate::world::services::Hall;

/// The mechanism.
pub struct ServiceComplexes {
    p: ServiceComplex,
}

/// The mechanism with its parameters.
pub fn new(p: &ServiceComplex) -> ServiceComplexes {
    ServiceComplexes { p: p.clone() }
}

impl Mechanism for ServiceComplexes {
    fn phases(&self) -> &'static [Phase] {
        &[]
    }

    fn init(&mut self, ctx: &mut Ctx<'_>) {
        let w = &mut *ctx.world;
        for hall in w.services.halls.iter_mut() {
            hall.one_window |= self.p.one_window;
        }
        for c in 0..w.places.communities.len() {
            if w.places.community_has_complex[c] {
                let capacity = self.p.complex_capacity_per_10k * w.places.communities.size(c) as f64 / 1e4;
                w.services.halls.push(Hall::new(capacity, self.p.one_window));
                w.services.community_hall[c] = (w.services.halls.len() - 1) as u32;
            }
        }
    }

    fn act(&mut self, _phase: Phase, _ctx: &mut Ctx<'_>) {}
}
