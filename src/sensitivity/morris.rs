//! Morris elementary-effects screening (Morris 1991, *Technometrics* 33:161) with the
//! absolute-mean measure μ* (Campolongo, Cariboni & Saltelli 2007, *Environmental Modelling
//! & Software* 22:1509).
//!
//! Each of `r` trajectories starts at a random point of a `p`-level grid on the unit cube
//! and moves one parameter at a time, in random order, by the standard step
//! Δ = p / (2(p − 1)); it costs `k + 1` model runs, `r(k + 1)` in all. An elementary effect
//! is `(y(x ± Δe_i) − y(x)) / (±Δ)`, measured in unit-cube coordinates so that effects of
//! parameters with different units are comparable.

use rayon::prelude::*;
use serde::Serialize;

use super::{
    ParameterSpace, STREAM_BOOTSTRAP, STREAM_DESIGN, SensitivityRow, check_outputs, percentile_ci,
    rng,
};
use crate::rng::index;
use crate::{Error, Result};

/// A sampled Morris design.
#[derive(Debug, Clone)]
pub struct MorrisDesign {
    /// The parameters.
    pub space: ParameterSpace,
    /// Number of trajectories `r`.
    pub r: usize,
    /// Number of grid levels `p`.
    pub levels: usize,
    /// The step Δ = p / (2(p − 1)) in unit-cube coordinates.
    pub delta: f64,
    /// The `r(k + 1)` points in real units, trajectory after trajectory.
    pub points: Vec<Vec<f64>>,
    /// For trajectory `t`, step `s`: the parameter moved and the signed unit step (±Δ).
    steps: Vec<Vec<(usize, f64)>>,
}

/// Samples `r` trajectories on a `levels`-level grid (`levels` even, ≥ 2; `r` ≥ 2).
///
/// Each start level is drawn uniformly from the `p` levels; a parameter starting in the
/// lower half steps up by Δ, one in the upper half steps down, so every grid level is
/// used equally often and no point leaves the cube.
pub fn design(space: ParameterSpace, r: usize, levels: usize, seed: u64) -> Result<MorrisDesign> {
    if r < 2 {
        return Err(Error::input(format!(
            "sensitivity: Morris needs at least 2 trajectories (r) to estimate sigma, got {r}"
        )));
    }
    if levels < 2 || levels % 2 != 0 {
        return Err(Error::input(format!(
            "sensitivity: Morris levels must be an even number ≥ 2 (e.g. 4), got {levels}"
        )));
    }
    let k = space.len();
    let p = levels;
    let delta = p as f64 / (2.0 * (p - 1) as f64);
    let mut points = Vec::with_capacity(r * (k + 1));
    let mut steps = Vec::with_capacity(r);
    for t in 0..r {
        let mut g = rng(seed, STREAM_DESIGN, t as u64);
        let start: Vec<usize> = (0..k).map(|_| index(&mut g, p)).collect();
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            order.swap(i, index(&mut g, i + 1));
        }
        let mut x: Vec<f64> = start.iter().map(|&l| l as f64 / (p - 1) as f64).collect();
        points.push(space.scale(&x));
        let mut traj = Vec::with_capacity(k);
        for &i in &order {
            let step = if start[i] < p / 2 { delta } else { -delta };
            x[i] += step;
            points.push(space.scale(&x));
            traj.push((i, step));
        }
        steps.push(traj);
    }
    Ok(MorrisDesign {
        space,
        r,
        levels,
        delta,
        points,
        steps,
    })
}

/// Morris measures of one parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MorrisIndices {
    /// Parameter path.
    pub parameter: String,
    /// Mean elementary effect μ (signed: effects of opposite sign cancel).
    pub mu: f64,
    /// Mean absolute elementary effect μ* (overall importance).
    pub mu_star: f64,
    /// Standard deviation σ of the elementary effects (non-linearity and interactions).
    pub sigma: f64,
    /// Bootstrap 95% percentile interval of μ* (None without resamples).
    pub mu_star_ci: Option<(f64, f64)>,
}

/// Morris measures of every parameter, for one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MorrisResult {
    /// One entry per parameter, in the design's order.
    pub parameters: Vec<MorrisIndices>,
}

impl MorrisResult {
    /// `sensitivity.csv` rows: `mu`, `mu_star`, `sigma` per parameter.
    pub fn rows(&self, metric: &str) -> Vec<SensitivityRow> {
        let mut rows = Vec::with_capacity(3 * self.parameters.len());
        for p in &self.parameters {
            rows.push(SensitivityRow::new(metric, &p.parameter, "mu", p.mu, None));
            rows.push(SensitivityRow::new(
                metric,
                &p.parameter,
                "mu_star",
                p.mu_star,
                p.mu_star_ci,
            ));
            rows.push(SensitivityRow::new(
                metric,
                &p.parameter,
                "sigma",
                p.sigma,
                None,
            ));
        }
        rows
    }
}

