//! `--format parquet` through the real binary on a tiny world: the same cells as CSV, files
//! independent of thread count, a SIGKILLed experiment leaves only complete files and
//! resumes to the same bytes, a resume in the other format redoes the runs, and `cogov
//! plot` draws the same figures from Parquet as from CSV. The scenario keeps the issue
//! and panel records, so they are checked as tables too.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use cogov::tables::{Format, parquet_format};
use common::{TINY_WORLD, cogov_ok, tmp};

const FINAL: &[&str] = &[
    "runs",
    "timeseries",
    "communities",
    "issues",
    "panel",
    "aggregate",
    "contrasts",
];

fn scenario(dir: &Path, replicates: u32) -> std::path::PathBuf {
    let text = [
        "name = \"pq\"\nticks = 40\n",
        TINY_WORLD,
        &format!(
            r#"[experiment]
replicates = {replicates}
seed = 3
record_every = 4
[[policy]]
name = "off"
[[policy]]
name = "on"
set = {{ "mechanisms.grid.enabled" = true, "mechanisms.online.enabled" = true }}
[sweep]
"init.seed_active_share" = [0.01, 0.05]
[plot]
metrics = ["active_share", "complaints"]
formats = ["svg"]
[output]
issues = true
panel = {{ sample = 20, every = 10 }}
"#
        ),
    ]
    .concat();
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
        "--no-plot",
    ];
    a.extend(extra);
    cogov_ok(&a);
}

/// CSV rows as text, header first.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A Parquet file's rows as the CSV text of their cells, header first.
fn parquet_rows(path: &Path) -> Vec<Vec<String>> {
    let t = parquet_format::read(path, None).unwrap();
    std::iter::once(t.names())
        .chain((0..t.rows()).map(|i| t.csv_record(i)))
        .collect()
}

