//! Every scenario that validates runs within bounded memory and work. A property test
//! draws random valid scenarios whose parameters sit at and near their bounds (each number
//! at its lower or upper bound, just inside them, or its default; every switch random) on
//! small worlds of degenerate and ordinary shapes (one resident per grid, one grid per
//! community, ...), then builds each world and runs a few ticks. The heap is measured by a
//! counting allocator: its peak over the build and the ticks must stay within the
//! estimate that `footprint::run` made before anything was built, and that estimate (and
//! the estimated work) within a budget. Seeded deterministically: the same cases every run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cogov::footprint;
use cogov::observer::Observer;
use cogov::scenario::overrides::set_path;
use cogov::scenario::schema::Bounds;
use cogov::scenario::{Problem, Scenario};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Counts the bytes allocated now and their peak since the last reset.
struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        NOW.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            // Count the new block before the old one goes: a moving realloc holds both.
            grew(new_size);
            NOW.fetch_sub(layout.size(), Ordering::SeqCst);
        }
        p
    }
}

fn grew(size: usize) {
    let now = NOW.fetch_add(size, Ordering::SeqCst) + size;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Tests here measure the whole process's heap: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Peak heap bytes above the current level while `f` runs, and its result.
fn peak_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let base = NOW.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let out = f();
    (PEAK.load(Ordering::SeqCst).saturating_sub(base), out)
}

/// Builds the world and runs `ticks` ticks, checking the invariants after each; returns
/// the peak heap above the level before the build.
fn run_measured(s: &Scenario, seed: u64, ticks: u32) -> usize {
    let s = Arc::new(s.clone());
    let (peak, ()) = peak_of(|| {
        let mut e = cogov::mechanisms::engine(s.clone(), seed);
        let mut obs = Observer::new(1, s.init.warmup);
        for t in 0..ticks {
            e.step(&mut obs);
            if let Err(msg) = e.check_invariants() {
                panic!("tick {t}: {msg}");
            }
        }
    });
    peak
}

/// A value at or near a parameter's bound, or its default.
#[derive(Debug, Clone, Copy)]
enum Pick {
    Default,
    Low,
    High,
    NearLow,
    NearHigh,
}

fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![
        3 => Just(Pick::Default),
        1 => Just(Pick::Low),
        1 => Just(Pick::High),
        1 => Just(Pick::NearLow),
        1 => Just(Pick::NearHigh),
    ]
}

/// The world's shape, small: residents, grids, communities, streets.
fn shape() -> impl Strategy<Value = (u32, u32, u32, u32)> {
    (2u32..1500, 0u32..3, 0u32..3, 0u32..3, any::<u64>()).prop_map(|(r, gk, ck, sk, x)| {
        // Each level: one place, as many as the level below allows, or something between.
        let choose = |k: u32, max: u32, salt: u64| match k {
            0 => 1,
            1 => max,
            _ => 1 + ((x.rotate_left(salt as u32) % max as u64) as u32),
        };
        let g = choose(gk, r, 7);
        let c = choose(ck, g.min(60), 19);
        let st = choose(sk, c, 31);
        (r, g, c, st)
    })
}

/// Paths drawn from their bounds (every number of the model except the world's shape,
/// which [`shape`] sets, and the experiment's own settings).
fn drawn_paths(s: &Scenario) -> Vec<(String, Bounds, toml::Value)> {
    const SHAPE: [&str; 4] = [
        "world.residents",
        "world.grids",
        "world.communities",
        "world.streets",
    ];
    s.params()
        .into_iter()
        .filter(|p| !SHAPE.contains(&p.path.as_str()))
        .filter(|p| p.meta.unit != "seed")
        .filter(|p| {
            !["experiment.", "sensitivity.", "calibration."]
                .iter()
                .any(|x| p.path.starts_with(x))
        })
        .filter(|p| {
            matches!(
                p.value,
                toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_)
            )
        })
        .map(|p| (p.path, p.meta.bounds, p.value))
        .collect()
}

