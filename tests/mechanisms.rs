//! Each linkage mechanism's effect, in the direction the book claims, against the baseline:
//! a small world, 20 paired replicates (common random numbers) through the real
//! `cogov experiment`, asserting the sign of the mean paired difference and that its 95%
//! confidence interval excludes zero. Plus P7: with all mechanisms on, complaints per
//! constructive act fall over three years, while in the baseline they do not.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{cogov, tmp};

const WORLD: &str = r#"ticks = 365
[init]
warmup = 60
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

const MECHANISMS: &[&str] = &[
    "party_masses",
    "grid",
    "platforms",
    "three_society",
    "government_society",
    "family_community",
    "government_enterprise",
    "online",
    "deliberation",
    "service_complex",
];

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
fn platforms_shorten_resolution() {
    check(
        "platforms",
        "",
        "",
        &[("resolution_days_mean_final", Sign::Down)],
    );
}

#[test]
fn party_masses_activate_non_members_p1() {
    check(
        "party_masses",
        "",
        "",
        &[("active_share_nonparty_mean", Sign::Up)],
    );
}

#[test]
fn deliberation_prevents_petitions_in_a_renovation_p2() {
    let renovation = "[[projects]]\ndomain = \"renovation\"\nstart = 10\ncommunities = [0, 1]\n";
    check(
        "deliberation",
        renovation,
        "",
        &[("collective_petitions_total", Sign::Down)],
    );
}

#[test]
fn deliberation_raises_retrofit_consent_p3() {
    let retrofits = "[domains.elevator_retrofit]\nrate = 0.6\n";
    check(
        "deliberation",
        retrofits,
        "",
        &[("consent_rate_final", Sign::Up)],
    );
}

#[test]
fn three_society_resolves_complex_issues_p4() {
    check(
        "three_society",
        "",
        "",
        &[("high_complexity_resolution_rate_final", Sign::Up)],
    );
}

#[test]
fn government_enterprise_raises_leverage_p5() {
    check(
        "government_enterprise",
        "",
        "",
        &[("leverage_final", Sign::Up)],
    );
}

#[test]
fn online_speeds_detection_p6() {
    check(
        "online",
        "",
        "",
        &[("detection_days_mean_final", Sign::Down)],
    );
}

#[test]
fn unresponsive_online_amplifies_contention_p6() {
    let unresponsive = "set = { \"mechanisms.online.responsiveness\" = 0.02, \"government.responsiveness\" = 0.05 }";
    check(
        "online",
        "",
        unresponsive,
        &[("online_contention_mean", Sign::Up)],
    );
}

#[test]
fn government_society_keeps_organisations_and_capacity() {
    check(
        "government_society",
        "",
        "",
        &[
            ("organisations_alive_final", Sign::Up),
            ("service_capacity_final", Sign::Up),
        ],
    );
}

#[test]
fn family_community_raises_elder_care_coverage() {
    check(
        "family_community",
        "",
        "",
        &[("elder_care_coverage_mean", Sign::Up)],
    );
}

#[test]
fn service_complex_cuts_trips_and_waits() {
    check(
        "service_complex",
        "",
        "",
        &[
            ("service_trips_total", Sign::Down),
            ("service_wait_days_mean", Sign::Down),
        ],
    );
}

/// P7: a long warm-up lets the baseline settle (mechanisms start on day 0), then over three
/// years the ratio falls with all mechanisms on and does not fall significantly without.
#[test]
fn complaint_society_turns_responsible_with_all_linkages_p7() {
    let on: String = MECHANISMS
        .iter()
        .map(|k| format!("[mechanisms.{k}]\nenabled = true\n"))
        .collect();
    let off: Vec<String> = MECHANISMS
        .iter()
        .map(|k| format!("\"mechanisms.{k}.enabled\" = false"))
        .collect();
    let world = WORLD
        .replace("ticks = 365", "ticks = 1095")
        .replace("warmup = 60", "warmup = 730");
    let text = format!(
        "name = \"p7\"\n{world}{on}[experiment]\nreplicates = 20\nseed = 1\nbaseline = \"baseline\"\nrecord_every = 5\n\
         [[policy]]\nname = \"baseline\"\nset = {{ {} }}\n[[policy]]\nname = \"all_on\"\n",
        off.join(", ")
    );
    let out_dir = run_experiment("p7", &text);

    // Per run: mean ratio in year 3 minus mean ratio in year 1.
    let policy: HashMap<String, String> = csv::Reader::from_path(out_dir.join("runs.csv"))
        .unwrap()
        .deserialize::<HashMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            (r["run_id"].clone(), r["policy"].clone())
        })
        .collect();
    let mut years: HashMap<String, ([f64; 2], [u32; 2])> = HashMap::new();
    for r in csv::Reader::from_path(out_dir.join("timeseries.csv"))
        .unwrap()
        .deserialize::<HashMap<String, String>>()
    {
        let r = r.unwrap();
        let tick: u32 = r["tick"].parse().unwrap();
        let y = match tick {
            0..365 => 0,
            730.. => 1,
            _ => continue,
        };
        let e = years.entry(r["run_id"].clone()).or_default();
        e.0[y] += r["complaint_participation_ratio"].parse::<f64>().unwrap();
        e.1[y] += 1;
    }
    let change = |pol: &str| {
        let d: Vec<f64> = years
            .iter()
            .filter(|(id, _)| policy[*id] == pol)
            .map(|(_, (s, n))| s[1] / n[1] as f64 - s[0] / n[0] as f64)
            .collect();
        cogov::stats::summarize(&d)
    };
    let all_on = change("all_on");
    assert!(
        all_on.ci95_high.unwrap() < 0.0,
        "all on: the ratio must fall: {all_on:?}"
    );
    let baseline = change("baseline");
    assert!(
        baseline.ci95_high.unwrap() >= 0.0,
        "baseline: the ratio must not fall significantly: {baseline:?}"
    );
}
