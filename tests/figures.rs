//! Figures that fit the design, checked on the SVG files themselves: a sampled design is a
//! scatter (dots, no line through them), Morris and Sobol figures name their metric and
//! keep full parameter paths, a sweep's time series are split rather than pooled, bands
//! stay inside a metric's range, small groups are dots rather than boxes, and `cogov plot`
//! replaces its earlier drawing. No label leaves its figure or its panel.

mod common;

use std::path::Path;

use common::svg::{self, TextBox};
use common::{cogov_ok, tmp};

use cogov::plot::fixture::{self, SENSITIVITY_PARAMETERS, Spec};

fn plot(dir: &Path, extra: &[&str]) {
    let mut args = vec!["plot", dir.to_str().unwrap(), "--formats", "svg"];
    args.extend_from_slice(extra);
    cogov_ok(&args);
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("figures").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn svgs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("figures"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".svg"))
        .collect();
    v.sort();
    v
}

fn texts_with<'a>(t: &'a [TextBox], needle: &str) -> Vec<&'a TextBox> {
    t.iter().filter(|b| b.text.contains(needle)).collect()
}

#[test]
fn a_latin_hypercube_is_a_scatter_per_parameter_not_a_heatmap() {
    let dir = tmp("lhs");
    let n = 12;
    let spec = Spec {
        policies: 2,
        replicates: 3,
        ticks: 20,
        communities: 6,
        design: "latin_hypercube".into(),
        sweep: vec![
            (
                "mechanisms.grid.patrol_detection".into(),
                (0..n)
                    .map(|i| 0.2 * ((i * 7) % n) as f64 / n as f64)
                    .collect(),
            ),
            (
                "mechanisms.platforms.integrated_delay".into(),
                (0..n).map(|i| 1.0 + ((i * 5) % n) as f64).collect(),
            ),
        ],
        ..Spec::default()
    };
    fixture::write_experiment(&dir, &spec).unwrap();
    plot(&dir, &["--metrics", "active_share"]);
    let names = svgs(&dir);
    assert!(
        !names.iter().any(|f| f.starts_with("sweep_")),
        "no heatmap or line of a sampled design: {names:?}"
    );
    let svg = read(&dir, "scatter_active_share_final.svg");
    // One dot per policy and design point, and no line through them: every polyline is an
    // axis, a tick or a legend swatch (two points).
    assert!(svg::circles(&svg) >= 2 * n, "{} dots", svg::circles(&svg));
    let long: Vec<_> = svg::polylines(&svg)
        .into_iter()
        .filter(|p| p.len() > 2)
        .collect();
    assert!(long.is_empty(), "a line joins the points: {long:?}");
    svg::assert_texts_inside(&svg, "scatter");
    // Each panel's parameter label fits its panel (two panels side by side).
    let (w, _) = svg::canvas(&svg);
    let t = svg::texts(&svg);
    for p in ["patrol_detection", "integrated_delay"] {
        let label = texts_with(&t, p);
        assert_eq!(label.len(), 1, "{p}: {label:?}");
        assert!(label[0].width() <= w / 2.0, "{p} wider than its panel");
    }
}

#[test]
fn morris_figures_name_their_metric_and_keep_full_paths() {
    let dir = tmp("morris");
    let spec = Spec {
        policies: 1,
        replicates: 2,
        ticks: 10,
        communities: 6,
        sensitivity: true,
        design: "morris".into(),
        sweep: vec![("residents.report_probability".into(), vec![0.1, 0.2, 0.3])],
        ..Spec::default()
    };
    fixture::write_experiment(&dir, &spec).unwrap();
    for width in ["7", "3.5"] {
        plot(&dir, &["--width", width]);
        for (metric, label) in [
            ("active_share_final", "active share, final"),
            ("complaints_total", "complaints, total"),
        ] {
            let svg = read(&dir, &format!("morris_{metric}.svg"));
            let t = svg::texts(&svg);
            assert!(
                t.iter()
                    .any(|b| b.text.starts_with("Morris screening of") && b.text.contains(label)),
                "{metric}: the title names the metric"
            );
            // Every parameter by its full path, once; its number beside a dot.
            for (k, p) in SENSITIVITY_PARAMETERS.iter().enumerate() {
                let key = texts_with(&t, p);
                assert_eq!(key.len(), 1, "{p} at width {width}");
                let _ = k;
            }
            for k in 1..=SENSITIVITY_PARAMETERS.len() {
                let n = t.iter().filter(|b| b.text == k.to_string()).count();
                assert!(n >= 1, "number {k} missing");
            }
            svg::assert_texts_inside(&svg, "morris");
            // Numbers and key entries never sit on each other.
            let labels: Vec<&TextBox> = t
                .iter()
                .filter(|b| {
                    b.text
                        .parse::<usize>()
                        .is_ok_and(|k| k <= SENSITIVITY_PARAMETERS.len())
                        && !b.text.contains('.')
                        || b.text
                            .split_once(": ")
                            .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
                })
                .collect();
            for (i, a) in labels.iter().enumerate() {
                for b in &labels[i + 1..] {
                    assert!(!a.overlaps(b), "{a:?} overlaps {b:?} at width {width}");
                }
            }
        }
    }
}

