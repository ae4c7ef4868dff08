//! Figures and report for a 10-policy × 20-replicate × 1095-tick experiment (the spec's
//! target: under 5 s in a release build). The fixture is written once, outside the timing.

use criterion::{Criterion, criterion_group, criterion_main};

use cogov::plot::{self, PlotConfig, fixture};

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("cogov-plot-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    fixture::write_experiment(
        &dir,
        &fixture::Spec {
            sensitivity: true,
            ..fixture::Spec::default()
        },
    )
    .expect("fixture");
    let cfg = PlotConfig::default();
    let mut g = c.benchmark_group("plot");
    g.sample_size(10);
    g.bench_function("plot_dir_10x20x1095_all_formats", |b| {
        b.iter(|| plot::plot_dir(&dir, &cfg).expect("plot"))
    });
    let svg_only = PlotConfig {
        formats: vec![plot::Format::Svg],
        report: false,
        ..PlotConfig::default()
    };
    g.bench_function("plot_dir_10x20x1095_svg_only", |b| {
        b.iter(|| plot::plot_dir(&dir, &svg_only).expect("plot"))
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

// Criterion is built without its plotting features; `without_plots` also keeps it from
// calling gnuplot if one happens to be installed.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench
}
criterion_main!(benches);
