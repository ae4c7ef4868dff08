//! One tick of the Shangcheng default world (about 340,000 residents), with every linkage
//! mechanism off (the baseline) and with all ten on. Throughput is resident-ticks per second;
//! the ratio of the two tick times is the cost of the mechanisms (target: at most 2x).
//!
//! Each engine first runs 60 ticks so that issue stocks and organisations exist; each
//! measured iteration is one `Engine::step`, run on a rayon worker as `run::simulate` runs
//! every tick (the phases' parallel loops then start inside the pool).

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use cogov::engine::Engine;
use cogov::observer::Observer;
use cogov::scenario::Mechanisms;
use cogov::scenario::Scenario;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn engine(all_on: bool) -> (Engine, Observer) {
    let s = Scenario {
        mechanisms: Mechanisms::all(all_on),
        ..Default::default()
    };
    let mut e = cogov::mechanisms::engine(Arc::new(s), 20_180_101);
    let mut obs = Observer::new(1_000_000, 0);
    for _ in 0..60 {
        e.step(&mut obs);
    }
    (e, obs)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("tick");
    group.sample_size(20);
    for (name, on) in [("baseline", false), ("all_on", true)] {
        let (mut e, mut obs) = engine(on);
        group.throughput(Throughput::Elements(e.world.n_residents() as u64));
        group.bench_function(format!("shangcheng_{name}"), |b| {
            b.iter_custom(|iters| {
                rayon::scope(|_| {
                    let start = Instant::now();
                    for _ in 0..iters {
                        black_box(&mut e).step(&mut obs);
                    }
                    start.elapsed()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
