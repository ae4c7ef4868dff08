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
