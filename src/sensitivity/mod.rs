//! Global sensitivity analysis (Morris screening, Sobol' indices) and ABC calibration.
//!
//! Every method follows the same three steps, so that one code path serves the ABM and the
//! built-in Ishigami test model ([`ishigami`]):
//!
//! 1. **design**: [`Design::new`] or [`CalibrationConfig::design`] (or [`morris::design`],
//!    [`sobol::design`], [`abc::sample_priors`]) turns named parameter ranges or priors into
//!    a list of parameter points in real units; bad input fails here, before any model run;
//! 2. **evaluate** (outside this module): the caller runs the model at every point. For a
//!    stochastic model it runs replicates and averages them per point with
//!    [`average_replicates`];
//! 3. **analyse**: [`Design::analyse`] or [`CalibrationConfig::analyse`] (or the per-method
//!    `analyse`) turns the outputs, one per point and in the order of the points, into
//!    indices ([`Analysis`], whose [`Analysis::rows`] go to [`sensitivity_table`]) or
//!    an ABC posterior ([`abc::AbcResult`], written by [`abc::write_calibration_csv`]).
//!
//! All randomness comes from [`crate::rng::stream`] with [`Purpose::Sensitivity`]
//! (`a` = 1 design, 2 bootstrap, 3 prior draws), so results depend only on the seed.

pub mod abc;
pub mod calibrate;
pub mod config;
pub mod inert;
pub mod ishigami;
pub mod morris;
pub mod sobol;

use std::collections::BTreeMap;

use crate::rng::{Purpose, Rng, stream};
use crate::tables::{Column, Table};
use crate::{Error, Result};

pub use config::{CalibrationConfig, Method, SensitivityConfig};

/// Stream index `a` for sampling a design.
pub(crate) const STREAM_DESIGN: u64 = 1;
/// Stream index `a` for bootstrap resamples (`b` = resample).
pub(crate) const STREAM_BOOTSTRAP: u64 = 2;
/// Stream index `a` for prior draws (`b` = draw id).
pub(crate) const STREAM_PRIOR: u64 = 3;

/// The random stream of one sensitivity purpose.
pub(crate) fn rng(seed: u64, a: u64, b: u64) -> Rng {
    stream(seed, Purpose::Sensitivity, a, b)
}

/// Named parameters with ranges `[low, high]`, in a fixed (sorted-by-name) order.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterSpace {
    /// Parameter paths, sorted.
    pub names: Vec<String>,
    /// Lower bounds, by parameter.
    pub low: Vec<f64>,
    /// Upper bounds, by parameter.
    pub high: Vec<f64>,
}

impl ParameterSpace {
    /// Builds the space from `path → [low, high]`; rejects an empty map, non-finite bounds
    /// and `low ≥ high`.
    pub fn new(ranges: &BTreeMap<String, [f64; 2]>) -> Result<Self> {
        if ranges.is_empty() {
            return Err(Error::input(
                "sensitivity: the parameter list is empty; give at least one `path = [low, high]`",
            ));
        }
        let mut space = ParameterSpace {
            names: vec![],
            low: vec![],
            high: vec![],
        };
        for (name, &[low, high]) in ranges {
            check_range(name, low, high)?;
            space.names.push(name.clone());
            space.low.push(low);
            space.high.push(high);
        }
        Ok(space)
    }

    /// Number of parameters `k`.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there are no parameters (never, for a space made by [`ParameterSpace::new`]).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Maps a point of the unit cube to real units: `low + u (high − low)`.
    pub fn scale(&self, unit: &[f64]) -> Vec<f64> {
        unit.iter()
            .zip(self.low.iter().zip(&self.high))
            .map(|(u, (lo, hi))| lo + u * (hi - lo))
            .collect()
    }
}

/// Checks one range: finite bounds with `low < high`.
pub(crate) fn check_range(name: &str, low: f64, high: f64) -> Result<()> {
    if !low.is_finite() || !high.is_finite() {
        return Err(Error::input(format!(
            "parameter `{name}`: bounds must be finite numbers, got [{low}, {high}]"
        )));
    }
    if low >= high {
        return Err(Error::input(format!(
            "parameter `{name}`: the range [{low}, {high}] needs low < high"
        )));
    }
    Ok(())
}

