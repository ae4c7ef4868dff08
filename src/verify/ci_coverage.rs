//! Coverage of the aggregate code's 95% interval ([`crate::stats::summarize`]): across
//! synthetic experiments drawn from a known normal, the Student-t interval covers the true
//! mean about 95% of the time.

use rand_distr::{Distribution, Normal};
use serde_json::json;

use super::{Case, Params, Point, Report, replicates, require};
use crate::Result;
use crate::rng::{self, Purpose};
use crate::stats;

/// The case.
pub const CASE: Case = Case {
    name: "ci-coverage",
    about: "The aggregate 95% CI covers the true mean in 93–97% of 1,000 synthetic experiments",
    source: "Student 1908, Biometrika 6:1",
    params: &[],
    default_runs: 1000,
    suite,
    probe,
};

/// Stream tag of this case.
const TAG: u64 = 7;
/// Replicates per synthetic experiment (small, so the t quantile matters).
const REPLICATES: usize = 5;
/// The known normal.
const MEAN: f64 = 3.0;
const SD: f64 = 2.0;

/// Whether experiment `run`'s interval covers the true mean.
pub fn covers(seed: u64, run: u64) -> bool {
    let mut rng = rng::stream(seed, Purpose::Verify, TAG, run);
    let normal = Normal::new(MEAN, SD).expect("constant parameters are valid");
    let x: Vec<f64> = (0..REPLICATES).map(|_| normal.sample(&mut rng)).collect();
    let s = stats::summarize(&x);
    matches!((s.ci95_low, s.ci95_high), (Some(lo), Some(hi)) if lo <= MEAN && MEAN <= hi)
}

fn run(seed: u64, runs: usize) -> Report {
    let mut rep = Report::new(&CASE, seed);
    let hits: Vec<f64> = replicates(runs, |r| covers(seed, r) as u8 as f64);
    let mut p = Point::new(json!({"replicates": REPLICATES, "mean": MEAN, "sd": SD}), runs);
    let m = p.mean_se("coverage", &hits);
    rep.check(
        format!("N({MEAN}, {SD}²), {REPLICATES} replicates, {runs} experiments"),
        "coverage 95%",
        format!("{:.1}%", 100.0 * m.mean),
        "93–97%",
        (0.93..=0.97).contains(&m.mean),
    );
    rep.points.push(p);
    rep
}

fn suite(seed: u64, runs: usize) -> Result<Report> {
    Ok(run(seed, runs))
}

fn probe(_: &Params, seed: u64, runs: usize) -> Result<Report> {
    require(runs >= 1, "runs", "at least 1", runs)?;
    Ok(run(seed, runs))
}
