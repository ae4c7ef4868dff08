//! `cogov experiment SCENARIO`: policies × sweep points × replicates, in parallel.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context;

use crate::experiment::{Options, run_experiment};

/// Arguments of `cogov experiment`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov experiment scenarios/policies.toml -j 2
  cogov experiment scenarios/policies.toml --resume           continue after Ctrl-C or a crash
  cogov experiment scenarios/policies.toml --format parquet   tables as zstd Parquet files
  cogov experiment scenarios/policies.toml --shard 1/4 --out results/p_s1
  cogov merge results/p_s1 results/p_s2 results/p_s3 results/p_s4 --out results/policies

Output (in --out, default results/<name>/): runs.csv, timeseries.csv, communities.csv,
aggregate.csv, contrasts.csv, manifest.json (.parquet instead of .csv with --format
parquet); per-run parts in parts/. With
[experiment] design = \"morris\" or \"sobol\" the points come from [sensitivity] and
sensitivity.csv (metric,parameter,index,value,ci95_low,ci95_high) is written too.
run_id is the run's zero-padded index in the order (policy, sweep point, replicate).")]
pub struct Args {
    /// Scenario file (TOML) with `[experiment]`, `[[policy]]` and `[sweep]` sections.
    pub scenario: PathBuf,
    /// Worker threads (default: available cores).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Output directory (default: `results/<scenario name>/`).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Skip runs already complete in the output directory.
    #[arg(long)]
    pub resume: bool,
    /// Run only shard I of N (1-based), e.g. 2/4; combine shards with `cogov merge`.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Allow more than experiment.max_runs runs; overwrite another scenario's output.
    #[arg(long)]
    pub force: bool,
    /// Do not draw the figures and report.html (a shard never draws them; plot the merged
    /// directory, which `cogov merge` does unless --no-plot).
    #[arg(long)]
    pub no_plot: bool,
    /// File format of the tables: csv (default) or parquet (zstd; same columns and types).
    /// `--resume` redoes runs whose parts are in the other format.
    #[arg(long, value_enum, default_value_t)]
    pub format: crate::tables::Format,
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let err = || format!("\"{s}\" is not a shard; allowed: I/N with 1 ≤ I ≤ N, e.g. 2/4");
    let (i, n) = s.split_once('/').ok_or_else(err)?;
    let (i, n): (usize, usize) = (
        i.trim().parse().map_err(|_| err())?,
        n.trim().parse().map_err(|_| err())?,
    );
    if i == 0 || n == 0 || i > n {
        return Err(err());
    }
    Ok((i, n))
}

static CANCEL: AtomicBool = AtomicBool::new(false);

/// Runs the experiment and writes its outputs.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let s = super::run::load_checked(&args.scenario)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&s.name));
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    if jobs == 0 {
        return Err(crate::Error::input("--jobs: 0 threads; allowed: 1 or more").into());
    }
    // Every cell (policy × sweep point) may change the world's size: refuse before any
    // world is built when the largest, held once per worker, does not fit in memory.
    let plan = crate::experiment::Plan::new(&s, args.force)
        .map_err(|e| super::run::locate_error(e, &args.scenario))?;
    if let Some(largest) = plan
        .cells
        .iter()
        .max_by_key(|c| crate::world::build::estimate_bytes(c))
    {
        super::run::check_memory_times(largest, jobs.min(plan.len()), &args.scenario)?;
    }
    drop(plan);
    let _ = ctrlc::set_handler(|| CANCEL.store(true, Ordering::Relaxed));
    let opts = Options {
        out: out.clone(),
        jobs,
        resume: args.resume,
        shard: args.shard,
        force: args.force,
        format: args.format,
    };
    let bar = super::progress_bar(0, "runs");
    let start = Instant::now();
    let outcome = run_experiment(&s, &opts, &CANCEL, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .with_context(|| format!("experiment into {}", out.display()))?;
    bar.finish_and_clear();
    if outcome.cancelled {
        return Err(anyhow::anyhow!(
            "interrupted after {} of {} runs; finished runs are kept in {}; rerun the same command with --resume to continue",
            outcome.runs_done,
            outcome.runs_total,
            out.display()
        ));
    }
    eprintln!(
        "{} runs in {:.2} s → {}",
        outcome.runs_done,
        start.elapsed().as_secs_f64(),
        out.display()
    );
    // Shards hold only part files; their figures are drawn after `cogov merge`.
    if !args.no_plot && outcome.complete && args.shard.is_none() {
        super::plot::draw_and_tell(&out, &s.plot)?;
    }
    Ok(())
}