fn value_for(bounds: Bounds, current: &toml::Value, pick: Pick, coin: bool) -> toml::Value {
    if let toml::Value::Boolean(_) = current {
        return toml::Value::Boolean(coin);
    }
    let (lo, hi, open) = match bounds {
        Bounds::Unit => (0.0, 1.0, false),
        Bounds::Range(lo, hi) => (lo, hi, false),
        Bounds::Above(lo, hi) => (lo, hi, true),
        _ => return current.clone(),
    };
    let integer = matches!(current, toml::Value::Integer(_));
    let step = if integer {
        1.0
    } else {
        ((hi - lo) * 1e-3).max(f64::MIN_POSITIVE)
    };
    let low = if open { lo + step } else { lo };
    let v = match pick {
        Pick::Default => return current.clone(),
        Pick::Low => low,
        Pick::High => hi,
        Pick::NearLow => (low + step).min(hi),
        Pick::NearHigh => (hi - step).max(low),
    };
    if integer {
        toml::Value::Integer(v.round() as i64)
    } else {
        toml::Value::Float(v)
    }
}

/// Sets `path` in `table`, ignoring paths the table lacks.
fn set(table: &mut toml::Table, path: &str, v: toml::Value) {
    let _ = set_path(table, path, v);
}

/// The scenario of a draw: the shape, every drawn parameter at its pick, and then each
/// parameter a limit refuses put back to the base scenario's value until none is refused
/// (a limit reported at another key puts that key back). `None` if that does not converge.
fn scenario_of(
    shape: (u32, u32, u32, u32),
    picks: &[(Pick, bool)],
    ticks: u32,
) -> Option<Scenario> {
    let (r, g, c, st) = shape;
    let mut base = Scenario {
        ticks,
        ..Scenario::default()
    };
    base.world.residents = r;
    base.world.grids = g;
    base.world.communities = c;
    base.world.streets = st;
    // Counts that scale with the world start small, so the draws decide.
    base.world.social_workers = 0;
    base.world.organisations = 0;
    base.world.service_complexes = 0;
    base.world.property_companies = 0;
    base.world.businesses = 0;
    base.world.department_staff = 0;
    let base_table = base.to_table();
    let mut table = base_table.clone();
    for ((path, bounds, current), &(p, coin)) in drawn_paths(&base).iter().zip(picks) {
        set(&mut table, path, value_for(*bounds, current, p, coin));
    }
    for _ in 0..12 {
        let s: Scenario = toml::Value::Table(table.clone()).try_into().ok()?;
        let problems: Vec<Problem> = s.problems();
        if problems.is_empty() {
            return Some(s);
        }
        for p in problems {
            let back = |table: &mut toml::Table, path: &str| {
                if let Some(v) = cogov::scenario::overrides::get(&base_table, path) {
                    set(table, path, v.clone());
                }
            };
            let at_base = cogov::scenario::overrides::get(&table, &p.path)
                == cogov::scenario::overrides::get(&base_table, &p.path);
            if at_base {
                // The limit is reported here but set by its neighbours (shares that sum
                // to one, a sum of counts): put the whole section back.
                let section = p.path.rsplit_once('.').map_or("", |(s, _)| s);
                for (path, ..) in drawn_paths(&base) {
                    if path.rsplit_once('.').map_or("", |(s, _)| s) == section {
                        back(&mut table, &path);
                    }
                }
            } else {
                back(&mut table, &p.path);
            }
        }
    }
    None
}

/// Memory budget of one drawn run (its estimate must stay below).
const BUDGET: u64 = 1 << 30;

/// Work budget of one drawn run of three ticks (elementary operations, estimated).
const WORK: f64 = 1e9;

