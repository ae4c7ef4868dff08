//! Every class of bad scenario input (one file per case in `tests/bad_inputs/`) makes the
//! binary exit 2 with a short message that names the file, line:column, key path, what is
//! wrong and what is allowed, and never a Rust panic.
//!
//! Each case file starts with comment lines: `# expect: <fragment>` (must appear in stderr),
//! `# at: L:C` (the position the message must name, or `-` when the key at fault is not in
//! the file), and optionally
//! `# command: experiment` for cases only an experiment detects, or `# command: all` for
//! cases `check`, `run` and `experiment` must all refuse (otherwise `cogov check` alone).

mod common;

use std::path::{Path, PathBuf};

use common::{cogov, tmp};

struct Case {
    path: PathBuf,
    expect: String,
    at: String,
    command: String,
}

fn header(path: &Path, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix(&format!("# {key}:")))
        .map(|v| v.trim().to_string())
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| Case {
            expect: header(&path, "expect").unwrap_or_else(|| panic!("{path:?}: no # expect:")),
            at: header(&path, "at").unwrap_or_else(|| panic!("{path:?}: no # at:")),
            command: header(&path, "command").unwrap_or_default(),
            path,
        })
        .collect()
}

#[test]
fn every_bad_input_is_refused_clearly() {
    let cases = cases();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    let out_root = tmp("bad-inputs");
    let mut failures = Vec::new();
    for case in &cases {
        let file = case.path.to_str().unwrap();
        let stem = case.path.file_stem().unwrap().to_str().unwrap();
        let out_dir = out_root.join(stem);
        let out_dir = out_dir.to_str().unwrap();
        let check = vec!["check", file];
        let run = vec!["run", file, "--out", out_dir, "--no-plot"];
        let experiment = vec!["experiment", file, "--out", out_dir, "--no-plot", "-j", "1"];
        let commands = match case.command.as_str() {
            "experiment" => vec![experiment],
            "all" => vec![check, run, experiment],
            _ => vec![check],
        };
        for args in commands {
            let out = cogov(&args);
            let err = String::from_utf8_lossy(&out.stderr);
            let mut why = Vec::new();
            if out.status.code() != Some(2) {
                why.push(format!("exit {:?}, not 2", out.status.code()));
            }
            if !err.contains(&case.expect) {
                why.push(format!("no {:?}", case.expect));
            }
            // `# at: -`: the key is not in the file (a default); the file is still named.
            let place = match case.at.as_str() {
                "-" => format!("error: {file}: `"),
                at => format!("{file}:{at}"),
            };
            if !err.contains(&place) {
                why.push(format!("no {place:?}"));
            }
            if err.contains("panicked") || err.contains("internal error") {
                why.push("a panic".into());
            }
            if err.lines().count() > 25 {
                why.push(format!(
                    "{} lines, more than one screen",
                    err.lines().count()
                ));
            }
            if !why.is_empty() {
                failures.push(format!("{stem} ({}): {}\n{err}", args[0], why.join("; ")));
            }
        }
        assert!(
            !Path::new(out_dir).exists(),
            "{stem}: an output directory was made"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

/// Writes `text` to a fresh scenario file and returns its path.
fn scenario_file(name: &str, text: &str) -> PathBuf {
    let p = tmp(name).join("s.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// Asserts `cogov ARGS` exits 2 naming `file` and saying `what`, without a panic.
fn refused(args: &[&str], file: &Path, what: &str) -> String {
    let out = cogov(args);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(&file.display().to_string()), "{args:?}: {err}");
    assert!(err.contains(what), "{args:?}: no {what:?} in {err}");
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
    err
}

/// 20,000 policies (issue 19: validation serialised every policy once per policy, 5,000 took
/// 13 s): validation is linear in their number, so `check` answers at once, valid or not.
#[test]
fn many_policies_are_validated_in_linear_time() {
    let n = 20_000;
    let mut text = String::from("[experiment]\nreplicates = 1\nmax_runs = 100000\n");
    for k in 0..n {
        text.push_str(&format!(
            "[[policy]]\nname = \"p{k}\"\nset = {{ \"world.party_share\" = 0.{} }}\n",
            k % 10
        ));
    }
    let ok = scenario_file("many-policies", &text);
    let out = cogov(&["check", ok.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The last one repeats a name and sets a misspelt path.
    text.push_str("[[policy]]\nname = \"p7\"\nset = { \"world.party_shar\" = 0.5 }\n");
    let bad = scenario_file("many-policies-bad", &text);
    let line = 3 + 3 * n + 2;
    let err = refused(
        &["check", bad.to_str().unwrap()],
        &bad,
        "duplicate policy name \"p7\"",
    );
    assert!(err.contains(&format!(":{line}:")), "{err}");
    assert!(
        err.contains("nearest valid paths: world.party_share"),
        "{err}"
    );
}

/// Memory is refused before anything is built, also for an experiment's runs at once and
/// its plan, and `--force` (which lifts max_runs) does not lift it.
#[test]
fn experiments_that_do_not_fit_in_memory_are_refused_up_front() {
    // The default district (estimated at about 475 MiB a run) on 4,096 workers.
    let many = scenario_file(
        "mem-jobs",
        "[experiment]\nreplicates = 5000\nmax_runs = 100000\n",
    );
    let out_dir = tmp("mem-jobs-out").join("out");
    let args = [
        "experiment",
        many.to_str().unwrap(),
        "-j",
        "4096",
        "--no-plot",
        "--force",
        "--out",
        out_dir.to_str().unwrap(),
    ];
    refused(
        &args,
        &many,
        "the experiment (4096 runs at once) needs about",
    );
    assert!(!out_dir.exists(), "an output directory was made");
    // A plan of 100 million cells (a sweep of 10,000 × 10,000 points), allowed by --force.
    let plan = scenario_file(
        "mem-plan",
        &format!(
            "{}\n[experiment]\nreplicates = 1\n[sweep]\n\"world.party_share\" = {{ from = 0.0, to = 0.5, steps = 10000 }}\n\"world.online_share\" = {{ from = 0.0, to = 0.5, steps = 10000 }}\n",
            common::TINY_WORLD
        ),
    );
    let out_dir = tmp("mem-plan-out").join("out");
    let args = [
        "experiment",
        plan.to_str().unwrap(),
        "-j",
        "1",
        "--no-plot",
        "--force",
        "--out",
        out_dir.to_str().unwrap(),
    ];
    let err = refused(&args, &plan, "experiment plan");
    assert!(err.contains("--force does not override memory"), "{err}");
    assert!(!out_dir.exists(), "an output directory was made");
    // Without --force the same plan is over max_runs, counted before anything is built.
    let args = ["experiment", plan.to_str().unwrap(), "--no-plot"];
    refused(&args, &plan, "more than max_runs = 100000");
}

/// A calibration whose draws do not fit in memory is refused before any run.
#[test]
fn calibration_that_does_not_fit_is_refused_up_front() {
    let s = scenario_file(
        "mem-calibration",
        "[experiment]\nreplicates = 1\n[calibration]\ndraws = 100000000\n\
         targets = { active_share_mean = { observed = 0.2, tolerance = 0.05 } }\n\
         priors = { \"residents.report_probability\" = { low = 0.01, high = 0.1 } }\n",
    );
    let out_dir = tmp("mem-calibration-out").join("out");
    let args = [
        "calibrate",
        s.to_str().unwrap(),
        "-j",
        "1",
        "--out",
        out_dir.to_str().unwrap(),
    ];
    refused(&args, &s, "calibration draws");
}
