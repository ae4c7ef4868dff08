//! Calibration by approximate Bayesian computation, rejection sampling (Pritchard et al.
//! 1999, *Mol. Biol. Evol.* 16:1791; Beaumont, Zhang & Balding 2002, *Genetics* 162:2025).
//!
//! Draw parameter sets from the priors ([`sample_priors`]); the caller runs the model at
//! each and reports the target statistics; [`AbcDesign::analyse`] computes the Euclidean
//! distance between simulated and observed statistics, each divided by its tolerance, and
//! accepts the draws with the smallest distances (the `acceptance_quantile` fraction). The
//! accepted draws approximate the posterior.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use super::{STREAM_PRIOR, quantile_sorted, rng};
use crate::rng::unit_f64;
use crate::{Error, Result};

/// A prior distribution of one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Prior {
    /// Uniform on `[low, high]`.
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Normal(mean, sd) truncated to `[low, high]` (bounds may be infinite).
    Normal {
        /// Mean of the untruncated normal.
        mean: f64,
        /// Standard deviation of the untruncated normal.
        sd: f64,
        /// Lower truncation bound.
        low: f64,
        /// Upper truncation bound.
        high: f64,
    },
}

/// The standard normal distribution.
fn std_normal() -> Normal {
    Normal::standard()
}

impl Prior {
    /// A truncated normal prior; rejects bounds that hold (almost) none of its mass.
    pub fn normal(name: &str, mean: f64, sd: f64, low: f64, high: f64) -> Result<Prior> {
        let p = Prior::Normal {
            mean,
            sd,
            low,
            high,
        };
        let (a, b, _) = p.standard_bounds();
        let z = std_normal();
        if z.cdf(b) - z.cdf(a) < 1e-12 {
            return Err(Error::input(format!(
                "prior `{name}`: the range [{low}, {high}] holds almost none of the mass of \
                 normal(mean = {mean}, sd = {sd})"
            )));
        }
        Ok(p)
    }

    /// For a normal prior: the standardised bounds, mirrored into the lower tail when the
    /// range lies above the mean (so the CDF is evaluated where it is accurate), and
    /// whether they were mirrored.
    fn standard_bounds(&self) -> (f64, f64, bool) {
        match *self {
            Prior::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                let (a, b) = ((low - mean) / sd, (high - mean) / sd);
                if a > 0.0 {
                    (-b, -a, true)
                } else {
                    (a, b, false)
                }
            }
            Prior::Uniform { .. } => (0.0, 1.0, false),
        }
    }

    /// The prior quantile at `u` in (0, 1) (inverse-CDF sampling).
    pub fn quantile(&self, u: f64) -> f64 {
        match *self {
            Prior::Uniform { low, high } => low + u * (high - low),
            Prior::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                let (a, b, mirrored) = self.standard_bounds();
                let z = std_normal();
                let (fa, fb) = (z.cdf(a), z.cdf(b));
                let x = z.inverse_cdf(fa + u * (fb - fa));
                let x = if mirrored { -x } else { x };
                (mean + sd * x).clamp(low, high)
            }
        }
    }
}

/// A calibration target: observed statistic and tolerance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// Metric name.
    pub metric: String,
    /// Observed value.
    pub observed: f64,
    /// Tolerance, the scale of the statistic in the distance.
    pub tolerance: f64,
}

impl Target {
    /// A target; the observed value must be finite and the tolerance finite and > 0.
    pub fn new(metric: &str, observed: f64, tolerance: f64) -> Result<Target> {
        if !observed.is_finite() || !tolerance.is_finite() || tolerance <= 0.0 {
            return Err(Error::input(format!(
                "calibration target `{metric}`: needs a finite observed value and a finite \
                 tolerance > 0, got observed = {observed}, tolerance = {tolerance}"
            )));
        }
        Ok(Target {
            metric: metric.to_string(),
            observed,
            tolerance,
        })
    }
}

/// Checks that an acceptance quantile is in (0, 1].
pub fn check_quantile(q: f64) -> Result<()> {
    if q > 0.0 && q <= 1.0 {
        Ok(())
    } else {
        Err(Error::input(format!(
            "calibration: acceptance_quantile must be in (0, 1], got {q}"
        )))
    }
}

/// Draws from the priors, to be evaluated by the caller.
#[derive(Debug, Clone)]
pub struct AbcDesign {
    /// Parameter names, in column order.
    pub names: Vec<String>,
    /// `points[draw][parameter]` in real units; the draw id is the index.
    pub points: Vec<Vec<f64>>,
}

