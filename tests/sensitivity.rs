//! Global sensitivity (morris / sobol experiments), ABC calibration and their bad-input
//! errors, end to end through the real binary on a tiny world.

mod common;

use common::{TINY_WORLD, cogov, tmp};
use std::path::Path;

/// A tiny experiment scenario with the given `[experiment]` design and `[sensitivity]` body.
fn gsa_scenario(design: &str, sensitivity: &str) -> String {
    format!(
        "name = \"gsa\"\nticks = 40\n{TINY_WORLD}\n[mechanisms.grid]\nenabled = true\n\n\
         [experiment]\ndesign = \"{design}\"\nreplicates = 2\nseed = 5\n\n[sensitivity]\n{sensitivity}"
    )
}

const PARAMS: &str = "parameters = { \"mechanisms.grid.patrol_detection\" = [0.0, 0.2], \"residents.report_probability\" = [0.05, 0.5] }\n\
metrics = [\"detection_days_mean_final\", \"satisfaction_mean_mean\"]\nbootstrap = 20\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn run_ok(args: &[&str]) {
    let o = cogov(args);
    assert!(
        o.status.success(),
        "cogov {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs the design with --jobs 1 and 2 and checks sensitivity.csv exists, is identical,
/// and has one row per metric × parameter × index.
fn check_design(design: &str, body: &str, indices: &[&str]) -> String {
    let dir = tmp(design);
    let s = write(&dir, "s.toml", &gsa_scenario(design, body));
    let (a, b) = (dir.join("j1"), dir.join("j2"));
    run_ok(&[
        "experiment",
        &s,
        "--no-plot",
        "-j",
        "1",
        "--out",
        a.to_str().unwrap(),
    ]);
    run_ok(&[
        "experiment",
        &s,
        "--no-plot",
        "-j",
        "2",
        "--out",
        b.to_str().unwrap(),
    ]);
    let csv = read(&a.join("sensitivity.csv"));
    assert_eq!(csv, read(&b.join("sensitivity.csv")), "depends on --jobs");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("metric,parameter,index,value,ci95_low,ci95_high")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2 * 2 * indices.len(), "{csv}");
    for r in &rows {
        assert_eq!(r.len(), 6);
        assert!(indices.contains(&r[2]), "unexpected index {}", r[2]);
        assert!(r[3].parse::<f64>().is_ok_and(f64::is_finite), "{r:?}");
    }
    let manifest = read(&a.join("manifest.json"));
    assert!(manifest.contains("mean over replicates"), "{manifest}");
    csv
}

#[test]
fn morris_experiment_writes_sensitivity_csv_independent_of_jobs() {
    let csv = check_design(
        "morris",
        &format!("r = 3\nlevels = 4\n{PARAMS}"),
        &["mu", "mu_star", "sigma"],
    );
    // More reporting shortens detection: a negative elementary effect on average.
    let mu = csv
        .lines()
        .find(|l| l.starts_with("detection_days_mean_final,residents.report_probability,mu,"))
        .unwrap();
    assert!(
        mu.split(',').nth(3).unwrap().parse::<f64>().unwrap() < 0.0,
        "{mu}"
    );
}

#[test]
fn sobol_experiment_writes_sensitivity_csv_and_merge_reproduces_it() {
    let csv = check_design("sobol", &format!("n = 4\n{PARAMS}"), &["S1", "ST"]);
    let dir = tmp("sobol-shards");
    let s = write(
        &dir,
        "s.toml",
        &gsa_scenario("sobol", &format!("n = 4\n{PARAMS}")),
    );
    let (s1, s2, m) = (dir.join("s1"), dir.join("s2"), dir.join("merged"));
    for (shard, out) in [("1/2", &s1), ("2/2", &s2)] {
        run_ok(&[
            "experiment",
            &s,
            "--no-plot",
            "--shard",
            shard,
            "--out",
            out.to_str().unwrap(),
        ]);
    }
    run_ok(&[
        "merge",
        s1.to_str().unwrap(),
        s2.to_str().unwrap(),
        "--out",
        m.to_str().unwrap(),
    ]);
    assert_eq!(read(&m.join("sensitivity.csv")), csv);
}

