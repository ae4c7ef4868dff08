//! `cogov serve` driven through its page in headless Chromium (Debian's `chromium`, with
//! the `headless_chrome` crate): load a scenario, upload one, play, switch a mechanism, see
//! the paired difference appear, export, and run the export through `cogov run` to compare
//! bytes with what the page offers. Skips when no Chromium is installed.
//!
//! `COGOV_SCREENSHOT=path.png` also saves the page's screenshot there (the README's figure
//! is made that way).

mod common;

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{TINY_WORLD, bin, cogov, tmp};
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions, Tab};

struct Serve {
    child: Child,
    url: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(scenario: &Path) -> Serve {
    let mut child = bin()
        .arg("serve")
        .arg(scenario)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("cogov serve: ")
        .unwrap()
        .to_string();
    Serve { child, url }
}

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

fn js(tab: &Tab, expr: &str) -> serde_json::Value {
    tab.evaluate(expr, true)
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
        .value
        .unwrap_or(serde_json::Value::Null)
}

fn text(tab: &Tab, selector: &str) -> String {
    js(
        tab,
        &format!("(document.querySelector({selector:?}) || {{}}).textContent || ''"),
    )
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Waits (bounded, not a timing assertion) until `cond` holds on the page.
fn until(tab: &Tab, what: &str, cond: impl Fn(&Tab) -> bool) {
    let start = Instant::now();
    while !cond(tab) {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "timed out waiting for {what}; status: {:?}, error: {:?}, charts: {}, page errors: {}",
            text(tab, "#status"),
            text(tab, "#error"),
            js(
                tab,
                "JSON.stringify([...document.querySelectorAll('.chart')].map(c => [c.dataset.metric, c.querySelector('.readout').textContent]))"
            ),
            js(tab, "JSON.stringify(window.__errors || [])"),
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn set_value(tab: &Tab, selector: &str, value: &str) {
    js(
        tab,
        &format!("document.querySelector({selector:?}).value = {value:?}; true"),
    );
}

fn readout(tab: &Tab, metric: &str) -> (Option<f64>, Option<f64>, Option<f64>, String) {
    // Objects do not come back by value: the page returns JSON text.
    let v = js(
        tab,
        &format!(
            "(() => {{ const r = document.querySelector('.chart[data-metric={metric}] .readout'); return JSON.stringify(r ? [r.dataset.diff || '', r.dataset.low || '', r.dataset.high || '', r.dataset.day || ''] : null); }})()"
        ),
    );
    let v: serde_json::Value = serde_json::from_str(v.as_str().unwrap_or("null")).unwrap();
    let f = |i: usize| v[i].as_str().and_then(|s| s.parse::<f64>().ok());
    (f(0), f(1), f(2), v[3].as_str().unwrap_or("").to_string())
}

#[test]
fn the_page_loads_plays_steers_compares_and_exports() {
    let Some(path) = chromium() else {
        println!("skipped: no chromium");
        return;
    };
    let dir = tmp("browser");
    let scenario = dir.join("start.toml");
    std::fs::write(
        &scenario,
        format!("name = \"start\"\nticks = 20\n{TINY_WORLD}"),
    )
    .unwrap();
    let server = serve(&scenario);

    let profile = dir.join("profile");
    let extra: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--disable-component-update",
        "--disable-background-networking",
        "--disable-sync",
        "--no-first-run",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(path))
            .headless(true)
            .sandbox(false)
            .window_size(Some((1500, 1300)))
            .user_data_dir(Some(profile))
            .args(extra)
            .idle_browser_timeout(Duration::from_secs(300))
            .build()
            .unwrap(),
    )
    .expect("chromium starts");
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(60));
    // Page errors are collected from the first script on.
    tab.call_method(headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument {
        source: "window.__errors = []; window.addEventListener('error', e => window.__errors.push(e.message)); window.addEventListener('unhandledrejection', e => window.__errors.push(String(e.reason)));".into(),
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })
    .unwrap();
    tab.navigate_to(&server.url).unwrap();
    tab.wait_until_navigated().unwrap();
    tab.wait_for_element("#switch-grid").unwrap();
    until(&tab, "the first session", |t| {
        text(t, "#status").starts_with("paused")
    });

    // Upload a scenario through the file input: a bad one shows its line:column and key.
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "ticks = 10\n[world]\nresidents = -3\n").unwrap();
    tab.find_element("#upload")
        .unwrap()
        .set_input_files(&[bad.to_str().unwrap()])
        .unwrap();
    until(&tab, "the upload error", |t| {
        text(t, "#error").contains("bad.toml:3:")
    });

