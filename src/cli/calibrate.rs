//! `cogov calibrate SCENARIO`: ABC rejection against the `[calibration]` targets.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;

use crate::sensitivity::calibrate::{calibrate, write_outputs};

/// Arguments of `cogov calibrate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov calibrate scenarios/calibrate_reporting.toml -j 2
  cogov calibrate my.toml --out results/my_abc

The scenario needs a [calibration] section:
  [calibration]
  draws = 400                  # prior draws (each runs `replicates` model runs)
  acceptance_quantile = 0.05   # fraction of draws with the smallest distance accepted
  replicates = 2               # runs per draw, averaged (0: experiment.replicates)
  targets = { detection_days_mean_final = { observed = 8.4, tolerance = 1.0 } }
  priors = { \"residents.report_probability\" = { low = 0.05, high = 0.6 } }

Output (in --out, default results/<name>_calibration/): calibration.csv (every draw:
parameters, distance, accepted), posterior.csv (mean, sd, 90% interval q05..q95 of the
accepted draws), calibration.json (settings, targets, threshold).")]
pub struct Args {
    /// Scenario file (TOML) with a `[calibration]` section.
    pub scenario: PathBuf,
    /// Worker threads (default: available cores); results do not depend on it.
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Output directory (default: `results/<scenario name>_calibration/`).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

static CANCEL: AtomicBool = AtomicBool::new(false);

/// Runs the calibration and writes its outputs.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let s = super::run::load_checked(&args.scenario)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(format!("{}_calibration", s.name)));
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    if jobs == 0 {
        return Err(crate::Error::input("--jobs: 0 threads; allowed: 1 or more").into());
    }
    let need = crate::footprint::calibration(&s, jobs);
    crate::footprint::refuse_if_too_large(&need, Some(&args.scenario))?;
    let _ = ctrlc::set_handler(|| CANCEL.store(true, Ordering::Relaxed));
    let progress = super::Progress::new(0, "runs");
    let clock = crate::provenance::Clock::start();
    let c = calibrate(&s, jobs, &CANCEL, &|done, total| {
        progress.set_total(total as u64);
        progress.set(done as u64);
    })
    .with_context(|| format!("calibrating {}", args.scenario.display()))?;
    progress.finish();
    write_outputs(&out, &s, &c, &clock, jobs)?;
    crate::metrics::write_codebook(&out)?;
    eprintln!(
        "{} draws × {} replicates in {:.2} s; accepted {} (distance ≤ {:.4}) → {}",
        c.result.draws.len(),
        c.replicates,
        clock.elapsed(),
        c.result.accepted,
        c.result.threshold,
        out.display()
    );
    for p in &c.result.posterior {
        eprintln!(
            "  {}: mean {:.4}, sd {}, 90% [{:.4}, {:.4}]",
            p.parameter,
            p.mean,
            p.sd.map_or("NA".into(), |v| format!("{v:.4}")),
            p.q05,
            p.q95
        );
    }
    Ok(())
}