#[test]
fn sobol_figures_draw_first_order_and_total_bars_with_intervals() {
    let dir = tmp("sobol");
    let spec = Spec {
        policies: 1,
        replicates: 2,
        ticks: 10,
        communities: 6,
        sensitivity: true,
        design: "sobol".into(),
        sweep: vec![("residents.report_probability".into(), vec![0.1, 0.2, 0.3])],
        ..Spec::default()
    };
    fixture::write_experiment(&dir, &spec).unwrap();
    plot(&dir, &["--width", "3.5"]);
    let svg = read(&dir, "sobol_complaints_total.svg");
    let t = svg::texts(&svg);
    assert!(
        t.iter()
            .any(|b| b.text.contains("Sobol' indices of complaints, total"))
    );
    assert!(
        t.iter().any(|b| b.text.starts_with("S1")) && t.iter().any(|b| b.text.starts_with("ST"))
    );
    // Two bars per parameter (filled rectangles) and their whiskers.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let bars = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("opacity") == Some("0.75"))
        .count();
    assert_eq!(bars, 2 * SENSITIVITY_PARAMETERS.len());
    // Labels tell the two skill_bonus keys apart even when shortened, and fit.
    let skill: Vec<&TextBox> = texts_with(&t, "skill_bonus");
    assert_eq!(skill.len(), 2);
    assert_ne!(skill[0].text, skill[1].text);
    svg::assert_texts_inside(&svg, "sobol");
    let (w, _) = svg::canvas(&svg);
    assert!(
        t.iter().all(|b| b.width() <= w),
        "no label wider than the figure"
    );
}

#[test]
fn time_series_of_a_sweep_are_split_not_pooled() {
    // Few sweep points: one series per policy and point.
    let few = tmp("split-few");
    let spec = Spec {
        policies: 2,
        replicates: 3,
        ticks: 30,
        communities: 4,
        sweep: vec![("mechanisms.grid.patrol_probability".into(), vec![0.1, 0.5])],
        ..Spec::default()
    };
    fixture::write_experiment(&few, &spec).unwrap();
    plot(&few, &["--metrics", "active_share"]);
    let t = svg::texts(&read(&few, "timeseries_active_share.svg"));
    for label in [
        "baseline (patrol_probability=0.1)",
        "baseline (patrol_probability=0.5)",
        "grid (patrol_probability=0.1)",
        "grid (patrol_probability=0.5)",
    ] {
        assert_eq!(texts_with(&t, label).len(), 1, "{label}");
    }
    // Many: one panel per value of the first parameter, policies within; the report's
    // caption says what a line pools.
    let many = tmp("split-many");
    let spec = Spec {
        sweep: vec![
            (
                "mechanisms.grid.patrol_probability".into(),
                vec![0.1, 0.3, 0.5],
            ),
            ("residents.threshold_mean".into(), vec![0.2, 0.4]),
        ],
        ..spec
    };
    fixture::write_experiment(&many, &spec).unwrap();
    plot(&many, &["--metrics", "active_share"]);
    let svg = read(&many, "timeseries_active_share.svg");
    assert_eq!(svg::y_axes(&svg).len(), 3, "three panels");
    let t = svg::texts(&svg);
    for v in ["0.1", "0.3", "0.5"] {
        assert_eq!(
            texts_with(&t, &format!("patrol_probability = {v}")).len(),
            1
        );
    }
    svg::assert_texts_inside(&svg, "split");
    let html = std::fs::read_to_string(many.join("report.html")).unwrap();
    assert!(
        html.contains("One panel per value of `mechanisms.grid.patrol_probability`")
            && html.contains(
                "pools the runs over the other swept parameters (`residents.threshold_mean`)"
            ),
        "the caption says what is pooled"
    );
    // A chosen parameter splits instead.
    plot(
        &many,
        &["--metrics", "active_share", "--split-by", "threshold_mean"],
    );
    let t = svg::texts(&read(&many, "timeseries_active_share.svg"));
    assert_eq!(texts_with(&t, "threshold_mean = 0.2").len(), 1);
}

/// Writes an experiment whose daily complaints are mostly zero: one replicate in ten has
/// a few, so a Student-t interval of the mean dips below zero.
fn sparse_counts(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let mut runs = String::from("run_id,policy,replicate,seed,complaints_total\n");
    let mut ts = String::from("run_id,tick,complaints,active_share\n");
    for r in 0..10 {
        let id = format!("{r:06}");
        runs.push_str(&format!(
            "{id},p,{r},{r},{}\n",
            if r == 0 { 150 } else { 0 }
        ));
        for t in 0..30 {
            let c = if r == 0 { 5 } else { 0 };
            ts.push_str(&format!("{id},{t},{c},{}\n", 0.9 + 0.01 * (r % 3) as f64));
        }
    }
    std::fs::write(dir.join("runs.csv"), runs).unwrap();
    std::fs::write(dir.join("timeseries.csv"), ts).unwrap();
}

