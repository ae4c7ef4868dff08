//! A sound world (MODEL.md §10, rules 3 and 4), through the real `cogov experiment`:
//!
//! * the baseline settles: with every mechanism off, after the shipped warm-up (730 days),
//!   the mean over the first 90 recorded days and over the last 90 differ by at most 0.03
//!   for every [0, 1] index and by at most 15% for per-resident rates and counts
//!   (replicates averaged, so the test speaks of the process, not of one seed's noise);
//! * scale invariance: two worlds with Shangcheng's proportions, one four times the other,
//!   give the same per-capita outcomes within the tolerances stated below.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{cogov, tmp};

/// A world with Shangcheng's proportions: `communities` communities of ~6,300 residents,
/// ~5 grids, 5 organisations, 3 social workers, ~1 property company, 10 businesses and
/// ~4.8 sunk staff each.
fn world(communities: u32) -> String {
    format!(
        "[world]\nresidents = {}\nstreets = 1\ncommunities = {communities}\ngrids = {}\n\
         organisations = {}\nsocial_workers = {}\nproperty_companies = {}\nbusinesses = {}\n\
         department_staff = {}\nservice_complexes = {}\n",
        6300 * communities,
        5 * communities,
        5 * communities,
        3 * communities,
        communities.div_ceil(1),
        10 * communities,
        (4.8 * communities as f64).round(),
        communities.div_ceil(5),
    )
}

