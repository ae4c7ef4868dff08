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
}

/// Loads a scenario and refuses a world too large for this machine's memory.
pub fn load_checked(path: &std::path::Path) -> anyhow::Result<Scenario> {
    let s = Scenario::load(path)?;
    check_memory(&s, path)?;
    Ok(s)
}

/// Refuses (as bad input) a world whose estimated size exceeds the available memory.
pub fn check_memory(s: &Scenario, path: &std::path::Path) -> crate::Result<()> {
    let need = crate::world::build::estimate_bytes(s);
    if let Some(avail) = crate::output::available_memory_bytes()
        && need > avail
    {
        return Err(crate::Error::input(format!(
            "{}: `world.residents`: a world of {} residents needs about {:.1} GiB, more than the {:.1} GiB of memory available; allowed: a smaller world.residents",
            path.display(),
            s.world.residents,
            need as f64 / (1u64 << 30) as f64,
            avail as f64 / (1u64 << 30) as f64
        )));
    }
    Ok(())
}

/// Runs the scenario and writes its outputs.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let s = load_checked(&args.scenario)?;
    let seed = args.seed.unwrap_or(s.seed);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&s.name));
    let scenario = Arc::new(s);
    let bar = super::progress_bar((scenario.ticks + scenario.init.warmup) as u64, "ticks");
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
