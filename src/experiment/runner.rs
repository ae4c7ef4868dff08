//! Running a plan: runs execute in parallel on a rayon pool of `jobs` threads; each run's
//! rows go to `parts/<run_id>.{run,ts,comm}.csv` (headerless, written atomically) followed by
//! a `parts/<run_id>.done` marker holding the scenario hash, so a crash loses only runs in
//! flight and `--resume` skips runs whose marker matches. The final files are assembled from
//! the parts in run-id order, so they do not depend on thread count or timing.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::experiment::aggregate;
use crate::experiment::design::Plan;
use crate::footprint;
use crate::metrics::summary_columns;
use crate::outdir::{self, OutKind};
use crate::output::{self, num};
use crate::provenance::{self, Clock};
use crate::records;
use crate::run::{self, COMMUNITY_COLUMNS};
use crate::scenario::Scenario;

/// How to run an experiment.
#[derive(Debug, Clone)]
pub struct Options {
    /// Output directory.
    pub out: PathBuf,
    /// Worker threads (≥ 1).
    pub jobs: usize,
    /// Skip runs already complete in `out`.
    pub resume: bool,
    /// Run only shard `(i, n)` (1-based `i`): runs with `index % n == i - 1`.
    pub shard: Option<(usize, usize)>,
    /// Allow more than `experiment.max_runs` runs and overwrite another scenario's output
    /// (never more runs than fit in memory).
    pub force: bool,
    /// The scenario file, for the position of input errors found here.
    pub scenario_file: Option<PathBuf>,
    /// Keep `parts/` after the final files are assembled (needed to `--resume` or re-merge;
    /// a complete unsharded experiment can drop them).
    pub keep_parts: bool,
}

/// What an experiment did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Runs in the whole plan.
    pub runs_total: usize,
    /// Runs done (in this shard, for a shard).
    pub runs_done: usize,
    /// Whether every run (of this shard) is in.
    pub complete: bool,
    /// Whether the run was interrupted.
    pub cancelled: bool,
    /// Runs found complete in `parts/` and reused (`--resume`).
    pub reused: usize,
    /// Whether `parts/` was dropped after the final files were written.
    pub parts_dropped: bool,
}

/// The parts folder of an output directory.
pub fn parts_dir(out: &Path) -> PathBuf {
    out.join("parts")
}

fn marker(out: &Path, id: &str) -> PathBuf {
    parts_dir(out).join(format!("{id}.done"))
}

fn part(out: &Path, id: &str, kind: &str) -> PathBuf {
    parts_dir(out).join(format!("{id}.{kind}.csv"))
}

/// Whether run `id` is complete in `out` for the scenario with `hash`.
pub fn is_done(out: &Path, id: &str, hash: &str) -> bool {
    std::fs::read_to_string(marker(out, id)).is_ok_and(|h| h.trim() == hash)
}

