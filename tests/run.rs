//! Integration tests: the real binary on small scenarios.

mod common;

use common::{bin, tmp};
use std::path::Path;

const SMALL: &str = r#"
name = "small"
ticks = 120
[world]
residents = 3000
streets = 2
communities = 4
grids = 8
organisations = 8
social_workers = 4
property_companies = 2
businesses = 8
service_complexes = 1
[[projects]]
domain = "renovation"
start = 5
communities = [0]
[mechanisms.deliberation]
enabled = true
[mechanisms.party_masses]
enabled = true
"#;

fn run_small(dir: &Path, threads: &str) -> std::process::Output {
    let scenario = dir.join("small.toml");
    std::fs::write(&scenario, SMALL).unwrap();
    bin()
        .args([
            "run",
            scenario.to_str().unwrap(),
            "--no-plot",
            "--out",
            dir.join("out").to_str().unwrap(),
        ])
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap()
}

#[test]
fn run_writes_files_with_expected_columns() {
    let d = tmp("files");
    let out = run_small(&d, "2");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ts = std::fs::read_to_string(d.join("out/timeseries.csv")).unwrap();
    let header = ts.lines().next().unwrap();
    for col in [
        "tick",
        "active_share",
        "active_share_nonparty",
        "issues_open",
        "collective_petitions",
        "leverage",
        "satisfaction_gini_communities",
    ] {
        assert!(header.split(',').any(|c| c == col), "missing {col}");
    }
    assert_eq!(ts.lines().count(), 121);
    let summary = std::fs::read_to_string(d.join("out/summary.csv")).unwrap();
    assert!(
        summary
            .lines()
            .next()
            .unwrap()
            .contains("active_share_final,active_share_mean,active_share_party_final")
    );
    assert_eq!(
        std::fs::read_to_string(d.join("out/communities.csv"))
            .unwrap()
            .lines()
            .count(),
        5
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["scenario_name"], "small");
    assert_eq!(manifest["complete"], true);
}

#[test]
fn output_is_identical_across_thread_counts() {
    let (a, b) = (tmp("t1"), tmp("t2"));
    assert!(run_small(&a, "1").status.success());
    assert!(run_small(&b, "2").status.success());
    for f in ["timeseries.csv", "summary.csv", "communities.csv"] {
        let x = std::fs::read(a.join("out").join(f)).unwrap();
        let y = std::fs::read(b.join("out").join(f)).unwrap();
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
}

fn check_err(text: &str) -> (i32, String) {
    let d = tmp("bad");
    let p = d.join("bad.toml");
    std::fs::write(&p, text).unwrap();
    let out = bin().args(["check", p.to_str().unwrap()]).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_input_exits_2_with_location_and_key_path() {
    let cases = [
        ("[world\n", "syntax"),
        ("[world]\nresidentz = 5\n", "did you mean `residents`"),
        ("[world]\nresidents = \"many\"\n", "bad.toml:2:13"),
        ("[world]\nparty_share = 1.5\n", "world.party_share"),
        ("[world]\nyoung_share = 0.6\n", "sum to 1"),
        (
            "[mechanisms.onlin]\nenabled = true\n",
            "did you mean `online`",
        ),
        (
            "[mechanisms.government_enterprise]\nenabled = true\nmatchmaking_period = 0\n",
            "matchmaking_period",
        ),
        ("ticks = 0\n", "ticks"),
    ];
    for (text, fragment) in cases {
        let (code, err) = check_err(text);
        assert_eq!(code, 2, "{text:?}: {err}");
        assert!(
            err.contains(fragment),
            "{text:?}: expected {fragment:?} in {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    let out = bin()
        .args(["check", "/nonexistent/x.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/x.toml"));
}

#[test]
fn every_shipped_scenario_validates() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let patterns = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/patterns");
    let files: Vec<std::path::PathBuf> = [root, patterns]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    assert!(files.len() > 25, "{} scenario files", files.len());
    for p in files {
        let out = bin().args(["check", p.to_str().unwrap()]).output().unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            p.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(
            text.starts_with('#'),
            "{} must open with a comment stating its question",
            p.display()
        );
    }
}

/// `ledger.csv`: for every pool and recorded tick, balance = previous balance + inflows −
/// outflows to the cent, and every transfer out of one pool arrives in the other on the
/// same tick (MODEL.md §10, rule 2).
#[test]
fn the_ledger_balances_to_the_cent() {
    use std::collections::BTreeMap;
    let dir = tmp("ledger");
    let out = run_small(&dir, "2");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rd = csv::Reader::from_path(dir.join("out/ledger.csv")).unwrap();
    assert_eq!(
        rd.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "tick",
            "pool",
            "direction",
            "counterpart",
            "amount",
            "balance"
        ]
    );
    let cents = |s: &str| -> i64 {
        let (whole, frac) = s.split_once('.').expect("two decimals");
        assert_eq!(frac.len(), 2, "{s}");
        whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
    };
    // pool → (tick of its last row, balance then); per tick: transfers by (from, to).
    let mut last: BTreeMap<String, (u32, i64)> = BTreeMap::new();
    let mut net: BTreeMap<(u32, String), i64> = BTreeMap::new();
    let mut closing: BTreeMap<(u32, String), i64> = BTreeMap::new();
    let mut transfers: BTreeMap<(u32, String, String), i64> = BTreeMap::new();
    let pools: std::collections::BTreeSet<String> = rd
        .records()
        .map(|r| {
            let r = r.unwrap();
            let (tick, pool, dir, other) = (r[0].parse::<u32>().unwrap(), &r[1], &r[2], &r[3]);
            let (amount, balance) = (cents(&r[4]), cents(&r[5]));
            assert!(amount > 0 && balance >= 0, "{r:?}");
            let signed = if dir == "in" { amount } else { -amount };
            *net.entry((tick, pool.to_string())).or_default() += signed;
            closing.insert((tick, pool.to_string()), balance);
            let key = if dir == "out" {
                (tick, pool.to_string(), other.to_string())
            } else {
                (tick, other.to_string(), pool.to_string())
            };
            *transfers.entry(key).or_default() += signed.abs() * if dir == "out" { 1 } else { -1 };
            pool.to_string()
        })
        .collect();
    let mut rows = 0;
    for ((tick, pool), flow) in &net {
        let before = last.get(pool).map_or(0, |&(_, b)| b);
        let after = closing[&(*tick, pool.clone())];
        assert_eq!(before + flow, after, "{pool} on day {tick}");
        last.insert(pool.clone(), (*tick, after));
        rows += 1;
    }
    // Transfers between two pools: what left one arrived in the other.
    for ((tick, from, to), d) in &transfers {
        if pools.contains(from) && pools.contains(to) {
            assert_eq!(*d, 0, "{from} → {to} on day {tick}");
        }
    }
    assert!(
        rows > 100 && pools.len() > 5,
        "{rows} rows over {} pools",
        pools.len()
    );
}
