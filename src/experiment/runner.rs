//! Running a plan: runs execute in parallel on a rayon pool of `jobs` threads; each run's
//! tables go to `parts/<run_id>.<table>.<csv|parquet>` (written atomically) followed by a
//! `parts/<run_id>.done` marker holding the scenario hash and the format, so a crash loses
//! only runs in flight and `--resume` skips runs whose marker matches. The final tables are
//! assembled from the parts in run-id order, so they do not depend on thread count or
//! timing. Which tables there are comes from [`run::TABLES`]: a run's `summary` becomes its
//! row of `runs`, every other table is kept with a leading `run_id` (the optional records,
//! `issues` and `panel`, from the runs that kept them). Before anything runs, [`prepare`]
//! checks that the plan and its runs fit; an experiment never writes into a run's directory
//! ([`outdir::guard`]).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::experiment::aggregate;
use crate::experiment::design::{Plan, RunSpec};
use crate::experiment::warmups::{self, Warmups};
use crate::footprint;
use crate::outdir::{self, OutKind};
use crate::output;
use crate::provenance::{self, Clock};
use crate::run;
use crate::scenario::Scenario;
use crate::tables::{self, Column, Format, Table, TableWriter, parquet_format};

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
    /// File format of the parts and the final tables.
    pub format: Format,
    /// The scenario file, for the position of input errors found here.
    pub scenario_file: Option<PathBuf>,
    /// Keep `parts/` after the final files are assembled (needed to `--resume` or re-merge;
    /// a complete unsharded experiment can drop them).
    pub keep_parts: bool,
    /// Simulate the warm-up of runs that differ only in what acts after it once per seed
    /// and go on from copies ([`warmups`]); the outputs are the same either way. `false`
    /// simulates every run's warm-up afresh (slower; for checking that).
    pub share_warmups: bool,
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
    /// Runs done that went on from a shared warm-up ([`warmups`]).
    pub shared_runs: usize,
    /// Warm-ups simulated for those runs (the others were copies).
    pub warmups_simulated: usize,
}

/// The parts folder of an output directory.
pub fn parts_dir(out: &Path) -> PathBuf {
    out.join("parts")
}

/// File name of run `id`'s marker, written after its parts.
pub fn marker_name(id: &str) -> String {
    format!("{id}.done")
}

fn marker(out: &Path, id: &str) -> PathBuf {
    parts_dir(out).join(marker_name(id))
}

/// File name of the part holding run `id`'s table `table`.
pub fn part_name(id: &str, table: &str, format: Format) -> String {
    format!("{id}.{table}.{}", format.ext())
}

/// The part file holding run `id`'s table `table`.
pub fn part(out: &Path, id: &str, table: &str, format: Format) -> PathBuf {
    parts_dir(out).join(part_name(id, table, format))
}

/// The run table that becomes `runs` (one row per run, with the run's plan columns).
const SUMMARY: &str = "summary";

/// The experiment's name for a run table.
fn experiment_name(run_table: &str) -> &str {
    if run_table == SUMMARY {
        "runs"
    } else {
        run_table
    }
}

/// The experiment's per-run tables, in order: `runs` first (the index of the runs), then
/// the run's other tables (`timeseries`, `communities`, ...).
pub fn run_tables() -> Vec<&'static str> {
    std::iter::once(SUMMARY)
        .chain(run::TABLES.iter().copied().filter(|&t| t != SUMMARY))
        .filter(|t| !run::SINGLE_RUN_TABLES.contains(t))
        .map(experiment_name)
        .collect()
}

