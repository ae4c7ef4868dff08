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

/// Prints the resolved scenario (every parameter with its value) as TOML, and on stderr
/// what a run will need.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let s = super::run::load_checked(&args.scenario)?;
    print!("{}", s.to_toml());
    let f = crate::footprint::run(&s);
    eprintln!(
        "a run needs about {} ({}) and {:.1e} operations; this machine has {} available",
        crate::footprint::size(f.bytes() as f64),
        f.breakdown(),
        f.operations,
        crate::footprint::machine_memory().map_or("an unknown amount".into(), |m| {
            crate::footprint::size(m.bytes as f64)
        })
    );
    Ok(())
}
