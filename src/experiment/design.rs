//! The run plan: which policy, sweep point and replicate each run has, and its stable id.
//!
//! Runs are numbered in the order (policy, sweep point, replicate); the run id is that index
//! zero-padded to at least six digits, so sorting ids as text sorts runs.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::experiment::factorial::FactorialPlan;
use crate::output::num;
use crate::rng::{self, Purpose};
use crate::scenario::Scenario;
use crate::scenario::experiment::SweepSpec;
use crate::sensitivity::{Design, Method, metric_column};
use crate::tables::Column;

/// One run of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSpec {
    /// Index in the order (policy, sweep point, replicate).
    pub index: usize,
    /// Index into [`Plan::policies`].
    pub policy: usize,
    /// Index into [`Plan::points`].
    pub point: usize,
    /// Replicate number (0-based).
    pub replicate: u32,
    /// Seed: `rng::replicate_seed(experiment.seed, replicate)` (common random numbers).
    pub seed: u64,
}

/// Every run of an experiment and the scenario each (policy, sweep point) cell runs.
#[derive(Debug)]
pub struct Plan {
    /// Policy names, in scenario order (an implicit "default" when none is given).
    pub policies: Vec<String>,
    /// The baseline policy's index.
    pub baseline: usize,
    /// Swept parameter paths in sorted order (the sweep columns).
    pub sweep_keys: Vec<String>,
    /// Sweep points: one value per sweep key.
    pub points: Vec<Vec<toml::Value>>,
    /// Replicates per cell.
    pub replicates: u32,
    /// Resolved scenario per cell, indexed `policy * points.len() + point`.
    pub cells: Vec<Arc<Scenario>>,
    /// The sensitivity design of a `morris` / `sobol` experiment (its points are
    /// [`Plan::points`], one policy only).
    pub sensitivity: Option<SensitivityPlan>,
    /// The two-level design of a factorial over `experiment.switches` (its cells are
    /// [`Plan::points`], the switches' paths [`Plan::sweep_keys`], one policy only).
    pub factorial: Option<FactorialPlan>,
    /// What the plan changed from the file and why, each starting with a key path
    /// (`sweep.world.grids: ...`), e.g. range values of an integer parameter rounded.
    pub notes: Vec<String>,
    seed: u64,
}

/// A `morris` / `sobol` experiment's design and what to analyse.
#[derive(Debug)]
pub struct SensitivityPlan {
    /// The sampled design; `design.points()[k]` is sweep point `k` before integer rounding.
    pub design: Design,
    /// Summary columns analysed: `(name as given, column index)`.
    pub metrics: Vec<(String, usize)>,
    /// Bootstrap resamples for the intervals.
    pub bootstrap: usize,
    /// Seed of the design and bootstrap streams (`experiment.seed`).
    pub seed: u64,
}

