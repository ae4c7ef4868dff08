//! Outputs a paper can use, through the real binary: provenance fixed at build time, runs
//! and experiments kept apart, the codebook beside every output, issue and resident
//! records, and the command-line edges (--set, --policy, warnings, resume, progress, parts).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TINY_WORLD, bin, cogov, tmp};

/// A scenario on the tiny world: `body`'s top-level keys go before `[world]`, its sections
/// after.
fn scenario(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(format!("{name}.toml"));
    let split = body.find("\n[").map_or(body.len(), |i| i + 1);
    let split = if body.starts_with('[') { 0 } else { split };
    let (top, sections) = body.split_at(split);
    std::fs::write(
        &p,
        format!("name = \"{name}\"\n{top}\n{TINY_WORLD}{sections}"),
    )
    .unwrap();
    p
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

fn csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = ::csv::Reader::from_path(path).unwrap();
    let head = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (head, rows)
}

fn col(head: &[String], name: &str) -> usize {
    head.iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn provenance_is_cogovs_own_build_not_the_working_directory() {
    let dir = tmp("provenance");
    // A paper's own repository, from which the user runs cogov.
    let paper = dir.join("paper");
    std::fs::create_dir_all(&paper).unwrap();
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&paper)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    let have_git = git(&["init", "-q"])
        && git(&[
            "-c",
            "user.email=a@b",
            "-c",
            "user.name=a",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "x",
        ]);
    let s = scenario(&dir, "prov", "ticks = 10\n[plot]\nformats = [\"svg\"]\n");
    let out_dir = dir.join("out");
    let out = bin()
        .args([
            "run",
            s.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .current_dir(&paper)
        .output()
        .unwrap();
    ok(&out);
    let m = manifest(&out_dir);
    let p = &m["provenance"];
    assert_eq!(
        p["cogov_commit"],
        env!("COGOV_GIT_COMMIT"),
        "the commit cogov was built from"
    );
    if have_git {
        let head = Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(&paper)
            .output()
            .unwrap();
        let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
        assert_ne!(
            p["cogov_commit"],
            serde_json::json!(head),
            "not the paper's commit"
        );
    }
    assert!(m.get("git_commit").is_none());
    assert_eq!(p["cogov_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(p["scenario_hash"], m["scenario_hash"]);
    assert_eq!(p["seed"], m["seed"]);
    assert!(p["host_cores"].as_u64().unwrap() >= 1);
    assert!(p["wall_seconds"].as_f64().unwrap() >= 0.0);
    assert!(p["peak_rss_bytes"].as_u64().unwrap() > 0);
    let started = p["started"].as_str().unwrap();
    assert!(started.ends_with('Z') && started.len() == 20, "{started}");
    // report.html shows the same block.
    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    let block = html.split("id=provenance").nth(1).unwrap();
    for v in [
        p["cogov_commit"].as_str().unwrap(),
        p["scenario_hash"].as_str().unwrap(),
        started,
    ] {
        assert!(block.contains(v), "report lacks {v}");
    }
}

#[test]
fn runs_and_experiments_never_share_a_directory() {
    let dir = tmp("kinds");
    let s = scenario(
        &dir,
        "kinds",
        "ticks = 10\n[experiment]\nreplicates = 2\n[[policy]]\nname = \"off\"\n[[policy]]\nname = \"grid\"\nset = { \"mechanisms.grid.enabled\" = true }\n",
    );
    let s = s.to_str().unwrap();
    let exp = dir.join("exp");
    ok(&cogov(&[
        "experiment",
        s,
        "--out",
        exp.to_str().unwrap(),
        "--no-plot",
    ]));
    let before = std::fs::read(exp.join("timeseries.csv")).unwrap();
    let out = cogov(&["run", s, "--out", exp.to_str().unwrap(), "--no-plot"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds the results of an experiment")
            && err.contains("--out")
            && err.contains("remove"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(exp.join("timeseries.csv")).unwrap(),
        before,
        "nothing written"
    );
    // Also with --force: a run never replaces an experiment.
    assert_eq!(
        cogov(&[
            "run",
            s,
            "--out",
            exp.to_str().unwrap(),
            "--no-plot",
            "--force"
        ])
        .status
        .code(),
        Some(2)
    );
    let run = dir.join("run");
    ok(&cogov(&[
        "run",
        s,
        "--out",
        run.to_str().unwrap(),
        "--no-plot",
    ]));
    let out = cogov(&["experiment", s, "--out", run.to_str().unwrap(), "--no-plot"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("holds the results of a single run"), "{err}");
    assert!(!run.join("runs.csv").exists() && !run.join("parts").exists());
    assert_eq!(manifest(&run)["kind"], "run");
    assert_eq!(manifest(&exp)["kind"], "experiment");
}

#[test]
fn the_codebook_sits_beside_every_output_and_in_the_odd() {
    let dir = tmp("codebook");
    let s = scenario(&dir, "cb", "ticks = 10\n[experiment]\nreplicates = 2\n");
    let s = s.to_str().unwrap();
    let run = dir.join("run");
    let exp = dir.join("exp");
    ok(&cogov(&[
        "run",
        s,
        "--out",
        run.to_str().unwrap(),
        "--no-plot",
    ]));
    ok(&cogov(&[
        "experiment",
        s,
        "--out",
        exp.to_str().unwrap(),
        "--no-plot",
    ]));
    let (head, rows) = csv(&run.join("metrics.csv"));
    assert_eq!(
        head,
        [
            "name",
            "table",
            "unit",
            "kind",
            "basis",
            "min",
            "max",
            "definition"
        ]
    );
    assert_eq!(
        std::fs::read(exp.join("metrics.csv")).unwrap(),
        std::fs::read(run.join("metrics.csv")).unwrap()
    );
    // Every column of timeseries.csv and summary.csv is in it, with a definition and range.
    let (ts_head, _) = csv(&run.join("timeseries.csv"));
    let (sum_head, _) = csv(&run.join("summary.csv"));
    for c in ts_head.iter().skip(1).chain(&sum_head) {
        let row = rows
            .iter()
            .find(|r| &r[0] == c)
            .unwrap_or_else(|| panic!("{c} not in the codebook"));
        assert!(
            !row[7].is_empty() && !row[5].is_empty() && !row[6].is_empty(),
            "{row:?}"
        );
    }
    // Summaries mean something: totals of flows only; finals and means of stocks.
    for r in rows.iter().filter(|r| r[1] == "summary") {
        match r[3].as_str() {
            "flow" => assert!(r[0].ends_with("_total"), "{r:?}"),
            "stock" => assert!(r[0].ends_with("_final") || r[0].ends_with("_mean"), "{r:?}"),
            k => panic!("kind {k}"),
        }
    }
    let detection = rows.iter().find(|r| r[0] == "detection_days_mean").unwrap();
    assert_eq!(
        detection[4],
        "cumulative over the recorded days (after the warm-up)"
    );
    // runs.csv carries the same summary columns, in the same order.
    let (runs_head, _) = csv(&exp.join("runs.csv"));
    assert!(runs_head.ends_with(&sum_head));
    // The ODD holds the same table.
    let odd = cogov(&["odd"]);
    let odd = String::from_utf8_lossy(&odd.stdout);
    for r in &rows {
        assert!(
            odd.contains(&format!("| `{}` | {} | {} | {} |", r[0], r[1], r[2], r[3])),
            "{r:?}"
        );
    }
}

#[test]
fn issues_csv_records_each_issue_and_agrees_with_the_totals() {
    let dir = tmp("issues");
    let body = "ticks = 90\n[init]\nwarmup = 20\n[mechanisms.grid]\nenabled = true\n";
    let with = scenario(
        &dir,
        "iss",
        &format!("{body}[output]\nissues = true\npanel = {{ sample = 25, every = 10 }}\n"),
    );
    let without = scenario(&dir, "iss_plain", body);
    let (a, b) = (dir.join("with"), dir.join("without"));
    ok(&cogov(&[
        "run",
        with.to_str().unwrap(),
        "--out",
        a.to_str().unwrap(),
        "--no-plot",
    ]));
    ok(&cogov(&[
        "run",
        without.to_str().unwrap(),
        "--out",
        b.to_str().unwrap(),
        "--no-plot",
    ]));
    // Recording does not change the run.
    assert_eq!(
        std::fs::read(a.join("timeseries.csv")).unwrap(),
        std::fs::read(b.join("timeseries.csv")).unwrap()
    );
    assert!(!b.join("issues.csv").exists() && !b.join("panel.csv").exists());
    let (head, rows) = csv(&a.join("issues.csv"));
    assert!(rows.len() > 10, "{} issues", rows.len());
    let (sh, sr) = csv(&a.join("summary.csv"));
    let total = |c: &str| sr[0][col(&sh, c)].parse::<f64>().unwrap() as usize;
    let outcome = col(&head, "outcome");
    let count = |o: &str| rows.iter().filter(|r| r[outcome] == o).count();
    assert_eq!(count("resolved"), total("issues_resolved_total"));
    assert_eq!(count("failed"), total("issues_failed_total"));
    assert_eq!(count("open"), total("issues_open_final"));
    // Stage ticks in order; handlers named where routed.
    let t = |r: &Vec<String>, c: &str| r[col(&head, c)].parse::<i64>().ok();
    let mut ids = std::collections::BTreeSet::new();
    for r in &rows {
        assert!(
            ids.insert(r[col(&head, "issue")].clone()),
            "issue ids are unique"
        );
        let arose = t(r, "arose").unwrap();
        let mut last = arose;
        for stage in ["detected", "routed", "taken", "funded"] {
            if let Some(x) = t(r, stage) {
                assert!(x >= last, "{stage} before an earlier stage: {r:?}");
                last = x;
            }
        }
        if let Some(c) = t(r, "closed") {
            assert!(c >= last && c >= 0, "{r:?}");
        }
        assert_eq!(
            t(r, "routed").is_some(),
            r[col(&head, "routed_to")] != "NA",
            "{r:?}"
        );
        assert_eq!(r[outcome] == "open", t(r, "closed").is_none());
    }
    // The panel: the same sample every 10th day, from day 0.
    let (ph, pr) = csv(&a.join("panel.csv"));
    let days: std::collections::BTreeSet<i64> = pr
        .iter()
        .map(|r| r[col(&ph, "tick")].parse().unwrap())
        .collect();
    assert_eq!(
        days.into_iter().collect::<Vec<_>>(),
        (0..9).map(|k| 10 * k).collect::<Vec<_>>()
    );
    assert_eq!(pr.len(), 25 * 9);
    let first: Vec<&String> = pr
        .iter()
        .take(25)
        .map(|r| &r[col(&ph, "resident")])
        .collect();
    let last: Vec<&String> = pr
        .iter()
        .skip(25 * 8)
        .map(|r| &r[col(&ph, "resident")])
        .collect();
    assert_eq!(first, last);
    // An experiment gathers every run's records, keyed by run_id, and draws the pipeline.
    let e = scenario(
        &dir,
        "isx",
        &format!(
            "{body}[output]\nissues = true\n[experiment]\nreplicates = 2\n[[policy]]\nname = \"off\"\n[[policy]]\nname = \"grid\"\nset = {{ \"mechanisms.grid.enabled\" = true }}\n[plot]\nformats = [\"svg\"]\n"
        ),
    );
    let x = dir.join("exp");
    ok(&cogov(&[
        "experiment",
        e.to_str().unwrap(),
        "--out",
        x.to_str().unwrap(),
        "-j",
        "2",
    ]));
    let (xh, xr) = csv(&x.join("issues.csv"));
    assert_eq!(xh[0], "run_id");
    let run_ids: std::collections::BTreeSet<&String> = xr.iter().map(|r| &r[0]).collect();
    assert_eq!(run_ids.len(), 4);
    let flow = std::fs::read_to_string(x.join("figures/issues_flow.svg")).unwrap();
    let resolved = xr
        .iter()
        .filter(|r| r[col(&xh, "outcome")] == "resolved")
        .count();
    assert!(resolved > 0);
    // Each policy's panel shows its issue count; together they are every row.
    let per_policy: usize = ["off", "grid"]
        .iter()
        .map(|p| {
            let text = flow
                .split(&format!("{p}: "))
                .nth(1)
                .unwrap_or_else(|| panic!("{p} panel"));
            text.split(" issues")
                .next()
                .unwrap()
                .trim()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(per_policy, xr.len());
    // At a single-column width no label leaves the figure or sits on another.
    ok(&cogov(&[
        "plot",
        x.to_str().unwrap(),
        "--width",
        "3.5",
        "--formats",
        "svg",
    ]));
    let flow = std::fs::read_to_string(x.join("figures/issues_flow.svg")).unwrap();
    common::svg::assert_texts_inside(&flow, "issues_flow");
    let t = common::svg::texts(&flow);
    for (i, a) in t.iter().enumerate() {
        for b in &t[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
}

#[test]
fn run_takes_set_and_policy() {
    let dir = tmp("set");
    let s = scenario(
        &dir,
        "setp",
        "ticks = 10\n[[policy]]\nname = \"grid\"\nset = { \"mechanisms.grid.enabled\" = true }\n",
    );
    let s = s.to_str().unwrap();
    let out = dir.join("a");
    ok(&cogov(&[
        "run",
        s,
        "--out",
        out.to_str().unwrap(),
        "--no-plot",
        "--set",
        "ticks=15",
        "--set",
        "world.organisations=3",
        "--policy",
        "grid",
    ]));
    let m = manifest(&out);
    assert_eq!(m["ticks"], 15);
    assert_eq!(m["scenario"]["world"]["organisations"], 3);
    assert_eq!(m["scenario"]["mechanisms"]["grid"]["enabled"], true);
    for (args, needle) in [
        (vec!["--set", "world.residentz=5"], "world.residents"),
        (vec!["--set", "world.party_share=2"], "world.party_share"),
        (vec!["--set", "noequals"], "KEY=VALUE"),
        (vec!["--policy", "nope"], "grid"),
    ] {
        let mut a = vec!["run", s, "--out", out.to_str().unwrap(), "--no-plot"];
        a.extend(args.iter().copied());
        let o = cogov(&a);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn experiments_warn_round_resume_and_drop_parts() {
    let dir = tmp("edges");
    let s = scenario(
        &dir,
        "edges",
        "ticks = 10\n[experiment]\nreplicates = 1\n[[policy]]\nname = \"off\"\n[[policy]]\nname = \"grid\"\nset = { \"mechanisms.grid.enabled\" = true }\n[sweep]\n\"world.organisations\" = { from = 2, to = 3, steps = 3 }\n",
    );
    let s = s.to_str().unwrap();
    let out = dir.join("o");
    let o = bin()
        .args([
            "experiment",
            s,
            "--out",
            out.to_str().unwrap(),
            "--no-plot",
            "-j",
            "2",
        ])
        .env("COGOV_PROGRESS_SECONDS", "0")
        .output()
        .unwrap();
    let err = ok(&o);
    assert!(err.contains("warning: 1 replicate per policy"), "{err}");
    // The integer range is rounded, with the place in the file.
    assert!(
        err.contains("edges.toml:")
            && err.contains("`world.organisations` takes whole numbers")
            && err.contains("2, 3"),
        "{err}"
    );
    // Progress lines for a log, ending at 100%.
    assert!(err.contains("runs 4/4, 100%"), "{err}");
    // A12 from a single pair is NA.
    let (h, rows) = csv(&out.join("contrasts.csv"));
    assert!(rows.iter().all(|r| r[col(&h, "a12")] == "NA"));
    let (rh, rr) = csv(&out.join("runs.csv"));
    let orgs: std::collections::BTreeSet<&str> = rr
        .iter()
        .map(|r| r[col(&rh, "world.organisations")].as_str())
        .collect();
    assert_eq!(orgs.into_iter().collect::<Vec<_>>(), ["2", "3"]);
    // --resume says what it reused.
    let err = ok(&cogov(&[
        "experiment",
        s,
        "--out",
        out.to_str().unwrap(),
        "--no-plot",
        "--resume",
    ]));
    assert!(err.contains("resumed: 4 runs reused"), "{err}");
    // --keep-parts=false drops parts/ of a complete experiment, keeping the final files.
    ok(&cogov(&[
        "experiment",
        s,
        "--out",
        out.to_str().unwrap(),
        "--no-plot",
        "--resume",
        "--keep-parts=false",
    ]));
    assert!(!out.join("parts").exists());
    for f in common::EXPERIMENT_FILES {
        assert!(out.join(f).exists(), "{f}");
    }
}

/// Every string literal in the sources, with its file.
fn string_literals() -> Vec<(PathBuf, String)> {
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut lits = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let c: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < c.len() {
            match c[i] {
                '/' if c.get(i + 1) == Some(&'/') => {
                    while i < c.len() && c[i] != '\n' {
                        i += 1;
                    }
                }
                '\'' => {
                    // A char literal ('"', '\'', 'x'); otherwise a lifetime.
                    if c.get(i + 1) == Some(&'\\') && c.get(i + 3) == Some(&'\'') {
                        i += 4;
                    } else if c.get(i + 2) == Some(&'\'') {
                        i += 3;
                    } else {
                        i += 1;
                    }
                }
                '"' => {
                    let raw = i > 0 && (c[i - 1] == 'r' || c[i - 1] == '#');
                    let mut j = i + 1;
                    let mut s = String::new();
                    while j < c.len() && c[j] != '"' {
                        if c[j] == '\\' && !raw {
                            s.push(c[j]);
                            j += 1;
                        }
                        s.push(c[j]);
                        j += 1;
                    }
                    lits.push((f.clone(), s));
                    i = j + 1;
                }
                _ => i += 1,
            }
        }
    }
    lits
}

#[test]
fn no_message_names_an_internal_code_path() {
    let lits = string_literals();
    assert!(lits.len() > 500, "the scanner finds the literals");
    for (f, s) in &lits {
        assert!(!s.contains("crate::"), "{}: \"{s}\"", f.display());
    }
}