/// Whether run `id` is complete in `out` for the scenario with `hash`, with its parts in
/// `format` (a run done in the other format is done again).
pub fn is_done(out: &Path, id: &str, hash: &str, format: Format) -> bool {
    std::fs::read_to_string(marker(out, id)).is_ok_and(|m| {
        let mut lines = m.lines();
        lines.next() == Some(hash) && lines.next() == Some(format.ext())
    })
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
    // The kept warm-ups, when some run may share one (a cell may gain a warm-up, so the
    // count is settled once the cells are known).
    let snapshots = |share: bool| {
        if opts.share_warmups && share {
            Warmups::capacity(jobs)
        } else {
            0
        }
    };
    let before = footprint::experiment(
        scenario,
        &planned,
        jobs,
        scenario,
        snapshots(warmups::shares(scenario)),
    );
    footprint::refuse_if_too_large(&before, file)?;
    let plan = Plan::new(scenario, opts.force)?;
    let largest = plan
        .cells
        .iter()
        .max_by_key(|c| footprint::run(c).bytes())
        .map_or(scenario, |c| c.as_ref());
    let share = plan.cells.iter().any(|c| warmups::shares(c));
    let after = footprint::experiment(scenario, &planned, jobs, largest, snapshots(share));
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
    let mut todo: Vec<usize> = mine
        .iter()
        .copied()
        .filter(|&i| !(opts.resume && is_done(out, &plan.run_id(i), &hash, opts.format)))
        .collect();
    // Replicate-major, so each worker meets one seed (one shared warm-up) in consecutive
    // runs; every run writes its own parts, so the order never changes an output.
    todo.sort_by_key(|&i| (plan.run(i).replicate, i));
    for &i in &todo {
        let _ = std::fs::remove_file(marker(out, &plan.run_id(i)));
    }
    let reused = mine.len() - todo.len();
    let done = AtomicUsize::new(reused);
    let progress_manifest = Progress {
        info: ManifestInfo {
            shard: opts.shard,
            threads: opts.jobs.max(1),
            shards: Vec::new(),
        },
        runs_done: reused,
        complete: false,
        clock,
        format: opts.format,
    };
    write_manifest(out, scenario, &plan, &hash, &progress_manifest)?;
    progress(mine.len() - todo.len(), mine.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .map_err(|e| Error::input(format!("--jobs: cannot start {} threads: {e}", opts.jobs)))?;
    let record_every = scenario.experiment.record_every;
    let warmups = Warmups::new(opts.jobs);
    let shared = AtomicUsize::new(0);
    pool.install(|| {
        todo.par_iter()
            .with_max_len(1)
            .try_for_each(|&i| -> Result<()> {
                if cancel.load(Ordering::Relaxed) {
                    return Ok(());
                }
                let spec = plan.run(i);
                let cell = plan.scenario(&spec);
                let result = if opts.share_warmups && warmups::shares(&cell) {
                    let Some((engine, observer)) =
                        warmups.start(&cell, spec.seed, record_every, cancel)
                    else {
                        return Ok(());
                    };
                    let result = run::simulate_from(engine, observer, cancel, |_| {});
                    if !result.cancelled {
                        shared.fetch_add(1, Ordering::Relaxed);
                    }
                    result
                } else {
                    run::simulate(cell, spec.seed, record_every, cancel, |_| {})
                };
                if result.cancelled {
                    return Ok(());
                }
                write_parts(out, &plan, &spec, &result, &hash, opts.format)?;
                let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress(d, mine.len());
                Ok(())
            })
    })?;
    let runs_done = done.load(Ordering::Relaxed);
    let complete = runs_done == mine.len();
    let cancelled = cancel.load(Ordering::Relaxed) && !complete;
    if complete && opts.shard.is_none() {
        finalize(out, &plan, opts.format)?;
    }
    let final_manifest = Progress {
        runs_done,
        complete,
        ..progress_manifest
    };
    write_manifest(out, scenario, &plan, &hash, &final_manifest)?;
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
        shared_runs: shared.load(Ordering::Relaxed),
        warmups_simulated: warmups.simulated(),
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

/// A run's tables as the experiment keeps them: `summary` becomes the run's row of `runs`
/// (`run_id`, `policy`, the sweep columns, `replicate`, `seed`, then the summary columns);
/// every other table, but those of [`run::SINGLE_RUN_TABLES`], gets a leading `run_id`.
pub fn experiment_tables(plan: &Plan, spec: &RunSpec, mut tables: Vec<Table>) -> Vec<Table> {
    let id = plan.run_id(spec.index);
    tables.retain(|t| !run::SINGLE_RUN_TABLES.contains(&t.name.as_str()));
    // `runs` first, as in [`run_tables`].
    tables.sort_by_key(|t| t.name != SUMMARY);
    tables
        .into_iter()
        .map(|mut t| {
            let n = t.rows();
            let mut lead = vec![("run_id".to_string(), Column::Str(vec![id.clone(); n]))];
            if t.name == SUMMARY {
                t.name = experiment_name(SUMMARY).to_string();
                let policy = plan.policies[spec.policy].clone();
                lead.push(("policy".into(), Column::Str(vec![policy; n])));
                lead.extend(plan.sweep_columns(spec.point, n));
                lead.push((
                    "replicate".into(),
                    Column::I64(vec![spec.replicate as i64; n]),
                ));
                lead.push(("seed".into(), Column::U64(vec![spec.seed; n])));
            }
            t.prepend(lead);
            t
        })
        .collect()
}

/// Every final table of `plan`'s experiment, without rows: the per-run tables (the records
/// when a cell of the plan keeps them), then `aggregate`, `contrasts` and (for a
/// `morris`/`sobol` design) `sensitivity`.
pub fn table_schemas(plan: &Plan) -> Vec<Table> {
    let issues = plan.cells.iter().any(|c| c.output.issues);
    let panel = plan.cells.iter().any(|c| c.output.panel.is_some());
    let mut all = experiment_tables(plan, &plan.run(0), run::table_schemas(issues, panel));
    all.push(aggregate::aggregate_cell(plan, 0, 0, &[]));
    all.push(aggregate::contrast_cell(plan, 0, 0, &[]));
    if plan.sensitivity.is_some() {
        all.push(crate::sensitivity::sensitivity_table(&[]));
    }
    all
}

fn write_parts(
    out: &Path,
    plan: &Plan,
    spec: &RunSpec,
    r: &run::RunOutput,
    hash: &str,
    format: Format,
) -> Result<()> {
    let id = plan.run_id(spec.index);
    for t in experiment_tables(plan, spec, r.tables(&plan.scenario(spec))) {
        tables::write_part(&part(out, &id, &t.name, format), &t, format)?;
        for other in Format::ALL.into_iter().filter(|&f| f != format) {
            let _ = std::fs::remove_file(part(out, &id, &t.name, other));
        }
    }
    let m = marker(out, &id);
    output::write_atomic(&m, |w| write!(w, "{hash}\n{format}\n"))
}

/// Assembles the final tables from the parts of every run of `plan` in `out`.
pub fn finalize(out: &Path, plan: &Plan, format: Format) -> Result<()> {
    let ids: Vec<String> = (0..plan.len()).map(|i| plan.run_id(i)).collect();
    for name in run_tables() {
        // A table a run may leave out (an optional record) comes from the runs that wrote it.
        let with: Vec<String> = ids
            .iter()
            .filter(|id| part(out, id, name, format).is_file())
            .cloned()
            .collect();
        let target = format.path(out, name);
        if with.is_empty() {
            let _ = std::fs::remove_file(&target);
        } else {
            match format {
                Format::Csv => concat_csv(out, &target, &with, name)?,
                Format::Parquet => concat_parquet(out, &target, &with, name)?,
            }
        }
        tables::remove_other_format(out, name, format);
    }
    crate::metrics::write_codebook(out)?;
    // Runs of a cell (policy, sweep point) are contiguous in run order: load them on demand.
    let reps = plan.replicates as usize;
    let load = |policy: usize, point: usize| {
        let first = (policy * plan.points.len() + point) * reps;
        read_summaries(out, plan, &ids[first..first + reps], format)
    };
    aggregate::write_aggregate(&format.path(out, "aggregate"), format, plan, &load)?;
    aggregate::write_contrasts(&format.path(out, "contrasts"), format, plan, &load)?;
    let mut names = vec!["aggregate", "contrasts"];
    if plan.sensitivity.is_some() {
        aggregate::write_sensitivity(&format.path(out, "sensitivity"), format, plan, &load)?;
        names.push("sensitivity");
    }
    for name in names {
        tables::remove_other_format(out, name, format);
    }
    if let Some(f) = &plan.factorial {
        crate::experiment::effects::write_outputs(out, f, plan.replicates, &|c| load(0, c))?;
    }
    Ok(())
}

/// Concatenates CSV parts: the first part's header, then every part's rows. Every part must
/// have the same header.
fn concat_csv(out: &Path, target: &Path, ids: &[String], table: &str) -> Result<()> {
    let mut file = output::AtomicFile::create(target)?;
    let mut header: Option<Vec<u8>> = None;
    for id in ids {
        let path = part(out, id, table, Format::Csv);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let end = bytes
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| p + 1);
        let (head, rows) = bytes.split_at(end);
        match &header {
            None => {
                file.write_all(head).map_err(|e| Error::io(target, e))?;
                header = Some(head.to_vec());
            }
            Some(first) if first.as_slice() != head => {
                return Err(Error::input(format!(
                    "{}: its columns differ from those of run {}; remove parts/ and run again",
                    path.display(),
                    ids[0]
                )));
            }
            Some(_) => {}
        }
        file.write_all(rows).map_err(|e| Error::io(target, e))?;
    }
    file.commit()
}

/// Concatenates Parquet parts batch by batch (memory: one row group being written).
fn concat_parquet(out: &Path, target: &Path, ids: &[String], table: &str) -> Result<()> {
    let first = part(out, &ids[0], table, Format::Parquet);
    let like = parquet_format::read(&first, None)?.empty_like();
    let mut w = TableWriter::create(target, Format::Parquet, &like)?;
    for id in ids {
        let path = part(out, id, table, Format::Parquet);
        parquet_format::for_each_record_batch(&path, None, |b| w.write_batch(&b))?;
    }
    w.finish()
}

/// Summary values of the runs `ids` (in that order), read back from their `runs` parts.
/// Numbers are written in shortest round-trip form (CSV) or as they are (Parquet), so
/// reading them back is exact.
fn read_summaries(
    out: &Path,
    plan: &Plan,
    ids: &[String],
    format: Format,
) -> Result<Vec<Vec<f64>>> {
    let skip = 2 + plan.sweep_keys.len() + 2;
    let runs = experiment_name(SUMMARY);
    ids.iter()
        .map(|id| {
            let path = part(out, id, runs, format);
            match format {
                Format::Csv => {
                    let mut rdr = csv::Reader::from_path(&path).map_err(|e| Error::Csv {
                        path: path.clone(),
                        source: e,
                    })?;
                    let rec = rdr.records().next().ok_or_else(|| {
                        Error::input(format!("{}: empty run part", path.display()))
                    })?;
                    let rec = rec.map_err(|e| Error::Csv {
                        path: path.clone(),
                        source: e,
                    })?;
                    Ok(rec
                        .iter()
                        .skip(skip)
                        .map(|f| f.parse().unwrap_or(f64::NAN))
                        .collect())
                }
                Format::Parquet => {
                    let t = parquet_format::read(&path, None)?;
                    if t.rows() == 0 {
                        return Err(Error::input(format!("{}: empty run part", path.display())));
                    }
                    Ok(t.columns()
                        .iter()
                        .skip(skip)
                        .map(|(_, c)| match c {
                            Column::F64(v) => v[0],
                            _ => f64::NAN,
                        })
                        .collect())
                }
            }
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

/// Where an experiment stands, for its manifest.
#[derive(Debug, Clone)]
struct Progress {
    info: ManifestInfo,
    runs_done: usize,
    complete: bool,
    clock: Clock,
    format: Format,
}

/// The files a complete experiment directory holds: its tables in `format` (the records
/// when they were written), then the codebook `metrics.csv`.
fn experiment_files(out: &Path, plan: &Plan, format: Format) -> Vec<String> {
    // A factorial's effects and attribution are CSV in either format: their header
    // comment says what the numbers mean.
    let factorial = plan
        .factorial
        .as_ref()
        .map_or(&[][..], |_| &crate::experiment::effects::FILES[..]);
    table_schemas(plan)
        .iter()
        .map(|t| format.file_name(&t.name))
        .chain(factorial.iter().map(|f| f.to_string()))
        .filter(|f| out.join(f).is_file())
        .chain(std::iter::once(crate::metrics::CODEBOOK_FILE.to_string()))
        .collect()
}

fn write_manifest(out: &Path, s: &Scenario, plan: &Plan, hash: &str, at: &Progress) -> Result<()> {
    let Progress {
        info,
        runs_done,
        complete,
        clock,
        format,
    } = at;
    let shard = info.shard;
    let files = if *complete && shard.is_none() {
        experiment_files(out, plan, *format)
    } else {
        vec!["parts/".to_string()]
    };
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
        "files": files,
        "format": format,
        "tables": run::describe(&table_schemas(plan), Some(*format)),
        // `cogov plot DIR` redraws with the scenario's own [plot] settings.
        "plot": serde_json::to_value(&s.plot).map_err(|e| Error::input(e.to_string()))?,
        "sensitivity": plan.sensitivity.as_ref().map(|sp| serde_json::json!({
            "method": s.experiment.design,
            "parameters": plan.sweep_keys,
            "metrics": sp.metrics.iter().map(|m| m.0.clone()).collect::<Vec<_>>(),
            "design_points": plan.points.len(),
            "bootstrap": sp.bootstrap,
            "outputs": format!("{}: indices of the mean over replicates at each design point (finite values only; a metric non-finite at some point is left out); integer parameters are rounded to whole numbers", format.file_name("sensitivity")),
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
    format: Format,
) -> Result<()> {
    let hash = run::scenario_hash(s);
    let at = Progress {
        info: ManifestInfo {
            shard: None,
            threads: 1,
            shards,
        },
        runs_done,
        complete: runs_done == plan.len(),
        clock: *clock,
        format,
    };
    write_manifest(out, s, plan, &hash, &at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let s = Scenario::from_toml(
            r#"ticks = 10
               [experiment]
               replicates = 2
               [[policy]]
               name = "a"
               [[policy]]
               name = "b"
               [sweep]
               "world.party_share" = [0.1, 0.2]"#,
            "t.toml",
        )
        .unwrap();
        Plan::new(&s, false).unwrap()
    }

    #[test]
    fn every_run_table_becomes_an_experiment_table_runs_first() {
        let plan = plan();
        let schemas = table_schemas(&plan);
        let names: Vec<&str> = schemas.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "runs",
                "timeseries",
                "communities",
                "aggregate",
                "contrasts"
            ]
        );
        // The records are experiment tables too, present when a cell keeps them.
        assert_eq!(
            run_tables(),
            ["runs", "timeseries", "communities", "issues", "panel"]
        );
        let runs = &schemas[0];
        assert_eq!(
            runs.schema()[..5],
            [
                ("run_id".to_string(), "string"),
                ("policy".to_string(), "string"),
                ("world.party_share".to_string(), "float64"),
                ("replicate".to_string(), "int64"),
                ("seed".to_string(), "uint64"),
            ]
        );
        for t in &schemas[1..3] {
            assert_eq!(t.names()[0], "run_id", "{}", t.name);
        }
        // A run's own tables get its id and plan columns, one value per row.
        let spec = plan.run(5);
        let out = run::RunOutput {
            rows: vec![(0, [0.0; crate::metrics::N_METRICS]); 3],
            summary: vec![1.0; crate::metrics::summary_columns().len()],
            communities: vec![],
            ledger: vec![],
            cancelled: false,
            issues: None,
            panel: None,
        };
        let tables = experiment_tables(&plan, &spec, out.tables(&plan.scenario(&spec)));
        assert_eq!(
            tables[0].csv_record(0)[..5],
            ["000005", "b", "0.1", "1", &spec.seed.to_string()]
        );
        assert_eq!(tables[1].rows(), 3);
        assert_eq!(tables[1].csv_record(2)[0], "000005");
    }

    #[test]
    fn a12_is_missing_when_a_contrast_rests_on_fewer_than_two_pairs() {
        let plan = plan();
        let n = crate::metrics::summary_columns().len();
        let runs = |x: f64, k: usize| (0..k).map(|r| vec![x + r as f64; n]).collect::<Vec<_>>();
        let one = aggregate::contrast_cell(&plan, 1, 0, &[runs(2.0, 1), runs(1.0, 1)]);
        let a12 = one.column("a12").unwrap().to_f64().unwrap();
        assert!(a12.iter().all(|x| x.is_nan()), "{a12:?}");
        let two = aggregate::contrast_cell(&plan, 1, 0, &[runs(2.0, 2), runs(1.0, 2)]);
        let a12 = two.column("a12").unwrap().to_f64().unwrap();
        assert!(a12.iter().all(|x| x.is_finite()), "{a12:?}");
    }

    #[test]
    fn a_run_is_done_only_in_the_format_of_its_marker() {
        let out = std::env::temp_dir().join(format!("cogov-marker-{}", std::process::id()));
        std::fs::create_dir_all(parts_dir(&out)).unwrap();
        std::fs::write(marker(&out, "000001"), "abc\nparquet\n").unwrap();
        assert!(is_done(&out, "000001", "abc", Format::Parquet));
        assert!(!is_done(&out, "000001", "abc", Format::Csv));
        assert!(!is_done(&out, "000001", "abd", Format::Parquet));
        // A marker of an older cogov (hash only) is not trusted: the run is done again.
        std::fs::write(marker(&out, "000002"), "abc").unwrap();
        assert!(!is_done(&out, "000002", "abc", Format::Csv));
        std::fs::remove_dir_all(&out).unwrap();
    }
}