#[test]
fn valid_scenarios_at_their_bounds_run_within_the_estimate() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let n = drawn_paths(&Scenario::default()).len();
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 40,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[19; 32]),
    );
    let strategy = (
        shape(),
        proptest::collection::vec((pick(), any::<bool>()), n),
        prop_oneof![Just(1u32), Just(3u32), Just(65_000u32), 2u32..65_000],
        any::<u64>(),
    );
    let ran = std::cell::Cell::new(0usize);
    runner
        .run(&strategy, |(shape, picks, ticks, seed)| {
            let Some(mut s) = scenario_of(shape, &picks, ticks) else {
                return Ok(());
            };
            ran.set(ran.get() + 1);
            // Valid with its drawn horizon; run (and estimate) the first days only, with
            // the mechanisms on from the first day.
            s.ticks = 3;
            s.init.warmup = 0;
            let estimate = footprint::run(&s);
            prop_assert!(
                estimate.bytes() <= BUDGET,
                "estimate {} over the budget: {}",
                footprint::size(estimate.bytes() as f64),
                estimate.breakdown()
            );
            prop_assert!(
                estimate.operations <= WORK,
                "estimated work {:.1e} over the budget",
                estimate.operations
            );
            let peak = run_measured(&s, seed, 3);
            if peak as u64 > estimate.bytes() {
                // Keep the scenario for the next engineer.
                let kept = std::env::temp_dir().join("cogov-bounds-failure.toml");
                let _ = std::fs::write(&kept, s.to_toml());
                prop_assert!(
                    false,
                    "peak heap {} above the estimate {} ({}); scenario in {}",
                    footprint::size(peak as f64),
                    footprint::size(estimate.bytes() as f64),
                    estimate.breakdown(),
                    kept.display()
                );
            }
            Ok(())
        })
        .unwrap();
    let ran = ran.get();
    assert!(ran >= 30, "only {ran} of 40 draws gave a valid scenario");
}

/// Issues pile up until `max_open_days`: a run long enough to reach that plateau, with
/// every domain at the highest rate, stays within the estimate (which counts issues open
/// at the busiest time, not the few of the first days).
#[test]
fn open_issues_stay_within_the_estimate() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = Scenario::from_toml(
        r#"ticks = 90
           [world]
           residents = 800
           streets = 1
           communities = 2
           grids = 4
           organisations = 4
           social_workers = 2
           service_complexes = 1
           property_companies = 1
           businesses = 4
           department_staff = 4
           [issues]
           max_open_days = 40
           [government]
           community_capacity_per_10k = 0.0
           street_capacity_per_10k = 0.0
           department_capacity_per_10k = 0.0
           staff_capacity = 0.0
           [organisations]
           social_worker_capacity = 0.0
           member_capacity = 0.0"#,
        "t.toml",
    )
    .unwrap();
    for d in s.domains.values_mut() {
        d.rate = cogov::scenario::limits::RATE;
    }
    let estimate = footprint::run(&s);
    let peak = run_measured(&s, 5, 90);
    assert!(
        peak as u64 <= estimate.bytes(),
        "peak {} above the estimate {} ({})",
        footprint::size(peak as f64),
        footprint::size(estimate.bytes() as f64),
        estimate.breakdown()
    );
    // The issue estimate is an upper bound that is not loose by orders of magnitude.
    assert!(
        (peak as u64) * 20 >= estimate.bytes(),
        "estimate {} is over 20 times the peak {}",
        footprint::size(estimate.bytes() as f64),
        footprint::size(peak as f64)
    );
}

/// A world the size of the Shangcheng default (340,000 residents) builds within its
/// estimate, and the estimate is within a factor of the real peak.
#[test]
fn default_world_builds_within_the_estimate() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = Scenario::default();
    let estimate = footprint::run(&s);
    let peak = run_measured(&s, 1, 1);
    assert!(
        peak as u64 <= estimate.bytes(),
        "peak {} above the estimate {} ({})",
        footprint::size(peak as f64),
        footprint::size(estimate.bytes() as f64),
        estimate.breakdown()
    );
    assert!(
        (peak as u64) * 4 >= estimate.bytes(),
        "estimate {} is over 4 times the peak {}",
        footprint::size(estimate.bytes() as f64),
        footprint::size(peak as f64)
    );
}

/// The plan of an experiment holds one resolved scenario per cell: `scenario_bytes` is at
/// least what a clone of one takes on the heap.
#[test]
fn scenario_bytes_cover_a_resolved_scenario() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = Scenario::default();
    s.projects.push(cogov::scenario::Project {
        communities: (0..54).collect(),
        ..Default::default()
    });
    let mut set = BTreeMap::new();
    set.insert("world.residents".to_string(), toml::Value::Integer(5000));
    let (peak, cell) = peak_of(|| Arc::new(s.with_overrides(&set).unwrap()));
    let measured = NOW.load(Ordering::SeqCst);
    drop(cell);
    let held = measured.saturating_sub(NOW.load(Ordering::SeqCst));
    assert!(held > 0 && held <= peak);
    let est = footprint::scenario_bytes(&s);
    assert!(
        held as f64 <= est,
        "a resolved scenario holds {held} bytes, estimated {est}"
    );
}
