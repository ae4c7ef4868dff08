//! The Gini coefficient of the stats code ([`crate::stats::gini`]) against its known
//! population values: 1/3 for U(0, 1) and 1/2 for an exponential distribution.

use rand_distr::{Distribution, Exp1};
use serde_json::json;

use super::{Case, Params, Point, Report, replicates};
use crate::Result;
use crate::rng::{self, Purpose};
use crate::stats;

/// The case.
pub const CASE: Case = Case {
    name: "gini",
    about: "Gini of U(0,1) samples → 1/3, of exponential samples → 1/2",
    source: "Gini 1912; Kendall & Stuart 1977, Advanced Theory of Statistics vol. 1 (Griffin)",
    params: &[],
    default_runs: 200,
    suite,
    probe,
};

/// Stream tag of this case.
const TAG: u64 = 6;
/// Values per sample.
const SAMPLE: usize = 10_000;

/// Gini of one sample of 10,000 values, uniform (`exponential` false) or Exp(1).
pub fn sample_gini(exponential: bool, seed: u64, run: u64) -> f64 {
    let mut rng = rng::stream(seed, Purpose::Verify, TAG, run * 2 + exponential as u64);
    let x: Vec<f64> = if exponential {
        (0..SAMPLE).map(|_| Exp1.sample(&mut rng)).collect()
    } else {
        (0..SAMPLE).map(|_| rng::unit_f64(&mut rng)).collect()
    };
    stats::gini(&x)
}

fn run(seed: u64, runs: usize) -> Report {
    let mut rep = Report::new(&CASE, seed);
    for (exponential, name, truth) in [(false, "uniform", 1.0 / 3.0), (true, "exponential", 0.5)] {
        let g: Vec<f64> = replicates(runs, |r| sample_gini(exponential, seed, r));
        let mut p = Point::new(json!({"distribution": name, "sample": SAMPLE}), runs);
        let m = p.mean_se("gini", &g);
        // The plug-in estimator is biased by the factor (n − 1)/n, far below the SE here.
        rep.check(
            format!("{name}, {SAMPLE} values, runs={runs}"),
            format!("G = {truth:.4}"),
            format!("{m}"),
            "4 SE",
            (m.mean - truth).abs() <= 4.0 * m.se,
        );
        rep.points.push(p);
    }
    rep
}

fn suite(seed: u64, runs: usize) -> Result<Report> {
    Ok(run(seed, runs))
}

fn probe(_: &Params, seed: u64, runs: usize) -> Result<Report> {
    Ok(run(seed, runs))
}