impl Plan {
    /// Builds the plan; `force` lifts the `experiment.max_runs` limit.
    pub fn new(s: &Scenario, force: bool) -> Result<Plan> {
        // Count before expanding, so a huge sweep or design is refused without being built.
        check_planned(s, force)?;
        let e = &s.experiment;
        let mut policies: Vec<(String, BTreeMap<String, toml::Value>)> = s
            .policy
            .iter()
            .map(|p| (p.name.clone(), p.set.clone()))
            .collect();
        if policies.is_empty() {
            policies.push(("default".into(), BTreeMap::new()));
        }
        let baseline = if e.baseline.is_empty() {
            0
        } else {
            policies
                .iter()
                .position(|p| p.0 == e.baseline)
                .ok_or_else(|| {
                    let names: Vec<&str> = policies.iter().map(|p| p.0.as_str()).collect();
                    Error::input(format!(
                        "experiment.baseline: \"{}\" is not a policy; policies: {}",
                        e.baseline,
                        names.join(", ")
                    ))
                })?
        };
        let mut sweep_keys: Vec<String> = s.sweep.keys().cloned().collect();
        let mut sensitivity = None;
        let two_level = (!e.switches.is_empty())
            .then(|| FactorialPlan::new(s))
            .transpose()?;
        let table = s.to_table();
        let integer = |key: &str| crate::sensitivity::calibrate::is_integer(&table, key);
        let mut notes = Vec::new();
        let points = match e.design.as_str() {
            "factorial" if two_level.is_some() => {
                let (keys, points) = two_level
                    .as_ref()
                    .map(|f| (f.paths(), f.points()))
                    .unwrap_or_default();
                sweep_keys = keys;
                points
            }
            "factorial" => factorial(&s.sweep, &integer, &mut notes)?,
            "latin_hypercube" => {
                latin_hypercube(&s.sweep, e.samples, e.seed, &integer, &mut notes)?
            }
            design @ ("morris" | "sobol") => {
                let (plan, keys, points) = sensitivity_points(s, design, policies.len())?;
                sweep_keys = keys;
                sensitivity = Some(plan);
                points
            }
            other => {
                return Err(Error::input(format!(
                    "experiment.design: \"{other}\" is not a design; allowed: factorial, latin_hypercube, morris, sobol"
                )));
            }
        };
        let total = policies.len() as u64 * points.len() as u64 * e.replicates as u64;
        if total == 0 {
            return Err(Error::input(
                "experiment.replicates: the experiment has 0 runs",
            ));
        }
        if total > e.max_runs as u64 && !force {
            return Err(Error::input(format!(
                "experiment.max_runs: the experiment has {total} runs ({} policies × {} sweep points × {} replicates), more than max_runs = {}; raise experiment.max_runs or pass --force",
                policies.len(),
                points.len(),
                e.replicates,
                e.max_runs
            )));
        }
        // Cells carry the model only: serialising the policies into every cell would make
        // the plan quadratic in their number.
        let mut base = s.clone();
        base.policy.clear();
        base.sweep.clear();
        let mut cells = Vec::with_capacity(policies.len() * points.len());
        for (pi, (name, set)) in policies.iter().enumerate() {
            // Where the message points: the policy's settings, or the sweep.
            let key = if set.is_empty() || s.policy.is_empty() {
                "sweep".to_string()
            } else {
                format!("policy[{pi}].set")
            };
            for point in &points {
                let mut all = set.clone();
                for (k, v) in sweep_keys.iter().zip(point) {
                    all.insert(k.clone(), v.clone());
                }
                let cell = base.with_overrides(&all).map_err(|err| {
                    // Name the swept key the message is about, so it can be located; else
                    // the policy's settings or the sweep.
                    let text = err.to_string();
                    let swept = sweep_keys
                        .iter()
                        .find(|k| text.contains(&format!("\"{k}\"")))
                        .map(|k| format!("sweep.{k}"));
                    Error::input(format!(
                        "{}: policy \"{name}\" at sweep point {} gives a scenario that is not valid: {}",
                        swept.as_deref().unwrap_or(&key),
                        describe(&sweep_keys, point),
                        text.strip_prefix("(overrides): ").unwrap_or(&text)
                    ))
                })?;
                cells.push(Arc::new(cell));
            }
        }
        Ok(Plan {
            policies: policies.into_iter().map(|p| p.0).collect(),
            baseline,
            sweep_keys,
            points,
            replicates: e.replicates,
            cells,
            sensitivity,
            factorial: two_level,
            notes,
            seed: e.seed,
        })
    }

    /// Number of runs.
    pub fn len(&self) -> usize {
        self.policies.len() * self.points.len() * self.replicates as usize
    }

    /// Whether the plan has no runs (never true for a plan built by [`Plan::new`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The run with index `i`.
    pub fn run(&self, index: usize) -> RunSpec {
        let reps = self.replicates as usize;
        let replicate = (index % reps) as u32;
        let cell = index / reps;
        RunSpec {
            index,
            policy: cell / self.points.len(),
            point: cell % self.points.len(),
            replicate,
            seed: rng::replicate_seed(self.seed, replicate as u64),
        }
    }

    /// The scenario a run executes.
    pub fn scenario(&self, r: &RunSpec) -> Arc<Scenario> {
        self.cells[r.policy * self.points.len() + r.point].clone()
    }

    /// The stable id of run `index`.
    pub fn run_id(&self, index: usize) -> String {
        let width = self.len().saturating_sub(1).to_string().len().max(6);
        format!("{index:0width$}")
    }

    /// The sweep columns' values of point `k`, formatted for CSV.
    pub fn point_fields(&self, k: usize) -> Vec<String> {
        self.points[k].iter().map(value_field).collect()
    }

    /// The sweep columns holding point `k`'s values `rows` times. A column's type is the
    /// same at every point (see [`sweep_column`]), so tables of all runs and cells line up.
    pub fn sweep_columns(&self, k: usize, rows: usize) -> Vec<(String, Column)> {
        self.sweep_keys
            .iter()
            .enumerate()
            .map(|(j, key)| {
                let all: Vec<&toml::Value> = self.points.iter().map(|p| &p[j]).collect();
                (key.clone(), sweep_column(&all).repeat(k, rows))
            })
            .collect()
    }
}

