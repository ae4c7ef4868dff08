//! The Ishigami function as a built-in test model (Ishigami & Homma 1990, *Proc. ISUMA*
//! 398; indices from Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*):
//!
//! `f(x) = sin x1 + a sin² x2 + b x3⁴ sin x1`, `a = 7`, `b = 0.1`, `x_i ~ U[−π, π]`.
//!
//! [`run_sobol`] and [`run_morris`] build a [`SensitivityConfig`] and go through
//! [`Design::new`] and [`Design::analyse`], exactly the path the ABM uses, so agreement with
//! the analytic indices validates the sampling and estimator code.

use std::collections::BTreeMap;
use std::f64::consts::PI;

use serde::Serialize;

use super::morris::MorrisIndices;
use super::{Analysis, Design, Method, SensitivityConfig};
use crate::Result;

/// Parameter `a`.
pub const A: f64 = 7.0;
/// Parameter `b`.
pub const B: f64 = 0.1;
/// Accepted absolute error of each Sobol' index at N = 2^13.
pub const TOLERANCE: f64 = 0.02;
/// Bootstrap resamples used by [`run_sobol`].
pub const BOOTSTRAP: usize = 1000;

/// The Ishigami function at `x = [x1, x2, x3]`.
pub fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + A * x[1].sin().powi(2) + B * x[2].powi(4) * x[0].sin()
}

/// Analytic indices: `([S1, S2, S3], [ST1, ST2, ST3], [S12, S13, S23])`.
pub fn analytic() -> ([f64; 3], [f64; 3], [f64; 3]) {
    let v1 = 0.5 * (1.0 + B * PI.powi(4) / 5.0).powi(2);
    let v2 = A * A / 8.0;
    let v13 = B * B * PI.powi(8) * 8.0 / 225.0;
    let v = v1 + v2 + v13;
    (
        [v1 / v, v2 / v, 0.0],
        [(v1 + v13) / v, v2 / v, v13 / v],
        [0.0, v13 / v, 0.0],
    )
}

/// The config of the Ishigami experiment: `x1, x2, x3` on `[−π, π]`.
fn config(method: Method) -> SensitivityConfig {
    let parameters: BTreeMap<String, [f64; 2]> = ["x1", "x2", "x3"]
        .iter()
        .map(|n| (n.to_string(), [-PI, PI]))
        .collect();
    SensitivityConfig {
        method,
        r: 0,
        levels: 0,
        n: 0,
        second_order: true,
        bootstrap: BOOTSTRAP,
        parameters,
        metrics: vec!["ishigami".into()],
    }
}

/// One estimated index against its analytic value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexCheck {
    /// `x1`, ..., or `x1:x3` for second order.
    pub parameter: String,
    /// `S1`, `ST` or `S2`.
    pub index: String,
    /// The estimate.
    pub estimate: f64,
    /// Bootstrap 95% interval.
    pub ci95: Option<(f64, f64)>,
    /// The analytic value.
    pub analytic: f64,
    /// |estimate − analytic|.
    pub abs_error: f64,
}

/// The outcome of the Sobol' validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IshigamiResult {
    /// Base sample size N.
    pub n: usize,
    /// Seed of the design and bootstrap streams.
    pub seed: u64,
    /// Function evaluations, N(2k + 2).
    pub evaluations: usize,
    /// S1, ST and S2 against the analytic values.
    pub indices: Vec<IndexCheck>,
    /// Largest absolute error.
    pub max_abs_error: f64,
    /// Accepted error per index.
    pub tolerance: f64,
    /// Whether every index is within the tolerance.
    pub pass: bool,
}

/// Sobol' indices (with second order, [`BOOTSTRAP`] resamples) of the Ishigami function
/// at base sample size `n`.
pub fn run_sobol(n: usize, seed: u64) -> Result<IshigamiResult> {
    run_sobol_with(n, seed, BOOTSTRAP)
}

