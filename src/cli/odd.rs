//! `cogov odd [SCENARIO] [--out FILE]`: writes the model's ODD description in Markdown.

use std::path::PathBuf;

use crate::scenario::Scenario;

/// Arguments of `cogov odd`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov odd --out docs/ODD.md                    the defaults (the shipped docs/ODD.md)
  cogov odd scenarios/shangcheng.toml            a scenario's values, to stdout
  cogov odd scenarios/all_on.toml --out odd.md   for a paper's appendix")]
pub struct Args {
    /// Scenario whose parameter values the table shows (default: the documented defaults).
    pub scenario: Option<PathBuf>,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Renders the ODD and writes it to `--out` (atomically) or prints it.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let (scenario, source) = match &args.scenario {
        Some(path) => (Scenario::load(path)?, Some(path.display().to_string())),
        None => (Scenario::default(), None),
    };
    let text = crate::odd::render(&scenario, source.as_deref());
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
