//! Variance-based (Sobol') sensitivity indices by the Saltelli sampling scheme.
//!
//! Two `N × k` matrices A and B come from one Owen-scrambled Sobol' sequence of dimension
//! 2k (Burley 2020, via `sobol_burley`): A from dimensions `0..k`, B from `k..2k`. The
//! matrix `AB_i` is A with column `i` taken from B (and `BA_i` is B with column `i` from
//! A, for second-order indices). Per sample `j` the points are evaluated in the order
//! `A, AB_1..AB_k, [BA_1..BA_k,] B`: `N(k + 2)` runs, or `N(2k + 2)` with second order.
//!
//! Estimators, with V the variance of the outputs at A and B together:
//! - first order: `S_i = mean(f(B)(f(AB_i) − f(A))) / V` (Saltelli et al. 2010, *Comput.
//!   Phys. Commun.* 181:259, Table 2 (b));
//! - total: `ST_i = mean((f(A) − f(AB_i))²) / (2V)` (Jansen 1999, *Comput. Phys. Commun.*
//!   117:35; Saltelli et al. 2010, Table 2 (f));
//! - second order: `S_ij = mean(f(BA_i) f(AB_j) − f(A) f(B)) / V − S_i − S_j` (Saltelli
//!   2002, *Comput. Phys. Commun.* 145:280).
//!
//! Outputs are centred on their A∪B mean first (as SALib does), which leaves the indices'
//! expectations unchanged and reduces the estimators' variance when the mean is large.
//! Confidence intervals are bootstrap percentile intervals over resampled rows `j`.

use rayon::prelude::*;
use serde::Serialize;

use super::{
    ParameterSpace, STREAM_BOOTSTRAP, STREAM_DESIGN, SensitivityRow, check_outputs, percentile_ci,
    rng,
};
use crate::rng::index;
use crate::{Error, Result};

/// Largest base sample size: the `sobol_burley` sequence has 2^16 points.
pub const MAX_N: usize = 1 << 16;
/// Largest number of parameters: the sequence has 256 dimensions and A, B need 2k.
pub const MAX_PARAMETERS: usize = sobol_burley::NUM_DIMENSIONS as usize / 2;

/// A sampled Saltelli design.
#[derive(Debug, Clone)]
pub struct SobolDesign {
    /// The parameters.
    pub space: ParameterSpace,
    /// Base sample size N (a power of two).
    pub n: usize,
    /// Whether the `BA_i` points for second-order indices are included.
    pub second_order: bool,
    /// The points in real units: `N` blocks of `k + 2` (or `2k + 2`) points.
    pub points: Vec<Vec<f64>>,
}

/// Samples the design: base `n` a power of two in `2..=65536`, at most 128 parameters.
pub fn design(
    space: ParameterSpace,
    n: usize,
    second_order: bool,
    seed: u64,
) -> Result<SobolDesign> {
    if !n.is_power_of_two() || !(2..=MAX_N).contains(&n) {
        return Err(Error::input(format!(
            "sensitivity: Sobol base sample size n must be a power of two from 2 to {MAX_N} \
             (e.g. 1024), got {n}"
        )));
    }
    let k = space.len();
    if k > MAX_PARAMETERS {
        return Err(Error::input(format!(
            "sensitivity: Sobol analysis supports at most {MAX_PARAMETERS} parameters, got {k}"
        )));
    }
    use rand::Rng as _;
    let scramble = rng(seed, STREAM_DESIGN, 0).next_u32();
    let unit = |j: usize, d: usize| sobol_burley::sample(j as u32, d as u32, scramble) as f64;
    let block = if second_order { 2 * k + 2 } else { k + 2 };
    let mut points = Vec::with_capacity(n * block);
    for j in 0..n {
        let a: Vec<f64> = (0..k).map(|d| unit(j, d)).collect();
        let b: Vec<f64> = (0..k).map(|d| unit(j, k + d)).collect();
        points.push(space.scale(&a));
        let swapped = |base: &[f64], other: &[f64], i: usize| {
            let mut x = base.to_vec();
            x[i] = other[i];
            space.scale(&x)
        };
        points.extend((0..k).map(|i| swapped(&a, &b, i)));
        if second_order {
            points.extend((0..k).map(|i| swapped(&b, &a, i)));
        }
        points.push(space.scale(&b));
    }
    Ok(SobolDesign {
        space,
        n,
        second_order,
        points,
    })
}

