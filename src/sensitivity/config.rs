//! The `[sensitivity]` and `[calibration]` sections of a scenario file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::abc::{AbcDesign, AbcResult, Prior, Target, check_quantile, sample_priors};
use super::check_range;
use crate::scenario::limits::RUNS;
use crate::scenario::schema::KeyDoc;
use crate::scenario::schema::{Meta, Param};
use crate::{Error, Result};

/// Which sensitivity method to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Morris elementary-effects screening: cheap, ranks parameters.
    #[default]
    Morris,
    /// Sobol' variance-based indices (Saltelli design): quantitative, costlier.
    Sobol,
}

crate::section! {
    /// The `[sensitivity]` section.
    ///
    /// ```toml
    /// [sensitivity]
    /// method = "sobol"
    /// n = 1024
    /// parameters = { "activation.threshold" = [0.1, 0.4], "trust.alpha_plus" = [0.01, 0.1] }
    /// metrics = ["active_share_mean"]
    /// ```
    pub struct SensitivityConfig {
        /// `"morris"` (default) or `"sobol"`; may also be written `design`. In a scenario,
        /// `[experiment] design = "morris"` / `"sobol"` decides and this field is ignored.
        #[serde(alias = "design")]
        pub method: Method = Method::Morris, "", OneOf(&["morris", "sobol"]);
        /// Morris: number of trajectories r (cost r(k + 1) runs); may be written `trajectories`.
        #[serde(alias = "trajectories")]
        pub r: usize = 20, "count", Range(2.0, RUNS);
        /// Morris: number of grid levels p (even; the step is p / (2(p − 1)) of the range).
        pub levels: usize = 4, "count", Range(2.0, 1000.0);
        /// Sobol: base sample size N, a power of two (cost N(k + 2) runs, N(2k + 2) with S2).
        pub n: usize = 256, "count", Range(2.0, 65_536.0);
        /// Sobol: also estimate second-order indices S2.
        pub second_order: bool = false, "", Any;
        /// Bootstrap resamples for the 95% intervals (0: no intervals, written NA).
        pub bootstrap: usize = 1000, "count", Range(0.0, 10_000.0);
        /// Parameter path → `[low, high]`, sampled uniformly over the range.
        pub parameters: BTreeMap<String, [f64; 2]> = BTreeMap::new(), "", Any;
        /// Output metrics (per-run summary columns) to analyse (empty: [`DEFAULT_METRICS`]).
        pub metrics: Vec<String> = Vec::new(), "", Any;
    }
}

/// The `[sensitivity]` keys for the ODD (kept in step with the struct by a test).
pub const SENSITIVITY_KEYS: &[KeyDoc] = &[
    KeyDoc {
        path: "sensitivity.parameters",
        default: "",
        doc: "Parameter path → [low, high]: the parameters varied and their ranges (sampled uniformly). Required.",
    },
    KeyDoc {
        path: "sensitivity.metrics",
        default: "",
        doc: "Summary columns analysed (a bare metric name means its `_final` for a stock, `_total` for a flow); empty: active_share_mean, trust_institutional_mean_final, collective_petitions_total, issues_resolved_total, resolution_days_mean_final.",
    },
    KeyDoc {
        path: "sensitivity.r",
        default: "",
        doc: "Morris: trajectories r (cost r(k + 1) design points for k parameters); also written `trajectories`.",
    },
    KeyDoc {
        path: "sensitivity.levels",
        default: "",
        doc: "Morris: grid levels p, an even number ≥ 2 (the step is p / (2(p − 1)) of the range).",
    },
    KeyDoc {
        path: "sensitivity.n",
        default: "",
        doc: "Sobol: base sample size N, a power of two (cost N(k + 2) design points, N(2k + 2) with second order).",
    },
    KeyDoc {
        path: "sensitivity.second_order",
        default: "",
        doc: "Sobol: also estimate second-order indices S2.",
    },
    KeyDoc {
        path: "sensitivity.bootstrap",
        default: "",
        doc: "Bootstrap resamples for the 95% intervals of the indices (0: none, written NA).",
    },
    KeyDoc {
        path: "sensitivity.method",
        default: "",
        doc: "\"morris\" or \"sobol\"; in a scenario, `experiment.design` decides and this key is ignored (also written `design`).",
    },
];

