//! Factorial experiments over switches through the real binary on a tiny world: common
//! random numbers across cells, shards merged byte-identical to one machine, resume, the
//! effects and attribution files and their figures, and a resolution-V fraction.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{EXPERIMENT_FILES, TINY_WORLD, cogov, cogov_ok, tmp};

fn scenario(dir: &Path, experiment: &str) -> PathBuf {
    let text = [
        "name = \"fact\"\nticks = 30\n[init]\nwarmup = 5\n",
        TINY_WORLD,
        experiment,
        "[plot]\nmetrics = [\"active_share\", \"complaints\"]\nformats = [\"svg\"]\n",
    ]
    .concat();
    let p = dir.join("s.toml");
    std::fs::write(&p, text).unwrap();
    p
}

fn ok(args: &[&str]) -> String {
    String::from_utf8_lossy(&cogov_ok(args).stderr).into_owned()
}

fn experiment(s: &Path, out: &Path, extra: &[&str]) -> String {
    let mut a = vec![
        "experiment",
        s.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    a.extend(extra);
    ok(&a)
}

const FULL: &str = "[experiment]\nreplicates = 3\nseed = 9\nrecord_every = 10\nswitches = [\"grid\", \"party_masses\", \"online\", \"linkage.action\"]\norder = 3\n";

fn files() -> Vec<&'static str> {
    let mut f = EXPERIMENT_FILES.to_vec();
    f.extend(["effects.csv", "attribution.csv"]);
    f
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_full_factorial_shards_merges_and_resumes_to_the_same_bytes() {
    let d = tmp("full");
    let s = scenario(&d, FULL);
    let (one, merged) = (d.join("one"), d.join("merged"));
    experiment(&s, &one, &["-j", "2"]);
    let shards: Vec<PathBuf> = (1..=3).map(|i| d.join(format!("s{i}"))).collect();
    for (i, dir) in shards.iter().enumerate() {
        experiment(
            &s,
            dir,
            &["--shard", &format!("{}/3", i + 1), "-j", "1", "--no-plot"],
        );
    }
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(|p| p.to_str().unwrap()));
    args.extend(["--out", merged.to_str().unwrap(), "--no-plot"]);
    ok(&args);
    for f in files() {
        assert!(
            std::fs::read(one.join(f)).unwrap() == std::fs::read(merged.join(f)).unwrap(),
            "{f} differs between one machine and merged shards"
        );
    }
    // Resume after losing two runs gives the same bytes again.
    let effects = std::fs::read(one.join("effects.csv")).unwrap();
    for id in ["000003", "000017"] {
        std::fs::remove_file(one.join("parts").join(format!("{id}.done"))).unwrap();
    }
    let err = experiment(&s, &one, &["-j", "2", "--resume", "--no-plot"]);
    assert!(err.contains("46 runs reused"), "{err}");
    assert_eq!(std::fs::read(one.join("effects.csv")).unwrap(), effects);

    // Cells in design order, the first switch slowest; replicate r has one seed everywhere.
    let runs = lines(&one.join("runs.csv"));
    let head: Vec<&str> = runs[0].split(',').collect();
    assert_eq!(
        &head[..6],
        [
            "run_id",
            "policy",
            "mechanisms.grid.enabled",
            "mechanisms.party_masses.enabled",
            "mechanisms.online.enabled",
            "linkage.action"
        ]
    );
    assert_eq!(runs.len(), 1 + 16 * 3);
    let mut seeds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, row) in runs[1..].iter().enumerate() {
        let f: Vec<&str> = row.split(',').collect();
        let cell = k / 3;
        let bits: String = f[2..6]
            .iter()
            .map(|v| if *v == "true" { '1' } else { '0' })
            .collect();
        assert_eq!(bits, format!("{cell:04b}"), "cell {cell}");
        seeds
            .entry(f[6].to_string())
            .or_default()
            .push(f[7].to_string());
    }
    assert_eq!(seeds.len(), 3);
    for (rep, s) in &seeds {
        assert_eq!(s.len(), 16);
        assert!(s.iter().all(|x| x == &s[0]), "replicate {rep}: seeds {s:?}");
    }

    // effects.csv: a header comment saying what the numbers mean, then every effect up to
    // order 3 for every summary column; attribution.csv: every switch.
    let eff = lines(&one.join("effects.csv"));
    let comments = eff.iter().take_while(|l| l.starts_with('#')).count();
    assert!(comments >= 5 && eff[0].contains("effects.csv"));
    assert!(eff[..comments].iter().any(|l| l.contains("difference")));
    assert_eq!(
        eff[comments],
        "outcome,effect,order,n,estimate,ci95_low,ci95_high,variance_share,aliases"
    );
    let rows = &eff[comments + 1..];
    let outcomes = rows
        .iter()
        .map(|r| r.split(',').next().unwrap())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    assert_eq!(rows.len(), outcomes * (4 + 6 + 4));
    assert!(
        rows.iter()
            .any(|r| r.starts_with("active_share_final,grid:online,2,3,"))
    );
    let att = lines(&one.join("attribution.csv"));
    let comments = att.iter().take_while(|l| l.starts_with('#')).count();
    assert!(att[..comments].iter().any(|l| l.contains("Shapley")));
    assert_eq!(att.len() - comments - 1, outcomes * 4);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(one.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["factorial"]["cells"], 16);
    assert_eq!(m["factorial"]["full"], true);
    assert!(
        m["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "attribution.csv")
    );

    // Figures from the CSVs: heatmaps, Shapley bars, main effects, and the report section.
    for f in [
        "interactions_active_share_final.svg",
        "interactions_complaints_total.svg",
        "shapley.svg",
        "main_effects.svg",
    ] {
        assert!(one.join("figures").join(f).exists(), "{f}");
    }
    let html = std::fs::read_to_string(one.join("report.html")).unwrap();
    assert!(
        html.contains("Factorial effects") && html.contains("<td><code>party_masses</code></td>")
    );
    std::fs::remove_dir_all(&d).unwrap();
}