    // Load a shipped scenario, then shrink its world and horizon on reset.
    set_value(&tab, "#scenario", "policies");
    tab.find_element("#load").unwrap().click().unwrap();
    until(&tab, "the policies scenario", |t| {
        text(t, "#title").starts_with("policies") && text(t, "#status").starts_with("paused")
    });
    for (id, v) in [
        ("#w-residents", "1500"),
        ("#w-communities", "3"),
        ("#w-grids", "6"),
        ("#w-ticks", "30"),
        ("#w-replicates", "3"),
        ("#w-seed", "5"),
    ] {
        set_value(&tab, id, v);
    }
    tab.find_element("#reset").unwrap().click().unwrap();
    until(&tab, "the small world", |t| {
        text(t, "#title").contains("1,500 residents · 3 replicates")
            && text(t, "#status").starts_with("paused")
    });

    // Ten days with the scenario as loaded: explored and baseline are the same model with
    // the same seeds, so their paired difference is exactly zero.
    tab.find_element("#step10").unwrap().click().unwrap();
    until(&tab, "day 10", |t| text(t, "#status").contains("day 10/30"));
    until(&tab, "the charts", |t| {
        readout(t, "detection_days_mean").3 == "9"
    });
    let (d, lo, hi, _) = readout(&tab, "detection_days_mean");
    assert_eq!((d, lo, hi), (Some(0.0), Some(0.0), Some(0.0)));

    // Switch grid patrols on at the next tick, then play to the end.
    tab.find_element("#switch-grid").unwrap().click().unwrap();
    until(&tab, "the change", |t| {
        text(t, "#changes").contains("day 10: mechanisms.grid.enabled = true")
    });
    tab.find_element("#play").unwrap().click().unwrap();
    until(&tab, "the end", |t| {
        text(t, "#status").starts_with("finished")
    });
    until(&tab, "the last day", |t| {
        readout(t, "detection_days_mean").3 == "29"
    });
    let (d, lo, hi, _) = readout(&tab, "detection_days_mean");
    let (d, lo, hi) = (d.unwrap(), lo.unwrap(), hi.unwrap());
    assert!(
        d != 0.0 && lo <= d && d <= hi,
        "difference {d} [{lo}, {hi}]"
    );
    assert!(text(&tab, ".chart[data-metric=detection_days_mean] .readout").contains("difference"));

    // The district view and the pipeline show numbers for both arms.
    until(&tab, "the pipeline", |t| {
        text(t, "#pipeline").contains("reference")
    });
    let pipeline = text(&tab, "#pipeline");
    assert!(
        pipeline.contains("latent") && pipeline.contains("resolved"),
        "{pipeline}"
    );
    let painted = js(
        &tab,
        "(() => { const c = document.getElementById('district'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const s = new Set(); for (let i = 0; i < d.length; i += 4 * 97) s.add(d[i] + ',' + d[i+1] + ',' + d[i+2]); return s.size; })()",
    );
    assert!(
        painted.as_u64().unwrap() > 5,
        "district view is blank: {painted}"
    );
    js(
        &tab,
        "(() => { const c = document.getElementById('district'); const r = c.getBoundingClientRect(); c.dispatchEvent(new MouseEvent('click', {clientX: r.left + 5, clientY: r.top + 5, bubbles: true})); return true; })()",
    );
    until(&tab, "the community series", |t| {
        text(t, "#community").contains("community 0")
    });

