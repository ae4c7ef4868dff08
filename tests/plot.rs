//! `cogov plot` end to end: fixture directories → figure files (SVG/PDF/PNG) and report.html.

mod common;

use common::{cogov, cogov_ok, tmp};
use std::path::Path;
use std::process::Command;

use cogov::plot::fixture::{self, Spec};

fn png_size(path: &Path) -> (u32, u32, Option<png::PixelDimensions>) {
    let dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let reader = dec.read_info().unwrap();
    let info = reader.info();
    (info.width, info.height, info.pixel_dims)
}

fn check_files(figdir: &Path, stem: &str, width_in: f64) -> String {
    let svg = std::fs::read_to_string(figdir.join(format!("{stem}.svg"))).unwrap();
    roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{stem}.svg is not XML: {e}"));
    assert!(svg.contains("<text"), "{stem}.svg keeps text as text");
    let pdf = std::fs::read(figdir.join(format!("{stem}.pdf"))).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "{stem}.pdf header");
    let tail = String::from_utf8_lossy(&pdf[pdf.len().saturating_sub(64)..]).to_string();
    assert!(tail.contains("%%EOF"), "{stem}.pdf trailer: {tail}");
    let (w, _h, dims) = png_size(&figdir.join(format!("{stem}.png")));
    assert_eq!(
        w,
        (width_in * 300.0).round() as u32,
        "{stem}.png width at 300 dpi"
    );
    let d = dims.expect("pHYs chunk");
    assert_eq!(d.xppu, 11811, "300 dpi in pixels per metre");
    svg
}

#[test]
fn experiment_with_ten_policies_draws_every_figure() {
    let dir = tmp("ten");
    // Every 5th tick keeps the debug-build test quick; the bench uses every tick.
    let spec = Spec {
        every: 5,
        sensitivity: true,
        ..Spec::default()
    };
    fixture::write_experiment(&dir, &spec).unwrap();
    let out = cogov(&["plot", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let figs = dir.join("figures");
    let svg = check_files(&figs, "timeseries_active_share", 7.0);
    for name in [
        "baseline",
        "mediation",
        "all_on",
        "time (days)",
        "active share (share)",
    ] {
        assert!(svg.contains(name), "time series SVG lacks `{name}`");
    }
    assert!(svg.contains("opacity=\"0.18\""), "CI ribbons are drawn");
    let svg = check_files(&figs, "contrasts", 7.0);
    assert!(svg.contains("Δ active share, final (share)") && svg.contains("mediation"));
    assert!(
        !svg.contains(">baseline<") && !svg.contains(">baseline\n<"),
        "the baseline is not contrasted with itself"
    );
    check_files(&figs, "communities_active_share", 7.0);
    let svg = check_files(&figs, "morris_active_share_final", 7.0);
    assert!(
        svg.contains("Morris screening of") && svg.contains("mechanisms.grid.patrol_probability")
    );
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("do linkage policies raise participation"));
    assert!(html.contains("Outcomes per policy") && html.contains("Contrasts against baseline"));
    assert_eq!(html.matches("<svg").count(), 10, "every figure inline");
    // The sensitivity indices come first; the provenance block is there.
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at("Sensitivity indices") < at("Outcomes per policy"));
    // Self-contained: no scripts and nothing fetched (the SVG namespace URI is not a fetch).
    for bad in [
        "<script",
        "src=\"http",
        "href=\"http",
        "url(",
        "@import",
        "<link",
    ] {
        assert!(!html.contains(bad), "report.html contains `{bad}`");
    }
}