/// First-order and total indices of one parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolIndices {
    /// Parameter path.
    pub parameter: String,
    /// First-order index S1.
    pub s1: f64,
    /// Bootstrap 95% interval of S1.
    pub s1_ci: Option<(f64, f64)>,
    /// Total index ST.
    pub st: f64,
    /// Bootstrap 95% interval of ST.
    pub st_ci: Option<(f64, f64)>,
}

/// Second-order index of a pair of parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecondOrderIndex {
    /// `x_i:x_j`, both parameter paths.
    pub parameters: String,
    /// Second-order index S2.
    pub s2: f64,
    /// Bootstrap 95% interval of S2.
    pub s2_ci: Option<(f64, f64)>,
}

/// Sobol' indices of every parameter, for one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolResult {
    /// Variance of the output over the A and B points.
    pub variance: f64,
    /// S1 and ST per parameter, in the design's order.
    pub parameters: Vec<SobolIndices>,
    /// S2 per pair `i < j` (empty without second order).
    pub second_order: Vec<SecondOrderIndex>,
}

impl SobolResult {
    /// `sensitivity.csv` rows: `S1`, `ST` per parameter, then `S2` per pair.
    pub fn rows(&self, metric: &str) -> Vec<SensitivityRow> {
        let mut rows = Vec::new();
        for p in &self.parameters {
            rows.push(SensitivityRow::new(
                metric,
                &p.parameter,
                "S1",
                p.s1,
                p.s1_ci,
            ));
            rows.push(SensitivityRow::new(
                metric,
                &p.parameter,
                "ST",
                p.st,
                p.st_ci,
            ));
        }
        for s in &self.second_order {
            rows.push(SensitivityRow::new(
                metric,
                &s.parameters,
                "S2",
                s.s2,
                s.s2_ci,
            ));
        }
        rows
    }
}

/// Point estimates on a set of rows: (V, S1, ST, S2 by pair).
struct Estimate {
    variance: f64,
    s1: Vec<f64>,
    st: Vec<f64>,
    s2: Vec<f64>,
}

impl SobolDesign {
    fn block(&self) -> usize {
        let k = self.space.len();
        if self.second_order { 2 * k + 2 } else { k + 2 }
    }

    /// The estimators on rows `rows` of the centred outputs `y`.
    fn estimate(&self, y: &[f64], rows: &[usize]) -> Estimate {
        let k = self.space.len();
        let w = self.block();
        let m = rows.len() as f64;
        let at = |j: usize, c: usize| y[j * w + c];
        let (a, b) = (0, w - 1);
        let (mut s, mut ss) = (0.0, 0.0);
        for &j in rows {
            s += at(j, a) + at(j, b);
            ss += at(j, a).powi(2) + at(j, b).powi(2);
        }
        let mean = s / (2.0 * m);
        let variance = ss / (2.0 * m) - mean * mean;
        let mean_over = |f: &dyn Fn(usize) -> f64| rows.iter().map(|&j| f(j)).sum::<f64>() / m;
        let s1: Vec<f64> = (0..k)
            .map(|i| mean_over(&|j| at(j, b) * (at(j, 1 + i) - at(j, a))) / variance)
            .collect();
        let st: Vec<f64> = (0..k)
            .map(|i| mean_over(&|j| (at(j, a) - at(j, 1 + i)).powi(2)) / (2.0 * variance))
            .collect();
        let mut s2 = Vec::new();
        if self.second_order {
            for i in 0..k {
                for l in i + 1..k {
                    let v = mean_over(&|j| at(j, 1 + k + i) * at(j, 1 + l) - at(j, a) * at(j, b));
                    s2.push(v / variance - s1[i] - s1[l]);
                }
            }
        }
        Estimate {
            variance,
            s1,
            st,
            s2,
        }
    }