    // Export; the exported file through `cogov run` gives the page's CSV byte for byte.
    tab.find_element("#export").unwrap().click().unwrap();
    until(&tab, "the export", |t| {
        js(t, "document.getElementById('export-text').value.length").as_u64() > Some(100)
    });
    let exported = js(&tab, "document.getElementById('export-text').value")
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        exported.contains("[[change]]") && exported.contains("day = 10"),
        "{exported}"
    );
    let csv = js(
        &tab,
        "fetch(document.getElementById('csv').href).then(r => r.text())",
    )
    .as_str()
    .unwrap()
    .to_string();
    assert_eq!(csv.lines().count(), 31);
    // The page names the command that reproduces replicate 0.
    let command = text(&tab, "#run-command");
    let seed = command
        .split("--seed ")
        .nth(1)
        .unwrap_or_else(|| panic!("no seed in {command:?}"))
        .trim()
        .to_string();
    let file = dir.join("exported.toml");
    std::fs::write(&file, &exported).unwrap();
    let out = dir.join("run");
    let run = cogov(&[
        "run",
        file.to_str().unwrap(),
        "--seed",
        &seed,
        "--out",
        out.to_str().unwrap(),
        "--no-plot",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let batch = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    assert!(
        batch == csv,
        "the page's timeseries.csv differs from `cogov run`"
    );

    // A screenshot that is not blank.
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![
        0;
        reader
            .output_buffer_size()
            .expect("the screenshot fits in memory")
    ];
    let info = reader.next_frame(&mut buf).unwrap();
    let grey: Vec<f64> = buf[..info.buffer_size()]
        .chunks(info.color_type.samples())
        .map(|p| p[..3].iter().map(|&c| c as f64).sum::<f64>() / 3.0)
        .collect();
    let mean = grey.iter().sum::<f64>() / grey.len() as f64;
    let var = grey.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / grey.len() as f64;
    assert!(var > 100.0, "the screenshot is nearly uniform");
    if let Ok(path) = std::env::var("COGOV_SCREENSHOT") {
        std::fs::write(path, &png).unwrap();
    }
}

/// Draws `docs/figures/serve.png` for the README: the Shangcheng scenario at 60,000
/// residents, 5 replicates per arm against the baseline, deliberation switched off live
/// once past day 120, paused once past day 365. Run with `cargo test --release --test serve_browser readme_screenshot -- --ignored`.
#[test]
#[ignore]
fn readme_screenshot() {
    let path = chromium().expect("chromium");
    let dir = tmp("readme");
    let shangcheng = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/shangcheng.toml"
    ))
    .unwrap()
    .replace("residents = 340000 ", "residents = 60000  ");
    assert!(shangcheng.contains("residents = 60000"));
    let scenario = dir.join("shangcheng_60k.toml");
    std::fs::write(&scenario, shangcheng).unwrap();
    let server = serve(&scenario);
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--disable-component-update",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(path))
            .headless(true)
            .sandbox(false)
            .window_size(Some((1600, 2150)))
            .user_data_dir(Some(dir.join("profile")))
            .args(args)
            .idle_browser_timeout(Duration::from_secs(600))
            .build()
            .unwrap(),
    )
    .unwrap();
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(120));
    tab.navigate_to(&server.url).unwrap();
    tab.wait_until_navigated().unwrap();
    until(&tab, "the worlds", |t| {
        text(t, "#status").starts_with("paused")
    });
    js(&tab, "document.getElementById('speed').value = '0'; true");
    tab.find_element("#play").unwrap().click().unwrap();
    until(&tab, "day 120", |t| {
        text(t, "#status")
            .split("day ")
            .nth(1)
            .and_then(|d| d.split('/').next())
            .and_then(|d| d.parse::<u32>().ok())
            .is_some_and(|d| d >= 120)
    });
    tab.find_element("#pause").unwrap().click().unwrap();
    until(&tab, "the pause", |t| {
        text(t, "#status").starts_with("paused")
    });
    tab.find_element("#switch-deliberation")
        .unwrap()
        .click()
        .unwrap();
    until(&tab, "the change", |t| {
        text(t, "#changes").contains("deliberation")
    });
    tab.find_element("#play").unwrap().click().unwrap();
    until(&tab, "day 365", |t| {
        text(t, "#status")
            .split("day ")
            .nth(1)
            .and_then(|d| d.split('/').next())
            .and_then(|d| d.parse::<u32>().ok())
            .is_some_and(|d| d >= 365)
    });
    tab.find_element("#pause").unwrap().click().unwrap();
    until(&tab, "the pause", |t| {
        text(t, "#status").starts_with("paused")
    });
    js(
        &tab,
        "document.getElementById('place-metric').value = '2'; document.getElementById('place-metric').dispatchEvent(new Event('change')); true",
    );
    js(
        &tab,
        "(() => { const c = document.getElementById('district'); const r = c.getBoundingClientRect(); c.dispatchEvent(new MouseEvent('click', {clientX: r.left + r.width * 0.3, clientY: r.top + 40, bubbles: true})); return true; })()",
    );
    until(&tab, "the community series", |t| {
        text(t, "#community").contains("community")
    });
    std::thread::sleep(Duration::from_millis(500));
    js(&tab, "window.scrollTo(0, 0); true");
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/figures/serve.png");
    std::fs::write(out, png).unwrap();
}
