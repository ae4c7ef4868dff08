//! `cogov screen SCENARIO`: the inert-parameter screen (every parameter acts, MODEL.md §10).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::sensitivity::inert;

/// Arguments of `cogov screen`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov screen scenarios/screen.toml          every parameter of the all-on small world
  cogov screen scenarios/screen.toml -j 2")]
pub struct Args {
    /// Scenario to screen (a small world runs in seconds).
    pub scenario: PathBuf,
    /// Worker threads.
    #[arg(long, short, default_value_t = 2)]
    pub jobs: usize,
}

/// Screens every numeric parameter; exit status 1 when one is inert and not allowed.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let s = super::run::load_checked(&args.scenario)?;
    let results = inert::screen(&s, args.jobs)?;
    let mut bad = 0;
    println!(
        "{:<58} {:>12} {:>16}  result",
        "parameter", "value", "perturbed"
    );
    for r in &results {
        let verdict = match (r.acts, r.allowed) {
            (true, _) => "acts".to_string(),
            (false, Some(why)) => format!("inert (allowed: {why})"),
            (false, None) => {
                bad += 1;
                "INERT".to_string()
            }
        };
        let tried: Vec<String> = r.perturbed.iter().map(|x| format!("{x}")).collect();
        println!(
            "{:<58} {:>12} {:>16}  {verdict}",
            r.path,
            r.value,
            tried.join(", ")
        );
    }
    println!(
        "{} parameters screened, {} act, {bad} inert and not allowed",
        results.len(),
        results.iter().filter(|r| r.acts).count()
    );
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
