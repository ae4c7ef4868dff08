//! The process each linkage mechanism without a pattern of its own adds, measured against
//! the baseline: a small settled world (warm-up 365 days), 20 paired replicates (common
//! random numbers) through the real `cogov experiment`, asserting the sign of the mean
//! paired difference and that its 95% confidence interval excludes zero. Each asserted
//! metric is what the mechanism's process produces (detection by patrols, dispatch on the
//! platform, grants to organisations, shared care, one-window counters), computed by the
//! observer from agents and events. The patterns P1–P7 are in tests/patterns.rs.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{cogov, tmp};

const WORLD: &str = r#"ticks = 365
[init]
warmup = 365
[world]
residents = 4000
streets = 2
communities = 4
grids = 12
organisations = 12
social_workers = 8
property_companies = 4
businesses = 20
service_complexes = 1
department_staff = 40
"#;

/// The direction an effect must have.
#[derive(Clone, Copy, Debug)]
enum Sign {
    Up,
    Down,
}

/// Runs `text` as an experiment in a fresh directory and returns its output directory.
fn run_experiment(name: &str, text: &str) -> std::path::PathBuf {
    let dir = tmp(name);
    let scenario = dir.join("s.toml");
    std::fs::write(&scenario, text).unwrap();
    let out_dir = dir.join("out");
    let out = cogov(&[
        "experiment",
        scenario.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--no-plot",
        "-j",
        "2",
    ]);
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out_dir
}

/// Runs `text` as an experiment and returns its contrasts: (policy, metric) → (diff, lo, hi).
fn contrasts(name: &str, text: &str) -> HashMap<(String, String), (f64, f64, f64)> {
    read_contrasts(&run_experiment(name, text))
}

fn read_contrasts(dir: &Path) -> HashMap<(String, String), (f64, f64, f64)> {
    let mut rd = csv::Reader::from_path(dir.join("contrasts.csv")).unwrap();
    let headers = rd.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (p, m, d, lo, hi) = (
        col("policy"),
        col("metric"),
        col("mean_diff"),
        col("ci95_low"),
        col("ci95_high"),
    );
    let num = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            (
                (r[p].to_string(), r[m].to_string()),
                (num(&r[d]), num(&r[lo]), num(&r[hi])),
            )
        })
        .collect()
}

/// `key` on vs off (policy "on" vs "baseline"), with `extra` scenario text and optional
/// overrides for the "on" policy.
fn one_mechanism(key: &str, extra: &str, on_set: &str) -> String {
    format!(
        "name = \"{key}\"\n{WORLD}{extra}\n[mechanisms.{key}]\nenabled = true\n[experiment]\nreplicates = 20\nseed = 1\nbaseline = \"baseline\"\n\
         [[policy]]\nname = \"baseline\"\nset = {{ \"mechanisms.{key}.enabled\" = false }}\n[[policy]]\nname = \"on\"\n{on_set}\n"
    )
}

fn assert_effect(c: &HashMap<(String, String), (f64, f64, f64)>, metric: &str, sign: Sign) {
    let &(diff, lo, hi) = c
        .get(&("on".to_string(), metric.to_string()))
        .unwrap_or_else(|| panic!("no contrast for {metric}"));
    match sign {
        Sign::Up => assert!(
            diff > 0.0 && lo > 0.0,
            "{metric}: expected an increase, got {diff} [{lo}, {hi}]"
        ),
        Sign::Down => assert!(
            diff < 0.0 && hi < 0.0,
            "{metric}: expected a decrease, got {diff} [{lo}, {hi}]"
        ),
    }
}

fn check(key: &str, extra: &str, on_set: &str, effects: &[(&str, Sign)]) {
    let c = contrasts(key, &one_mechanism(key, extra, on_set));
    for &(metric, sign) in effects {
        assert_effect(&c, metric, sign);
    }
}

#[test]
fn grid_patrols_shorten_detection() {
    check("grid", "", "", &[("detection_days_mean_final", Sign::Down)]);
}

#[test]
fn platform_staff_shorten_resolution() {
    check(
        "platforms",
        "",
        "",
        &[("resolution_days_mean_final", Sign::Down)],
    );
}

#[test]
fn government_society_grants_found_and_fund_organisations() {
    check(
        "government_society",
        "",
        "",
        &[
            ("organisations_alive_final", Sign::Up),
            ("organisation_funds_final", Sign::Up),
            ("service_capacity_final", Sign::Up),
        ],
    );
}

#[test]
fn family_community_shares_elder_care() {
    check(
        "family_community",
        "",
        "",
        &[
            ("elder_care_coverage_mean", Sign::Up),
            ("resolution_days_mean_final", Sign::Down),
        ],
    );
}

#[test]
fn one_window_counters_cut_trips_and_waits() {
    check(
        "service_complex",
        "",
        "",
        &[
            ("service_trips_per_request_final", Sign::Down),
            ("service_wait_days_final", Sign::Down),
        ],
    );
}
