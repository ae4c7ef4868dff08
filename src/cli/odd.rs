//! `cogov odd [SCENARIO] [--out FILE]`: writes the model's ODD description in Markdown.

use std::path::PathBuf;

use crate::scenario::Scenario;

/// Arguments of `cogov odd`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov odd --targets docs/calibration.csv --out docs/ODD.md
                                                 the defaults (the shipped docs/ODD.md)
  cogov odd scenarios/shangcheng.toml            a scenario's values, to stdout
  cogov odd scenarios/all_on.toml --out odd.md   for a paper's appendix")]
pub struct Args {
    /// Scenario whose parameter values the table shows (default: the documented defaults).
    pub scenario: Option<PathBuf>,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The `aggregate.csv` of `scenarios/calibration.toml`: the calibration table's
    /// measured values (the shipped docs/ODD.md uses docs/calibration.csv).
    #[arg(long)]
    pub targets: Option<PathBuf>,
}

/// Renders the ODD and writes it to `--out` (atomically) or prints it.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let (scenario, source) = match &args.scenario {
        Some(path) => (Scenario::load(path)?, Some(path.display().to_string())),
        None => (Scenario::default(), None),
    };
    let measured = match &args.targets {
        Some(path) => {
            // The calibration runs are of the default district, whose world and horizon
            // are the defaults.
            let d = Scenario::default();
            let years = d.ticks as f64 / 365.0;
            Some(crate::targets::Measured::read(
                path,
                years,
                d.world.communities as f64,
            )?)
        }
        None => None,
    };
    let text = crate::odd::render(&scenario, source.as_deref(), measured.as_ref());
    match &args.out {
        Some(out) => {
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                crate::output::ensure_dir(dir)?;
            }
            crate::output::write_atomic(out, |w| w.write_all(text.as_bytes()))?;
            eprintln!("wrote {}", out.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