fn same_files(a: &Path, b: &Path, names: &[&str], format: Format) {
    for n in names {
        let f = format.file_name(n);
        assert!(
            std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn run_and_experiment_hold_the_csv_cells_in_typed_columns() {
    let d = tmp("cells");
    let s = scenario(&d, 2);
    let s = s.to_str().unwrap();
    for fmt in ["csv", "parquet"] {
        let run = d.join(format!("run_{fmt}"));
        cogov_ok(&[
            "run",
            s,
            "--out",
            run.to_str().unwrap(),
            "--no-plot",
            "--format",
            fmt,
        ]);
        experiment(
            Path::new(s),
            &d.join(format!("exp_{fmt}")),
            &["--format", fmt],
        );
    }
    for (kind, names) in [
        (
            "run",
            &[
                "timeseries",
                "summary",
                "communities",
                "ledger",
                "issues",
                "panel",
            ][..],
        ),
        ("exp", FINAL),
    ] {
        let (c, p) = (
            d.join(format!("{kind}_csv")),
            d.join(format!("{kind}_parquet")),
        );
        for n in names {
            assert!(!p.join(format!("{n}.csv")).exists(), "{kind}: {n}.csv");
            assert_eq!(
                parquet_rows(&p.join(format!("{n}.parquet"))),
                csv_rows(&c.join(format!("{n}.csv"))),
                "{kind}/{n}"
            );
        }
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p.join("manifest.json")).unwrap())
                .unwrap();
        assert_eq!(m["format"], "parquet");
        let ts = m["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "timeseries")
            .unwrap();
        assert_eq!(ts["file"], "timeseries.parquet");
        let columns = ts["columns"].as_array().unwrap();
        let tick = columns.iter().find(|c| c["name"] == "tick").unwrap();
        assert_eq!(tick["type"], "int64", "{kind}");
        // A record's tick that never came is missing: an int64 column that may be null.
        let issues = m["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "issues")
            .unwrap();
        let funded = issues["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "funded")
            .unwrap();
        assert_eq!(
            (&funded["type"], &funded["nullable"]),
            (&serde_json::json!("int64"), &serde_json::json!(true)),
            "{kind}"
        );
    }
    // Some issue was never funded within 40 days: its tick is null in Parquet, NA in CSV.
    let issues = parquet_format::read(&d.join("run_parquet/issues.parquet"), None).unwrap();
    let funded = issues.column("funded").unwrap();
    assert!(
        (0..issues.rows()).any(|i| funded.cell(i) == "NA"),
        "no issue left unfunded"
    );
    let exp_issues =
        parquet_format::read(&d.join("exp_parquet/issues.parquet"), Some(&["run_id"])).unwrap();
    assert!(exp_issues.rows() > issues.rows(), "issues of every run");
    let runs = parquet_format::read(&d.join("exp_parquet/runs.parquet"), None).unwrap();
    let types: Vec<&str> = runs.schema().iter().take(6).map(|c| c.1).collect();
    assert_eq!(
        types,
        ["string", "string", "float64", "int64", "uint64", "float64"]
    );
    // Writing the other format replaces the tables, so a directory holds one version.
    let run = d.join("run_csv");
    cogov_ok(&[
        "run",
        s,
        "--out",
        run.to_str().unwrap(),
        "--no-plot",
        "--format",
        "parquet",
    ]);
    assert!(run.join("timeseries.parquet").exists() && !run.join("timeseries.csv").exists());
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn parquet_is_independent_of_threads_and_resumes_after_sigkill() {
    let d = tmp("kill");
    let s = scenario(&d, 6);
    let reference = d.join("reference");
    experiment(&s, &reference, &["--format", "parquet", "-j", "1"]);
    let two = d.join("two");
    experiment(&s, &two, &["--format", "parquet", "-j", "2"]);
    same_files(&reference, &two, FINAL, Format::Parquet);

    let out = d.join("killed");
    let mut child = common::bin()
        .args([
            "experiment",
            s.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--no-plot",
            "-j",
            "1",
            "--format",
            "parquet",
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let done = |o: &Path| {
        std::fs::read_dir(o.join("parts"))
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".done"))
                    .count()
            })
            .unwrap_or(0)
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    while done(&out) < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // Nothing under a final name is incomplete: no final table yet, every part readable.
    for n in FINAL {
        assert!(!out.join(format!("{n}.parquet")).exists(), "{n}");
    }
    for e in std::fs::read_dir(out.join("parts")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "parquet") {
            parquet_format::read(&p, None).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        }
    }
    experiment(&s, &out, &["--format", "parquet", "--resume", "-j", "2"]);
    same_files(&reference, &out, FINAL, Format::Parquet);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn resuming_in_the_other_format_redoes_the_runs() {
    let d = tmp("switch");
    let s = scenario(&d, 2);
    let out = d.join("o");
    experiment(&s, &out, &["-j", "2"]);
    let fresh = d.join("fresh");
    experiment(&s, &fresh, &["-j", "2", "--format", "parquet"]);
    experiment(&s, &out, &["-j", "2", "--format", "parquet", "--resume"]);
    same_files(&fresh, &out, FINAL, Format::Parquet);
    for n in FINAL {
        assert!(
            !out.join(format!("{n}.csv")).exists(),
            "{n}.csv left beside the Parquet"
        );
    }
    let parts: Vec<String> = std::fs::read_dir(out.join("parts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!parts.iter().any(|p| p.ends_with(".csv")), "{parts:?}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn plot_draws_the_same_figures_from_parquet() {
    let d = tmp("plot");
    let s = scenario(&d, 2);
    for fmt in ["csv", "parquet"] {
        experiment(&s, &d.join(fmt), &["--format", fmt, "-j", "2"]);
        cogov_ok(&["plot", d.join(fmt).to_str().unwrap()]);
    }
    let names = |dir: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(dir.join("figures"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let (c, p) = (d.join("csv"), d.join("parquet"));
    assert!(!names(&c).is_empty());
    assert!(
        names(&p).iter().any(|n| n.starts_with("issues_flow")),
        "{:?}",
        names(&p)
    );
    assert_eq!(names(&c), names(&p));
    for n in names(&c) {
        assert!(
            std::fs::read(c.join("figures").join(&n)).unwrap()
                == std::fs::read(p.join("figures").join(&n)).unwrap(),
            "{n}"
        );
    }
    std::fs::remove_dir_all(&d).unwrap();
}
