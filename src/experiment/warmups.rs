//! Shared warm-ups: an experiment's runs that differ only in what acts after the warm-up
//! (`mechanisms`, `linkage`, `change`: a factorial's cells over mechanism switches) and have
//! the same seed (common random numbers) simulate the same warm-up. It is simulated once,
//! kept as a snapshot (the engine and observer at the warm-up's end), and each such run goes
//! on from a copy ([`Engine::fork`]). Sharing never changes an output
//! (`tests/factorial.rs` compares every file with `--fresh-warmups`).
//!
//! The snapshots are kept in a small first-in-first-out cache ([`Warmups::capacity`]);
//! the runner orders runs replicate-major, so a worker meets one seed in consecutive runs.
//! A snapshot is an engine between ticks, at most a run's memory (`footprint::experiment`
//! counts them). Runs that keep `[output]` records (they log the warm-up) or have no
//! warm-up run from their start as before ([`shares`]).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::engine::{Engine, before_reform};
use crate::observer::Observer;
use crate::run;
use crate::scenario::Scenario;

/// Whether a run of `s` may start from a shared warm-up: it has one, and keeps no
/// `[output]` record (the records log the warm-up's days).
pub fn shares(s: &Scenario) -> bool {
    s.init.warmup > 0 && !s.output.keeps_records()
}

/// What a warm-up depends on, compared exactly: the seed, the recording interval (the
/// observer's) and the whole resolved text of the scenario without the sections that act
/// after it ([`before_reform`]).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    seed: u64,
    record_every: u32,
    scenario: String,
}

/// An engine and its observer at the end of a warm-up.
struct Snapshot {
    key: Key,
    engine: Engine,
    observer: Observer,
}

impl Snapshot {
    /// A copy that goes on as a run of `scenario`.
    fn fork(&self, scenario: &Arc<Scenario>) -> (Engine, Observer) {
        (self.engine.fork(scenario.clone()), self.observer.clone())
    }
}

/// The warm-up snapshots of an experiment (see the module docs).
pub struct Warmups {
    capacity: usize,
    // Forks are made under the lock, so an evicted snapshot never outlives it: at most
    // `capacity` snapshots exist at once. A copy does not use rayon, so holding the lock
    // cannot stall a worker that waits for work.
    held: Mutex<VecDeque<Snapshot>>,
    simulations: AtomicUsize,
}

impl Warmups {
    /// Snapshots kept for `jobs` workers: one for each worker's current seed and one
    /// more, so a worker moving on to a new seed usually evicts one no worker is still on
    /// (an evicted seed met again is simulated again: slower, never different).
    pub fn capacity(jobs: usize) -> usize {
        jobs.max(1) + 1
    }

    /// An empty cache for `jobs` workers.
    pub fn new(jobs: usize) -> Warmups {
        Warmups {
            capacity: Warmups::capacity(jobs),
            held: Mutex::new(VecDeque::new()),
            simulations: Default::default(),
        }
    }

    /// Warm-ups simulated to their end so far (the other runs started from copies).
    pub fn simulated(&self) -> usize {
        self.simulations.load(Ordering::Relaxed)
    }

