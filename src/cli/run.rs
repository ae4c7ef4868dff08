//! `cogov run SCENARIO`: one run, written to `results/<name>/`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Context;

use crate::scenario::Scenario;

/// Arguments of `cogov run`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov run scenarios/shangcheng.toml
  cogov run scenarios/all_on.toml --seed 7 --out results/all_on_seed7
  cogov run scenarios/policies.toml --policy grid --out results/grid_run
  cogov run scenarios/shangcheng.toml --set ticks=365 --set mechanisms.grid.enabled=true
  cogov run scenarios/all_on.toml --format parquet     tables as zstd Parquet files

Output (in --out, default results/<name>/): timeseries.csv, summary.csv, communities.csv,
ledger.csv, metrics.csv (the codebook), manifest.json (with provenance), figures/ and
report.html; issues.csv and panel.csv when [output] asks for them. With --format parquet
the tables are .parquet files (metrics.csv, the codebook, stays CSV).")]
pub struct Args {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Seed (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output directory (default: `results/<scenario name>/`).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Do not draw the time-series figures and report.
    #[arg(long)]
    pub no_plot: bool,
    /// Overwrite an output directory that holds results of a different scenario.
    #[arg(long)]
    pub force: bool,
    /// File format of the tables: csv (default) or parquet (zstd; same columns and types).
    #[arg(long, value_enum, default_value_t)]
    pub format: crate::tables::Format,
    /// Set a parameter, e.g. `--set world.residents=3000` (repeatable; the value is TOML:
    /// a number, true/false, or a quoted string).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run one `[[policy]]` of an experiment file: the scenario with that policy's settings.
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
}

/// Parses `--set KEY=VALUE` arguments: the value as TOML (a bare word that is not TOML is
/// taken as a string).
pub fn parse_sets(sets: &[String]) -> crate::Result<BTreeMap<String, toml::Value>> {
    let mut out = BTreeMap::new();
    for s in sets {
        let Some((key, value)) = s.split_once('=') else {
            return Err(crate::Error::input(format!(
                "--set {s}: expected KEY=VALUE, e.g. --set world.residents=3000"
            )));
        };
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() {
            return Err(crate::Error::input(format!(
                "--set {s}: the key is empty; expected KEY=VALUE, e.g. --set world.residents=3000"
            )));
        }
        let parsed = format!("v = {value}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(value.to_string()));
        out.insert(key.to_string(), parsed);
    }
    Ok(out)
}

/// The scenario a `cogov run` runs: the file, then the chosen policy's settings, then the
/// `--set` values (each located and checked like the file's own).
pub fn resolve(
    s: Scenario,
    path: &std::path::Path,
    policy: Option<&str>,
    sets: &[String],
) -> crate::Result<Scenario> {
    let mut set = BTreeMap::new();
    if let Some(name) = policy {
        let Some(p) = s.policy.iter().find(|p| p.name == name) else {
            let names: Vec<&str> = s.policy.iter().map(|p| p.name.as_str()).collect();
            return Err(crate::Error::input(format!(
                "--policy {name}: {} has no policy \"{name}\"; its policies: {}",
                path.display(),
                if names.is_empty() {
                    "(none: it has no [[policy]] sections)".to_string()
                } else {
                    names.join(", ")
                }
            )));
        };
        set.extend(p.set.clone());
    }
    let cli = parse_sets(sets)?;
    let paths: Vec<String> = cli.keys().cloned().collect();
    set.extend(cli);
    if set.is_empty() {
        return Ok(s);
    }
    s.with_overrides(&set).map_err(|e| {
        crate::Error::input(format!(
            "{}{}: {e}",
            policy.map(|p| format!("--policy {p}")).unwrap_or_default(),
            if paths.is_empty() {
                String::new()
            } else {
                format!(
                    "{}--set {}",
                    if policy.is_some() { ", " } else { "" },
                    paths.join(", ")
                )
            }
        ))
    })
}

/// Loads a scenario and refuses a run too large for this machine's memory (estimated
/// before anything is built).
pub fn load_checked(path: &std::path::Path) -> anyhow::Result<Scenario> {
    let s = Scenario::load(path)?;
    crate::footprint::refuse_if_too_large(&crate::footprint::run(&s), Some(path))?;
    Ok(s)
}

/// Adds `file:line:col` and a quoted key path to a note that starts with a key path
/// (`sweep.world.grids: ...`), as [`locate_error`] does for errors.
pub fn locate_note(note: &str, path: &std::path::Path) -> String {
    match locate_error(crate::Error::input(note), path) {
        crate::Error::Input(m) => m,
        other => other.to_string(),
    }
}

/// Adds `file:line:col` and a quoted key path to an input error whose message starts with
/// a key path (`experiment.max_runs: ...`), as the scenario loader's messages have them.
pub fn locate_error(err: crate::Error, path: &std::path::Path) -> crate::Error {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    crate::scenario::locate::locate_input(err, &path.display().to_string(), &text)
}

/// Refuses to write into `dir` when its manifest records a different scenario, unless
/// `force`: results are never silently overwritten.
pub fn check_overwrite(dir: &std::path::Path, s: &Scenario, force: bool) -> crate::Result<()> {
    if force {
        return Ok(());
    }
    let hash = crate::run::scenario_hash(s);
    match crate::experiment::runner::recorded_hash(dir) {
        Some(old) if old != hash => Err(crate::Error::input(format!(
            "{}: holds results of a different scenario (hash {}…); choose another --out or pass --force to overwrite",
            dir.display(),
            &old[..old.len().min(12)]
        ))),
        _ => Ok(()),
    }
}

/// Runs the scenario and writes its outputs.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let clock = crate::provenance::Clock::start();
    let s = Scenario::load(&args.scenario)?;
    let s = resolve(s, &args.scenario, args.policy.as_deref(), &args.set)?;
    crate::footprint::refuse_if_too_large(&crate::footprint::run(&s), Some(&args.scenario))?;
    let seed = args.seed.unwrap_or(s.seed);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&s.name));
    // Before any work: never write a run into an experiment's directory.
    crate::outdir::guard(&dir, crate::outdir::OutKind::Run)?;
    check_overwrite(&dir, &s, args.force)?;
    let scenario = Arc::new(s);
    let progress =
        super::Progress::new(scenario.ticks as u64 + scenario.init.warmup as u64, "ticks");
    let cancel = AtomicBool::new(false);
    let out = crate::run::simulate(scenario.clone(), seed, 1, &cancel, |t| {
        progress.set(t as u64)
    });
    progress.finish();
    crate::run::write_run(&dir, &scenario, seed, &out, &clock, args.format)
        .with_context(|| format!("writing results to {}", dir.display()))?;
    eprintln!(
        "{} ticks in {:.2} s → {}",
        scenario.ticks,
        clock.elapsed(),
        dir.display()
    );
    if !args.no_plot {
        super::plot::draw_and_tell(&dir, &scenario.plot)?;
    }
    Ok(())
}
