//! The command-line interface: one module per subcommand, each with its clap `Args` and a
//! `run` function. `main.rs` only dispatches and maps errors to exit codes.

pub mod calibrate;
pub mod check;
pub mod completions;
pub mod experiment;
pub mod merge;
pub mod odd;
pub mod plot;
pub mod run;
pub mod screen;
pub mod verify;

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar with an ETA on stderr, hidden when stderr is not a terminal.
pub fn progress_bar(len: u64, unit: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        let template =
            format!("{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {unit} (ETA {{eta}})");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}