/// Checks that `outputs` has one finite value per design point.
pub(crate) fn check_outputs(metric: &str, outputs: &[f64], points: usize) -> Result<()> {
    if outputs.len() != points {
        return Err(Error::input(format!(
            "metric `{metric}`: {} outputs for {points} design points",
            outputs.len()
        )));
    }
    if let Some(i) = outputs.iter().position(|y| !y.is_finite()) {
        return Err(Error::input(format!(
            "metric `{metric}`: output at design point {i} is {}; sensitivity indices need \
             finite outputs",
            outputs[i]
        )));
    }
    Ok(())
}

/// Averages a stochastic model's outputs over replicates: `per_point[i]` holds the
/// replicate values at design point `i`; the result has one mean per point, in order.
///
/// The indices then describe the parameters' effect on the expected output (the replicate
/// noise is averaged away, not attributed to any parameter). Use the same replicate seeds at
/// every point (common random numbers) so that noise does not masquerade as an effect.
pub fn average_replicates(metric: &str, per_point: &[Vec<f64>]) -> Result<Vec<f64>> {
    per_point
        .iter()
        .enumerate()
        .map(|(i, reps)| {
            if reps.is_empty() {
                Err(Error::input(format!(
                    "metric `{metric}`: design point {i} has no replicates"
                )))
            } else {
                Ok(reps.iter().sum::<f64>() / reps.len() as f64)
            }
        })
        .collect()
}

/// The summary column (index into [`crate::metrics::summary_columns`]) that a sensitivity
/// metric or calibration target names: a summary column such as `active_share_mean`, or a
/// bare metric name, which stands for its default summary (`_final` for a stock, `_total`
/// for a flow).
pub fn metric_column(name: &str) -> Option<usize> {
    let column = crate::metrics::summary_column(name)?;
    crate::metrics::summary_columns()
        .iter()
        .position(|c| *c == column)
}

/// One row of `sensitivity.csv`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SensitivityRow {
    /// Output metric (summary column) the index is about.
    pub metric: String,
    /// Parameter path, or `x_i:x_j` for a second-order index.
    pub parameter: String,
    /// Index name: `mu`, `mu_star`, `sigma` (Morris); `S1`, `ST`, `S2` (Sobol').
    pub index: String,
    /// Point estimate.
    pub value: f64,
    /// Lower end of the bootstrap 95% interval (None: not computed).
    pub ci95_low: Option<f64>,
    /// Upper end of the bootstrap 95% interval (None: not computed).
    pub ci95_high: Option<f64>,
}

impl SensitivityRow {
    /// A row with an optional interval.
    pub fn new(
        metric: &str,
        parameter: &str,
        index: &str,
        value: f64,
        ci: Option<(f64, f64)>,
    ) -> Self {
        SensitivityRow {
            metric: metric.to_string(),
            parameter: parameter.to_string(),
            index: index.to_string(),
            value,
            ci95_low: ci.map(|c| c.0),
            ci95_high: ci.map(|c| c.1),
        }
    }
}

/// Header of `sensitivity.csv`.
pub const SENSITIVITY_HEADER: [&str; 6] = [
    "metric",
    "parameter",
    "index",
    "value",
    "ci95_low",
    "ci95_high",
];

/// Rows as the `sensitivity` table: `metric,parameter,index,value,ci95_low,ci95_high`; a
/// missing interval end is missing (`NA` in CSV).
pub fn sensitivity_table(rows: &[SensitivityRow]) -> Table {
    let [m, p, i, v, lo, hi] = SENSITIVITY_HEADER;
    let text = |f: fn(&SensitivityRow) -> &str| rows.iter().map(|r| f(r).to_string()).collect();
    let nums = |f: fn(&SensitivityRow) -> Option<f64>| {
        rows.iter().map(|r| f(r).unwrap_or(f64::NAN)).collect()
    };
    Table::new("sensitivity")
        .with(m, Column::Str(text(|r| &r.metric)))
        .with(p, Column::Str(text(|r| &r.parameter)))
        .with(i, Column::Str(text(|r| &r.index)))
        .with(v, Column::F64(nums(|r| Some(r.value))))
        .with(lo, Column::F64(nums(|r| r.ci95_low)))
        .with(hi, Column::F64(nums(|r| r.ci95_high)))
}

/// A sampled design of either method, as chosen by a [`SensitivityConfig`].
#[derive(Debug, Clone)]
pub enum Design {
    /// Morris elementary-effects trajectories.
    Morris(morris::MorrisDesign),
    /// Saltelli's A/B/AB (/BA) matrices.
    Sobol(sobol::SobolDesign),
}