/// Runs an experiment and returns its timeseries, averaged over runs: metric → per tick.
fn mean_series(name: &str, text: &str) -> BTreeMap<String, Vec<f64>> {
    let dir = tmp(name);
    let s = dir.join("s.toml");
    std::fs::write(&s, text).unwrap();
    let out = dir.join("out");
    let o = cogov(&[
        "experiment",
        s.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-plot",
        "-j",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    read_mean_series(&out.join("timeseries.csv"))
}

fn read_mean_series(path: &Path) -> BTreeMap<String, Vec<f64>> {
    let mut rd = csv::Reader::from_path(path).unwrap();
    let headers: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    let tick = headers.iter().position(|h| h == "tick").unwrap();
    let mut sums: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut counts: Vec<f64> = Vec::new();
    for r in rd.records() {
        let r = r.unwrap();
        let t: usize = r[tick].parse().unwrap();
        if counts.len() <= t {
            counts.resize(t + 1, 0.0);
        }
        counts[t] += 1.0;
        for (k, h) in headers.iter().enumerate().skip(tick + 1) {
            let v = sums.entry(h.clone()).or_default();
            if v.len() <= t {
                v.resize(t + 1, 0.0);
            }
            v[t] += r[k].parse::<f64>().unwrap_or(0.0);
        }
    }
    for v in sums.values_mut() {
        for (x, n) in v.iter_mut().zip(&counts) {
            *x /= n.max(1.0);
        }
    }
    sums
}

fn window(v: &[f64], from: usize, to: usize) -> f64 {
    v[from..to].iter().sum::<f64>() / (to - from) as f64
}

const INDICES: &[&str] = &[
    "active_share",
    "engagement_mean",
    "trust_institutional_mean",
    "trust_neighbour_mean",
    "satisfaction_mean",
    "grievance_mean",
    "bonding_capital",
    "bridging_capital",
    "linking_capital",
    "bridged_share",
];

/// Per-resident rates and counts (divided by residents where they scale with the world).
const RATES: &[&str] = &[
    "issues_open",
    "organisations_alive",
    "organisation_members",
    "complaints",
    "bonding_ties",
    "bridging_ties",
    "linking_ties",
];

/// Budgets are yearly, so the world has a yearly cycle: the horizon is three years and a
/// quarter, so that the first and the last 90 recorded days fall in the same quarter of
/// the budget year and the comparison measures drift, not season.
#[test]
fn the_baseline_settles_after_the_warm_up() {
    let text = format!(
        "name = \"settle\"\nticks = 1185\n[init]\nwarmup = 730\n{}\
         [experiment]\nreplicates = 8\nseed = 3\nrecord_every = 1\n",
        world(3)
    );
    let m = mean_series("settle", &text);
    let n = m[INDICES[0]].len();
    let (first, last) = (0..90, n - 90..n);
    let mut report = Vec::new();
    for &k in INDICES {
        let (a, b) = (
            window(&m[k], first.start, first.end),
            window(&m[k], last.start, last.end),
        );
        report.push(format!("{k}: {a:.4} → {b:.4}"));
        assert!(
            (b - a).abs() <= 0.03,
            "{k} drifts: {a} → {b}\n{}",
            report.join("\n")
        );
    }
    for &k in RATES {
        let (a, b) = (
            window(&m[k], first.start, first.end),
            window(&m[k], last.start, last.end),
        );
        report.push(format!("{k}: {a:.4} → {b:.4}"));
        assert!(
            (b - a).abs() <= 0.15 * a.abs().max(1e-9),
            "{k} drifts: {a} → {b}\n{}",
            report.join("\n")
        );
    }
    // Resolution days over each window's resolved issues.
    let days = |w: std::ops::Range<usize>| {
        window(&m["resolution_days_sum"], w.start, w.end)
            / window(&m["issues_resolved"], w.start, w.end)
    };
    let (a, b) = (days(first.clone()), days(last.clone()));
    assert!(
        (b - a).abs() <= 0.15 * a,
        "resolution days drift: {a} → {b}"
    );
    eprintln!("{}", report.join("\n"));
}

/// Per-run summaries of an experiment: one map per run, summary column → value.
fn runs(name: &str, text: &str) -> Vec<BTreeMap<String, f64>> {
    let dir = tmp(name);
    let s = dir.join("s.toml");
    std::fs::write(&s, text).unwrap();
    let out = dir.join("out");
    let o = cogov(&[
        "experiment",
        s.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-plot",
        "-j",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut rd = csv::Reader::from_path(out.join("runs.csv")).unwrap();
    let headers: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .filter_map(|(h, v)| Some((h.clone(), v.parse::<f64>().ok()?)))
                .collect()
        })
        .collect()
}

/// Per-capita outcomes of a run: name → value.
fn per_capita(r: &BTreeMap<String, f64>) -> Vec<(&'static str, f64)> {
    let residents = r["residents_final"];
    let years = 3.0;
    vec![
        ("active share", r["active_share_mean"]),
        ("institutional trust", r["trust_institutional_mean_mean"]),
        ("satisfaction", r["satisfaction_mean_mean"]),
        ("resolution days", r["resolution_days_mean_final"]),
        (
            "issues resolved per 1,000 a year",
            r["issues_resolved_total"] / residents * 1000.0 / years,
        ),
        ("leverage", r["leverage_final"]),
        (
            "public spending per resident a year",
            r["public_spending_total"] / residents / years,
        ),
    ]
}

/// Two worlds with Shangcheng's proportions, 12,600 and 50,400 residents, all mechanisms
/// on: per-capita outcomes agree within 0.03 for shares and indices and within 15% for
/// days, rates, leverage and money (money is per resident; capacities per resident).
#[test]
fn per_capita_outcomes_do_not_depend_on_the_size_of_the_world() {
    let mut mechanisms = String::new();
    for key in cogov::scenario::mechanisms::KEYS {
        mechanisms += &format!("[mechanisms.{key}]\nenabled = true\n");
    }
    let text = |communities: u32, replicates: u32| {
        format!(
            "name = \"scale\"\nticks = 1095\n[init]\nwarmup = 730\n{}{mechanisms}\
             [experiment]\nreplicates = {replicates}\nseed = 9\nrecord_every = 30\n",
            world(communities)
        )
    };
    let mean = |rs: &[BTreeMap<String, f64>]| -> Vec<(&'static str, f64)> {
        let all: Vec<Vec<(&str, f64)>> = rs.iter().map(per_capita).collect();
        (0..all[0].len())
            .map(|k| {
                (
                    all[0][k].0,
                    all.iter().map(|v| v[k].1).sum::<f64>() / all.len() as f64,
                )
            })
            .collect()
    };
    let small = mean(&runs("scale_small", &text(2, 8)));
    let large = mean(&runs("scale_large", &text(8, 2)));
    let mut report = Vec::new();
    for ((name, a), (_, b)) in small.iter().zip(&large) {
        report.push(format!("{name}: {a:.4} vs {b:.4}"));
    }
    for (k, ((name, a), (_, b))) in small.iter().zip(&large).enumerate() {
        let ok = if k < 3 {
            (a - b).abs() <= 0.03
        } else {
            (a - b).abs() <= 0.15 * a.abs().max(b.abs())
        };
        assert!(ok, "{name}: {a} vs {b}\n{}", report.join("\n"));
    }
    eprintln!("{}", report.join("\n"));
}
