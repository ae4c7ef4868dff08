//! Throughput of the Watts case: node updates per second of the cascade kernel, one run
//! being an ER graph (n = 10,000, z = 4, φ = 0.18) built and cascaded to its fixed point.

use std::hint::black_box;

use cogov::verify::watts;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const N: u32 = 10_000;
const RUNS: u64 = 8;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("watts");
    for z in [2.0, 4.0] {
        // The node updates of these runs are fixed by their seeds: count them once.
        let updates: u64 = (0..RUNS)
            .map(|r| watts::run_once(N, z, 0.18, 1, r).node_updates)
            .sum();
        group.throughput(Throughput::Elements(updates));
        group.bench_function(format!("n{N}_z{z}_{RUNS}runs"), |b| {
            b.iter(|| {
                (0..RUNS)
                    .map(|r| watts::run_once(black_box(N), z, 0.18, 1, r).size)
                    .sum::<f64>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
