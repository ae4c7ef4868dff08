//! The command-line interface: one module per subcommand, each with its clap `Args` and a
//! `run` function. `main.rs` only dispatches and maps errors to exit codes.

pub mod completions;
pub mod plot;
