//! Feeds arbitrary bytes to the scenario parser and validator: it must return Ok or an
//! input error, never panic. A scenario it accepts must load again from its resolved TOML,
//! have a finite estimate and a countable experiment, and run: its world, capped small
//! (counts scaled down together, so their ratios and the limits between them hold), is
//! built and stepped two ticks with the engine's invariants checked after each.
#![no_main]

use std::sync::Arc;

use cogov::observer::Observer;
use cogov::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

/// Most residents of a world the target builds.
const CAP: u32 = 400;

/// The scenario with its world scaled down to at most [`CAP`] residents and a horizon of
/// two days, or `None` when the smaller world breaks a limit of its own.
fn capped(s: &Scenario) -> Option<Scenario> {
    let mut c = s.clone();
    c.ticks = 2;
    c.init.warmup = 0;
    let w = &mut c.world;
    if w.residents > CAP {
        let f = CAP as f64 / w.residents as f64;
        let scale = |v: u32, min: u32| ((v as f64 * f).ceil() as u32).max(min);
        w.residents = CAP;
        w.grids = scale(w.grids, 1).min(CAP);
        w.communities = scale(w.communities, 1).min(w.grids);
        w.streets = scale(w.streets, 1).min(w.communities);
        w.service_complexes = scale(w.service_complexes, 0).min(w.communities);
        w.social_workers = scale(w.social_workers, 0);
        w.organisations = scale(w.organisations, 0);
        w.property_companies = scale(w.property_companies, 0);
        w.businesses = scale(w.businesses, 0);
        w.department_staff = scale(w.department_staff, 0);
    }
    c.model_problems().is_empty().then_some(c)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(s) = Scenario::from_toml(text, "fuzz.toml") else {
        return;
    };
    let again = Scenario::from_toml(&s.to_toml(), "resolved.toml");
    assert!(again.is_ok(), "resolved scenario does not load again: {again:?}");
    let f = cogov::footprint::run(&s);
    assert!(f.operations.is_finite() && f.bytes() > 0, "{f:?}");
    // A valid experiment is countable without building it.
    let planned = s.planned_runs();
    assert!(
        planned.total as f64 <= cogov::scenario::limits::RUNS,
        "{planned:?}"
    );
    let Some(small) = capped(&s) else {
        return;
    };
    let estimate = cogov::footprint::run(&small);
    if estimate.bytes() > 256 << 20 {
        return; // still large (e.g. 100 ties a resident): not what this target is for
    }
    let mut engine = cogov::mechanisms::engine(Arc::new(small), s.seed);
    let mut obs = Observer::new(1, 0);
    for _ in 0..2 {
        engine.step(&mut obs);
        if let Err(e) = engine.check_invariants() {
            panic!("invariant broken: {e}");
        }
    }
});