/// Every file under `dir` (recursively) by its path relative to `dir`, with its bytes;
/// in `manifest.json` the provenance's clock and memory readings are blanked, since they
/// measure the process, not the results.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            let mut bytes = std::fs::read(&path).unwrap();
            if name == "manifest.json" {
                let mut m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                for k in ["started", "wall_seconds", "peak_rss_bytes"] {
                    m["provenance"][k] = serde_json::Value::Null;
                }
                bytes = serde_json::to_vec_pretty(&m).unwrap();
            }
            all.insert(name, bytes);
        }
    }
    all
}

/// Sharing warm-ups changes no output: a factorial over mechanisms and a linkage
/// ingredient, with a change during the run, writes the same files with the warm-ups
/// shared and with every run's simulated afresh. Residents complain during the warm-up,
/// so a copy that lost the observer's 30-day window would show.
#[test]
fn shared_warm_ups_write_the_same_files_as_fresh_ones() {
    let d = tmp("warmups");
    let text = [
        "name = \"shared\"\nticks = 40\n[init]\nwarmup = 30\ngrievance = \"beta(4, 6)\"\n",
        TINY_WORLD,
        "[experiment]\nreplicates = 2\nseed = 5\nrecord_every = 7\n",
        "switches = [\"grid\", \"party_masses\", \"online\", \"linkage.ties\"]\n",
        "[[change]]\nday = 12\nset = { \"mechanisms.platforms.enabled\" = true }\n",
    ]
    .concat();
    let s = d.join("s.toml");
    std::fs::write(&s, text).unwrap();
    let (shared, fresh) = (d.join("shared"), d.join("fresh"));
    let said = experiment(&s, &shared, &["-j", "2", "--no-plot"]);
    // The warm-ups were shared: fewer simulated than runs (one per seed, or a few more
    // when two workers start the same seed at once).
    let n: usize = said
        .split(" warm-up")
        .next()
        .and_then(|l| l.rsplit('\n').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count of warm-ups in: {said}"));
    assert!(said.contains("simulated for 32 runs"), "{said}");
    assert!((2..16).contains(&n), "{n} warm-ups for 32 runs");
    let said = experiment(&s, &fresh, &["-j", "2", "--no-plot", "--fresh-warmups"]);
    assert!(!said.contains("warm-up"), "{said}");
    let (a, b) = (outputs(&shared), outputs(&fresh));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    assert!(a.contains_key("effects.csv") && a.contains_key("parts/000031.timeseries.csv"));
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs with shared warm-ups");
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_resolution_v_fraction_lists_its_aliases_and_has_no_shapley_values() {
    let d = tmp("fraction");
    let s = scenario(
        &d,
        "[experiment]\nreplicates = 2\nseed = 3\nrecord_every = 10\nswitches = [\"grid\", \"party_masses\", \"online\", \"platforms\", \"deliberation\", \"three_society\"]\ncells = 32\n",
    );
    let out = d.join("out");
    experiment(&s, &out, &["-j", "2"]);
    let runs = lines(&out.join("runs.csv"));
    assert_eq!(runs.len(), 1 + 32 * 2);
    assert!(!out.join("attribution.csv").exists());
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["factorial"]["full"], false);
    assert!(m["factorial"]["resolution"].as_u64().unwrap() >= 5);
    let eff = std::fs::read_to_string(out.join("effects.csv")).unwrap();
    assert!(eff.contains("regular 2^(6-1) fraction") && eff.contains("generators"));
    // Two-factor interactions are aliased only with higher orders (none of order ≤ 3 in a
    // resolution-VI half fraction); no effect beyond order 2 is reported.
    for row in eff.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = row.split(',').collect();
        assert!(f[2] == "1" || f[2] == "2", "{row}");
    }
    assert!(!out.join("figures/shapley.svg").exists());
    assert!(out.join("figures/main_effects.svg").exists());
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn the_shipped_factorial_scenarios_are_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["ties_and_action.toml", "synergy.toml"] {
        let p = root.join("scenarios").join(name);
        ok(&["check", p.to_str().unwrap()]);
    }
}

