//! Experiments: policies × sweep points × replicates, run in parallel, streamed to
//! per-run part files and assembled into tidy CSVs (`runs`, `timeseries`, `communities`,
//! `aggregate`, `contrasts`) plus a manifest. Outputs are byte-identical for any thread
//! count, any sharding (`--shard`, then `merge`) and after `--resume`.

pub mod aggregate;
pub mod design;
pub mod effects;
pub mod factorial;
pub mod merge;
pub mod runner;
pub mod warmups;

pub use design::{Plan, RunSpec};
pub use runner::{Options, Outcome, run_experiment};