/// One sweep parameter's values at every point as a typed column: whole numbers stay
/// `int64`, numbers (whole or not) `float64`, switches `bool`; anything else (text, mixed)
/// is `string` in its CSV form. The CSV text of each value is that of [`value_field`].
pub fn sweep_column(values: &[&toml::Value]) -> Column {
    use toml::Value as V;
    if values.iter().all(|v| v.is_integer()) {
        Column::I64(values.iter().filter_map(|v| v.as_integer()).collect())
    } else if values
        .iter()
        .all(|v| matches!(v, V::Integer(_) | V::Float(_)))
    {
        Column::F64(
            values
                .iter()
                .map(|v| match v {
                    V::Integer(i) => *i as f64,
                    V::Float(f) => *f,
                    _ => f64::NAN,
                })
                .collect(),
        )
    } else if values.iter().all(|v| v.is_bool()) {
        Column::Bool(values.iter().filter_map(|v| v.as_bool()).collect())
    } else {
        Column::Str(values.iter().map(|v| value_field(v)).collect())
    }
}

/// The points of a `morris` / `sobol` design: its parameters become the sweep keys and each
/// design point a sweep point (values of integer parameters rounded to whole numbers).
fn sensitivity_points(
    s: &Scenario,
    design: &str,
    policies: usize,
) -> Result<(SensitivityPlan, Vec<String>, Vec<Vec<toml::Value>>)> {
    let Some(config) = &s.sensitivity else {
        return Err(Error::input(format!(
            "experiment.design: \"{design}\" needs a [sensitivity] section with parameters"
        )));
    };
    if policies > 1 {
        return Err(Error::input(format!(
            "policy: design \"{design}\" runs a single policy ({policies} given); put fixed settings in one [[policy]] set or in the scenario"
        )));
    }
    let mut config = config.clone();
    config.method = if design == "sobol" {
        Method::Sobol
    } else {
        Method::Morris
    };
    let d = Design::new(&config, s.experiment.seed)?;
    let metrics = config
        .metric_names()
        .into_iter()
        .map(|m| {
            metric_column(&m)
                .map(|c| (m.clone(), c))
                .ok_or_else(|| Error::input(format!("sensitivity.metrics: unknown metric \"{m}\"")))
        })
        .collect::<Result<Vec<_>>>()?;
    let table = s.to_table();
    let keys = d.space().names.clone();
    let integer: Vec<bool> = keys
        .iter()
        .map(|k| crate::sensitivity::calibrate::is_integer(&table, k))
        .collect();
    let points = d
        .points()
        .iter()
        .map(|x| {
            x.iter()
                .zip(&integer)
                .map(|(&v, &int)| {
                    if int {
                        toml::Value::Integer(v.round() as i64)
                    } else {
                        toml::Value::Float(v)
                    }
                })
                .collect()
        })
        .collect();
    let plan = SensitivityPlan {
        design: d,
        metrics,
        bootstrap: config.bootstrap,
        seed: s.experiment.seed,
    };
    Ok((plan, keys, points))
}

fn describe(keys: &[String], point: &[toml::Value]) -> String {
    if keys.is_empty() {
        return "(no sweep)".into();
    }
    let parts: Vec<String> = keys
        .iter()
        .zip(point)
        .map(|(k, v)| format!("{k} = {}", value_field(v)))
        .collect();
    parts.join(", ")
}