/// The `[calibration]` keys for the ODD (kept in step with the struct by a test).
pub const CALIBRATION_KEYS: &[KeyDoc] = &[
    KeyDoc {
        path: "calibration.targets.<metric>",
        default: "{ observed = .., tolerance = .. }",
        doc: "Observed value of a summary column (a bare metric name means its `_final` or `_total`) and the tolerance (> 0) that scales its distance. At least one.",
    },
    KeyDoc {
        path: "calibration.priors.<path>",
        default: "{ low = .., high = .. }",
        doc: "Prior of a numeric model parameter: `dist = \"uniform\"` (default; needs low and high) or `\"normal\"` (mean, sd > 0; low and high truncate). At least one.",
    },
    KeyDoc {
        path: "calibration.draws",
        default: "",
        doc: "Draws from the prior (each runs `replicates` model runs).",
    },
    KeyDoc {
        path: "calibration.acceptance_quantile",
        default: "",
        doc: "Fraction of draws with the smallest distance accepted, in (0, 1].",
    },
    KeyDoc {
        path: "calibration.replicates",
        default: "",
        doc: "Model runs per draw, averaged (each with its own seed); 0: `experiment.replicates`.",
    },
];

/// The summary columns analysed when `metrics` is empty.
pub const DEFAULT_METRICS: [&str; 5] = [
    "active_share_mean",
    "trust_institutional_mean_final",
    "collective_petitions_total",
    "issues_resolved_total",
    "resolution_days_mean_final",
];

impl SensitivityConfig {
    /// Points of the design, counted without sampling it: `r(k + 1)` for Morris, `N(k + 2)`
    /// (`N(2k + 2)` with second-order indices) for Sobol' (saturating).
    pub fn design_points(&self, sobol: bool) -> u64 {
        let k = self.parameters.len() as u64;
        if sobol {
            let block = if self.second_order { 2 * k + 2 } else { k + 2 };
            (self.n as u64).saturating_mul(block)
        } else {
            (self.r as u64).saturating_mul(k + 1)
        }
    }

    /// The metrics to analyse: `metrics`, or [`DEFAULT_METRICS`] when empty.
    pub fn metric_names(&self) -> Vec<String> {
        if self.metrics.is_empty() {
            DEFAULT_METRICS.iter().map(|m| m.to_string()).collect()
        } else {
            self.metrics.clone()
        }
    }
}

/// One calibration target: an observed summary statistic and its tolerance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    /// The observed value of the metric.
    pub observed: f64,
    /// Scale of acceptable mismatch (> 0): each statistic's distance is divided by it.
    pub tolerance: f64,
}

/// A prior's family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dist {
    /// Uniform on `[low, high]`.
    #[default]
    Uniform,
    /// Normal(mean, sd), truncated to `[low, high]` when given.
    Normal,
}

/// One parameter's prior.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorConfig {
    /// `"uniform"` (default) or `"normal"`.
    #[serde(default)]
    pub dist: Dist,
    /// Lower bound (required for uniform; optional truncation for normal).
    #[serde(default)]
    pub low: Option<f64>,
    /// Upper bound (required for uniform; optional truncation for normal).
    #[serde(default)]
    pub high: Option<f64>,
    /// Mean (normal only).
    #[serde(default)]
    pub mean: Option<f64>,
    /// Standard deviation, > 0 (normal only).
    #[serde(default)]
    pub sd: Option<f64>,
}

crate::section! {
    /// The `[calibration]` section: ABC rejection.
    ///
    /// ```toml
    /// [calibration]
    /// draws = 2000
    /// acceptance_quantile = 0.05
    /// targets = { active_share_mean = { observed = 0.18, tolerance = 0.02 } }
    /// priors = { "activation.threshold" = { dist = "uniform", low = 0.1, high = 0.5 } }
    /// ```
    pub struct CalibrationConfig {
        /// Metric → observed value and tolerance.
        pub targets: BTreeMap<String, TargetConfig> = BTreeMap::new(), "", Any;
        /// Parameter path → prior.
        pub priors: BTreeMap<String, PriorConfig> = BTreeMap::new(), "", Any;
        /// Number of draws from the prior (each is one model evaluation).
        pub draws: usize = 1000, "count", Range(1.0, RUNS);
        /// Fraction of draws with the smallest distance that is accepted, in (0, 1].
        pub acceptance_quantile: f64 = 0.05, "share", Above(0.0, 1.0);
        /// Model runs per draw, averaged (each run with its own seed); 0: use
        /// `experiment.replicates`.
        pub replicates: u32 = 0, "count", Range(0.0, RUNS);
    }
}

