//! The docking suite through the real binary. Each case runs at reduced scale (smaller
//! graphs or fewer runs) where its claim still holds; the full suite at full scale is one
//! ignored test (about 75 s in a debug build): `cargo test --release -- --ignored`.

mod common;

use common::cogov;

use serde_json::Value;

/// Runs `cogov verify ARGS --json` and returns its one JSON object, asserting exit code 0.
fn probe(args: &[&str]) -> Value {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = cogov(&all);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines = stdout.lines();
    let v: Value = serde_json::from_str(lines.next().expect("one line")).expect("valid JSON");
    assert!(lines.next().is_none(), "one object per case");
    v
}

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

fn exit_code(args: &[&str]) -> (Option<i32>, String) {
    let out = cogov(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn watts_cascades_inside_the_window_only() {
    let inside = probe(&["watts", "--n", "2000", "--z", "3", "--runs", "40"]);
    assert!(num(&inside, "p_global") > 0.5, "{inside}");
    assert!(num(&inside, "mean_size_if_global") > 0.9);
    assert!(num(&inside, "p_global_se") > 0.0);
    assert_eq!(inside["in_window"], Value::Bool(true));
    assert!((num(&inside, "window_low") - 1.02).abs() < 0.005);
    assert!((num(&inside, "window_high") - 5.76).abs() < 0.005);
    for z in ["0.9", "10"] {
        let outside = probe(&["watts", "--n", "2000", "--z", z, "--runs", "40"]);
        assert_eq!(num(&outside, "p_global"), 0.0, "z = {z}: {outside}");
        assert!(num(&outside, "mean_size") < 0.01);
        assert!(outside["mean_size_if_global"].is_null());
    }
}

#[test]
fn granovetter_riot_and_its_fragility() {
    let all = probe(&["granovetter", "--uniform", "100"]);
    assert_eq!(num(&all, "acting"), 100.0);
    let dir = std::env::temp_dir().join(format!("cogov-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("thresholds.txt");
    let mut lines: Vec<String> = (0..100).map(|k| k.to_string()).collect();
    lines[1] = "2".into();
    std::fs::write(&file, lines.join("\n")).unwrap();
    let one = probe(&["granovetter", "--thresholds", file.to_str().unwrap()]);
    assert_eq!(num(&one, "acting"), 1.0);
    assert_eq!(one["pass"], Value::Bool(true));
    std::fs::write(&file, "0\n1\nlots\n").unwrap();
    let (code, err) = exit_code(&[
        "verify",
        "granovetter",
        "--thresholds",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("line") || err.contains(":3:"), "{err}");
    let (code, _) = exit_code(&[
        "verify",
        "granovetter",
        "--uniform",
        "5",
        "--thresholds",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2));
    let (code, _) = exit_code(&[
        "verify",
        "granovetter",
        "--thresholds",
        "/nonexistent/t.txt",
    ]);
    assert_eq!(code, Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn deffuant_clusters_and_consensus() {
    let two = probe(&[
        "deffuant", "--n", "300", "--eps", "0.25", "--sweeps", "200", "--runs", "10",
    ]);
    let m = num(&two, "mean_major_clusters");
    assert!((1.5..=2.5).contains(&m), "{two}");
    assert!(num(&two, "mean_all_clusters") >= m);
    assert!(two.get("mean_major_clusters_se").is_some());
    for graph in ["er", "ws", "ba"] {
        let one = probe(&[
            "deffuant", "--n", "300", "--eps", "0.5", "--graph", graph, "--degree", "10",
            "--sweeps", "200", "--runs", "5",
        ]);
        assert_eq!(num(&one, "mean_major_clusters"), 1.0, "{graph}: {one}");
    }
    let many = probe(&[
        "deffuant", "--n", "500", "--eps", "0.1", "--sweeps", "200", "--runs", "5",
    ]);
    assert!(num(&many, "mean_major_clusters") >= 3.5, "{many}");
}

#[test]
fn ws_small_world() {
    let lattice = probe(&["ws", "--n", "300", "--k", "10", "--p", "0", "--runs", "1"]);
    assert!((num(&lattice, "clustering") - 2.0 / 3.0).abs() < 1e-12);
    let rewired = probe(&[
        "ws", "--n", "300", "--k", "10", "--p", "0.05", "--runs", "3",
    ]);
    assert!(
        num(&rewired, "path_length") < 0.6 * num(&lattice, "path_length"),
        "{rewired}"
    );
    assert!(num(&rewired, "clustering") > 0.8 * 2.0 / 3.0);
}

#[test]
fn ba_degree_law() {
    let v = probe(&["ba", "--n", "3000", "--m", "2", "--runs", "6"]);
    assert!(num(&v, "chi2_p") >= 0.001, "{v}");
    let dist = v["degree_distribution"].as_array().expect("an array");
    assert_eq!(dist[0]["k"], 2);
    assert!((dist[0]["share"].as_f64().unwrap() - 0.5).abs() < 0.02);
    assert!((num(&v, "mean_degree") - 4.0).abs() < 0.1);
}

#[test]
fn community_network_matches_its_parameters() {
    let v = probe(&[
        "community",
        "--residents",
        "6000",
        "--runs",
        "1",
        "--seed",
        "3",
    ]);
    assert_eq!(v["pass"], Value::Bool(true), "{v}");
    let (z, ez) = (num(&v, "mean_degree"), num(&v, "mean_degree_expected"));
    assert!((z - ez).abs() < 0.2 && (6.0..12.0).contains(&z), "{v}");
    // Without building ties the degree falls by about building_degree.
    let lean = probe(&[
        "community",
        "--residents",
        "6000",
        "--runs",
        "1",
        "--building-degree",
        "0",
    ]);
    assert_eq!(lean["pass"], Value::Bool(true), "{lean}");
    assert!(num(&lean, "mean_degree") < z - 2.0, "{lean}");
}

#[test]
fn statistics_cases() {
    let g = probe(&["gini", "--runs", "20"]);
    assert_eq!(g["pass"], Value::Bool(true), "{g}");
    let c = probe(&["ci-coverage"]);
    let cov = num(&c, "coverage");
    assert!((0.93..=0.97).contains(&cov), "{c}");
}

#[test]
fn a_failing_check_exits_1() {
    // One synthetic experiment covers the mean 0% or 100% of the time: outside 93–97%.
    let out = cogov(&["verify", "ci-coverage", "--runs", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAIL"));
}

#[test]
fn bad_input_exits_2() {
    for args in [
        &["verify", "watts", "--n", "1"][..],
        &["verify", "watts", "--phi", "1.5"],
        &["verify", "watts", "--z", "abc"],
        &["verify", "deffuant", "--eps", "0"],
        &["verify", "deffuant", "--eps", "1.2"],
        &["verify", "deffuant", "--graph", "lattice"],
        &["verify", "deffuant", "--n", "1"],
        &["verify", "ws", "--k", "7"],
        &["verify", "ba", "--m", "0"],
        &["verify", "gini", "--runs", "0"],
        &["verify", "community", "--residents", "5"],
        &["verify", "community", "--rewire", "2"],
        &["verify", "nosuchcase"],
        &["verify", "watts", "--eps", "0.3"],
    ] {
        let (code, err) = exit_code(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("internal error"),
            "{err}"
        );
    }
}

#[test]
fn seeded_and_reproducible() {
    let args = [
        "watts", "--n", "1000", "--z", "2", "--runs", "20", "--seed", "9",
    ];
    assert_eq!(probe(&args), probe(&args));
    let other = probe(&[
        "watts", "--n", "1000", "--z", "2", "--runs", "20", "--seed", "10",
    ]);
    assert_ne!(probe(&args)["mean_size"], other["mean_size"]);
}

#[test]
fn probe_prints_its_outcome_as_text() {
    let out = cogov(&["verify", "granovetter"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Granovetter 1978") && text.contains("acting") && text.contains("pass"),
        "{text}"
    );
    // The table fits a 100-column terminal.
    for line in text.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
}

#[test]
#[ignore = "the full-scale suite takes about 75 s in a debug build; run with --release"]
fn full_suite_passes() {
    let out = cogov(&["verify"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for case in [
        "watts",
        "granovetter",
        "deffuant",
        "ws",
        "ba",
        "gini",
        "ci-coverage",
    ] {
        assert!(text.contains(case), "{case} missing\n{text}");
    }
    assert!(!text.contains("FAIL"));
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
}