/// [`run_sobol`] with a chosen number of bootstrap resamples (0: no intervals).
pub fn run_sobol_with(n: usize, seed: u64, bootstrap: usize) -> Result<IshigamiResult> {
    let cfg = SensitivityConfig {
        n,
        bootstrap,
        ..config(Method::Sobol)
    };
    let design = Design::new(&cfg, seed)?;
    let y: Vec<f64> = design.points().iter().map(|x| ishigami(x)).collect();
    let Analysis::Sobol(res) = design.analyse("ishigami", &y, cfg.bootstrap, seed)? else {
        unreachable!("a Sobol config gives a Sobol analysis")
    };
    let (s1, st, s2) = analytic();
    let check = |parameter: &str, index: &str, estimate: f64, ci95, analytic: f64| IndexCheck {
        parameter: parameter.to_string(),
        index: index.to_string(),
        estimate,
        ci95,
        analytic,
        abs_error: (estimate - analytic).abs(),
    };
    let mut indices = Vec::new();
    for (i, p) in res.parameters.iter().enumerate() {
        indices.push(check(&p.parameter, "S1", p.s1, p.s1_ci, s1[i]));
    }
    for (i, p) in res.parameters.iter().enumerate() {
        indices.push(check(&p.parameter, "ST", p.st, p.st_ci, st[i]));
    }
    for (i, p) in res.second_order.iter().enumerate() {
        indices.push(check(&p.parameters, "S2", p.s2, p.s2_ci, s2[i]));
    }
    let max_abs_error = indices.iter().map(|c| c.abs_error).fold(0.0, f64::max);
    Ok(IshigamiResult {
        n,
        seed,
        evaluations: y.len(),
        indices,
        max_abs_error,
        tolerance: TOLERANCE,
        pass: max_abs_error <= TOLERANCE,
    })
}

/// The outcome of the Morris screening of the Ishigami function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IshigamiMorrisResult {
    /// Trajectories r.
    pub r: usize,
    /// Grid levels p.
    pub levels: usize,
    /// Seed of the design and bootstrap streams.
    pub seed: u64,
    /// Function evaluations, r(k + 1).
    pub evaluations: usize,
    /// μ, μ*, σ of x1, x2, x3.
    pub parameters: Vec<MorrisIndices>,
    /// The expected signature: x3 acts only through its interaction with x1, so its σ
    /// exceeds its |μ|.
    pub pass: bool,
}

/// Morris screening of the Ishigami function with `r` trajectories on `levels` levels.
pub fn run_morris(r: usize, levels: usize, seed: u64) -> Result<IshigamiMorrisResult> {
    let cfg = SensitivityConfig {
        r,
        levels,
        ..config(Method::Morris)
    };
    let design = Design::new(&cfg, seed)?;
    let y: Vec<f64> = design.points().iter().map(|x| ishigami(x)).collect();
    let Analysis::Morris(res) = design.analyse("ishigami", &y, cfg.bootstrap, seed)? else {
        unreachable!("a Morris config gives a Morris analysis")
    };
    let x3 = &res.parameters[2];
    Ok(IshigamiMorrisResult {
        r,
        levels,
        seed,
        evaluations: y.len(),
        pass: x3.sigma > x3.mu.abs(),
        parameters: res.parameters,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analytic_values_match_the_literature() {
        let (s1, st, s2) = analytic();
        let close = |a: f64, b: f64| (a - b).abs() < 5e-5;
        assert!(close(s1[0], 0.3139) && close(s1[1], 0.4424) && s1[2] == 0.0);
        assert!(close(st[0], 0.5576) && close(st[1], 0.4424) && close(st[2], 0.2437));
        assert!(close(s2[1], 0.2437));
    }

    #[test]
    fn sobol_recovers_analytic_indices_across_seeds() {
        for seed in [1, 2, 3, 42, 2024] {
            let r = run_sobol_with(1 << 13, seed, 0).unwrap();
            assert_eq!(r.evaluations, 8192 * 8);
            assert!(r.pass, "seed {seed}: {:#?}", r.indices);
        }
    }

    #[test]
    fn sobol_intervals_cover_and_serialise() {
        let r = run_sobol_with(1 << 12, 7, 200).unwrap();
        let covered = r.indices.iter().filter(|c| {
            let (lo, hi) = c.ci95.unwrap();
            lo <= c.analytic && c.analytic <= hi
        });
        // 9 nominal-95% intervals: allow one miss.
        assert!(covered.count() >= 8, "{:#?}", r.indices);
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"index\":\"ST\"") && json.contains("\"pass\":true"));
    }

    #[test]
    fn small_n_fails_the_tolerance_so_the_check_can_fail() {
        assert!(!run_sobol_with(8, 1, 0).unwrap().pass);
        assert!(run_sobol_with(1000, 1, 0).is_err());
    }

    #[test]
    fn morris_sees_x3_act_through_interaction() {
        for seed in [1, 2, 3] {
            let r = run_morris(50, 4, seed).unwrap();
            assert_eq!(r.evaluations, 200);
            assert!(r.pass, "{:#?}", r.parameters);
            assert!(r.parameters.iter().all(|p| p.mu_star_ci.is_some()));
            serde_json::to_string(&r).unwrap();
        }
    }
}
