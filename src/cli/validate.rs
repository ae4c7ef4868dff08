//! `cogov validate`: the pattern suite (P1–P7) with its robustness, written as a table
//! (`docs/VALIDATION.md` for the defaults).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context;

use crate::experiment::runner::{Options, run_experiment};
use crate::scenario::Scenario;
use crate::validate::{self, CheckResult, PATTERNS, Pattern};

/// Arguments of `cogov validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov validate --out docs/VALIDATION.md          every pattern, defaults and robustness
  cogov validate --pattern P2 --skip-robustness    one pattern at the defaults only")]
pub struct Args {
    /// Patterns to run (P1 … P7; default: all).
    #[arg(long = "pattern")]
    pub patterns: Vec<String>,
    /// Folder of the pattern scenarios.
    #[arg(long, default_value = "scenarios/patterns")]
    pub dir: PathBuf,
    /// Replicates at the defaults.
    #[arg(long, default_value_t = 20)]
    pub replicates: u32,
    /// Design points of the robustness study (a Latin hypercube; at least 50 for a report).
    #[arg(long, default_value_t = 50)]
    pub samples: u32,
    /// Replicates per design point.
    #[arg(long, default_value_t = 4)]
    pub per_point: u32,
    /// Run the defaults only.
    #[arg(long)]
    pub skip_robustness: bool,
    /// Worker threads.
    #[arg(long, short, default_value_t = 2)]
    pub jobs: usize,
    /// Where the experiments' outputs go.
    #[arg(long, default_value = "results/validate")]
    pub results: PathBuf,
    /// Write the Markdown table here (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the results as JSON here.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// A pattern's outcome.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    /// P1 … P7.
    pub id: String,
    /// Scenario file.
    pub scenario: String,
    /// Checks at the defaults.
    pub checks: Vec<CheckResult>,
    /// Whether every check holds at the defaults.
    pub holds: bool,
    /// Design points where every point check holds, and points run (robustness).
    pub robustness: Option<(usize, usize)>,
}