/// Draws `draws` parameter sets; draw `i` uses its own stream, so it does not depend on
/// how many draws are made.
pub fn sample_priors(priors: &[(String, Prior)], draws: usize, seed: u64) -> Result<AbcDesign> {
    if priors.is_empty() {
        return Err(Error::input("calibration: the prior list is empty"));
    }
    if draws == 0 {
        return Err(Error::input("calibration: draws must be at least 1"));
    }
    let points = (0..draws as u64)
        .map(|i| {
            let mut g = rng(seed, STREAM_PRIOR, i);
            // Midpoint of a 53-bit cell: strictly inside (0, 1), so quantiles stay finite.
            priors
                .iter()
                .map(|(_, p)| p.quantile(unit_f64(&mut g) + 0.5f64.powi(54)))
                .collect()
        })
        .collect();
    Ok(AbcDesign {
        names: priors.iter().map(|(n, _)| n.clone()).collect(),
        points,
    })
}

/// One draw with its distance and verdict (a row of `calibration.csv`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AbcDraw {
    /// Draw id (index into the design).
    pub id: usize,
    /// Parameter values, in the design's column order.
    pub parameters: Vec<f64>,
    /// Normalised Euclidean distance to the targets (infinite if a statistic was not finite).
    pub distance: f64,
    /// Whether the draw is in the accepted quantile.
    pub accepted: bool,
}

/// Posterior summary of one parameter from the accepted draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PosteriorSummary {
    /// Parameter path.
    pub parameter: String,
    /// Posterior mean.
    pub mean: f64,
    /// Posterior standard deviation (None with one accepted draw).
    pub sd: Option<f64>,
    /// 5% quantile (lower end of the 90% interval).
    pub q05: f64,
    /// 95% quantile (upper end of the 90% interval).
    pub q95: f64,
}

/// The outcome of ABC rejection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AbcResult {
    /// Parameter names, in column order.
    pub names: Vec<String>,
    /// Every draw, by id.
    pub draws: Vec<AbcDraw>,
    /// Number of accepted draws.
    pub accepted: usize,
    /// Largest accepted distance (the effective ABC tolerance).
    pub threshold: f64,
    /// Posterior summaries, by parameter.
    pub posterior: Vec<PosteriorSummary>,
}

impl AbcDesign {
    /// Accepts the `acceptance_quantile` fraction (rounded up, at least one) of draws with
    /// the smallest distance; `statistics[draw][t]` is the simulated value of `targets[t]`.
    /// Ties are broken by draw id. Draws with a non-finite statistic are never accepted.
    pub fn analyse(
        &self,
        targets: &[Target],
        statistics: &[Vec<f64>],
        acceptance_quantile: f64,
    ) -> Result<AbcResult> {
        check_quantile(acceptance_quantile)?;
        if targets.is_empty() {
            return Err(Error::input("calibration: the target list is empty"));
        }
        if statistics.len() != self.points.len()
            || statistics.iter().any(|s| s.len() != targets.len())
        {
            return Err(Error::input(format!(
                "calibration: expected {} rows of {} statistics, one per draw",
                self.points.len(),
                targets.len()
            )));
        }
        let distance = |s: &[f64]| {
            let d2: f64 = s
                .iter()
                .zip(targets)
                .map(|(x, t)| ((x - t.observed) / t.tolerance).powi(2))
                .sum();
            if d2.is_finite() {
                d2.sqrt()
            } else {
                f64::INFINITY
            }
        };
        let dist: Vec<f64> = statistics.iter().map(|s| distance(s)).collect();
        let mut order: Vec<usize> = (0..dist.len()).filter(|&i| dist[i].is_finite()).collect();
        if order.is_empty() {
            return Err(Error::input(
                "calibration: no draw produced finite target statistics",
            ));
        }
        order.sort_by(|&i, &j| dist[i].total_cmp(&dist[j]).then(i.cmp(&j)));
        let want = (acceptance_quantile * dist.len() as f64).ceil().max(1.0) as usize;
        order.truncate(want);
        let mut accepted = vec![false; dist.len()];
        for &i in &order {
            accepted[i] = true;
        }
        let posterior = self
            .names
            .iter()
            .enumerate()
            .map(|(p, name)| {
                let mut v: Vec<f64> = order.iter().map(|&i| self.points[i][p]).collect();
                v.sort_by(f64::total_cmp);
                PosteriorSummary {
                    parameter: name.clone(),
                    mean: crate::stats::mean(&v),
                    sd: crate::stats::sd(&v),
                    q05: quantile_sorted(&v, 0.05),
                    q95: quantile_sorted(&v, 0.95),
                }
            })
            .collect();
        let draws = (0..dist.len())
            .map(|i| AbcDraw {
                id: i,
                parameters: self.points[i].clone(),
                distance: dist[i],
                accepted: accepted[i],
            })
            .collect();
        Ok(AbcResult {
            names: self.names.clone(),
            draws,
            accepted: order.len(),
            threshold: dist[*order.last().unwrap_or(&0)],
            posterior,
        })
    }
}

