//! Robustness of the binary: the panic policy (exit 70, one message, no Rust panic text),
//! no silent overwrite of another scenario's `cogov run` results, and a clear failure
//! without partial files when the output directory cannot be written.

mod common;

use std::path::Path;

use common::{TINY_WORLD, bin, cogov, tmp};

fn tiny(name: &str, ticks: u32) -> String {
    format!("name = \"{name}\"\nticks = {ticks}\n{TINY_WORLD}")
}

fn write(dir: &Path, file: &str, text: &str) -> String {
    let p = dir.join(file);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn panics_exit_70_with_one_plain_message() {
    for place in ["main", "worker"] {
        let o = bin()
            .args(["check", "whatever.toml"])
            .env("COGOV_TEST_PANIC", place)
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(70), "{place}: {err}");
        assert_eq!(err.matches("internal error").count(), 1, "{place}: {err}");
        assert!(err.contains("Please report"), "{place}: {err}");
        for rust in ["panicked", "stack backtrace", "RUST_BACKTRACE"] {
            assert!(!err.contains(rust), "{place}: {rust} in {err}");
        }
    }
}

#[test]
fn run_does_not_overwrite_another_scenarios_results() {
    let d = tmp("overwrite");
    let a = write(&d, "a.toml", &tiny("a", 5));
    let b = write(&d, "b.toml", &tiny("b", 6));
    let out = d.join("out");
    let out_s = out.to_str().unwrap();
    let o = cogov(&["run", &a, "--out", out_s, "--no-plot"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = std::fs::read(out.join("timeseries.csv")).unwrap();
    // The same scenario may be run again into its own directory.
    let o = cogov(&["run", &a, "--out", out_s, "--no-plot"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = cogov(&["run", &b, "--out", out_s, "--no-plot"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("different scenario") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(out.join("timeseries.csv")).unwrap(), before);
    let o = cogov(&["run", &b, "--out", out_s, "--no-plot", "--force"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_ne!(std::fs::read(out.join("timeseries.csv")).unwrap(), before);
    std::fs::remove_dir_all(&d).unwrap();
}

/// Root ignores permission bits, so the unwritable directory is one below a regular file.
#[test]
fn unwritable_output_fails_clearly_without_partial_files() {
    let d = tmp("unwritable");
    let s = write(&d, "s.toml", &tiny("u", 5));
    let e = write(
        &d,
        "e.toml",
        &format!("{}[experiment]\nreplicates = 2\n", tiny("e", 5)),
    );
    std::fs::write(d.join("file"), "not a directory").unwrap();
    let bad = d.join("file/sub");
    let bad_s = bad.to_str().unwrap();
    for args in [
        vec!["run", &s, "--out", bad_s, "--no-plot"],
        vec!["run", &s, "--out", bad_s],
        vec!["experiment", &e, "--out", bad_s, "--no-plot", "-j", "1"],
        vec!["plot", bad_s],
        vec!["run", &s, "--out", "/proc/cogov-results", "--no-plot"],
    ] {
        let o = cogov(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?} succeeded");
        assert_ne!(o.status.code(), Some(70), "{args:?}: {err}");
        // Warnings and notes about the input may come first; then the error.
        let first = err
            .lines()
            .find(|l| !l.starts_with("warning: ") && !l.starts_with("note: "))
            .unwrap_or("");
        assert!(first.starts_with("error: "), "{args:?}: {err}");
        assert!(err.lines().count() <= 25, "{args:?}: {err}");
        assert!(
            err.contains("file/sub") || err.contains("/proc/cogov-results"),
            "{args:?}: the message names no path: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(d.join("file")).unwrap(),
        "not a directory"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

/// A full disk, simulated with a file-size limit (`ulimit -f`, with SIGXFSZ ignored so a
/// write fails with EFBIG instead of killing the process): a clear error, a non-zero exit,
/// no file under a final name that looks complete, and no temporary files left behind.
#[test]
fn full_disk_fails_clearly_without_partial_files() {
    let d = tmp("full");
    let s = write(&d, "s.toml", &tiny("f", 200));
    let e = write(
        &d,
        "e.toml",
        &format!("{}[experiment]\nreplicates = 3\n", tiny("fe", 200)),
    );
    let exe = env!("CARGO_BIN_EXE_cogov");
    for (name, args) in [
        (
            "run",
            format!("run {s} --out {}/run --no-plot", d.display()),
        ),
        (
            "experiment",
            format!(
                "experiment {e} --out {}/experiment --no-plot -j 1",
                d.display()
            ),
        ),
    ] {
        let o = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("trap '' XFSZ; ulimit -f 64; exec {exe} {args}"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{name}: succeeded on a full disk");
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains("File too large") && err.contains(".csv"),
            "{name}: {err}"
        );
        let out = d.join(name);
        let ts = out.join("timeseries.csv");
        assert!(!ts.exists(), "{name}: a partial timeseries.csv exists");
        let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap_or_default();
        assert!(
            !manifest.contains("\"complete\": true"),
            "{name}: {manifest}"
        );
        let litter: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(litter.is_empty(), "{name}: {litter:?}");
    }
    std::fs::remove_dir_all(&d).unwrap();
}
