//! `cogov verify [CASE --param value ...]`: the docking suite, or one case at chosen
//! parameters. Exits 1 when a check fails.

use std::process::ExitCode;

use clap::{Arg, ArgMatches, Command, FromArgMatches, Subcommand};
use cogov_verify::{CASES, find};

use crate::verify as cogov_verify;

const EXAMPLES: &str = "Examples:
  cogov verify                                     run the whole suite, print the table
  cogov verify --seed 7 --json                     the suite with another seed, one JSON object per case
  cogov verify watts --n 10000 --z 3 --phi 0.18    one Watts point (400 runs)
  cogov verify deffuant --eps 0.3 --graph ws --degree 8 --runs 20
  cogov verify granovetter --thresholds t.txt      Granovetter's riot for your thresholds
  cogov verify ws --n 500 --k 6 --p 0.05 --json
  cogov verify ba --n 20000 --m 2
  cogov verify community --residents 50000 --building-degree 5 --seed 3
  cogov verify ishigami --n 8192 --json            Sobol/Morris estimators vs the analytic Ishigami indices
  cogov verify factorial --runs 20                 factorial effects, interactions and Shapley values of a known model
Cases: watts, granovetter, deffuant, ws, ba, gini, ci-coverage, ishigami, community, factorial (`cogov verify CASE --help`).";

/// Arguments of `cogov verify`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// A single case to run at the given parameters (default: the whole suite).
    #[command(subcommand)]
    pub case: Option<CaseArgs>,
    /// Replicates per point (default: each case's own, sized for a suite under a minute).
    #[arg(long, global = true, value_name = "N")]
    pub runs: Option<usize>,
    /// Master seed; each replicate draws from its own stream under it.
    #[arg(long, global = true, value_name = "S", default_value_t = 2026)]
    pub seed: u64,
    /// Print one JSON object per case instead of the table.
    #[arg(long, global = true)]
    pub json: bool,
}

/// A case chosen on the command line with its parameter values (built from the registry).
#[derive(Debug, Clone)]
pub struct CaseArgs {
    /// The case's name.
    pub name: String,
    /// Its parameters, defaults filled in.
    pub params: cogov_verify::Params,
}

impl FromArgMatches for CaseArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let (name, sub) = m
            .subcommand()
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::MissingSubcommand))?;
        let case = find(name)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidSubcommand))?;
        let mut params = cogov_verify::Params::default();
        for p in case.params {
            if let Some(v) = sub.get_one::<String>(p.name) {
                params.0.insert(p.name.to_string(), v.clone());
            }
        }
        Ok(CaseArgs {
            name: name.to_string(),
            params,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Subcommand for CaseArgs {
    fn augment_subcommands(mut cmd: Command) -> Command {
        for case in CASES {
            let mut sub = Command::new(case.name)
                .about(case.about)
                .after_help(format!(
                    "Source: {}\nDefault replicates: {} (change with --runs).",
                    case.source, case.default_runs
                ));
            for p in case.params {
                let mut arg = Arg::new(p.name)
                    .long(p.name)
                    .value_name(p.value_name)
                    .help(p.help);
                if let Some(d) = p.default {
                    arg = arg.default_value(d);
                }
                sub = sub.arg(arg);
            }
            cmd = cmd.subcommand(sub);
        }
        cmd
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        find(name).is_some()
    }
}

/// Runs the suite or one case; exit code 1 when any check fails.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.runs == Some(0) {
        return Err(crate::Error::input("--runs must be at least 1 (got 0)").into());
    }
    let reports = match &args.case {
        None => cogov_verify::run_suite(args.seed, args.runs)?,
        Some(c) => {
            let case = find(&c.name)
                .ok_or_else(|| crate::Error::input(format!("unknown case {:?}", c.name)))?;
            vec![(case.probe)(
                &c.params,
                args.seed,
                args.runs.unwrap_or(case.default_runs),
            )?]
        }
    };
    if args.json {
        for r in &reports {
            println!("{}", serde_json::to_string(&r.to_json())?);
        }
    } else {
        if args.case.is_some() {
            for r in &reports {
                for p in &r.points {
                    println!(
                        "{} ({}), runs={}, seed={}",
                        r.case, r.source, p.runs, r.seed
                    );
                    println!(
                        "  parameters: {}",
                        serde_json::Value::Object(p.params.clone())
                    );
                    for (k, v) in &p.stats {
                        println!("  {k}: {v}");
                    }
                }
            }
            println!();
        }
        if reports.iter().any(|r| !r.checks.is_empty()) {
            print!("{}", cogov_verify::table(&reports));
        }
    }
    let pass = reports.iter().all(|r| r.pass());
    Ok(if pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