/// A calibration scenario (experiment seed 7) on a small world where the reporting
/// probability has a strong effect on the mean days to detection.
fn calibration_scenario(extra: &str) -> String {
    format!(
        r#"name = "calib"
ticks = 120

[world]
residents = 2000
streets = 1
communities = 2
grids = 6
organisations = 4
social_workers = 3
property_companies = 2
businesses = 6
service_complexes = 1

[experiment]
seed = 7

[calibration]
draws = 300
acceptance_quantile = 0.1
replicates = 4
{extra}"#
    )
}

const TRUE_P: f64 = 0.25;

#[test]
fn calibration_recovers_a_known_parameter() {
    let dir = tmp("calibrate");
    // The synthetic target: the model itself at the true parameter, averaged over 20
    // replicates from another seed (so the target is near its expected value).
    let truth = calibration_scenario("")
        .replace(
            "[calibration]\ndraws = 300\nacceptance_quantile = 0.1\nreplicates = 4\n",
            "",
        )
        .replace("seed = 7", "seed = 99\nreplicates = 20")
        + &format!("\n[sweep]\n\"residents.report_probability\" = [{TRUE_P}]\n");
    let t = write(&dir, "truth.toml", &truth);
    let tout = dir.join("truth");
    run_ok(&[
        "experiment",
        &t,
        "--no-plot",
        "--out",
        tout.to_str().unwrap(),
    ]);
    let agg = read(&tout.join("aggregate.csv"));
    let line = agg
        .lines()
        .find(|l| l.split(',').nth(2) == Some("detection_days_mean_final"))
        .unwrap();
    let observed: f64 = line.split(',').nth(4).unwrap().parse().unwrap();
    let s = write(
        &dir,
        "calib.toml",
        &calibration_scenario(&format!(
            "targets = {{ detection_days_mean_final = {{ observed = {observed}, tolerance = 1.0 }} }}\n\
             priors = {{ \"residents.report_probability\" = {{ low = 0.02, high = 0.6 }} }}\n"
        )),
    );
    let out = dir.join("c");
    run_ok(&["calibrate", &s, "-j", "2", "--out", out.to_str().unwrap()]);
    let post = read(&out.join("posterior.csv"));
    assert!(post.starts_with("parameter,mean,sd,q05,q95\n"), "{post}");
    let row: Vec<&str> = post.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(row[0], "residents.report_probability");
    let (q05, q95): (f64, f64) = (row[3].parse().unwrap(), row[4].parse().unwrap());
    assert!(
        q05 <= TRUE_P && TRUE_P <= q95,
        "90% interval [{q05}, {q95}] misses {TRUE_P}"
    );
    // The data must inform: the prior's own 90% interval is 0.522 wide.
    assert!(
        q95 - q05 < 0.3,
        "90% interval [{q05}, {q95}] barely narrower than the prior's"
    );
    let draws = read(&out.join("calibration.csv"));
    assert!(draws.starts_with("draw,residents.report_probability,distance,accepted\n"));
    assert_eq!(
        draws.lines().filter(|l| l.ends_with(",true")).count(),
        30,
        "acceptance_quantile 0.1 of 300 draws"
    );
}