/// The scenario hash recorded in `out/manifest.json`, if any.
pub fn recorded_hash(out: &Path) -> Option<String> {
    let text = std::fs::read_to_string(out.join("manifest.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("scenario_hash")?.as_str().map(str::to_string)
}

/// Checks that the experiment fits, then builds its plan: the run count against
/// `experiment.max_runs` from the design's sizes, the plan and one run per worker against
/// this machine's memory, all before the plan is built; then the largest cell's runs once
/// the cells are known (a sweep may change the world's size). `--force` lifts max_runs,
/// never memory.
pub fn prepare(scenario: &Scenario, opts: &Options) -> Result<Plan> {
    let file = opts.scenario_file.as_deref();
    let planned = crate::experiment::design::check_planned(scenario, opts.force)?;
    let jobs = opts.jobs.max(1);
    let before = footprint::experiment(scenario, &planned, jobs, scenario);
    footprint::refuse_if_too_large(&before, file)?;
    let plan = Plan::new(scenario, opts.force)?;
    let largest = plan
        .cells
        .iter()
        .max_by_key(|c| footprint::run(c).bytes())
        .map_or(scenario, |c| c.as_ref());
    let after = footprint::experiment(scenario, &planned, jobs, largest);
    footprint::refuse_if_too_large(&after, file)?;
    Ok(plan)
}

/// Runs the experiment of `scenario` (see the module docs); `cancel` stops it cleanly.
/// `progress(done, total)` hears the runs done (of this shard) at the start and after each run.
pub fn run_experiment(
    scenario: &Scenario,
    opts: &Options,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Outcome> {
    let clock = Clock::start();
    let plan = prepare(scenario, opts)?;
    let hash = run::scenario_hash(scenario);
    let out = &opts.out;
    outdir::guard(out, OutKind::Experiment)?;
    if let Some(old) = recorded_hash(out)
        && old != hash
        && !opts.force
    {
        return Err(Error::input(format!(
            "{}: holds results of a different scenario (hash {}…); choose another --out or pass --force to overwrite",
            out.display(),
            &old[..old.len().min(12)]
        )));
    }
    if opts.force && recorded_hash(out).is_some_and(|old| old != hash) {
        let _ = std::fs::remove_dir_all(parts_dir(out));
    }
    output::ensure_dir(&parts_dir(out))?;
    output::remove_stale_temps(&parts_dir(out));
    output::remove_stale_temps(out);
    let mine: Vec<usize> = (0..plan.len())
        .filter(|i| opts.shard.is_none_or(|(k, n)| i % n == k - 1))
        .collect();
    let todo: Vec<usize> = mine
        .iter()
        .copied()
        .filter(|&i| !(opts.resume && is_done(out, &plan.run_id(i), &hash)))
        .collect();
    for &i in &todo {
        let _ = std::fs::remove_file(marker(out, &plan.run_id(i)));
    }
    let reused = mine.len() - todo.len();
    let done = AtomicUsize::new(reused);
    let info = ManifestInfo {
        shard: opts.shard,
        threads: opts.jobs.max(1),
        shards: Vec::new(),
    };
    write_manifest(
        out,
        scenario,
        &plan,
        &hash,
        &info,
        done.load(Ordering::Relaxed),
        false,
        &clock,
    )?;
    progress(mine.len() - todo.len(), mine.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .map_err(|e| Error::input(format!("--jobs: cannot start {} threads: {e}", opts.jobs)))?;
    let record_every = scenario.experiment.record_every;
    pool.install(|| {
        todo.par_iter()
            .with_max_len(1)
            .try_for_each(|&i| -> Result<()> {
                if cancel.load(Ordering::Relaxed) {
                    return Ok(());
                }
                let spec = plan.run(i);
                let result = run::simulate(
                    plan.scenario(&spec),
                    spec.seed,
                    record_every,
                    cancel,
                    |_| {},
                );
                if result.cancelled {
                    return Ok(());
                }
                write_parts(out, &plan, &spec, &result, &hash)?;
                let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress(d, mine.len());
                Ok(())
            })
    })?;
    let runs_done = done.load(Ordering::Relaxed);
    let complete = runs_done == mine.len();
    let cancelled = cancel.load(Ordering::Relaxed) && !complete;
    if complete && opts.shard.is_none() {
        finalize(out, &plan)?;
    }
    write_manifest(
        out, scenario, &plan, &hash, &info, runs_done, complete, &clock,
    )?;
    let parts_dropped = complete && opts.shard.is_none() && !opts.keep_parts;
    if parts_dropped {
        drop_parts(out)?;
    }
    Ok(Outcome {
        runs_total: plan.len(),
        runs_done,
        complete,
        cancelled,
        reused,
        parts_dropped,
    })
}

/// Removes `parts/` of a finished experiment (its final files hold everything; `--resume`
/// and `merge` need the parts, so this is for complete, merged results only).
pub fn drop_parts(out: &Path) -> Result<()> {
    let p = parts_dir(out);
    if p.exists() {
        std::fs::remove_dir_all(&p).map_err(|e| Error::io(&p, e))?;
    }
    Ok(())
}

fn write_parts(
    out: &Path,
    plan: &Plan,
    spec: &crate::experiment::RunSpec,
    r: &run::RunOutput,
    hash: &str,
) -> Result<()> {
    let id = plan.run_id(spec.index);
    let mut row = vec![id.clone(), plan.policies[spec.policy].clone()];
    row.extend(plan.point_fields(spec.point));
    row.extend([spec.replicate.to_string(), spec.seed.to_string()]);
    row.extend(r.summary.iter().map(|&v| num(v)));
    write_rows(&part(out, &id, "run"), std::iter::once(row))?;
    write_rows(
        &part(out, &id, "ts"),
        r.rows.iter().map(|(t, m)| {
            [id.clone(), t.to_string()]
                .into_iter()
                .chain(m.iter().map(|&v| num(v)))
                .collect()
        }),
    )?;
    write_rows(
        &part(out, &id, "comm"),
        r.communities.iter().enumerate().map(|(c, m)| {
            [id.clone(), c.to_string()]
                .into_iter()
                .chain(m.iter().map(|&v| num(v)))
                .collect()
        }),
    )?;
    let cell = plan.scenario(spec);
    if let Some(issues) = &r.issues {
        let domains = run::domain_names(&cell);
        let warmup = cell.init.warmup;
        write_rows(
            &part(out, &id, "issues"),
            issues.iter().map(|i| {
                std::iter::once(id.clone())
                    .chain(records::issue_row(i, &domains, warmup))
                    .collect()
            }),
        )?;
    }
    if let Some(rows) = &r.panel {
        write_rows(
            &part(out, &id, "panel"),
            rows.iter().map(|p| {
                std::iter::once(id.clone())
                    .chain(records::panel_row(p))
                    .collect()
            }),
        )?;
    }
    let m = marker(out, &id);
    output::write_atomic(&m, |w| w.write_all(hash.as_bytes()))
}

fn write_rows(path: &Path, rows: impl Iterator<Item = Vec<String>>) -> Result<()> {
    output::write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        for row in rows {
            csv.write_record(&row).map_err(std::io::Error::other)?;
        }
        csv.flush()
    })
}

fn header(lead: &[&str], mid: &[String], tail: &[String]) -> String {
    let all: Vec<String> = lead
        .iter()
        .map(|s| s.to_string())
        .chain(mid.iter().cloned())
        .chain(tail.iter().cloned())
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&all);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Assembles the final CSVs from the parts of every run of `plan` in `out`.
pub fn finalize(out: &Path, plan: &Plan) -> Result<()> {
    let ids: Vec<String> = (0..plan.len()).map(|i| plan.run_id(i)).collect();
    let sweep = &plan.sweep_keys;
    let runs_head = {
        let mut tail = vec!["replicate".to_string(), "seed".to_string()];
        tail.extend(summary_columns());
        header(&["run_id", "policy"], sweep, &tail)
    };
    concat(out, &out.join("runs.csv"), &runs_head, &ids, "run")?;
    let ts_head = header(&[], &run::timeseries_header(&["run_id"]), &[]);
    concat(out, &out.join("timeseries.csv"), &ts_head, &ids, "ts")?;
    let comm: Vec<String> = COMMUNITY_COLUMNS.iter().map(|s| s.to_string()).collect();
    concat(
        out,
        &out.join("communities.csv"),
        &header(&["run_id", "community"], &comm, &[]),
        &ids,
        "comm",
    )?;
    // Optional records: from the runs that wrote them (a policy may switch them on).
    for (kind, file, columns) in [
        ("issues", "issues.csv", records::ISSUE_COLUMNS),
        ("panel", "panel.csv", records::PANEL_COLUMNS),
    ] {
        let with: Vec<String> = ids
            .iter()
            .filter(|id| part(out, id, kind).exists())
            .cloned()
            .collect();
        if with.is_empty() {
            outdir::remove_stale(out, &[file])?;
        } else {
            let head = header(&[], &records::header(&["run_id"], columns), &[]);
            concat(out, &out.join(file), &head, &with, kind)?;
        }
    }
    crate::metrics::write_codebook(out)?;
    // Runs of a cell (policy, sweep point) are contiguous in run order: load them on demand.
    let reps = plan.replicates as usize;
    let load = |policy: usize, point: usize| {
        let first = (policy * plan.points.len() + point) * reps;
        read_summaries(out, plan, &ids[first..first + reps])
    };
    aggregate::write_aggregate(&out.join("aggregate.csv"), plan, &load)?;
    aggregate::write_contrasts(&out.join("contrasts.csv"), plan, &load)?;
    if plan.sensitivity.is_some() {
        aggregate::write_sensitivity(&out.join("sensitivity.csv"), plan, &load)?;
    }
    if let Some(f) = &plan.factorial {
        crate::experiment::effects::write_outputs(out, f, plan.replicates, &|c| load(0, c))?;
    }
    Ok(())
}

fn concat(out: &Path, target: &Path, head: &str, ids: &[String], kind: &str) -> Result<()> {
    output::write_atomic(target, |w| {
        w.write_all(head.as_bytes())?;
        for id in ids {
            let mut f = std::fs::File::open(part(out, id, kind))?;
            std::io::copy(&mut f, w)?;
        }
        Ok(())
    })
}

/// Summary values of the runs `ids` (in that order), read back from their parts. Numbers are written
/// in shortest round-trip form, so reading them back is exact.
fn read_summaries(out: &Path, plan: &Plan, ids: &[String]) -> Result<Vec<Vec<f64>>> {
    let skip = 2 + plan.sweep_keys.len() + 2;
    ids.iter()
        .map(|id| {
            let path = part(out, id, "run");
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_path(&path)
                .map_err(|e| Error::Csv {
                    path: path.clone(),
                    source: e,
                })?;
            let rec = rdr
                .records()
                .next()
                .ok_or_else(|| Error::input(format!("{}: empty run part", path.display())))?;
            let rec = rec.map_err(|e| Error::Csv {
                path: path.clone(),
                source: e,
            })?;
            Ok(rec
                .iter()
                .skip(skip)
                .map(|f| f.parse().unwrap_or(f64::NAN))
                .collect())
        })
        .collect()
}

/// What the manifest says about how an experiment was run.
#[derive(Debug, Clone, Default)]
pub struct ManifestInfo {
    /// The shard `(i, n)`, for a shard's directory.
    pub shard: Option<(usize, usize)>,
    /// Worker threads.
    pub threads: usize,
    /// For a merged directory: each shard's directory and provenance.
    pub shards: Vec<serde_json::Value>,
}

/// The files a complete experiment directory holds.
fn experiment_files(out: &Path, s: &Scenario) -> Vec<&'static str> {
    let mut f = vec![
        "runs.csv",
        "timeseries.csv",
        "communities.csv",
        "aggregate.csv",
        "contrasts.csv",
        "metrics.csv",
    ];
    if s.experiment.design == "morris" || s.experiment.design == "sobol" {
        f.push("sensitivity.csv");
    }
    if !s.experiment.switches.is_empty() {
        f.push("effects.csv");
        if out.join("attribution.csv").exists() {
            f.push("attribution.csv");
        }
    }
    for file in ["issues.csv", "panel.csv"] {
        if out.join(file).exists() {
            f.push(file);
        }
    }
    f
}

#[allow(clippy::too_many_arguments)]
fn write_manifest(
    out: &Path,
    s: &Scenario,
    plan: &Plan,
    hash: &str,
    info: &ManifestInfo,
    runs_done: usize,
    complete: bool,
    clock: &Clock,
) -> Result<()> {
    let shard = info.shard;
    let mut manifest = serde_json::json!({
        "kind": OutKind::Experiment.name(),
        "scenario_name": s.name,
        "description": s.description,
        "scenario_hash": hash,
        "scenario_toml": s.to_toml(),
        "policies": plan.policies,
        "baseline": plan.policies[plan.baseline],
        "sweep_parameters": plan.sweep_keys,
        "design": s.experiment.design,
        "replicates": plan.replicates,
        "run_id": "zero-padded index in the order (policy, sweep point, replicate)",
        "shard": shard.map(|(i, n)| format!("{i}/{n}")),
        "runs_total": plan.len(),
        "runs_done": runs_done,
        "complete": complete,
        "provenance": provenance::block(clock, hash, serde_json::json!({"master_seed": s.experiment.seed}), info.threads),
        "files": if complete && shard.is_none() { experiment_files(out, s) } else { vec!["parts/"] },
        // `cogov plot DIR` redraws with the scenario's own [plot] settings.
        "plot": serde_json::to_value(&s.plot).map_err(|e| Error::input(e.to_string()))?,
        "sensitivity": plan.sensitivity.as_ref().map(|sp| serde_json::json!({
            "method": s.experiment.design,
            "parameters": plan.sweep_keys,
            "metrics": sp.metrics.iter().map(|m| m.0.clone()).collect::<Vec<_>>(),
            "design_points": plan.points.len(),
            "bootstrap": sp.bootstrap,
            "outputs": "sensitivity.csv: indices of the mean over replicates at each design point (finite values only; a metric non-finite at some point is left out); integer parameters are rounded to whole numbers",
        })),
    });
    if let Some(f) = &plan.factorial {
        manifest["factorial"] = f.manifest();
    }
    if !info.shards.is_empty() {
        manifest["shards"] = serde_json::Value::Array(info.shards.clone());
    }
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| Error::input(e.to_string()))?;
    output::write_atomic(&out.join("manifest.json"), |w| w.write_all(text.as_bytes()))
}

/// Writes the manifest of a merged output (used by `merge`); `shards` lists each shard's
/// directory and provenance.
pub fn write_merged_manifest(
    out: &Path,
    s: &Scenario,
    plan: &Plan,
    runs_done: usize,
    clock: &Clock,
    shards: Vec<serde_json::Value>,
) -> Result<()> {
    let hash = run::scenario_hash(s);
    let info = ManifestInfo {
        shard: None,
        threads: 1,
        shards,
    };
    write_manifest(
        out,
        s,
        plan,
        &hash,
        &info,
        runs_done,
        runs_done == plan.len(),
        clock,
    )
}