    /// S1, ST (and S2) from one output per point; `bootstrap` resamples of the rows give
    /// 95% percentile intervals (0: none).
    pub fn analyse(
        &self,
        metric: &str,
        outputs: &[f64],
        bootstrap: usize,
        seed: u64,
    ) -> Result<SobolResult> {
        check_outputs(metric, outputs, self.points.len())?;
        let w = self.block();
        let centre = (0..self.n)
            .map(|j| outputs[j * w] + outputs[j * w + w - 1])
            .sum::<f64>()
            / (2 * self.n) as f64;
        let y: Vec<f64> = outputs.iter().map(|v| v - centre).collect();
        let all: Vec<usize> = (0..self.n).collect();
        let est = self.estimate(&y, &all);
        if est.variance <= 0.0 {
            return Err(Error::input(format!(
                "metric `{metric}`: the output does not vary over the design, so its Sobol \
                 indices are undefined"
            )));
        }
        // Each resample is a function of its own stream only: thread-count independent.
        let boot: Vec<Estimate> = (0..bootstrap as u64)
            .into_par_iter()
            .map(|r| {
                let mut g = rng(seed, STREAM_BOOTSTRAP, r);
                let rows: Vec<usize> = (0..self.n).map(|_| index(&mut g, self.n)).collect();
                self.estimate(&y, &rows)
            })
            .collect();
        let ci = |f: &dyn Fn(&Estimate) -> f64| percentile_ci(boot.iter().map(f).collect());
        let names = &self.space.names;
        let parameters = (0..names.len())
            .map(|i| SobolIndices {
                parameter: names[i].clone(),
                s1: est.s1[i],
                s1_ci: ci(&|e| e.s1[i]),
                st: est.st[i],
                st_ci: ci(&|e| e.st[i]),
            })
            .collect();
        // Pairs i < l in the order `estimate` lists them (empty without second order).
        let pairs = (0..names.len()).flat_map(|i| (i + 1..names.len()).map(move |l| (i, l)));
        let second_order = pairs
            .zip(0..est.s2.len())
            .map(|((i, l), p)| SecondOrderIndex {
                parameters: format!("{}:{}", names[i], names[l]),
                s2: est.s2[p],
                s2_ci: ci(&|e| e.s2[p]),
            })
            .collect();
        Ok(SobolResult {
            variance: est.variance,
            parameters,
            second_order,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn space(k: usize) -> ParameterSpace {
        let m: BTreeMap<String, [f64; 2]> =
            (0..k).map(|i| (format!("x{i}"), [-1.0, 1.0])).collect();
        ParameterSpace::new(&m).unwrap()
    }

    #[test]
    fn design_has_saltelli_structure() {
        let k = 3;
        let d = design(space(k), 8, true, 5).unwrap();
        assert_eq!(d.points.len(), 8 * (2 * k + 2));
        for blk in d.points.chunks(2 * k + 2) {
            let (a, b) = (&blk[0], &blk[2 * k + 1]);
            for i in 0..k {
                for c in 0..k {
                    assert_eq!(blk[1 + i][c], if c == i { b[c] } else { a[c] });
                    assert_eq!(blk[1 + k + i][c], if c == i { a[c] } else { b[c] });
                }
            }
        }
        assert_eq!(
            design(space(k), 8, false, 5).unwrap().points.len(),
            8 * (k + 2)
        );
    }

    #[test]
    fn additive_model_matches_theory() {
        // y = x0 + 2 x1 with x ~ U[−1, 1]: V = 1/3 + 4/3, S = (0.2, 0.8, 0), no interactions.
        let d = design(space(3), 4096, true, 2).unwrap();
        let y: Vec<f64> = d.points.iter().map(|x| 100.0 + x[0] + 2.0 * x[1]).collect();
        let r = d.analyse("y", &y, 0, 0).unwrap();
        let expect = [0.2, 0.8, 0.0];
        for (p, e) in r.parameters.iter().zip(expect) {
            assert!((p.s1 - e).abs() < 0.01, "{p:?}");
            assert!((p.st - e).abs() < 0.01, "{p:?}");
            assert!(p.s1_ci.is_none());
        }
        assert_eq!(r.second_order.len(), 3);
        assert!(r.second_order.iter().all(|s| s.s2.abs() < 0.01));
        assert_eq!(r.rows("y").len(), 9);
        assert_eq!(r.rows("y")[6].parameter, "x0:x1");
    }

    #[test]
    fn bad_n_and_constant_output_are_input_errors() {
        for n in [0, 1, 3, 1000, 1 << 17] {
            assert!(
                matches!(design(space(2), n, false, 0), Err(Error::Input(_))),
                "n = {n}"
            );
        }
        let d = design(space(2), 4, false, 0).unwrap();
        let y = vec![1.0; d.points.len()];
        assert!(matches!(d.analyse("y", &y, 0, 0), Err(Error::Input(_))));
    }
}