fn bad(scenario: &str, command: &str) -> String {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let k = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = tmp(&format!("bad-{k}"));
    let s = write(&dir, "s.toml", scenario);
    let out = dir.join("out");
    let o = cogov(&[command, &s, "--out", out.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn bad_sensitivity_input_exits_2_naming_the_key() {
    let e = bad(
        &gsa_scenario(
            "morris",
            "parameters = { \"residents.report_probabilty\" = [0.1, 0.5] }\n",
        ),
        "experiment",
    );
    assert!(
        e.contains("sensitivity.parameters.residents.report_probabilty")
            && e.contains("residents.report_probability"),
        "{e}"
    );
    let e = bad(
        &gsa_scenario(
            "morris",
            "parameters = { \"residents.report_probability\" = [0.5, 0.1] }\n",
        ),
        "experiment",
    );
    assert!(e.contains("low < high"), "{e}");
    let e = bad(
        &gsa_scenario("sobol", &format!("n = 100\n{PARAMS}")),
        "experiment",
    );
    assert!(
        e.contains("sensitivity.n") && e.contains("power of two"),
        "{e}"
    );
    let e = bad(
        &gsa_scenario(
            "morris",
            &PARAMS.replace("satisfaction_mean_mean", "satisfaction_mean_maen"),
        ),
        "experiment",
    );
    assert!(
        e.contains("sensitivity.metrics") && e.contains("satisfaction_mean_mean"),
        "{e}"
    );
    let e = bad(
        &gsa_scenario(
            "morris",
            "parameters = { \"mechanisms.grid.enabled\" = [0.0, 1.0] }\n",
        ),
        "experiment",
    );
    assert!(e.contains("numeric"), "{e}");
    let no_section = gsa_scenario("morris", "").replace("[sensitivity]\n", "");
    assert!(bad(&no_section, "experiment").contains("[sensitivity]"));
}

#[test]
fn bad_calibration_input_exits_2_naming_the_key() {
    let e = bad(
        &calibration_scenario(
            "targets = { satisfaction_mean_maen = { observed = 1.0, tolerance = 0.1 } }\n\
             priors = { \"residents.report_probability\" = { low = 0.0, high = 1.0 } }\n",
        ),
        "calibrate",
    );
    assert!(
        e.contains("calibration.targets.satisfaction_mean_maen")
            && e.contains("satisfaction_mean_mean"),
        "{e}"
    );
    let e = bad(
        &calibration_scenario(
            "targets = { satisfaction_mean_mean = { observed = 1.0, tolerance = 0.1 } }\n\
             priors = { \"residents.nope\" = { low = 0.0, high = 1.0 } }\n",
        ),
        "calibrate",
    );
    assert!(e.contains("calibration.priors.residents.nope"), "{e}");
    let e = bad(&format!("name = \"x\"\n{TINY_WORLD}"), "calibrate");
    assert!(e.contains("[calibration]"), "{e}");
}

#[test]
fn verify_ishigami_matches_the_analytic_indices() {
    let o = cogov(&["verify", "ishigami", "--n", "8192", "--seed", "3", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["case"], "ishigami");
    assert_eq!(v["pass"], true);
    assert_eq!(v["checks"].as_array().unwrap().len(), 10);
    let o = cogov(&["verify", "ishigami", "--n", "1000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("power of two"));
}

#[test]
fn calibration_does_not_depend_on_jobs() {
    let dir = tmp("calibrate-jobs");
    let s = write(
        &dir,
        "s.toml",
        &format!(
            "name = \"cj\"\nticks = 30\n{TINY_WORLD}\n[calibration]\ndraws = 8\nacceptance_quantile = 0.25\nreplicates = 2\n\
             targets = {{ detection_days_mean_final = {{ observed = 8.0, tolerance = 1.0 }} }}\n\
             priors = {{ \"residents.report_probability\" = {{ low = 0.02, high = 0.6 }} }}\n"
        ),
    );
    let (a, b) = (dir.join("a"), dir.join("b"));
    run_ok(&["calibrate", &s, "-j", "1", "--out", a.to_str().unwrap()]);
    run_ok(&["calibrate", &s, "-j", "2", "--out", b.to_str().unwrap()]);
    for f in ["calibration.csv", "posterior.csv"] {
        assert_eq!(read(&a.join(f)), read(&b.join(f)), "{f} depends on --jobs");
    }
}
