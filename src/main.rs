//! The `cogov` binary: parses the command line, dispatches to `cogov::cli`, and maps
//! outcomes to exit codes: 0 success, 1 a check failed (e.g. `verify`), 2 bad input,
//! 70 internal error (a bug: never a Rust panic message).

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cogov::cli;

const EXAMPLES: &str = "Examples:
  cogov run scenarios/shangcheng.toml            run the calibrated Shangcheng default
  cogov check scenarios/all_on.toml              validate and print the resolved scenario
  cogov experiment scenarios/policies.toml -j 2  compare linkage policies
  cogov plot results/policies                    redraw figures from CSV
  cogov verify                                   run the docking suite
  cogov serve scenarios/all_on.toml              explore a scenario live in the browser
  cogov odd --out docs/ODD.md                    write the model's ODD description";

/// cogov: an agent-based simulator of community co-governance (共建共治共享) and its
/// linkage mechanisms (联动机制), after a study of Shangcheng District, Hangzhou.
#[derive(Debug, Parser)]
#[command(name = "cogov", version, long_about = None, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run one simulation and write its time series, summary and community table.
    Run(cli::run::Args),
    /// Validate a scenario and print it fully resolved.
    Check(cli::check::Args),
    /// Run an experiment: policies × sweep points × replicates, in parallel.
    Experiment(cli::experiment::Args),
    /// Merge shard outputs of `experiment --shard` into final results.
    Merge(cli::merge::Args),
    /// Print shell completions.
    Completions(cli::completions::Args),
    /// Run the verification (docking) suite, or one case at chosen parameters.
    Verify(cli::verify::Args),
    /// Redraw figures and report.html from a run or experiment directory's CSV files.
    Plot(cli::plot::Args),
    /// Write the model's ODD description (Markdown) from the code's registries.
    Odd(cli::odd::Args),
    /// Calibrate parameters by ABC rejection against observed summary statistics.
    Calibrate(cli::calibrate::Args),
    /// Perturb every numeric parameter and report those that change no output.
    Screen(cli::screen::Args),
    /// Run the pattern suite (P1–P7) at the defaults and across the uncertain parameters.
    Validate(cli::validate::Args),
    /// Explore a scenario live in the browser: steer it, compare it with a reference, export it.
    Serve(cli::serve::Args),
}

fn main() -> ExitCode {
    install_panic_policy();
    panic_on_request();
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Run(a) => cli::run::run(a).map(|_| ExitCode::SUCCESS),
        Command::Check(a) => cli::check::run(a).map(|_| ExitCode::SUCCESS),
        Command::Experiment(a) => cli::experiment::run(a).map(|_| ExitCode::SUCCESS),
        Command::Merge(a) => cli::merge::run(a).map(|_| ExitCode::SUCCESS),
        Command::Completions(a) => cli::completions::run::<Cli>(a).map(|_| ExitCode::SUCCESS),
        Command::Verify(a) => cli::verify::run(a),
        Command::Plot(a) => cli::plot::run(a).map(|_| ExitCode::SUCCESS),
        Command::Odd(a) => cli::odd::run(a).map(|_| ExitCode::SUCCESS),
        Command::Calibrate(a) => cli::calibrate::run(a).map(|_| ExitCode::SUCCESS),
        Command::Screen(a) => cli::screen::run(a),
        Command::Validate(a) => cli::validate::run(a),
        Command::Serve(a) => cli::serve::run(a).map(|_| ExitCode::SUCCESS),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => report(&err),
    }
}

/// Prints an error the user can act on and picks the exit code: 2 for bad input.
fn report(err: &anyhow::Error) -> ExitCode {
    let input = err.chain().any(|e| {
        e.downcast_ref::<cogov::Error>()
            .is_some_and(cogov::Error::is_input)
    });
    eprintln!("error: {err}");
    // Library errors already show their source ("path: os error"): print each text once.
    let mut last = err.to_string();
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if !last.contains(&text) {
            eprintln!("  caused by: {text}");
        }
        last = text;
    }
    ExitCode::from(if input { 2 } else { 1 })
}

/// Lets the tests prove the panic policy: `COGOV_TEST_PANIC=main` panics on the main
/// thread, `=worker` inside rayon worker threads (several at once). Undocumented on purpose.
fn panic_on_request() {
    match std::env::var("COGOV_TEST_PANIC").as_deref() {
        Ok("main") => panic!("deliberate panic (COGOV_TEST_PANIC=main)"),
        Ok("worker") => {
            use rayon::prelude::*;
            let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build();
            if let Ok(pool) = pool {
                pool.install(|| {
                    (0..64u32).into_par_iter().for_each(|i| {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        panic!("deliberate panic in worker {i} (COGOV_TEST_PANIC=worker)");
                    })
                });
            }
        }
        _ => {}
    }
}

/// A panic is a bug in cogov, never the user's fault: say so plainly and exit 70 (under
/// `cogov serve`, only the failing request or session stops). Only the
/// first panic reports; a panic on another thread meanwhile waits for the exit, so the user
/// sees one message even when several rayon workers fail at once.
fn install_panic_policy() {
    static REPORTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    std::panic::set_hook(Box::new(|info| {
        // `cogov serve` contains panics: the request or session fails, the server goes on.
        if cogov::serve::security::panics_contained() {
            let place = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!("internal error{place}: {info}");
            return;
        }
        if REPORTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
            loop {
                std::thread::park();
            }
        }
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("internal error{place}: {what}");
        eprintln!(
            "This is a bug in cogov. Please report it with the command and scenario you ran."
        );
        std::process::exit(70);
    }));
}
