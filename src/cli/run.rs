//! `cogov run SCENARIO`: one run, written to `results/<name>/`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::Context;

use crate::scenario::Scenario;

/// Arguments of `cogov run`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov run scenarios/shangcheng.toml
  cogov run scenarios/all_on.toml --seed 7 --out results/all_on_seed7")]
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
}

/// Loads a scenario and refuses a run too large for this machine's memory (estimated
/// before anything is built).
pub fn load_checked(path: &std::path::Path) -> anyhow::Result<Scenario> {
    let s = Scenario::load(path)?;
    crate::footprint::refuse_if_too_large(&crate::footprint::run(&s), Some(path))?;
    Ok(s)
}

/// Adds `file:line:col` and a quoted key path to an input error whose message starts with
/// a key path (`experiment.max_runs: ...`), as the scenario loader's messages have them.
pub fn locate_error(err: crate::Error, path: &std::path::Path) -> crate::Error {
    let crate::Error::Input(msg) = &err else {
        return err;
    };
    let Some((key, rest)) = msg.split_once(": ") else {
        return err;
    };
    // Keys hold no spaces, backticks or colons; a message that starts with `file:line:col`
    // is located already.
    if key.is_empty() || key.contains(char::is_whitespace) || key.contains(['`', ':']) {
        return err;
    }
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let place = crate::scenario::locate::where_is(&path.display().to_string(), &text, key);
    crate::Error::input(format!("{place}: `{key}`: {rest}"))
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
    let s = load_checked(&args.scenario)?;
    let seed = args.seed.unwrap_or(s.seed);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&s.name));
    check_overwrite(&dir, &s, args.force)?;
    let scenario = Arc::new(s);
    let bar = super::progress_bar(scenario.ticks as u64 + scenario.init.warmup as u64, "ticks");
    let start = Instant::now();
    let cancel = AtomicBool::new(false);
    let out = crate::run::simulate(scenario.clone(), seed, 1, &cancel, |_| bar.inc(1));
    bar.finish_and_clear();
    let wall = start.elapsed().as_secs_f64();
    crate::run::write_run(&dir, &scenario, seed, &out, wall)
        .with_context(|| format!("writing results to {}", dir.display()))?;
    eprintln!(
        "{} ticks in {:.2} s → {}",
        scenario.ticks,
        wall,
        dir.display()
    );
    if !args.no_plot {
        super::plot::draw_and_tell(&dir, &scenario.plot)?;
    }
    Ok(())
}
