//! ABC rejection on the ABM (`cogov calibrate`): draws from the `[calibration]` priors,
//! runs the model at each draw (replicates with common random numbers, averaged), and
//! accepts the draws whose normalised summary statistics lie closest to the targets
//! (Pritchard et al. 1999, *Mol. Biol. Evol.* 16:1791; Beaumont, Zhang & Balding 2002,
//! *Genetics* 162:2025).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::abc::{AbcResult, Target, write_calibration_csv};
use super::metric_column;
use crate::output::{self, num, opt};
use crate::rng;
use crate::run;
use crate::scenario::Scenario;
use crate::{Error, Result};

/// The outcome of a calibration.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// Targets in metric-name order.
    pub targets: Vec<Target>,
    /// Model runs per draw.
    pub replicates: u32,
    /// `statistics[draw][t]`: replicate mean of target `t` at each draw (NaN: no finite value).
    pub statistics: Vec<Vec<f64>>,
    /// Accepted draws and posterior summaries.
    pub result: AbcResult,
}

/// Parameter overrides for one point: `names[j] = values[j]`, rounded to a whole number
/// where the scenario's parameter is an integer.
pub fn point_overrides(
    table: &toml::Table,
    names: &[String],
    values: &[f64],
) -> BTreeMap<String, toml::Value> {
    names
        .iter()
        .zip(values)
        .map(|(n, &v)| {
            let value = if is_integer(table, n) {
                toml::Value::Integer(v.round() as i64)
            } else {
                toml::Value::Float(v)
            };
            (n.clone(), value)
        })
        .collect()
}

/// Whether the leaf at dotted `path` holds an integer.
pub fn is_integer(table: &toml::Table, path: &str) -> bool {
    let mut keys = path.split('.');
    let Some(mut cur) = keys.next().and_then(|k| table.get(k)) else {
        return false;
    };
    for k in keys {
        match cur.as_table().and_then(|t| t.get(k)) {
            Some(v) => cur = v,
            None => return false,
        }
    }
    matches!(cur, toml::Value::Integer(_))
}

/// Runs the calibration of `s` on `jobs` threads. Runs are spread one per task in the fixed
/// order (draw, replicate), so the result does not depend on `jobs`. `progress(done, total)`
/// hears finished runs; `cancel` stops early (an input error saying so).
pub fn calibrate(
    s: &Scenario,
    jobs: usize,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Calibration> {
    let config = s.calibration.as_ref().ok_or_else(|| {
        Error::input(
            "calibration: the scenario has no [calibration] section (targets, priors, draws)",
        )
    })?;
    crate::footprint::refuse_if_too_large(&crate::footprint::calibration(s, jobs), None)?;
    let seed = s.experiment.seed;
    let design = config.design(seed)?;
    let targets = config.targets()?;
    let columns: Vec<usize> = targets
        .iter()
        .map(|t| {
            metric_column(&t.metric).ok_or_else(|| {
                Error::input(format!(
                    "calibration.targets: unknown metric \"{}\"",
                    t.metric
                ))
            })
        })
        .collect::<Result<_>>()?;
    let replicates = if config.replicates == 0 {
        s.experiment.replicates
    } else {
        config.replicates
    };
    let table = s.to_table();
    let scenarios: Vec<Arc<Scenario>> = design
        .points
        .iter()
        .enumerate()
        .map(|(i, x)| {
            s.with_overrides(&point_overrides(&table, &design.names, x))
                .map(Arc::new)
                .map_err(|e| Error::input(format!("calibration draw {i}: {e}")))
        })
        .collect::<Result<_>>()?;
    let reps = replicates as usize;
    let total = scenarios.len() * reps;
    let done = AtomicUsize::new(0);
    progress(0, total);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| Error::input(format!("--jobs: cannot start {jobs} threads: {e}")))?;
    let record_every = s.ticks.max(1);
    let stats: Vec<Vec<f64>> = pool.install(|| {
        (0..total)
            .into_par_iter()
            .with_max_len(1)
            .map(|i| {
                let (draw, rep) = (i / reps, i % reps);
                // Fresh seeds for every draw: ABC needs the simulator's noise in each draw.
                // Common random numbers across draws would make the statistics a smooth
                // function of the parameters and collapse the posterior around whichever
                // value best matches the observed data's own noise.
                let seed = rng::replicate_seed(seed, (draw * reps + rep) as u64);
                let r = run::simulate(scenarios[draw].clone(), seed, record_every, cancel, |_| {});
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                columns
                    .iter()
                    .map(|&c| r.summary.get(c).copied().unwrap_or(f64::NAN))
                    .collect()
            })
            .collect()
    });
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::input(
            "calibration: interrupted; nothing was written",
        ));
    }
    let statistics: Vec<Vec<f64>> = stats
        .chunks(reps)
        .map(|runs| {
            (0..columns.len())
                .map(|t| {
                    let x: Vec<f64> = runs
                        .iter()
                        .map(|r| r[t])
                        .filter(|v| v.is_finite())
                        .collect();
                    if x.is_empty() {
                        f64::NAN
                    } else {
                        x.iter().sum::<f64>() / x.len() as f64
                    }
                })
                .collect()
        })
        .collect();
    let result = config.analyse(&design, &statistics)?;
    Ok(Calibration {
        targets,
        replicates,
        statistics,
        result,
    })
}

/// Writes `calibration.csv` (every draw: parameters, distance, accepted), `posterior.csv`
/// (`parameter,mean,sd,q05,q95`: the accepted draws' mean, sd and 90% interval) and
/// `calibration.json` (targets, settings, acceptance) into `out`.
pub fn write_outputs(
    out: &Path,
    s: &Scenario,
    c: &Calibration,
    clock: &crate::provenance::Clock,
    threads: usize,
) -> Result<()> {
    output::ensure_dir(out)?;
    write_calibration_csv(&out.join("calibration.csv"), &c.result)?;
    let header: Vec<String> = ["parameter", "mean", "sd", "q05", "q95"]
        .map(String::from)
        .to_vec();
    let rows = c.result.posterior.iter().map(|p| {
        vec![
            p.parameter.clone(),
            num(p.mean),
            opt(p.sd),
            num(p.q05),
            num(p.q95),
        ]
    });
    output::write_csv(&out.join("posterior.csv"), &header, rows)?;
    let config = s.calibration.clone().unwrap_or_default();
    let json = serde_json::json!({
        "kind": "calibration",
        "provenance": crate::provenance::block(clock, &run::scenario_hash(s), serde_json::json!({"master_seed": s.experiment.seed}), threads),
        "scenario_name": s.name,
        "scenario_hash": run::scenario_hash(s),
        "seed": s.experiment.seed,
        "draws": c.result.draws.len(),
        "replicates_per_draw": c.replicates,
        "statistics": "mean over replicates (run (draw d, replicate r) uses replicate_seed(seed, d * replicates + r); finite values only) of each target's summary column",
        "distance": "sqrt(sum(((simulated - observed) / tolerance)^2)) over targets",
        "acceptance_quantile": config.acceptance_quantile,
        "accepted": c.result.accepted,
        "threshold": c.result.threshold,
        "targets": c.targets,
        "posterior": c.result.posterior,
    });
    let text = serde_json::to_string_pretty(&json).map_err(|e| Error::input(e.to_string()))?;
    output::write_atomic(&out.join("calibration.json"), |w| {
        w.write_all(text.as_bytes())
    })
}
