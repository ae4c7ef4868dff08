//! `cogov check SCENARIO`: validates a scenario and prints it fully resolved.

use std::path::PathBuf;

/// Arguments of `cogov check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov check scenarios/shangcheng.toml
  cogov check my.toml > resolved.toml")]
pub struct Args {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
}

/// Prints the resolved scenario (every parameter with its value) as TOML.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let s = super::run::load_checked(&args.scenario)?;
    print!("{}", s.to_toml());
    Ok(())
}