impl Design {
    /// Samples the design the config asks for, from the stream of `seed`.
    pub fn new(config: &SensitivityConfig, seed: u64) -> Result<Self> {
        let space = ParameterSpace::new(&config.parameters)?;
        Ok(match config.method {
            Method::Morris => Design::Morris(morris::design(space, config.r, config.levels, seed)?),
            Method::Sobol => {
                Design::Sobol(sobol::design(space, config.n, config.second_order, seed)?)
            }
        })
    }

    /// The parameter space.
    pub fn space(&self) -> &ParameterSpace {
        match self {
            Design::Morris(d) => &d.space,
            Design::Sobol(d) => &d.space,
        }
    }

    /// The design points in real units, in evaluation order (`points()[i][j]` is parameter
    /// `space().names[j]` at point `i`).
    pub fn points(&self) -> &[Vec<f64>] {
        match self {
            Design::Morris(d) => &d.points,
            Design::Sobol(d) => &d.points,
        }
    }

    /// Analyses one metric's outputs (one per point, in the order of [`Design::points`]),
    /// with `bootstrap` resamples for the intervals (0: no intervals, written NA).
    pub fn analyse(
        &self,
        metric: &str,
        outputs: &[f64],
        bootstrap: usize,
        seed: u64,
    ) -> Result<Analysis> {
        Ok(match self {
            Design::Morris(d) => Analysis::Morris(d.analyse(metric, outputs, bootstrap, seed)?),
            Design::Sobol(d) => Analysis::Sobol(d.analyse(metric, outputs, bootstrap, seed)?),
        })
    }
}

/// The indices of one metric, by method.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Analysis {
    /// μ, μ*, σ per parameter.
    Morris(morris::MorrisResult),
    /// S1, ST (and S2) per parameter.
    Sobol(sobol::SobolResult),
}

impl Analysis {
    /// The `sensitivity.csv` rows of this metric.
    pub fn rows(&self, metric: &str) -> Vec<SensitivityRow> {
        match self {
            Analysis::Morris(r) => r.rows(metric),
            Analysis::Sobol(r) => r.rows(metric),
        }
    }
}

/// Percentile interval `[q(0.025), q(0.975)]` of bootstrap replicates (None if empty or
/// if any replicate is non-finite).
pub(crate) fn percentile_ci(mut reps: Vec<f64>) -> Option<(f64, f64)> {
    if reps.is_empty() || reps.iter().any(|x| !x.is_finite()) {
        return None;
    }
    reps.sort_by(f64::total_cmp);
    Some((quantile_sorted(&reps, 0.025), quantile_sorted(&reps, 0.975)))
}