// Targets and priors are keyed by the user's metric and parameter names; their own fields
// are checked by `Target::new` and `PriorConfig::prior`.
impl crate::scenario::schema::Node for BTreeMap<String, TargetConfig> {
    fn visit_node(&self, _: &Self, _: &str, _: Meta, _: &mut Vec<Param>) {}
}

impl crate::scenario::schema::Node for BTreeMap<String, PriorConfig> {
    fn visit_node(&self, _: &Self, _: &str, _: Meta, _: &mut Vec<Param>) {}
}

impl crate::scenario::schema::Node for Method {
    fn visit_node(&self, default: &Self, path: &str, meta: Meta, out: &mut Vec<Param>) {
        let text = |m: &Method| toml::Value::String(format!("{m:?}").to_lowercase());
        out.push(Param {
            path: path.to_string(),
            value: text(self),
            default: text(default),
            meta,
        });
    }
}

impl PriorConfig {
    /// The validated prior of parameter `name`.
    pub fn prior(&self, name: &str) -> Result<Prior> {
        match self.dist {
            Dist::Uniform => {
                if self.mean.is_some() || self.sd.is_some() {
                    return Err(Error::input(format!(
                        "prior `{name}`: a uniform prior takes low and high, not mean or sd"
                    )));
                }
                let (Some(low), Some(high)) = (self.low, self.high) else {
                    return Err(Error::input(format!(
                        "prior `{name}`: a uniform prior needs both low and high"
                    )));
                };
                check_range(name, low, high)?;
                Ok(Prior::Uniform { low, high })
            }
            Dist::Normal => {
                let (Some(mean), Some(sd)) = (self.mean, self.sd) else {
                    return Err(Error::input(format!(
                        "prior `{name}`: a normal prior needs mean and sd"
                    )));
                };
                if !mean.is_finite() || !sd.is_finite() || sd <= 0.0 {
                    return Err(Error::input(format!(
                        "prior `{name}`: a normal prior needs a finite mean and a finite sd > 0, \
                         got mean = {mean}, sd = {sd}"
                    )));
                }
                let low = self.low.unwrap_or(f64::NEG_INFINITY);
                let high = self.high.unwrap_or(f64::INFINITY);
                if low.is_nan() || high.is_nan() || low >= high {
                    return Err(Error::input(format!(
                        "prior `{name}`: the truncation range [{low}, {high}] needs low < high"
                    )));
                }
                Prior::normal(name, mean, sd, low, high)
            }
        }
    }
}

impl CalibrationConfig {
    /// The priors as `(name, prior)` in name order, validated.
    pub fn priors(&self) -> Result<Vec<(String, Prior)>> {
        if self.priors.is_empty() {
            return Err(Error::input(
                "calibration: no priors given; name at least one parameter",
            ));
        }
        self.priors
            .iter()
            .map(|(n, p)| Ok((n.clone(), p.prior(n)?)))
            .collect()
    }

    /// The targets in metric-name order, validated.
    pub fn targets(&self) -> Result<Vec<Target>> {
        if self.targets.is_empty() {
            return Err(Error::input(
                "calibration: no targets given; name at least one metric",
            ));
        }
        self.targets
            .iter()
            .map(|(m, t)| Target::new(m, t.observed, t.tolerance))
            .collect()
    }

    /// Validates the whole section (so that bad input fails before any model run) and
    /// draws `draws` parameter sets from the priors.
    pub fn design(&self, seed: u64) -> Result<AbcDesign> {
        self.targets()?;
        check_quantile(self.acceptance_quantile)?;
        sample_priors(&self.priors()?, self.draws, seed)
    }