/// Writes `draw,<parameters...>,distance,accepted` rows, one per draw.
pub fn write_calibration<W: Write>(out: W, result: &AbcResult) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["draw".to_string()];
    header.extend(result.names.iter().cloned());
    header.extend(["distance".to_string(), "accepted".to_string()]);
    w.write_record(&header)?;
    for d in &result.draws {
        let mut rec = vec![d.id.to_string()];
        rec.extend(d.parameters.iter().map(f64::to_string));
        rec.extend([d.distance.to_string(), d.accepted.to_string()]);
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes `calibration.csv` at `path` (see [`write_calibration`]).
pub fn write_calibration_csv(path: &Path, result: &AbcResult) -> Result<()> {
    crate::output::write_atomic(path, |w| {
        write_calibration(w, result).map_err(std::io::Error::other)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, stream};
    use rand_distr::{Distribution, Normal as NormalDist};

    /// Toy stochastic model: the mean and sd of 50 draws from Normal(mu, sigma).
    fn toy(mu: f64, sigma: f64, seed: u64) -> Vec<f64> {
        let mut g = stream(seed, Purpose::Verify, 77, 0);
        let d = NormalDist::new(mu, sigma).unwrap();
        let x: Vec<f64> = (0..50).map(|_| d.sample(&mut g)).collect();
        vec![crate::stats::mean(&x), crate::stats::sd(&x).unwrap()]
    }

    #[test]
    fn recovers_known_parameters_of_a_toy_model() {
        let (mu, sigma) = (2.0, 1.5);
        let observed = toy(mu, sigma, u64::MAX);
        let targets = [
            Target::new("mean", observed[0], 0.2).unwrap(),
            Target::new("sd", observed[1], 0.15).unwrap(),
        ];
        let priors = [
            (
                "mu".to_string(),
                Prior::Uniform {
                    low: -5.0,
                    high: 5.0,
                },
            ),
            (
                "sigma".to_string(),
                Prior::normal("sigma", 2.0, 2.0, 0.1, 6.0).unwrap(),
            ),
        ];
        let design = sample_priors(&priors, 20_000, 11).unwrap();
        let stats: Vec<Vec<f64>> = design
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| toy(p[0], p[1], i as u64))
            .collect();
        let res = design.analyse(&targets, &stats, 0.02).unwrap();
        assert_eq!(res.accepted, 400);
        assert_eq!(res.draws.iter().filter(|d| d.accepted).count(), 400);
        for (post, truth, prior_sd) in [
            (&res.posterior[0], mu, 10.0 / 12f64.sqrt()),
            (&res.posterior[1], sigma, 1.5),
        ] {
            assert!(post.q05 < truth && truth < post.q95, "{post:?}");
            // The data must have taught something: the posterior is much narrower.
            assert!(post.sd.unwrap() < prior_sd / 3.0, "{post:?}");
        }
        let mut buf = Vec::new();
        write_calibration(&mut buf, &res).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.starts_with("draw,mu,sigma,distance,accepted\n0,"));
        assert_eq!(text.lines().count(), 20_001);
    }

    #[test]
    fn truncated_normal_stays_in_bounds_even_in_the_tail() {
        let p = Prior::normal("x", 0.0, 1.0, 5.0, 6.0).unwrap();
        let d = sample_priors(&[("x".into(), p)], 2000, 3).unwrap();
        assert!(d.points.iter().all(|x| (5.0..=6.0).contains(&x[0])));
        let m = d.points.iter().map(|x| x[0]).sum::<f64>() / 2000.0;
        // Mean of N(0,1) truncated to [5, 6] ≈ 5.186.
        assert!((m - 5.186).abs() < 0.02, "{m}");
        assert!(Prior::normal("x", 0.0, 1.0, 40.0, 41.0).is_err());
    }

    #[test]
    fn bad_inputs_are_input_errors() {
        let d = sample_priors(
            &[(
                "x".into(),
                Prior::Uniform {
                    low: 0.0,
                    high: 1.0,
                },
            )],
            10,
            0,
        )
        .unwrap();
        let t = [Target::new("m", 0.0, 1.0).unwrap()];
        let s = vec![vec![0.5]; 10];
        for q in [0.0, -0.1, 1.5, f64::NAN] {
            assert!(
                matches!(d.analyse(&t, &s, q), Err(Error::Input(_))),
                "q = {q}"
            );
        }
        assert_eq!(d.analyse(&t, &s, 1.0).unwrap().accepted, 10);
        assert!(d.analyse(&t, &s[..9], 0.5).is_err());
        assert!(Target::new("m", 0.0, 0.0).is_err());
        assert!(sample_priors(&[], 10, 0).is_err());
        let mut nan = s.clone();
        nan[0][0] = f64::NAN;
        let r = d.analyse(&t, &nan, 1.0).unwrap();
        assert!(!r.draws[0].accepted && r.accepted == 9);
    }
}