/// The tutorial's `my_factorial` block, on the tiny world over 30 days, runs the number of
/// runs the text says and writes the files it names.
#[test]
fn the_tutorial_factorial_runs_as_described() {
    let tutorial = include_str!("../docs/tutorial.md");
    let block = tutorial
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or(""))
        .find(|b| b.contains("name = \"my_factorial\""))
        .expect("a my_factorial block");
    let mut doc: toml_edit::DocumentMut = block.parse().unwrap();
    let tiny: toml_edit::DocumentMut = TINY_WORLD.parse().unwrap();
    doc["world"] = tiny["world"].clone();
    doc["ticks"] = toml_edit::value(30);
    let d = tmp("tutorial");
    let s = d.join("my_factorial.toml");
    std::fs::write(&s, doc.to_string()).unwrap();
    let claim = "`cogov experiment my_factorial.toml -j 2` runs ";
    let at = tutorial.find(claim).expect("the run count") + claim.len();
    let n: usize = tutorial[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let out = d.join("out");
    experiment(&s, &out, &["-j", "2"]);
    assert_eq!(lines(&out.join("runs.csv")).len() - 1, n);
    for f in ["effects.csv", "attribution.csv", "figures/shapley.svg"] {
        assert!(out.join(f).exists(), "{f}");
    }
    assert!(
        out.join("figures/interactions_detection_days_mean_final.svg")
            .exists()
    );
    std::fs::remove_dir_all(&d).unwrap();
}

/// `cogov verify factorial` through the binary: every check passes, and a run count that
/// leaves no interval is refused as bad input.
#[test]
fn the_verify_case_passes_and_refuses_one_replicate() {
    let o = cogov(&["verify", "factorial", "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(v["case"], "factorial");
    assert_eq!(v["pass"], true);
    assert_eq!(v["checks"].as_array().unwrap().len(), 8);
    let o = cogov(&["verify", "factorial", "--runs", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--runs"));
}