/// Quantile of sorted data with linear interpolation (Hyndman & Fan 1996, type 7, R's
/// default). `sorted` must be non-empty.
pub(crate) fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(v: &[(&str, f64, f64)]) -> BTreeMap<String, [f64; 2]> {
        v.iter()
            .map(|(n, l, h)| (n.to_string(), [*l, *h]))
            .collect()
    }

    #[test]
    fn space_rejects_bad_ranges() {
        let msg = |r| match ParameterSpace::new(&r) {
            Err(Error::Input(m)) => m,
            other => panic!("expected an input error, got {other:?}"),
        };
        assert!(msg(ranges(&[])).contains("empty"));
        assert!(msg(ranges(&[("a", 1.0, 1.0)])).contains("low < high"));
        assert!(msg(ranges(&[("a", 2.0, 1.0)])).contains("low < high"));
        assert!(msg(ranges(&[("a", 0.0, f64::INFINITY)])).contains("finite"));
        assert!(msg(ranges(&[("a", f64::NAN, 1.0)])).contains("finite"));
    }

    #[test]
    fn space_is_sorted_and_scales() {
        let s = ParameterSpace::new(&ranges(&[("b", 0.0, 10.0), ("a", -1.0, 1.0)])).unwrap();
        assert_eq!(s.names, ["a", "b"]);
        assert_eq!(s.scale(&[0.5, 0.25]), [0.0, 2.5]);
    }

    #[test]
    fn table_has_na_for_missing_intervals() {
        let rows = [
            SensitivityRow::new("m", "x1:x2", "S2", 0.25, None),
            SensitivityRow::new("m", "x1", "S1", 0.5, Some((0.4, 0.6))),
        ];
        let t = sensitivity_table(&rows);
        let mut w = csv::Writer::from_writer(Vec::new());
        crate::tables::csv_format::write_header(&mut w, &t).unwrap();
        crate::tables::csv_format::write_rows(&mut w, &t).unwrap();
        let buf = w.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "metric,parameter,index,value,ci95_low,ci95_high\nm,x1:x2,S2,0.25,NA,NA\nm,x1,S1,0.5,0.4,0.6\n"
        );
    }

    #[test]
    fn replicates_average_per_point() {
        let avg = average_replicates("m", &[vec![1.0, 3.0], vec![5.0]]).unwrap();
        assert_eq!(avg, [2.0, 5.0]);
        assert!(matches!(
            average_replicates("m", &[vec![]]),
            Err(Error::Input(_))
        ));
    }

    #[test]
    fn outputs_are_checked() {
        assert!(check_outputs("m", &[1.0, 2.0], 2).is_ok());
        assert!(check_outputs("m", &[1.0], 2).is_err());
        assert!(check_outputs("m", &[1.0, f64::NAN], 2).is_err());
    }

    #[test]
    fn quantiles_interpolate() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_sorted(&x, 0.0), 1.0);
        assert_eq!(quantile_sorted(&x, 0.5), 3.0);
        assert_eq!(quantile_sorted(&x, 1.0), 5.0);
        assert!((quantile_sorted(&x, 0.1) - 1.4).abs() < 1e-12);
    }

    fn config(method: Method, k: usize) -> SensitivityConfig {
        let parameters = (0..k)
            .map(|i| (format!("p{i}"), [i as f64, 2.0 * i as f64 + 1.0]))
            .collect();
        toml::from_str::<SensitivityConfig>("parameters = {}")
            .map(|c| SensitivityConfig {
                method,
                n: 64,
                second_order: true,
                bootstrap: 50,
                parameters,
                ..c
            })
            .unwrap()
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        for method in [Method::Morris, Method::Sobol] {
            let d = Design::new(&config(method, 3), 5).unwrap();
            let y: Vec<f64> = d
                .points()
                .iter()
                .map(|x| x[0] * x[1] + x[2].sin())
                .collect();
            let run = |threads| {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                pool.install(|| d.analyse("m", &y, 50, 9).unwrap())
            };
            assert_eq!(run(1), run(3));
        }
    }

    proptest::proptest! {
        // A fixed seed keeps the property tests reproducible.
        #![proptest_config(proptest::test_runner::Config {
            cases: 64,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20_240_501),
            failure_persistence: None,
            ..Default::default()
        })]

        #[test]
        fn designs_stay_inside_the_ranges(k in 1usize..6, seed in 0u64..1000, sobol in proptest::bool::ANY) {
            let method = if sobol { Method::Sobol } else { Method::Morris };
            let d = Design::new(&config(method, k), seed).unwrap();
            let s = d.space();
            for x in d.points() {
                proptest::prop_assert_eq!(x.len(), k);
                for (j, v) in x.iter().enumerate() {
                    proptest::prop_assert!(s.low[j] <= *v && *v <= s.high[j]);
                }
            }
        }

        #[test]
        fn indices_are_invariant_to_affine_rescaling_of_the_output(
            scale in 0.01f64..100.0, shift in -1e3f64..1e3, seed in 0u64..100, sobol in proptest::bool::ANY,
        ) {
            let method = if sobol { Method::Sobol } else { Method::Morris };
            let d = Design::new(&config(method, 3), seed).unwrap();
            let y: Vec<f64> = d.points().iter().map(|x| x[0] + x[1] * x[2] - x[2].powi(2)).collect();
            let z: Vec<f64> = y.iter().map(|v| scale * v + shift).collect();
            let a = d.analyse("m", &y, 0, 0).unwrap().rows("m");
            let b = d.analyse("m", &z, 0, 0).unwrap().rows("m");
            for (ra, rb) in a.iter().zip(&b) {
                // Sobol indices are scale-free; Morris measures scale with the output.
                let expect = if sobol { ra.value } else { scale * ra.value };
                proptest::prop_assert!((rb.value - expect).abs() < 1e-7 * (1.0 + expect.abs()), "{ra:?} vs {rb:?}");
            }
        }
    }
}
