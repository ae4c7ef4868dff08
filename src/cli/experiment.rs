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
aggregate.csv, contrasts.csv, metrics.csv (the codebook), manifest.json (with provenance);
issues.csv and panel.csv when [output] asks; per-run parts in parts/ (dropped after a
complete run with --keep-parts=false). With --format parquet the tables are .parquet
files (metrics.csv stays CSV). A run's output directory is refused. With
[experiment] design = \"morris\" or \"sobol\" the points come from [sensitivity] and
sensitivity.csv (metric,parameter,index,value,ci95_low,ci95_high) is written too.
run_id is the run's zero-padded index in the order (policy, sweep point, replicate).

Runs of the same seed that differ only in what acts after the warm-up ([mechanisms],
[linkage], [[change]]: a factorial's cells) share one warm-up: it is simulated once per
seed and each run goes on from a copy, which changes no output (--fresh-warmups turns
this off). Runs keeping [output] records simulate their own warm-up.")]
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
    /// Keep parts/ once the final files are written; `--keep-parts=false` drops it after a
    /// complete, unsharded experiment (parts/ is what --resume and merge need).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub keep_parts: bool,
    /// Simulate every run's warm-up afresh; slower, for checking that sharing changes
    /// nothing. By default runs that differ only in mechanisms, `[linkage]` and `[[change]]`
    /// (a factorial's cells) and have the same seed simulate their warm-up once and go on
    /// from copies; the outputs are byte-identical either way.
    #[arg(long)]
    pub fresh_warmups: bool,
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
    // Before any work: never write an experiment into a single run's directory.
    crate::outdir::guard(&out, crate::outdir::OutKind::Experiment)?;
    let jobs = args.jobs.unwrap_or_else(crate::provenance::host_cores);
    if jobs == 0 {
        return Err(crate::Error::input("--jobs: 0 threads; allowed: 1 or more").into());
    }
    let _ = ctrlc::set_handler(|| CANCEL.store(true, Ordering::Relaxed));
    let opts = Options {
        out: out.clone(),
        jobs,
        resume: args.resume,
        shard: args.shard,
        force: args.force,
        format: args.format,
        scenario_file: Some(args.scenario.clone()),
        keep_parts: args.keep_parts,
        share_warmups: !args.fresh_warmups,
    };
    // The run count, the memory of the plan and of the runs at once are checked (and the
    // plan built) before anything runs; the plan's notes and warnings are said here.
    let plan = crate::experiment::runner::prepare(&s, &opts)
        .map_err(|e| super::run::locate_error(e, &args.scenario))?;
    for note in &plan.notes {
        eprintln!("note: {}", super::run::locate_note(note, &args.scenario));
    }
    if plan.replicates < 3 {
        let r = plan.replicates;
        let contrasts = if plan.policies.len() > 1 {
            format!(
                " and contrasts rest on {r} pair{}",
                if r == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        };
        eprintln!(
            "warning: {r} replicate{} per policy and sweep point: confidence intervals {}{contrasts}; \
             set experiment.replicates to 3 or more (10 or more for a paper)",
            if r == 1 { "" } else { "s" },
            if r == 1 {
                "cannot be computed"
            } else {
                "are very wide"
            },
        );
    }
    drop(plan);
    let progress = super::Progress::new(0, "runs");
    let start = Instant::now();
    let outcome = run_experiment(&s, &opts, &CANCEL, &|done, total| {
        progress.set_total(total as u64);
        progress.set(done as u64);
    })
    .map_err(|e| super::run::locate_error(e, &args.scenario))
    .with_context(|| format!("experiment into {}", out.display()))?;
    progress.finish();
    if args.resume {
        eprintln!(
            "resumed: {} run{} reused from {}, {} run now",
            outcome.reused,
            if outcome.reused == 1 { "" } else { "s" },
            crate::experiment::runner::parts_dir(&out).display(),
            outcome.runs_done - outcome.reused
        );
    }
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
    if outcome.shared_runs > 0 {
        eprintln!(
            "{} warm-up{} simulated for {} runs that share them (--fresh-warmups: one per run)",
            outcome.warmups_simulated,
            if outcome.warmups_simulated == 1 {
                ""
            } else {
                "s"
            },
            outcome.shared_runs
        );
    }
    if outcome.parts_dropped {
        eprintln!("parts/ dropped (--keep-parts=false): the final files hold every run");
    }
    // Shards hold only part files; their figures are drawn after `cogov merge`.
    if !args.no_plot && outcome.complete && args.shard.is_none() {
        super::plot::draw_and_tell(&out, &s.plot)?;
    }
    Ok(())
}
