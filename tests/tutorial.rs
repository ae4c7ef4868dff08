//! What docs/tutorial.md relies on: every `cogov` command it shows runs as written (on
//! shrunken worlds) and does what the text says (run counts, the morris design under
//! `cogov experiment`, figures drawn by `cogov merge`, the records of section 5); the ODD
//! and the tutorial list the `[sensitivity]` and `[calibration]` keys; an experiment draws
//! its figures with the scenario's own `[plot]` settings (also when redrawn by
//! `cogov plot`), a one-policy sweep plots without a contrast figure, `--no-plot` and shards
//! draw none, and the shipped example scenario is valid.

mod common;

use std::path::{Path, PathBuf};

use common::{TINY_WORLD, bin, cogov, tmp};

const TUTORIAL: &str = include_str!("../docs/tutorial.md");

/// The tutorial's shell blocks' `cogov` and `cmp` lines, comments stripped, in order.
fn shell_commands() -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in TUTORIAL.lines() {
        if line.starts_with("```") {
            inside = line == "```sh";
            continue;
        }
        let cmd = line.split(" #").next().unwrap_or("").trim();
        if inside && (cmd.starts_with("cogov ") || cmd.starts_with("cmp ")) {
            out.push(cmd.to_string());
        }
    }
    out
}

/// The tutorial's TOML block that defines scenario `name`.
fn toml_block(name: &str) -> String {
    let mut blocks = Vec::new();
    let mut cur: Option<String> = None;
    for line in TUTORIAL.lines() {
        match (&mut cur, line.starts_with("```")) {
            (None, true) if line == "```toml" => cur = Some(String::new()),
            (Some(_), true) => blocks.push(cur.take().unwrap_or_default()),
            (Some(b), false) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    blocks
        .into_iter()
        .find(|b| b.contains(&format!("name = \"{name}\"")))
        .unwrap_or_else(|| panic!("no TOML block for {name}"))
}

/// The same scenario on the tiny world, over at most 40 days, without a warm-up and with
/// few calibration draws: the commands stay the same, the runs take a moment.
fn shrink(text: &str) -> String {
    let mut doc: toml_edit::DocumentMut = text.parse().expect("the tutorial's TOML parses");
    let tiny: toml_edit::DocumentMut = TINY_WORLD.parse().unwrap();
    doc["world"] = tiny["world"].clone();
    let ticks = doc.get("ticks").and_then(|t| t.as_integer()).unwrap_or(40);
    doc["ticks"] = toml_edit::value(ticks.min(40));
    if let Some(init) = doc.get_mut("init").and_then(|i| i.as_table_mut()) {
        init.remove("warmup");
    }
    if let Some(c) = doc.get_mut("calibration").and_then(|c| c.as_table_mut()) {
        c["draws"] = toml_edit::value(10);
        c["replicates"] = toml_edit::value(1);
    }
    doc.to_string()
}

fn runs_total(dir: &Path) -> u64 {
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    m["runs_total"].as_u64().unwrap()
}

/// "(N runs" or "N runs" right after `anchor` in the tutorial.
fn claimed_runs(anchor: &str) -> u64 {
    let at = TUTORIAL
        .find(anchor)
        .unwrap_or_else(|| panic!("{anchor} not in the tutorial"));
    let rest = &TUTORIAL[at + anchor.len()..];
    let words: Vec<&str> = rest.split_whitespace().take(8).collect();
    words
        .windows(2)
        .find_map(|w| {
            let n = w[0].trim_start_matches('(').parse().ok()?;
            w[1].starts_with("runs").then_some(n)
        })
        .unwrap_or_else(|| panic!("no run count after {anchor}: {words:?}"))
}

#[test]
fn every_tutorial_command_runs_as_written() {
    let work = tmp("tutorial_commands");
    let scenarios = work.join("scenarios");
    std::fs::create_dir_all(&scenarios).unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for f in ["policies.toml", "calibrate_reporting.toml"] {
        let text = std::fs::read_to_string(shipped.join(f)).unwrap();
        std::fs::write(scenarios.join(f), shrink(&text)).unwrap();
    }
    for name in ["my_sweep", "my_screening"] {
        std::fs::write(work.join(format!("{name}.toml")), shrink(&toml_block(name))).unwrap();
    }
    let mut commands = shell_commands();
    assert!(commands.len() >= 12, "{commands:?}");
    // The two experiments the text asks the reader to run on the files they saved.
    commands.push("cogov experiment my_sweep.toml -j 2".into());
    commands.push("cogov experiment my_screening.toml -j 2".into());
    for cmd in &commands {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        // `cogov serve` runs until stopped: tests/serve_api.rs and tests/serve_browser.rs
        // test the server.
        if words.get(1) == Some(&"serve") {
            continue;
        }
        if words[0] == "cmp" {
            let (a, b) = (work.join(words[1]), work.join(words[2]));
            assert_eq!(
                std::fs::read(&a).unwrap(),
                std::fs::read(&b).unwrap(),
                "{cmd}"
            );
            continue;
        }
        // The whole docking suite is tests/verify.rs's (at full scale, ignored by default);
        // one case stands in for it here.
        let args: Vec<&str> = if words[1..] == ["verify"] {
            vec!["verify", "granovetter"]
        } else {
            words[1..].to_vec()
        };
        let out = bin().args(&args).current_dir(&work).output().unwrap();
        assert!(
            out.status.success(),
            "`{cmd}` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let r = |p: &str| -> PathBuf { work.join("results").join(p) };
    // The run counts the text gives.
    assert_eq!(runs_total(&r("policies")), claimed_runs("-j 2      #"));
    assert_eq!(
        runs_total(&r("my_sweep")),
        claimed_runs("cogov experiment my_sweep.toml -j 2`")
    );
    assert_eq!(
        runs_total(&r("my_screening")),
        claimed_runs("cogov experiment my_screening.toml -j 2`")
    );
    // A Latin hypercube is drawn as scatter panels; the morris design runs under
    // `cogov experiment`, with one μ*–σ figure per metric and the indices first.
    for m in ["resolution_days_mean_final", "detection_days_mean_final"] {
        assert!(
            r("my_sweep")
                .join(format!("figures/scatter_{m}.svg"))
                .exists(),
            "{m}"
        );
    }
    assert!(r("my_screening/sensitivity.csv").exists());
    for m in [
        "detection_days_mean_final",
        "resolution_days_mean_final",
        "complaints_total",
    ] {
        assert!(
            r("my_screening")
                .join(format!("figures/morris_{m}.svg"))
                .exists(),
            "{m}"
        );
    }
    let html = std::fs::read_to_string(r("my_screening/report.html")).unwrap();
    assert!(html.find("Sensitivity indices") < html.find("design points</summary>"));
    assert!(
        !html.contains("one policy"),
        "no contrast note for a one-policy design"
    );
    // `cogov merge` draws the merged figures; no `cogov plot` is needed.
    assert!(r("policies_merged/figures/contrasts.svg").exists());
    // Section 5's run writes the issue records and their pipeline figure.
    assert!(r("issues_run/issues.csv").exists());
    assert!(r("issues_run/figures/issues_flow.svg").exists());
    // The codebook beside each output; the resolved `--policy` and `--set`.
    for d in ["first_run", "policies", "policies_merged", "issues_run"] {
        assert!(r(d).join("metrics.csv").exists(), "{d}");
    }
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(r("grid_run/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["ticks"], 180);
    assert_eq!(m["scenario"]["mechanisms"]["grid"]["enabled"], true);
    assert!(r("policies/ODD.md").exists());
}

#[test]
fn the_odd_and_the_tutorial_list_the_analysis_keys() {
    let odd = include_str!("../docs/ODD.md");
    for k in cogov::sensitivity::config::SENSITIVITY_KEYS
        .iter()
        .chain(cogov::sensitivity::config::CALIBRATION_KEYS)
    {
        assert!(
            odd.contains(&format!("| `{}` |", k.path)),
            "ODD lacks {}",
            k.path
        );
        let key = k.path.split('.').nth(1).unwrap();
        assert!(
            TUTORIAL.contains(&format!("`{key}")),
            "tutorial lacks {}",
            k.path
        );
    }
    assert!(!odd.contains("MODEL.md"), "the reader has no MODEL.md");
    // Counts agree with their nouns ("1 street", not "1 streets").
    let dir = tmp("tutorial_odd");
    let one = dir.join("one.toml");
    std::fs::write(
        &one,
        "[world]\nresidents = 600\nstreets = 1\ncommunities = 2\ngrids = 4\nservice_complexes = 1\n\
         organisations = 6\nsocial_workers = 4\nbusinesses = 6\nproperty_companies = 2\n\
         department_staff = 10\n",
    )
    .unwrap();
    let out = cogov(&["odd", one.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1 street,") && !text.contains("1 streets"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn figures(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("figures"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn one_policy_sweep_draws_figures_with_its_plot_settings() {
    let dir = tmp("tutorial_sweep");
    let scenario = dir.join("sweep.toml");
    std::fs::write(
        &scenario,
        format!(
            "name = \"sweep\"\nticks = 30\n{TINY_WORLD}\n[mechanisms.grid]\nenabled = true\n\
             [experiment]\nreplicates = 2\ndesign = \"latin_hypercube\"\nsamples = 3\n\
             [sweep]\n\"mechanisms.grid.patrol_detection\" = {{ from = 0.0, to = 0.2 }}\n\
             [plot]\nmetrics = [\"detection_days_mean\"]\nformats = [\"svg\"]\n"
        ),
    )
    .unwrap();
    let out = dir.join("out");
    let run = cogov(&[
        "experiment",
        scenario.to_str().unwrap(),
        "-j",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let drawn = figures(&out);
    assert!(
        drawn
            .iter()
            .any(|f| f == "timeseries_detection_days_mean.svg"),
        "{drawn:?}"
    );
    assert!(drawn.iter().all(|f| f.ends_with(".svg")), "{drawn:?}");
    assert!(
        !drawn.iter().any(|f| f.starts_with("contrasts")),
        "{drawn:?}"
    );

    // `cogov plot` redraws the same files: the manifest carries the [plot] settings.
    std::fs::remove_dir_all(out.join("figures")).unwrap();
    let redraw = cogov(&["plot", out.to_str().unwrap()]);
    assert!(
        redraw.status.success(),
        "{}",
        String::from_utf8_lossy(&redraw.stderr)
    );
    assert_eq!(figures(&out), drawn);
}

#[test]
fn no_plot_and_shards_draw_nothing() {
    let dir = tmp("tutorial_noplot");
    let scenario = dir.join("p.toml");
    std::fs::write(
        &scenario,
        format!(
            "name = \"p\"\nticks = 20\n{TINY_WORLD}\n[experiment]\nreplicates = 2\n\
             [[policy]]\nname = \"off\"\n[[policy]]\nname = \"grid\"\n\
             set = {{ \"mechanisms.grid.enabled\" = true }}\n"
        ),
    )
    .unwrap();
    let s = scenario.to_str().unwrap();
    let a = dir.join("a");
    let b = dir.join("b");
    assert!(
        cogov(&["experiment", s, "--no-plot", "--out", a.to_str().unwrap()])
            .status
            .success()
    );
    assert!(figures(&a).is_empty());
    assert!(
        cogov(&[
            "experiment",
            s,
            "--shard",
            "1/2",
            "--out",
            b.to_str().unwrap()
        ])
        .status
        .success()
    );
    assert!(figures(&b).is_empty());
}

#[test]
fn the_tutorial_scenario_is_valid() {
    let out = cogov(&[
        "check",
        concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/policies.toml"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