impl MorrisDesign {
    /// Elementary effects `ee[i][t]` of parameter `i` in trajectory `t`.
    pub fn elementary_effects(&self, outputs: &[f64]) -> Vec<Vec<f64>> {
        let k = self.space.len();
        let mut ee = vec![vec![0.0; self.r]; k];
        for (t, traj) in self.steps.iter().enumerate() {
            let y = &outputs[t * (k + 1)..(t + 1) * (k + 1)];
            for (s, &(i, step)) in traj.iter().enumerate() {
                ee[i][t] = (y[s + 1] - y[s]) / step;
            }
        }
        ee
    }

    /// μ, μ* and σ per parameter from one output per point; `bootstrap` resamples of the
    /// trajectories give a 95% percentile interval for μ* (0: none).
    pub fn analyse(
        &self,
        metric: &str,
        outputs: &[f64],
        bootstrap: usize,
        seed: u64,
    ) -> Result<MorrisResult> {
        check_outputs(metric, outputs, self.points.len())?;
        let ee = self.elementary_effects(outputs);
        let r = self.r as f64;
        // Each resample is a function of its own stream only: thread-count independent.
        let boot: Vec<Vec<f64>> = (0..bootstrap as u64)
            .into_par_iter()
            .map(|b| {
                let mut g = rng(seed, STREAM_BOOTSTRAP, b);
                let pick: Vec<usize> = (0..self.r).map(|_| index(&mut g, self.r)).collect();
                ee.iter()
                    .map(|e| pick.iter().map(|&t| e[t].abs()).sum::<f64>() / r)
                    .collect()
            })
            .collect();
        let parameters = ee
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mu = e.iter().sum::<f64>() / r;
                let mu_star = e.iter().map(|x| x.abs()).sum::<f64>() / r;
                let sigma = (e.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (r - 1.0)).sqrt();
                let mu_star_ci = percentile_ci(boot.iter().map(|b| b[i]).collect());
                MorrisIndices {
                    parameter: self.space.names[i].clone(),
                    mu,
                    mu_star,
                    sigma,
                    mu_star_ci,
                }
            })
            .collect();
        Ok(MorrisResult { parameters })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn space(k: usize) -> ParameterSpace {
        let m: BTreeMap<String, [f64; 2]> = (0..k).map(|i| (format!("x{i}"), [0.0, 2.0])).collect();
        ParameterSpace::new(&m).unwrap()
    }

    #[test]
    fn trajectories_move_one_parameter_by_delta() {
        let d = design(space(5), 10, 4, 3).unwrap();
        assert_eq!(d.points.len(), 10 * 6);
        assert!((d.delta - 2.0 / 3.0).abs() < 1e-15);
        for t in 0..10 {
            let traj = &d.points[t * 6..(t + 1) * 6];
            let mut moved = vec![];
            for s in 0..5 {
                let diff: Vec<usize> = (0..5).filter(|&j| traj[s][j] != traj[s + 1][j]).collect();
                assert_eq!(diff.len(), 1);
                let j = diff[0];
                // Δ in real units is 2/3 of the range 2.
                assert!(((traj[s + 1][j] - traj[s][j]).abs() - 4.0 / 3.0).abs() < 1e-12);
                moved.push(j);
            }
            moved.sort_unstable();
            assert_eq!(moved, [0, 1, 2, 3, 4]);
            assert!(traj.iter().flatten().all(|&x| (0.0..=2.0).contains(&x)));
        }
    }

    #[test]
    fn linear_model_has_exact_effects() {
        // y = 3 x0 − x1 (real units on [0, 2]); in unit coordinates the effects are 6 and −2.
        let d = design(space(3), 8, 6, 1).unwrap();
        let y: Vec<f64> = d.points.iter().map(|x| 3.0 * x[0] - x[1]).collect();
        let res = d.analyse("y", &y, 50, 1).unwrap();
        let p = &res.parameters;
        assert!((p[0].mu - 6.0).abs() < 1e-9 && (p[0].mu_star - 6.0).abs() < 1e-9);
        assert!((p[1].mu + 2.0).abs() < 1e-9 && (p[1].mu_star - 2.0).abs() < 1e-9);
        assert!(p[2].mu_star.abs() < 1e-12);
        assert!(p.iter().all(|q| q.sigma < 1e-9));
        let (lo, hi) = p[0].mu_star_ci.unwrap();
        assert!((lo - 6.0).abs() < 1e-9 && (hi - 6.0).abs() < 1e-9);
        assert_eq!(res.rows("y").len(), 9);
    }

    #[test]
    fn same_seed_same_design_other_seed_differs() {
        let a = design(space(4), 5, 4, 9).unwrap();
        let b = design(space(4), 5, 4, 9).unwrap();
        let c = design(space(4), 5, 4, 10).unwrap();
        assert_eq!(a.points, b.points);
        assert_ne!(a.points, c.points);
    }

    #[test]
    fn bad_settings_are_input_errors() {
        assert!(matches!(design(space(2), 1, 4, 0), Err(Error::Input(_))));
        assert!(matches!(design(space(2), 4, 3, 0), Err(Error::Input(_))));
        assert!(matches!(design(space(2), 4, 0, 0), Err(Error::Input(_))));
        let d = design(space(2), 4, 4, 0).unwrap();
        assert!(matches!(d.analyse("m", &[1.0], 0, 0), Err(Error::Input(_))));
    }
}