    /// ABC rejection on the caller's statistics: `statistics[draw][t]` is the simulated
    /// value of the `t`-th target in metric-name order (the order of [`Self::targets`]).
    pub fn analyse(&self, design: &AbcDesign, statistics: &[Vec<f64>]) -> Result<AbcResult> {
        design.analyse(&self.targets()?, statistics, self.acceptance_quantile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_docs_list_every_field() {
        use crate::scenario::schema::top_keys;
        let fields = |v: toml::Value| -> std::collections::BTreeSet<String> {
            v.as_table().unwrap().keys().cloned().collect()
        };
        let s = toml::Value::try_from(SensitivityConfig::default()).unwrap();
        assert_eq!(top_keys("sensitivity", SENSITIVITY_KEYS), fields(s));
        let c = toml::Value::try_from(CalibrationConfig::default()).unwrap();
        assert_eq!(top_keys("calibration", CALIBRATION_KEYS), fields(c));
        for m in DEFAULT_METRICS {
            assert!(SENSITIVITY_KEYS[1].doc.contains(m), "{m}");
        }
    }

    #[test]
    fn sensitivity_section_parses_with_defaults_and_aliases() {
        let c: SensitivityConfig = toml::from_str(
            r#"design = "sobol"
               second_order = true
               parameters = { "a.b" = [0.0, 1.0] }"#,
        )
        .unwrap();
        assert_eq!(c.method, Method::Sobol);
        assert_eq!((c.r, c.levels, c.n, c.bootstrap), (20, 4, 256, 1000));
        assert!(c.second_order && c.metrics.is_empty());
        let m: SensitivityConfig =
            toml::from_str("trajectories = 7\nparameters = { x = [1.0, 2.0] }").unwrap();
        assert_eq!((m.method, m.r), (Method::Morris, 7));
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let e = toml::from_str::<SensitivityConfig>("nn = 3\nparameters = {}").unwrap_err();
        assert!(e.to_string().contains("unknown field"), "{e}");
        assert!(toml::from_str::<SensitivityConfig>("method = \"fast\"\nparameters = {}").is_err());
        let e = toml::from_str::<CalibrationConfig>(
            "targets = { m = { observed = 1.0, tol = 1.0 } }\npriors = {}",
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown field"), "{e}");
    }

    #[test]
    fn calibration_section_validates_priors() {
        let c: CalibrationConfig = toml::from_str(
            r#"targets = { m = { observed = 1.0, tolerance = 0.5 } }
               [priors]
               a = { low = 0.0, high = 1.0 }
               b = { dist = "normal", mean = 0.0, sd = 1.0, low = -1.0 }"#,
        )
        .unwrap();
        assert_eq!((c.draws, c.acceptance_quantile), (1000, 0.05));
        let p = c.priors().unwrap();
        assert_eq!(
            p[0],
            (
                "a".into(),
                Prior::Uniform {
                    low: 0.0,
                    high: 1.0
                }
            )
        );
        assert_eq!(c.targets().unwrap().len(), 1);
        assert_eq!(c.design(1).unwrap().points.len(), 1000);
        let q = CalibrationConfig {
            acceptance_quantile: 1.5,
            ..c.clone()
        };
        assert!(
            q.design(1)
                .unwrap_err()
                .to_string()
                .contains("acceptance_quantile")
        );
        let d = CalibrationConfig {
            draws: 0,
            ..c.clone()
        };
        assert!(matches!(d.design(1), Err(Error::Input(_))));
        let bad = |s: &str| {
            toml::from_str::<PriorConfig>(s)
                .unwrap()
                .prior("x")
                .unwrap_err()
        };
        assert!(bad("low = 1.0").to_string().contains("both low and high"));
        assert!(
            bad("low = 1.0\nhigh = 1.0")
                .to_string()
                .contains("low < high")
        );
        assert!(
            bad("dist = \"normal\"\nmean = 0.0\nsd = 0.0")
                .to_string()
                .contains("sd > 0")
        );
        assert!(
            bad("dist = \"normal\"\nmean = 0.0")
                .to_string()
                .contains("mean and sd")
        );
        assert!(
            bad("mean = 0.0\nlow = 0.0\nhigh = 1.0")
                .to_string()
                .contains("uniform")
        );
    }
}
