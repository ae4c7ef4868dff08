//! `cogov odd`: the shipped docs/ODD.md is what the code generates; a scenario's values and
//! every subcommand's help examples.

mod common;

use common::{cogov, tmp};

#[test]
fn shipped_odd_matches_the_code() {
    let out = cogov(&["odd", "--targets", "docs/calibration.csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let generated = String::from_utf8(out.stdout).expect("UTF-8");
    let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ODD.md"))
        .unwrap_or_default();
    assert!(
        generated == shipped,
        "docs/ODD.md differs from what the code generates; run `cargo run -- odd --targets docs/calibration.csv --out docs/ODD.md` and commit it"
    );
}

#[test]
fn scenario_values_appear_and_out_writes_the_file() {
    let dir = tmp("odd_scenario");
    let scenario = dir.join("s.toml");
    std::fs::write(
        &scenario,
        "name = \"s\"\n[world]\nresidents = 1234\norganisations = 20\n",
    )
    .unwrap();
    let file = dir.join("sub/odd.md");
    let out = cogov(&[
        "odd",
        scenario.to_str().unwrap(),
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("| `world.residents` | `340000` | `1234` |"),
        "value column"
    );
    assert!(text.contains("1234 residents in all"));
}

#[test]
fn a_bad_scenario_is_bad_input() {
    let dir = tmp("odd_bad");
    let scenario = dir.join("bad.toml");
    std::fs::write(&scenario, "[world]\nresidents = -3\n").unwrap();
    let out = cogov(&["odd", scenario.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_subcommand_help_shows_examples() {
    for sub in [
        "run",
        "check",
        "experiment",
        "merge",
        "plot",
        "verify",
        "completions",
        "odd",
    ] {
        let out = cogov(&[sub, "--help"]);
        assert!(out.status.success(), "{sub}");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("Examples:"),
            "`cogov {sub} --help` has no examples"
        );
        assert!(help.contains(&format!("cogov {sub}")), "{sub}");
    }
    let top = String::from_utf8_lossy(&cogov(&["--help"]).stdout).to_string();
    assert!(top.contains("Examples:") && top.contains("cogov odd"));
}

#[test]
fn completions_exist_for_bash() {
    let out = cogov(&["completions", "bash"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("odd"));
}

#[test]
fn a_scenarios_policies_appear() {
    let out = cogov(&[
        "odd",
        concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/policies.toml"),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("### 7.5 This scenario's experiment"));
    assert!(text.contains("- Policy `grid_online`"));
    assert!(text.contains("`mechanisms.online.enabled` = `true`"));
}
