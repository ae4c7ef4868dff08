//! Helpers shared by the integration tests: the binary, fresh temporary directories, and a
//! tiny world for end-to-end runs.
#![allow(dead_code)] // each test crate uses a different subset

pub mod svg;

use std::path::PathBuf;
use std::process::{Command, Output};

/// The `[world]` section of a tiny world (600 residents) that runs in milliseconds.
pub const TINY_WORLD: &str = r#"[world]
residents = 600
streets = 2
communities = 4
grids = 8
departments = 6
department_staff = 10
service_complexes = 1
social_workers = 4
organisations = 6
property_companies = 2
businesses = 6
"#;

/// The CSV files of a finished experiment.
pub const EXPERIMENT_FILES: &[&str] = &[
    "runs.csv",
    "timeseries.csv",
    "communities.csv",
    "aggregate.csv",
    "contrasts.csv",
    "metrics.csv",
];

/// The `cogov` binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cogov"))
}

/// Runs `cogov ARGS` and returns its output.
pub fn cogov(args: &[&str]) -> Output {
    bin().args(args).output().expect("the cogov binary runs")
}

/// Runs `cogov ARGS`, fails the test with its stderr unless it succeeds, and returns its
/// output.
pub fn cogov_ok(args: &[&str]) -> Output {
    let out = cogov(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A fresh, empty temporary directory unique to this test process and `name`.
pub fn tmp(name: &str) -> PathBuf {
    let exe = std::env::current_exe().ok();
    let suite = exe
        .as_deref()
        .and_then(|p| p.file_stem())
        .and_then(|s| s.to_str())
        .unwrap_or("test");
    let d = std::env::temp_dir().join(format!("cogov-{suite}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
