//! The Slurm job-array script (`examples/slurm/experiment.sbatch`) on a live cluster:
//! shards + dependent merge must equal a local run. Start a one-node cluster with
//! `tests/slurm/start.sh`; without `sbatch` on PATH the test skips.

mod common;

use std::path::Path;
use std::process::Command;

use common::TINY_WORLD;
use std::time::{Duration, Instant};

/// The tiny scenario of these tests: a head, the shared tiny world, the experiment.
fn tiny() -> String {
    [
        r#"name = "tiny"
ticks = 40
"#,
        TINY_WORLD,
        r#"[experiment]
replicates = 3
seed = 9
record_every = 10
[[policy]]
name = "off"
[[policy]]
name = "grid"
set = { "mechanisms.grid.enabled" = true }
"#,
    ]
    .concat()
}

fn has_sbatch() -> bool {
    Command::new("sbatch")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn job_array_and_merge_equal_a_local_run() {
    if !has_sbatch() {
        eprintln!("skipped: `sbatch` not found (start a cluster with tests/slurm/start.sh)");
        return;
    }
    let d = std::env::temp_dir().join(format!("cogov-slurm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let s = d.join("s.toml");
    std::fs::write(&s, tiny()).unwrap();
    let bin = env!("CARGO_BIN_EXE_cogov");
    let local = d.join("local");
    let o = Command::new(bin)
        .args([
            "experiment",
            s.to_str().unwrap(),
            "--out",
            local.to_str().unwrap(),
            "-j",
            "1",
            "--no-plot",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/slurm/experiment.sbatch");
    let out = d.join("cluster");
    let o = Command::new("sbatch")
        .args([
            "--array=1-3",
            "--cpus-per-task=1",
            &format!("--chdir={}", d.display()),
        ])
        .arg(&script)
        .args([s.to_str().unwrap(), out.to_str().unwrap()])
        .env("COGOV", bin)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "sbatch: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let merged = out.join("merged");
    let deadline = Instant::now() + Duration::from_secs(300);
    while !merged.join("contrasts.csv").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
    }
    // The merge job goes on to draw figures after its CSV files: wait until the queue is
    // empty, so that nothing is still writing when the outputs are compared and removed.
    while Instant::now() < deadline {
        let queue = Command::new("squeue").args(["-h", "-o", "%i"]).output();
        if queue.map_or(true, |q| q.stdout.iter().all(u8::is_ascii_whitespace)) {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let log = std::fs::read_to_string(out.join("merge.log")).unwrap_or_default();
    for f in [
        "runs.csv",
        "timeseries.csv",
        "communities.csv",
        "aggregate.csv",
        "contrasts.csv",
    ] {
        let a = std::fs::read(local.join(f)).unwrap();
        let b =
            std::fs::read(merged.join(f)).unwrap_or_else(|e| panic!("{f}: {e}; merge log: {log}"));
        assert!(a == b, "{f} differs between the local and the Slurm run");
    }
    std::fs::remove_dir_all(&d).unwrap();
}
