//! cogov: an agent-based simulator of community co-governance and its linkage mechanisms
//! (联动机制). See `ARCHITECTURE.md` for the codemap and `docs/ODD.md` for the model.
#![warn(missing_docs)]

pub mod cli;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod footprint;
pub mod issues;
pub mod mechanisms;
pub mod metrics;
pub mod network;
pub mod observer;
pub mod odd;
pub mod outdir;
pub mod output;
pub mod plot;
pub mod provenance;
pub mod records;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod sensitivity;
pub mod serve;
pub mod snapshot;
pub mod stats;
pub mod submodels;
pub mod tables;
pub mod targets;
pub mod validate;
pub mod verify;
pub mod world;

pub use error::{Error, Result};
