//! cogov: an agent-based simulator of community co-governance and its linkage mechanisms
//! (联动机制). See `ARCHITECTURE.md` for the codemap and `docs/ODD.md` for the model.

pub mod cli;
pub mod error;
pub mod metrics;
pub mod network;
pub mod plot;
pub mod rng;
pub mod stats;
pub mod submodels;

pub use error::{Error, Result};
