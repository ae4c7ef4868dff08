//! Provenance of an output: which cogov made it (version and commit, fixed at build time
//! by `build.rs`, never read from the directory a user runs cogov in), from which scenario
//! (its hash) and seed, when, on how many cores, in how long and with how much memory.
//! Every manifest carries this block; `report.html` shows it.

use std::time::{Instant, SystemTime};

/// cogov's version (from Cargo.toml).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit cogov was built from, or `unknown` (no git, or not built from its own
/// repository).
pub const COMMIT: &str = env!("COGOV_GIT_COMMIT");

/// Whether the build had uncommitted changes to tracked files: `true`, `false` or `unknown`.
pub const DIRTY: &str = env!("COGOV_GIT_DIRTY");

/// Started work whose provenance will be written.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    started: SystemTime,
    start: Instant,
}

impl Clock {
    /// Starts the clock now.
    pub fn start() -> Clock {
        Clock {
            started: SystemTime::now(),
            start: Instant::now(),
        }
    }

    /// Seconds since the start.
    pub fn elapsed(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// The start as RFC 3339 UTC, to the second.
    pub fn started(&self) -> String {
        humantime::format_rfc3339_seconds(self.started).to_string()
    }
}

/// Cores this process may use (`available_parallelism`), 1 when unknown.
pub fn host_cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// The provenance block: cogov's build, the scenario hash, the `seed` entry (a run's seed,
/// or an experiment's master seed), the start, cores, threads used, wall time and peak memory.
pub fn block(
    clock: &Clock,
    scenario_hash: &str,
    seed: serde_json::Value,
    threads: usize,
) -> serde_json::Value {
    serde_json::json!({
        "cogov_version": VERSION,
        "cogov_commit": COMMIT,
        "cogov_commit_dirty": match DIRTY { "true" => serde_json::json!(true), "false" => serde_json::json!(false), _ => serde_json::Value::Null },
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
        "scenario_hash": scenario_hash,
        "seed": seed,
        "started": clock.started(),
        "host_cores": host_cores(),
        "threads": threads,
        "wall_seconds": clock.elapsed(),
        "peak_rss_bytes": crate::output::peak_rss_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_has_every_field() {
        let c = Clock::start();
        let b = block(&c, "abc", serde_json::json!(7), 2);
        for key in [
            "cogov_version",
            "cogov_commit",
            "scenario_hash",
            "seed",
            "started",
            "host_cores",
            "threads",
            "wall_seconds",
            "peak_rss_bytes",
        ] {
            assert!(b.get(key).is_some(), "{key}");
        }
        let started = b["started"].as_str().unwrap();
        assert!(humantime::parse_rfc3339(started).is_ok(), "{started}");
        assert!(!COMMIT.is_empty());
    }
}