#[test]
fn bands_stay_inside_the_metric_range() {
    let dir = tmp("range");
    sparse_counts(&dir);
    plot(
        &dir,
        &["--metrics", "complaints,active_share", "--no-report"],
    );
    let svg = read(&dir, "timeseries_complaints.svg");
    let axes = svg::y_axes(&svg);
    assert_eq!(axes.len(), 1);
    let (_, top, bottom) = axes[0];
    // The axis starts at zero: the tick label "0" sits at its bottom.
    let t = svg::texts(&svg);
    let zero = t
        .iter()
        .find(|b| b.text == "0" && b.x1 < axes[0].0)
        .expect("a 0 tick on the y axis");
    assert!(
        ((zero.y0 + zero.y1) / 2.0 - bottom).abs() <= 2.0,
        "the y axis starts at zero: {zero:?} vs {bottom}"
    );
    let bands = svg::bands(&svg);
    assert!(!bands.is_empty(), "a band is drawn");
    for b in &bands {
        for &(_, y) in b {
            assert!(
                y <= bottom + 1.0 && y >= top - 1.0,
                "band point at {y} outside [{top}, {bottom}]"
            );
        }
    }
    let html_free = !dir.join("report.html").exists();
    assert!(html_free);
    // Shares stay at or below one.
    let svg = read(&dir, "timeseries_active_share.svg");
    let (_, top, bottom) = svg::y_axes(&svg)[0];
    for b in svg::bands(&svg) {
        for (_, y) in b {
            assert!(y >= top - 1.0 && y <= bottom + 1.0);
        }
    }
    // The caption names the interval.
    plot(&dir, &["--metrics", "complaints"]);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("percentile-bootstrap 95% CI") && html.contains("[0, ∞)"));
}

#[test]
fn smoothing_averages_flows_only() {
    let dir = tmp("smooth");
    sparse_counts(&dir);
    let manifest = serde_json::json!({"plot": {"smooth": 7, "formats": ["svg"], "metrics": ["complaints", "active_share"]}});
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
    plot(&dir, &[]);
    let t = svg::texts(&read(&dir, "timeseries_complaints.svg"));
    assert!(t.iter().any(|b| b.text == "complaints, 7-day mean (count)"));
    let t = svg::texts(&read(&dir, "timeseries_active_share.svg"));
    assert!(
        !t.iter().any(|b| b.text.contains("day mean")),
        "stocks are not smoothed"
    );
}

#[test]
fn fewer_than_five_communities_are_dots_not_boxes() {
    for (communities, boxes) in [(4, false), (12, true)] {
        let dir = tmp(&format!("comm{communities}"));
        let spec = Spec {
            policies: 2,
            replicates: 2,
            ticks: 10,
            communities,
            ..Spec::default()
        };
        fixture::write_experiment(&dir, &spec).unwrap();
        plot(&dir, &["--metrics", "active_share"]);
        let svg = read(&dir, "communities_active_share.svg");
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let box_fills = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("opacity") == Some("0.15"))
            .count();
        assert_eq!(box_fills > 0, boxes, "{communities} communities");
        assert!(svg::circles(&svg) >= 2 * communities);
    }
}

#[test]
fn plot_replaces_its_earlier_figures_only() {
    let dir = tmp("replace");
    fixture::write_experiment(
        &dir,
        &Spec {
            policies: 2,
            replicates: 2,
            ticks: 10,
            communities: 6,
            ..Spec::default()
        },
    )
    .unwrap();
    plot(
        &dir,
        &[
            "--metrics",
            "active_share,complaints",
            "--formats",
            "svg,png",
        ],
    );
    std::fs::write(dir.join("figures/notes.txt"), "mine").unwrap();
    plot(&dir, &["--metrics", "grievance_mean", "--width", "3.5"]);
    let names: Vec<String> = std::fs::read_dir(dir.join("figures"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"notes.txt".to_string()), "other files stay");
    assert!(
        !names
            .iter()
            .any(|n| n.contains("complaints") || n.ends_with(".png")),
        "{names:?}"
    );
    for n in names.iter().filter(|n| n.ends_with(".svg")) {
        let svg = read(&dir, n);
        assert!(svg.contains("width=\"3.5000in\""), "{n} has another size");
    }
}

#[test]
fn every_label_stays_inside_its_figure() {
    let dir = tmp("inside");
    let spec = Spec {
        policies: 10,
        replicates: 3,
        ticks: 30,
        communities: 12,
        sensitivity: true,
        sweep: vec![("mechanisms.grid.patrol_probability".into(), vec![0.1, 0.5])],
        ..Spec::default()
    };
    fixture::write_experiment(&dir, &spec).unwrap();
    for width in ["3.5", "7"] {
        plot(&dir, &["--width", width]);
        let names = svgs(&dir);
        assert!(names.len() >= 8, "{names:?}");
        for n in names {
            svg::assert_texts_inside(&read(&dir, &n), &format!("{n} at {width} in"));
        }
    }
}