/// Runs the suite; exit status 1 when a pattern fails at the defaults.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let chosen: Vec<&Pattern> = if args.patterns.is_empty() {
        PATTERNS.iter().collect()
    } else {
        args.patterns
            .iter()
            .map(|id| {
                PATTERNS
                    .iter()
                    .find(|p| p.id.eq_ignore_ascii_case(id))
                    .ok_or_else(|| {
                        crate::Error::input(format!(
                            "--pattern {id}: no such pattern; allowed: P1 to P7"
                        ))
                    })
            })
            .collect::<Result<_, _>>()?
    };
    let mut outcomes = Vec::new();
    for p in chosen {
        outcomes.push(run_pattern(p, args)?);
    }
    let table = markdown(&outcomes, args);
    match &args.out {
        Some(out) => {
            crate::output::write_atomic(out, |w| w.write_all(table.as_bytes()))?;
            eprintln!("wrote {}", out.display());
        }
        None => print!("{table}"),
    }
    if let Some(json) = &args.json {
        let text = serde_json::to_string_pretty(&outcomes)?;
        crate::output::write_atomic(json, |w| w.write_all(text.as_bytes()))?;
    }
    Ok(if outcomes.iter().all(|o| o.holds) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn experiment(s: &Scenario, out: &Path, jobs: usize) -> anyhow::Result<()> {
    let opts = Options {
        scenario_file: None,
        out: out.to_path_buf(),
        jobs,
        resume: true,
        shard: None,
        force: true,
        keep_parts: false,
        // The checks read runs.csv and timeseries.csv.
        format: crate::tables::Format::Csv,
        share_warmups: true,
    };
    let cancel = AtomicBool::new(false);
    run_experiment(s, &opts, &cancel, &|_, _| {})
        .with_context(|| format!("experiment into {}", out.display()))?;
    Ok(())
}

fn run_pattern(p: &Pattern, args: &Args) -> anyhow::Result<Outcome> {
    let path = args.dir.join(p.file);
    let written = super::run::load_checked(&path)?;
    eprintln!("{}: {}", p.id, p.claim);
    let mut defaults = written.clone();
    defaults.sweep.clear();
    defaults.experiment.design = "factorial".into();
    defaults.experiment.replicates = args.replicates;
    let dir = args.results.join(p.id);
    experiment(&defaults, &dir.join("defaults"), args.jobs)?;
    let (runs, trends) = read(p, &dir.join("defaults"))?;
    let all: Vec<&validate::RunRow> = runs.iter().collect();
    let checks: Vec<CheckResult> = p
        .checks
        .iter()
        .map(|c| validate::evaluate(c, &all, &trends, true))
        .collect();
    let holds = checks.iter().all(|c| c.holds);
    let robustness = if args.skip_robustness {
        None
    } else {
        let mut robust = written.clone();
        robust.experiment.design = "latin_hypercube".into();
        robust.experiment.samples = args.samples;
        robust.experiment.replicates = args.per_point;
        experiment(&robust, &dir.join("robustness"), args.jobs)?;
        let (runs, trends) = read(p, &dir.join("robustness"))?;
        let points = validate::by_point(&runs);
        let held = points
            .values()
            .filter(|pt| {
                p.checks
                    .iter()
                    .filter(|c| c.at_points())
                    .all(|c| validate::evaluate(c, pt, &trends, false).holds)
            })
            .count();
        Some((held, points.len()))
    };
    Ok(Outcome {
        id: p.id.to_string(),
        scenario: format!("scenarios/patterns/{}", p.file),
        checks,
        holds,
        robustness,
    })
}

type Trends = std::collections::BTreeMap<String, (f64, f64, f64)>;

fn read(p: &Pattern, dir: &Path) -> anyhow::Result<(Vec<validate::RunRow>, Trends)> {
    let runs = validate::read_runs(&dir.join("runs.csv"))?;
    let mut trends = Trends::new();
    for c in p.checks {
        if let validate::Check::Trend { metric, .. } | validate::Check::Gradual { metric } = c {
            trends = validate::read_trends(&dir.join("timeseries.csv"), metric)?;
        }
    }
    Ok((runs, trends))
}

fn fmt(x: f64) -> String {
    if !x.is_finite() {
        "NA".into()
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

fn markdown(outcomes: &[Outcome], args: &Args) -> String {
    let mut o = String::new();
    o.push_str(
        "# Validation: patterns P1–P7\n\nGenerated by `cogov validate --out docs/VALIDATION.md`; do not edit by hand. Each \
         pattern of MODEL.md §1 is a scenario in `scenarios/patterns/` whose arms differ only in \
         the mechanism it names, and a set of checks that can fail. **At the defaults** each \
         check is measured over paired replicates (common random numbers) with a 95% \
         confidence interval (Student t); an effect holds when its interval excludes zero in \
         the claimed direction. **Robustness** is the share of a Latin-hypercube sample over \
         the pattern's uncertain parameters (the `[sweep]` ranges of its file) at which every \
         effect, level and trend check holds in the mean of the point's replicates (controls \
         and gradualness are judged at the defaults). *Robust*: at least 80% of points; \
         *partly*: 50–80%; *fragile*: below 50%.\n\n",
    );
    let _ = writeln!(
        o,
        "Defaults: {} replicates per arm. Robustness: {} points × {} replicates per arm.\n",
        args.replicates, args.samples, args.per_point
    );
    o.push_str("| pattern | scenario | check | estimate [95% CI] | holds | robustness |\n|---|---|---|---|---|---|\n");
    for out in outcomes {
        let robust = match out.robustness {
            Some((h, n)) if n > 0 => {
                let share = h as f64 / n as f64;
                let word = if share >= 0.8 {
                    "robust"
                } else if share >= 0.5 {
                    "partly"
                } else {
                    "fragile"
                };
                format!("{h}/{n} ({:.0}%): {word}", 100.0 * share)
            }
            _ => "not run".into(),
        };
        for (k, c) in out.checks.iter().enumerate() {
            let est: Vec<String> = c
                .estimates
                .iter()
                .map(|(who, e)| {
                    if e.low.is_finite() {
                        format!("{who}: {} [{}, {}]", fmt(e.mean), fmt(e.low), fmt(e.high))
                    } else {
                        format!("{who}: {}", fmt(e.mean))
                    }
                })
                .collect();
            let (id, sc, rb) = if k == 0 {
                (
                    out.id.as_str(),
                    format!("`{}`", out.scenario),
                    robust.clone(),
                )
            } else {
                ("", String::new(), String::new())
            };
            let _ = writeln!(
                o,
                "| {id} | {sc} | {} | {} | {} | {rb} |",
                c.check,
                est.join("<br>"),
                if c.holds { "yes" } else { "**no**" }
            );
        }
    }
    o
}