    /// The engine and observer of a run of `scenario` with `seed` at the end of its
    /// warm-up, ready for [`run::simulate_from`]: a copy of a kept snapshot, or, when none
    /// matches, a warm-up simulated now and kept. `None` when `cancel` stopped the warm-up
    /// (a cancelled warm-up is never kept). Requires [`shares`]`(scenario)`.
    pub fn start(
        &self,
        scenario: &Arc<Scenario>,
        seed: u64,
        record_every: u32,
        cancel: &AtomicBool,
    ) -> Option<(Engine, Observer)> {
        debug_assert!(shares(scenario));
        let warm = before_reform(scenario);
        let key = Key {
            seed,
            record_every,
            scenario: warm.to_toml(),
        };
        if let Some(s) = self.lock().iter().find(|s| s.key == key) {
            return Some(s.fork(scenario));
        }
        let (mut engine, mut observer) = run::start(Arc::new(warm), seed, record_every);
        while engine.world.tick < scenario.init.warmup {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            engine.step(&mut observer);
        }
        self.simulations.fetch_add(1, Ordering::Relaxed);
        let mut held = self.lock();
        // Another worker may have simulated the same warm-up meanwhile: keep theirs.
        if let Some(s) = held.iter().find(|s| s.key == key) {
            return Some(s.fork(scenario));
        }
        if held.len() >= self.capacity {
            held.pop_front();
        }
        let snapshot = Snapshot {
            key,
            engine,
            observer,
        };
        let copy = snapshot.fork(scenario);
        held.push_back(snapshot);
        Some(copy)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Snapshot>> {
        // The cache holds only finished snapshots: one left by a panicking worker is whole.
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Plan;

    /// A factorial over two mechanisms and a linkage ingredient on a small world, with a
    /// change that switches a third mechanism on.
    fn plan(extra: &str) -> Plan {
        let text = format!(
            r#"ticks = 6
               [init]
               warmup = 4
               [world]
               residents = 600
               streets = 1
               communities = 2
               grids = 4
               organisations = 2
               businesses = 2
               service_complexes = 1
               social_workers = 2
               department_staff = 8
               [experiment]
               replicates = 2
               switches = ["grid", "party_masses", "linkage.ties"]
               [[change]]
               day = 2
               set = {{ "mechanisms.online.enabled" = true }}
               {extra}"#
        );
        let s = Scenario::from_toml(&text, "t.toml").unwrap();
        Plan::new(&s, false).unwrap()
    }

    #[test]
    fn a_factorials_cells_share_one_warm_up_per_seed() {
        let plan = plan("");
        assert_eq!(plan.cells.len(), 8);
        assert!(plan.cells.iter().all(|c| shares(c)));
        let warmups = Warmups::new(1);
        let cancel = AtomicBool::new(false);
        // Replicate-major, as the runner orders them.
        let mut order: Vec<usize> = (0..plan.len()).collect();
        order.sort_by_key(|&i| (plan.run(i).replicate, i));
        for i in order {
            let spec = plan.run(i);
            let cell = plan.scenario(&spec);
            let (engine, _) = warmups.start(&cell, spec.seed, 1, &cancel).unwrap();
            assert_eq!(engine.world.tick, 4);
            assert!(Arc::ptr_eq(&engine.scenario, &cell));
        }
        assert_eq!(warmups.simulated(), 2);
        // Another recording interval is another observer: not shared.
        let spec = plan.run(0);
        warmups.start(&plan.scenario(&spec), spec.seed, 2, &cancel);
        assert_eq!(warmups.simulated(), 3);
    }

    #[test]
    fn a_cancelled_warm_up_is_not_kept_and_the_cache_stays_bounded() {
        let plan = plan("");
        let warmups = Warmups::new(1);
        let spec = plan.run(0);
        let cell = plan.scenario(&spec);
        assert!(
            warmups
                .start(&cell, spec.seed, 1, &AtomicBool::new(true))
                .is_none()
        );
        let go = AtomicBool::new(false);
        warmups.start(&cell, spec.seed, 1, &go).unwrap();
        assert_eq!(warmups.simulated(), 1, "the cancelled warm-up was kept");
        // Capacity 2 for one worker: a third seed evicts the first.
        for seed in [spec.seed + 1, spec.seed + 2, spec.seed] {
            warmups.start(&cell, seed, 1, &go).unwrap();
            assert!(warmups.lock().len() <= Warmups::capacity(1));
        }
        assert_eq!(warmups.simulated(), 4);
    }

    #[test]
    fn runs_that_log_the_warm_up_or_have_none_do_not_share() {
        let plan_with = |extra: &str| plan(extra).cells[0].clone();
        assert!(!shares(&plan_with("[output]\nissues = true")));
        assert!(!shares(&plan_with("[output]\npanel = { sample = 10 }")));
        let mut s = (*plan_with("")).clone();
        s.init.warmup = 0;
        assert!(!shares(&s));
    }
}
