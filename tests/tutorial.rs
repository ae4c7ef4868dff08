//! What docs/tutorial.md relies on: an experiment draws its figures with the scenario's own
//! `[plot]` settings (also when redrawn by `cogov plot`), a one-policy sweep plots without a
//! contrast figure, `--no-plot` and shards draw none, and the shipped example scenario is valid.

mod common;

use common::{TINY_WORLD, cogov, tmp};

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