/// A sweep value as a CSV field.
pub fn value_field(v: &toml::Value) -> String {
    match v {
        toml::Value::Float(f) => num(*f),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Most runs an experiment may plan even with `--force` (its plan is held in memory).
pub const MAX_PLANNED_RUNS: u64 = crate::scenario::limits::RUNS as u64;

/// Refuses an experiment larger than `experiment.max_runs` (unless `force`) or than
/// [`MAX_PLANNED_RUNS`], counted from the design's sizes before anything is allocated.
pub fn check_planned(s: &Scenario, force: bool) -> Result<crate::scenario::limits::PlannedRuns> {
    let p = s.planned_runs();
    let e = &s.experiment;
    if p.total > MAX_PLANNED_RUNS || (p.total > e.max_runs as u64 && !force) {
        return Err(Error::input(format!(
            "experiment.max_runs: the experiment would have {} runs ({} policies × {} points × {} replicates), more than max_runs = {}; raise experiment.max_runs or pass --force (at most {MAX_PLANNED_RUNS} runs even then)",
            p.total, p.policies, p.points, p.replicates, e.max_runs
        )));
    }
    Ok(p)
}

/// Rounds a float to the nearest whole number (halves away from zero), as a TOML integer.
fn whole(v: f64) -> toml::Value {
    toml::Value::Integer(v.round() as i64)
}

/// The values of one factorial sweep: a range over an integer parameter is rounded to
/// whole numbers (duplicates kept once), with a note saying so.
fn sweep_values(
    key: &str,
    spec: &SweepSpec,
    integer: &dyn Fn(&str) -> bool,
    notes: &mut Vec<String>,
) -> Vec<toml::Value> {
    let values = spec.values();
    let SweepSpec::Range { .. } = spec else {
        return values;
    };
    let fractional = values
        .iter()
        .any(|v| v.as_float().is_some_and(|f| f.fract() != 0.0));
    if !integer(key) || !fractional {
        return values;
    }
    let mut rounded: Vec<toml::Value> = Vec::new();
    for v in &values {
        let w = whole(v.as_float().unwrap_or_default());
        if rounded.last() != Some(&w) {
            rounded.push(w);
        }
    }
    let show = |vs: &[toml::Value]| vs.iter().map(value_field).collect::<Vec<_>>().join(", ");
    notes.push(format!(
        "sweep.{key}: `{key}` takes whole numbers, so the range's values {} are rounded to {}{}",
        show(&values),
        show(&rounded),
        if rounded.len() < values.len() {
            format!(
                " ({} values after rounding; give `steps` or a list of whole numbers to choose them)",
                rounded.len()
            )
        } else {
            String::new()
        }
    ));
    rounded
}

/// The cartesian product of the sweep values, in sorted key order (last key fastest).
fn factorial(
    sweep: &BTreeMap<String, SweepSpec>,
    integer: &dyn Fn(&str) -> bool,
    notes: &mut Vec<String>,
) -> Result<Vec<Vec<toml::Value>>> {
    let mut points = vec![Vec::new()];
    for (key, spec) in sweep {
        let values = sweep_values(key, spec, integer, notes);
        if values.is_empty() {
            return Err(Error::input(format!(
                "sweep.{key}: expands to 0 values, so the experiment has 0 runs; give at least one value (steps ≥ 1)"
            )));
        }
        points = points
            .into_iter()
            .flat_map(|p: Vec<toml::Value>| {
                values
                    .iter()
                    .map(move |v| [p.clone(), vec![v.clone()]].concat())
            })
            .collect();
    }
    Ok(points)
}

/// `samples` points of a Latin hypercube within each range's `{from, to}` bounds (McKay,
/// Beckman & Conover 1979): each dimension is cut into `samples` equal strata, each stratum
/// used once, in an order shuffled by the experiment's seed.
fn latin_hypercube(
    sweep: &BTreeMap<String, SweepSpec>,
    samples: u32,
    seed: u64,
    integer: &dyn Fn(&str) -> bool,
    notes: &mut Vec<String>,
) -> Result<Vec<Vec<toml::Value>>> {
    if samples == 0 {
        return Err(Error::input(
            "experiment.samples: a latin_hypercube design needs samples ≥ 1 (0 gives 0 runs)",
        ));
    }
    let n = samples as usize;
    let mut points = vec![Vec::with_capacity(sweep.len()); n];
    for (d, (key, spec)) in sweep.iter().enumerate() {
        let SweepSpec::Range { from, to, .. } = *spec else {
            return Err(Error::input(format!(
                "sweep.{key}: a latin_hypercube design needs a range {{ from = .., to = .. }}, not a list of values"
            )));
        };
        let int = integer(key);
        if int {
            notes.push(format!(
                "sweep.{key}: `{key}` takes whole numbers, so each sampled value is rounded to the nearest one"
            ));
        }
        let mut rng = rng::stream(seed, Purpose::Experiment, d as u64, 0);
        let mut strata: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            strata.swap(i, rng::index(&mut rng, i + 1));
        }
        for (p, &s) in points.iter_mut().zip(&strata) {
            let u = (s as f64 + rng::unit_f64(&mut rng)) / n as f64;
            let v = from + (to - from) * u;
            p.push(if int { whole(v) } else { toml::Value::Float(v) });
        }
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factorial_is_cartesian_in_key_order() {
        let mut sweep = BTreeMap::new();
        sweep.insert("b".to_string(), SweepSpec::Values(vec![1.into(), 2.into()]));
        sweep.insert(
            "a".to_string(),
            SweepSpec::Range {
                from: 0.0,
                to: 1.0,
                steps: 3,
            },
        );
        let p = factorial(&sweep, &|_| false, &mut Vec::new()).unwrap();
        assert_eq!(p.len(), 6);
        assert_eq!(p[1], vec![toml::Value::Float(0.0), 2.into()]);
    }

    #[test]
    fn morris_design_gives_the_points_and_rounds_integer_parameters() {
        let s = Scenario::from_toml(
            r#"ticks = 10
               [world]
               communities = 6
               service_complexes = 2
               grids = 24
               organisations = 20
               businesses = 100
               [experiment]
               design = "morris"
               replicates = 2
               [sensitivity]
               r = 3
               parameters = { "world.residents" = [500.0, 900.0], "residents.report_probability" = [0.1, 0.5] }"#,
            "t.toml",
        )
        .unwrap();
        let plan = Plan::new(&s, false).unwrap();
        assert_eq!(plan.points.len(), 3 * (2 + 1));
        assert_eq!(plan.len(), 9 * 2);
        assert_eq!(
            plan.sweep_keys,
            ["residents.report_probability", "world.residents"]
        );
        for p in &plan.points {
            assert!(p[0].is_float() && p[1].is_integer(), "{p:?}");
        }
        let sp = plan.sensitivity.as_ref().unwrap();
        assert_eq!(
            sp.metrics.len(),
            crate::sensitivity::config::DEFAULT_METRICS.len()
        );
        let again = Plan::new(&s, false).unwrap();
        assert_eq!(plan.points, again.points);
    }

    #[test]
    fn sweep_columns_are_typed_alike_at_every_point_and_print_as_before() {
        use toml::Value as V;
        let ints = [V::Integer(1), V::Integer(20)];
        let c = sweep_column(&ints.iter().collect::<Vec<_>>());
        assert_eq!(c, Column::I64(vec![1, 20]));
        let mixed = [V::Integer(1), V::Float(0.5)];
        let c = sweep_column(&mixed.iter().collect::<Vec<_>>());
        assert_eq!(c.type_name(), "float64");
        assert_eq!(
            (c.cell(0), c.cell(1)),
            (value_field(&mixed[0]), value_field(&mixed[1]))
        );
        let text = [V::String("a".into()), V::Boolean(true)];
        let c = sweep_column(&text.iter().collect::<Vec<_>>());
        assert_eq!(c, Column::Str(vec!["a".into(), "true".into()]));
        let b = [V::Boolean(false)];
        assert_eq!(sweep_column(&b.iter().collect::<Vec<_>>()).cell(0), "false");
    }

    #[test]
    fn lhs_uses_each_stratum_once() {
        let mut sweep = BTreeMap::new();
        sweep.insert(
            "a".to_string(),
            SweepSpec::Range {
                from: 0.0,
                to: 10.0,
                steps: 2,
            },
        );
        let p = latin_hypercube(&sweep, 10, 3, &|_| false, &mut Vec::new()).unwrap();
        let mut strata: Vec<usize> = p
            .iter()
            .map(|v| v[0].as_float().unwrap() as usize)
            .collect();
        strata.sort();
        assert_eq!(strata, (0..10).collect::<Vec<_>>());
        assert_eq!(
            p,
            latin_hypercube(&sweep, 10, 3, &|_| false, &mut Vec::new()).unwrap()
        );
    }

    #[test]
    fn integer_ranges_are_rounded_with_a_note() {
        let s = Scenario::from_toml(
            r#"ticks = 10
               [experiment]
               replicates = 1
               [sweep]
               "world.organisations" = { from = 10, to = 12, steps = 5 }"#,
            "t.toml",
        )
        .unwrap();
        let plan = Plan::new(&s, false).unwrap();
        let orgs: Vec<String> = (0..plan.points.len())
            .map(|k| plan.point_fields(k)[0].clone())
            .collect();
        assert_eq!(orgs, ["10", "11", "12"]);
        assert_eq!(plan.notes.len(), 1);
        let n = &plan.notes[0];
        assert!(
            n.starts_with("sweep.world.organisations: ")
                && n.contains("10.5")
                && n.contains("3 values"),
            "{n}"
        );
        assert_eq!(plan.cells[1].world.organisations, 11);
    }
}
