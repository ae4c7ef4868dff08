//! `cogov experiment` and `cogov merge` through the real binary on a tiny world.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{EXPERIMENT_FILES, TINY_WORLD, cogov, cogov_ok, tmp};

/// The tiny scenario of these tests: a head, the shared tiny world, the experiment.
fn tiny() -> String {
    [
        r#"name = "tiny"
ticks = 60
"#,
        TINY_WORLD,
        r#"[experiment]
replicates = 3
seed = 5
record_every = 10
[[policy]]
name = "off"
set = { "mechanisms.grid.enabled" = false }
[[policy]]
name = "on"
set = { "mechanisms.grid.enabled" = true, "mechanisms.party_masses.enabled" = true }
[sweep]
"init.seed_active_share" = [0.01, 0.05]
[plot]
metrics = ["active_share", "complaints"]
formats = ["svg"]
"#,
    ]
    .concat()
}

fn scenario(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("s.toml");
    std::fs::write(&p, text).unwrap();
    p
}

fn experiment(s: &Path, out: &Path, extra: &[&str]) {
    let mut a = vec![
        "experiment",
        s.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    a.extend(extra);
    cogov_ok(&a);
}

fn same_outputs(a: &Path, b: &Path) {
    for f in EXPERIMENT_FILES {
        let x = std::fs::read(a.join(f)).unwrap();
        let y = std::fs::read(b.join(f)).unwrap();
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn files_headers_and_thread_count_independence() {
    let d = tmp("jobs");
    let s = scenario(&d, &tiny());
    let (a, b) = (d.join("a"), d.join("b"));
    experiment(&s, &a, &["--jobs", "1"]);
    experiment(&s, &b, &["--jobs", "2", "--no-plot"]);
    same_outputs(&a, &b);
    // Figures and report are drawn at the end, with the scenario's [plot] settings.
    for f in [
        "report.html",
        "figures/contrasts.svg",
        "figures/timeseries_active_share.svg",
        "figures/timeseries_complaints.svg",
    ] {
        assert!(a.join(f).exists(), "{f} missing");
    }
    assert!(!a.join("figures/contrasts.png").exists(), "formats = [svg]");
    assert!(!b.join("figures").exists() && !b.join("report.html").exists());
    let runs = std::fs::read_to_string(a.join("runs.csv")).unwrap();
    assert!(
        runs.starts_with("run_id,policy,init.seed_active_share,replicate,seed,"),
        "{runs}"
    );
    assert_eq!(runs.lines().count(), 1 + 2 * 2 * 3);
    assert!(
        runs.lines()
            .nth(1)
            .unwrap()
            .starts_with("000000,off,0.01,0,")
    );
    let agg = std::fs::read_to_string(a.join("aggregate.csv")).unwrap();
    assert!(agg.starts_with("policy,init.seed_active_share,metric,n,mean,sd,ci95_low,ci95_high\n"));
    let con = std::fs::read_to_string(a.join("contrasts.csv")).unwrap();
    assert!(con.starts_with("policy,baseline,init.seed_active_share,metric,n,mean_diff,ci95_low,ci95_high,cohens_d,a12\n"));
    assert!(con.lines().skip(1).all(|l| l.starts_with("on,off,")));
    assert!(
        std::fs::read_to_string(a.join("timeseries.csv"))
            .unwrap()
            .starts_with("run_id,tick,")
    );
    assert!(
        std::fs::read_to_string(a.join("communities.csv"))
            .unwrap()
            .starts_with("run_id,community,street,")
    );
    let m = manifest(&a);
    assert_eq!(m["complete"], true);
    assert_eq!(m["runs_total"], 12);
    assert_eq!(m["baseline"], "off");
    assert_eq!(
        m["plot"]["metrics"],
        serde_json::json!(["active_share", "complaints"])
    );
    assert_eq!(m["plot"]["formats"], serde_json::json!(["svg"]));
    // Common random numbers: replicate r has the same seed under every policy and point.
    let seeds: Vec<Vec<String>> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(seeds[0][4], seeds[3][4]);
    assert_eq!(seeds[0][4], seeds[6][4]);
    assert_ne!(seeds[0][4], seeds[1][4]);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn shards_merge_to_the_unsharded_result() {
    let d = tmp("shard");
    let s = scenario(&d, &tiny());
    let (full, s1, s2, merged) = (d.join("full"), d.join("s1"), d.join("s2"), d.join("merged"));
    experiment(&s, &full, &["-j", "2"]);
    experiment(&s, &s1, &["--shard", "1/2", "-j", "1"]);
    experiment(&s, &s2, &["--shard", "2/2", "-j", "2"]);
    assert!(!s1.join("runs.csv").exists(), "a shard writes only parts");
    assert_eq!(manifest(&s1)["shard"], "1/2");
    let o = cogov(&[
        "merge",
        s1.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "merging half the shards must fail"
    );
    cogov_ok(&[
        "merge",
        s1.to_str().unwrap(),
        s2.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    same_outputs(&full, &merged);
    assert_eq!(manifest(&merged)["complete"], true);
    assert!(!s1.join("report.html").exists(), "a shard draws no figures");
    assert!(merged.join("report.html").exists() && merged.join("figures/contrasts.svg").exists());
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn resume_after_lost_parts_matches_uninterrupted_run() {
    let d = tmp("resume");
    let s = scenario(&d, &tiny());
    let (full, r) = (d.join("full"), d.join("r"));
    experiment(&s, &full, &["-j", "2"]);
    experiment(&s, &r, &["-j", "2"]);
    for id in ["000001", "000007", "000011"] {
        std::fs::remove_file(r.join("parts").join(format!("{id}.done"))).unwrap();
        std::fs::remove_file(r.join("parts").join(format!("{id}.timeseries.csv"))).unwrap();
    }
    for f in EXPERIMENT_FILES {
        std::fs::remove_file(r.join(f)).unwrap();
    }
    let before = std::fs::metadata(r.join("parts/000000.done"))
        .unwrap()
        .modified()
        .unwrap();
    experiment(&s, &r, &["--resume", "-j", "1"]);
    same_outputs(&full, &r);
    let after = std::fs::metadata(r.join("parts/000000.done"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after, "a finished run was redone");
    // Another scenario may not overwrite these results without --force.
    let other = scenario(&d, &tiny().replace("seed = 5", "seed = 6"));
    let o = cogov(&[
        "experiment",
        other.to_str().unwrap(),
        "--out",
        r.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    experiment(&other, &r, &["--force"]);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn bad_inputs_exit_2_with_a_clear_message() {
    let d = tmp("bad");
    let cases = [
        (
            tiny().replace("name = \"on\"", "name = \"off\""),
            "duplicate policy name",
        ),
        (
            tiny().replace("[experiment]", "[experiment]\nbaseline = \"nope\""),
            "not a policy",
        ),
        (
            tiny().replace(
                "mechanisms.grid.enabled\" = true",
                "mechanisms.grid.enabeld\" = true",
            ),
            "mechanisms.grid.enabeld",
        ),
        (
            tiny().replace("[0.01, 0.05]", "[]"),
            "sweep.init.seed_active_share",
        ),
        (
            tiny().replace("[0.01, 0.05]", "{ from = 0.0, to = 0.1, steps = 0 }"),
            "sweep.init.seed_active_share",
        ),
        (
            tiny().replace("record_every = 10", "record_every = 10\nmax_runs = 5"),
            "max_runs",
        ),
    ];
    for (text, needle) in cases {
        let s = scenario(&d, &text);
        let o = cogov(&[
            "experiment",
            s.to_str().unwrap(),
            "--out",
            d.join("o").to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{needle}: {err}");
        assert!(err.contains(needle), "expected {needle:?} in: {err}");
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn ctrl_c_keeps_finished_runs_and_resume_completes() {
    let d = tmp("ctrlc");
    let s = scenario(&d, &tiny().replace("replicates = 3", "replicates = 60"));
    let out = d.join("o");
    let child = common::bin()
        .args([
            "experiment",
            s.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-j",
            "1",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let marker = out.join("parts/000000.done");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !marker.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(marker.exists(), "no run finished");
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success(),
        "an interrupted experiment must fail: {err}"
    );
    assert!(err.contains("--resume"), "{err}");
    let m = manifest(&out);
    assert_eq!(m["complete"], false);
    let kept = m["runs_done"].as_u64().unwrap();
    assert!((1..240).contains(&kept), "{kept}");
    assert!(!out.join("runs.csv").exists());
    experiment(&s, &out, &["--resume", "-j", "2"]);
    assert_eq!(manifest(&out)["complete"], true);
    assert_eq!(
        std::fs::read_to_string(out.join("runs.csv"))
            .unwrap()
            .lines()
            .count(),
        241
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn latin_hypercube_design() {
    let d = tmp("lhs");
    let text = tiny()
        .replace(
            "record_every = 10",
            "record_every = 10\ndesign = \"latin_hypercube\"\nsamples = 4\nreplicates = 1",
        )
        .replace("replicates = 3\n", "")
        .replace("[0.01, 0.05]", "{ from = 0.0, to = 0.2 }");
    let s = scenario(&d, &text);
    let (a, b) = (d.join("a"), d.join("b"));
    experiment(&s, &a, &["-j", "2"]);
    experiment(&s, &b, &["-j", "1"]);
    same_outputs(&a, &b);
    let runs = std::fs::read_to_string(a.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 2 * 4);
    let mut strata: Vec<usize> = runs
        .lines()
        .skip(1)
        .take(4)
        .map(|l| (l.split(',').nth(2).unwrap().parse::<f64>().unwrap() / 0.05) as usize)
        .collect();
    strata.sort();
    assert_eq!(strata, vec![0, 1, 2, 3], "one point per stratum");
    let list = scenario(&d, &text.replace("{ from = 0.0, to = 0.2 }", "[0.1, 0.2]"));
    let o = cogov(&[
        "experiment",
        list.to_str().unwrap(),
        "--out",
        d.join("c").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&d).unwrap();
}