#[test]
fn single_replicate_draws_lines_without_ribbons() {
    let dir = tmp("single-rep");
    let spec = Spec {
        policies: 3,
        replicates: 1,
        ticks: 100,
        communities: 6,
        ..Spec::default()
    };
    fixture::write_experiment(&dir, &spec).unwrap();
    let out = cogov(&[
        "plot",
        dir.to_str().unwrap(),
        "--formats",
        "svg",
        "--width",
        "3.5",
        "--metrics",
        "active_share",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(dir.join("figures/timeseries_active_share.svg")).unwrap();
    assert!(
        svg.contains("polyline") && !svg.contains("opacity=\"0.18\""),
        "lines but no ribbon"
    );
    assert!(svg.contains("width=\"3.5000in\""));
    assert!(
        !dir.join("figures/timeseries_active_share.png").exists(),
        "--formats svg only"
    );
}

#[test]
fn figures_with_titles_are_the_same_bytes_when_drawn_again() {
    // Titles are bold: two fonts in every PDF, which the PDF writer must not order by
    // hash (svg2pdf 0.13 did, so two drawings differed).
    let dir = tmp("redraw");
    let spec = Spec {
        policies: 2,
        replicates: 2,
        ticks: 60,
        communities: 4,
        ..Spec::default()
    };
    fixture::write_experiment(&dir, &spec).unwrap();
    let mut drawings = Vec::new();
    for k in 0..3 {
        let out_dir = dir.join(format!("drawing{k}"));
        cogov_ok(&[
            "plot",
            dir.to_str().unwrap(),
            "--titles",
            "--no-report",
            "--out",
            out_dir.to_str().unwrap(),
        ]);
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(out_dir.join("figures"))
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect();
        files.sort();
        drawings.push(files);
    }
    let pdfs = drawings[0]
        .iter()
        .filter(|(n, _)| n.ends_with(".pdf"))
        .count();
    assert!(pdfs >= 3, "{pdfs} PDF figures");
    for d in &drawings[1..] {
        assert_eq!(d.len(), drawings[0].len());
        for ((name, a), (_, b)) in drawings[0].iter().zip(d) {
            assert!(a == b, "{name} differs between drawings");
        }
    }
}

#[test]
fn single_run_directory_gets_a_reduced_report() {
    let dir = tmp("run");
    fixture::write_run(&dir, 200, 3).unwrap();
    let out = cogov(&[
        "plot",
        dir.to_str().unwrap(),
        "--formats",
        "svg,png",
        "--width",
        "3.5",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (w, _, _) = png_size(&dir.join("figures/timeseries_active_share.png"));
    assert_eq!(w, 1050);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("single_run") && html.contains("<svg"));
}

#[test]
fn sweeps_give_curves_or_heatmaps() {
    let one = tmp("sweep1");
    let spec = Spec {
        policies: 2,
        replicates: 3,
        ticks: 30,
        communities: 4,
        sweep: vec![("mechanisms.grid.patrol_probability".into(), vec![0.1, 0.5])],
        ..Spec::default()
    };
    fixture::write_experiment(&one, &spec).unwrap();
    let out = cogov(&[
        "plot",
        one.to_str().unwrap(),
        "--formats",
        "svg",
        "--metrics",
        "active_share",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(
        one.join("figures/sweep_active_share_final_patrol_probability.svg"),
    )
    .unwrap();
    assert!(svg.contains("patrol_probability") && svg.contains("grid"));

    let two = tmp("sweep2");
    let spec = Spec {
        sweep: vec![
            spec.sweep[0].clone(),
            ("residents.threshold_mean".into(), vec![0.2, 0.3, 0.4]),
        ],
        ..spec
    };
    fixture::write_experiment(&two, &spec).unwrap();
    let out = cogov(&[
        "plot",
        two.to_str().unwrap(),
        "--formats",
        "svg",
        "--metrics",
        "active_share",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(
        two.join("figures/sweep_active_share_final_patrol_probability_threshold_mean.svg"),
    )
    .unwrap();
    assert!(
        svg.contains("mean active share, final (share)"),
        "labelled colour bar"
    );
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let empty = tmp("empty");
    let out = cogov(&["plot", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither runs.csv"));

    std::fs::write(empty.join("runs.csv"), "").unwrap();
    let out = cogov(&["plot", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is empty"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let missing = empty.join("nope");
    let out = cogov(&["plot", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));

    let dir = tmp("badflags");
    fixture::write_run(&dir, 10, 1).unwrap();
    for args in [
        ["--formats", "gif"],
        ["--metrics", "activ_share"],
        ["--width", "0.1"],
    ] {
        let out = cogov(&["plot", dir.to_str().unwrap(), args[0], args[1]]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}

/// Opens report.html in headless Chromium: the screenshot must not be blank, the DOM must
/// hold the inline SVG figures, and the console must show no errors. Skips without Chromium.
#[test]
fn report_renders_in_a_real_browser() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false)
        })
    else {
        println!("skipped: no chromium on PATH");
        return;
    };
    let dir = tmp("browser");
    let spec = Spec {
        policies: 4,
        replicates: 5,
        ticks: 120,
        communities: 12,
        ..Spec::default()
    };
    fixture::write_experiment(&dir, &spec).unwrap();
    let out = cogov(&["plot", dir.to_str().unwrap(), "--formats", "svg"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = format!("file://{}", dir.join("report.html").display());
    let base = |profile: &Path| -> Command {
        let mut c = Command::new(chromium);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()));
        c
    };
    let shot = dir.join("shot.png");
    let out = base(&tmp("profile1"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1200,2400")
        .arg(&url)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr).to_string();
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("CONSOLE")
                && (l.contains("ERROR") || l.contains("Uncaught") || l.contains("Failed"))
        })
        .collect();
    assert!(
        console_errors.is_empty(),
        "console errors: {console_errors:?}"
    );
    assert!(shot.exists(), "no screenshot; chromium said: {log}");
    let dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![
        0;
        reader
            .output_buffer_size()
            .expect("the screenshot fits in memory")
    ];
    let info = reader.next_frame(&mut buf).unwrap();
    let bpp = info.color_type.samples();
    let grey: Vec<f64> = buf[..info.buffer_size()]
        .chunks(bpp)
        .map(|p| p[..3].iter().map(|&c| c as f64).sum::<f64>() / 3.0)
        .collect();
    let mean = grey.iter().sum::<f64>() / grey.len() as f64;
    let var = grey.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / grey.len() as f64;
    assert!(
        var > 100.0,
        "screenshot looks blank (grey variance {var:.1})"
    );
    let dom = base(&tmp("profile2"))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&dom.stderr);
    assert!(
        !log.contains(":CONSOLE"),
        "console messages while loading the DOM: {log}"
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.matches("<svg").count() >= 6,
        "figures missing from the DOM"
    );
    assert!(dom.contains("<polyline") && dom.contains("Outcomes per policy"));

    // Measured in the browser, on a copy of the report with a probe script (the report
    // itself has none): with four metrics no table is wider than the page, the page does
    // not scroll sideways, and the smallest figure text is at least 10 px.
    let out = cogov(&[
        "plot",
        dir.to_str().unwrap(),
        "--formats",
        "svg",
        "--metrics",
        "active_share,trust_institutional_mean,complaints,resolution_days_mean",
    ]);
    assert!(out.status.success());
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let probe = r#"<script>
addEventListener('load', () => {
  const body = document.body.getBoundingClientRect();
  const wide = [...document.querySelectorAll('table')]
    .filter(t => t.getBoundingClientRect().right > body.right + 1).length;
  const scroll = document.documentElement.scrollWidth > window.innerWidth ? 1 : 0;
  let min = 1e9;
  for (const s of document.querySelectorAll('figure svg')) {
    const k = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
    for (const t of s.querySelectorAll('text')) {
      min = Math.min(min, parseFloat(t.getAttribute('font-size')) * k);
    }
  }
  const d = document.createElement('div');
  d.id = 'probe';
  d.textContent = `wide=${wide} scroll=${scroll} minpx=${min.toFixed(2)}`;
  document.body.appendChild(d);
});
</script></body>"#;
    let probed = dir.join("probe.html");
    std::fs::write(&probed, html.replace("</body>", probe)).unwrap();
    let dom = base(&tmp("profile3"))
        .arg("--window-size=1200,2400")
        .arg("--virtual-time-budget=5000")
        .arg("--dump-dom")
        .arg(format!("file://{}", probed.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    let result = dom
        .split("<div id=\"probe\">")
        .nth(1)
        .and_then(|r| r.split("</div>").next())
        .unwrap_or_else(|| panic!("the probe did not run: {dom}"));
    let field = |k: &str| -> f64 {
        result
            .split_whitespace()
            .find_map(|f| f.strip_prefix(&format!("{k}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{k} in {result}"))
    };
    assert_eq!(
        field("wide"),
        0.0,
        "a table is wider than the page: {result}"
    );
    assert_eq!(field("scroll"), 0.0, "the page scrolls sideways: {result}");
    assert!(
        field("minpx") >= 10.0 - 1e-6,
        "figure text below 10 px: {result}"
    );
}
