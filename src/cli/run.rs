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
  cogov run scenarios/all_on.toml --seed 7 --out results/all_on_seed7
  cogov run scenarios/all_on.toml --format parquet     tables as zstd Parquet files")]
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
}

/// Loads a scenario and refuses a world too large for this machine's memory.
pub fn load_checked(path: &std::path::Path) -> anyhow::Result<Scenario> {
    let s = Scenario::load(path)?;
    check_memory(&s, path)?;
    Ok(s)
}

/// Refuses (as bad input) a world whose estimated size exceeds the available memory.
pub fn check_memory(s: &Scenario, path: &std::path::Path) -> crate::Result<()> {
    check_memory_times(s, 1, path)
}

/// Refuses (as bad input) `copies` worlds of `s` held at once (parallel runs) when their
/// estimated size exceeds the available memory. Nothing is allocated before this check.
pub fn check_memory_times(
    s: &Scenario,
    copies: usize,
    path: &std::path::Path,
) -> crate::Result<()> {
    memory_fits(s, copies).map_err(|e| locate_error(e, path))
}

/// Refuses, as bad input about `world.residents` (unlocated: see [`locate_error`]),
/// `copies` worlds of `s` held at once when their estimated size exceeds the available
/// memory. Nothing is allocated before this check.
pub fn memory_fits(s: &Scenario, copies: usize) -> crate::Result<()> {
    let one = crate::world::build::estimate_bytes(s);
    let need = one.saturating_mul(copies.max(1) as u64);
    if let Some(avail) = crate::output::available_memory_bytes()
        && need > avail
    {
        let gib = |b: u64| b as f64 / (1u64 << 30) as f64;
        let times = if copies > 1 {
            format!(" × {copies} parallel runs")
        } else {
            String::new()
        };
        return Err(crate::Error::input(format!(
            "world.residents: a world of {} residents needs about {:.1} GiB{times} (estimated before allocating), more than the {:.1} GiB of memory available; allowed: a smaller world (world.residents, network degrees){}",
            s.world.residents,
            gib(need),
            gib(avail),
            if copies > 1 { " or fewer --jobs" } else { "" }
        )));
    }
    Ok(())
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
    let s = load_checked(&args.scenario)?;
    let seed = args.seed.unwrap_or(s.seed);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&s.name));
    check_overwrite(&dir, &s, args.force)?;
    let scenario = Arc::new(s);
    let bar = super::progress_bar((scenario.ticks + scenario.init.warmup) as u64, "ticks");
    let start = Instant::now();
    let cancel = AtomicBool::new(false);
    let out = crate::run::simulate(scenario.clone(), seed, 1, &cancel, |_| bar.inc(1));
    bar.finish_and_clear();
    let wall = start.elapsed().as_secs_f64();
    crate::run::write_run(&dir, &scenario, seed, &out, wall, args.format)
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
