//! `report.html`: one self-contained page (inline SVG and CSS, no scripts, no network, no
//! web fonts) with the scenario and its question, the provenance block, the sensitivity
//! indices (for a sensitivity design, first), the outcome and contrast tables, and every
//! figure. Tables fit the page (intervals go on a second line of their cell); numbers are
//! rounded to the precision their interval supports; figures are shown at a size where
//! their smallest text is at least [`MIN_TEXT_PX`] CSS pixels.

use std::fmt::Write as _;

use super::data::{Dataset, DirKind, Table, num};
use super::{PlotConfig, WrittenFigure, axis_label, contrasts};
use crate::Result;

/// Smallest text size in a figure as the report shows it, in CSS pixels.
pub const MIN_TEXT_PX: f64 = 10.0;

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number in four significant digits (scientific notation outside 0.001 to 100,000).
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "NA".into();
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        return format!("{v:.3e}");
    }
    let decimals = if a == 0.0 {
        0
    } else {
        (3 - a.log10().floor() as i32).max(0) as usize
    };
    trim(format!("{v:.decimals$}"))
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Decimals that show an interval's half-width `h` to two significant digits (negative:
/// round to tens, hundreds, ...).
fn decimals_for(h: f64) -> i32 {
    if h > 0.0 && h.is_finite() {
        1 - h.log10().floor() as i32
    } else {
        4
    }
}

/// `x` rounded to `d` decimals (to 10^−d when d < 0), as text; never "-0".
fn fixed(x: f64, d: i32) -> String {
    if !x.is_finite() {
        return "NA".into();
    }
    let s = if d >= 0 {
        format!("{x:.*}", d as usize)
    } else {
        let p = 10f64.powi(-d);
        format!("{:.0}", (x / p).round() * p)
    };
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// A mean and its interval, both to the precision the interval supports (two significant
/// digits of its half-width), the interval on a second line; without an interval, the
/// mean in four significant digits.
pub fn fmt_ci(mean: f64, lo: f64, hi: f64) -> String {
    if !(lo.is_finite() && hi.is_finite() && mean.is_finite()) {
        return fmt_num(mean);
    }
    if hi - lo <= 0.0 {
        let m = fmt_num(mean);
        return format!("{m}<br><span class=ci>[{m}, {m}]</span>");
    }
    let d = decimals_for((hi - lo) / 2.0);
    format!(
        "{}<br><span class=ci>[{}, {}]</span>",
        fixed(mean, d),
        fixed(lo, d),
        fixed(hi, d)
    )
}

const CSS: &str = "body{font-family:\"DejaVu Sans\",Verdana,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1rem}
table{border-collapse:collapse;font-size:.8rem;margin:.5rem 0;max-width:100%}
th,td{border:1px solid #ccc;padding:.2rem .4rem;text-align:right;vertical-align:top}th{background:#f2f2f2;font-weight:600}
td{white-space:nowrap}td:first-child,th:first-child{text-align:left;white-space:normal}.ci{color:#555}
table.prov td{white-space:normal;word-break:break-all}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto;display:block}
svg text{font-family:\"DejaVu Sans\",Verdana,sans-serif}figcaption{font-size:.85rem;color:#333}
pre{background:#f7f7f7;padding:.5rem;overflow-x:auto;font-size:.75rem}.note{color:#555;font-size:.85rem}
details{margin:.5rem 0}summary{cursor:pointer}";

/// What the report is made of.
pub struct Inputs<'a> {
    /// The directory's data.
    pub ds: &'a Dataset,
    /// Figure settings.
    pub cfg: &'a PlotConfig,
    /// Summary columns shown in the tables.
    pub columns: &'a [String],
    /// `aggregate.csv`.
    pub aggregate: Option<&'a Table>,
    /// Rows of `contrasts.csv` for the shown policies and columns.
    pub contrasts: &'a [contrasts::Row],
    /// `sensitivity.csv`.
    pub sensitivity: Option<&'a Table>,
    /// The factorial section (effects, interactions, Shapley values), when there is one.
    pub factorial: Option<String>,
    /// The figures, in order.
    pub figures: &'a [WrittenFigure],
    /// Things left out and why.
    pub notes: &'a [String],
}

/// The report page.
pub fn html(inp: &Inputs) -> Result<String> {
    let ds = inp.ds;
    let name = ds.manifest_str("scenario_name").unwrap_or("cogov results");
    let mut h = String::with_capacity(1 << 20);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{CSS}</style></head><body>\n<h1>{}</h1>\n",
        esc(name),
        esc(name)
    );
    let kind = if ds.kind == DirKind::Experiment {
        "experiment"
    } else {
        "single run"
    };
    let _ = writeln!(
        h,
        "<p class=note>{} in <code>{}</code>.</p>",
        kind,
        esc(&ds.dir.display().to_string())
    );
    if let Some(d) = ds.manifest_str("description").filter(|d| !d.is_empty()) {
        let _ = writeln!(h, "<h2>Question</h2>\n<p>{}</p>", esc(d));
    }
    provenance(&mut h, &ds.manifest);
    if !ds.sweep_cols.is_empty() {
        let _ = writeln!(
            h,
            "<p>{}: {}.</p>",
            if matches!(ds.design(), "morris" | "sobol") {
                "Parameters varied"
            } else {
                "Swept parameters"
            },
            ds.sweep_cols
                .iter()
                .map(|c| format!("<code>{}</code>", esc(c)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    // Designs with many points show their per-point outcomes folded away.
    let sensitivity_design =
        matches!(ds.design(), "morris" | "sobol") || ds.manifest.get("factorial").is_some();
    if let Some(t) = inp.sensitivity {
        sensitivity_tables(&mut h, t)?;
    }
    if let Some(section) = &inp.factorial {
        h.push_str(section);
    }
    if let Some(t) = inp.aggregate {
        let mut table = String::new();
        aggregate_table(&mut table, ds, t, inp.columns)?;
        if sensitivity_design {
            let _ = writeln!(
                h,
                "<details><summary>Outcomes at each of the {} design points</summary>\n{table}</details>",
                ds.groups.len()
            );
        } else {
            h.push_str(&table);
        }
    }
    if !inp.contrasts.is_empty() {
        contrast_table(&mut h, ds, inp.contrasts, inp.columns);
    }
    let _ = writeln!(h, "<h2>Figures</h2>");
    let k = figure_scale(inp.cfg.font_pt);
    for (i, f) in inp.figures.iter().enumerate() {
        let files: Vec<String> = f
            .files
            .iter()
            .filter_map(|p| {
                p.file_name()
                    .map(|n| format!("<a href=\"figures/{0}\">{0}</a>", esc(&n.to_string_lossy())))
            })
            .collect();
        let _ = writeln!(
            h,
            "<figure id=\"fig-{}\"><h3>Figure {}. {}</h3>\n{}\n<figcaption>{} Files: {}.</figcaption></figure>",
            esc(&f.figure.name),
            i + 1,
            esc(&f.figure.title),
            sized(f.figure.svg.trim(), k),
            esc(&f.figure.caption),
            files.join(", ")
        );
    }
    if !inp.notes.is_empty() {
        let _ = writeln!(
            h,
            "<h2>Notes</h2><ul>{}</ul>",
            inp.notes
                .iter()
                .map(|n| format!("<li>{}</li>", esc(n)))
                .collect::<String>()
        );
    }
    if let Some(toml) = ds.manifest_str("scenario_toml") {
        let _ = writeln!(
            h,
            "<h2>Scenario</h2><details><summary>Resolved scenario (TOML)</summary><pre>{}</pre></details>",
            esc(toml)
        );
    }
    let _ = writeln!(
        h,
        "<p class=note>Intervals: Student-t 95% CI of the mean across replicates (in figures, a percentile bootstrap where the t interval would leave a metric's range); contrasts are paired by replicate seed. \
         Figures drawn by <code>cogov plot</code> at {} × {} in and shown here {:.0}% larger, so that their smallest text is at least {MIN_TEXT_PX} px. Columns are defined in <code>metrics.csv</code>.</p>\n</body></html>",
        inp.cfg.width_in,
        inp.cfg.height_in,
        (k - 1.0) * 100.0
    );
    Ok(h)
}

/// The factor by which figures are enlarged in the page so that tick labels (one point
/// below `font_pt`) are at least [`MIN_TEXT_PX`] CSS pixels (1 pt = 96/72 px).
pub fn figure_scale(font_pt: f64) -> f64 {
    let smallest_px = (font_pt - 1.0) * 96.0 / 72.0;
    (MIN_TEXT_PX / smallest_px).max(1.0)
}

/// The SVG with an explicit CSS width: its physical width (in inches) times `k`.
fn sized(svg: &str, k: f64) -> String {
    let Some(start) = svg.find("width=\"") else {
        return svg.to_string();
    };
    let rest = &svg[start + 7..];
    let Some(end) = rest.find("in\"") else {
        return svg.to_string();
    };
    let Ok(inches) = rest[..end].parse::<f64>() else {
        return svg.to_string();
    };
    let px = (inches * 96.0 * k).ceil();
    svg.replacen("<svg ", &format!("<svg style=\"width:{px}px\" "), 1)
}

/// The provenance block of the manifest, as a two-column table.
fn provenance(h: &mut String, manifest: &serde_json::Value) {
    let Some(p) = manifest.get("provenance") else {
        return;
    };
    let text = |k: &str| -> Option<String> {
        p.get(k).and_then(|v| match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        })
    };
    let mut rows: Vec<(&str, String)> = Vec::new();
    let commit = text("cogov_commit").unwrap_or_else(|| "unknown".into());
    let dirty = match p.get("cogov_commit_dirty").and_then(|v| v.as_bool()) {
        Some(true) => " (with uncommitted changes)",
        _ => "",
    };
    rows.push((
        "cogov",
        format!(
            "{} ({} build), commit {commit}{dirty}",
            text("cogov_version").unwrap_or_default(),
            text("build").unwrap_or_default()
        ),
    ));
    if let Some(v) = text("scenario_hash") {
        rows.push(("scenario hash (SHA-256)", v));
    }
    if let Some(v) = p.get("seed") {
        let seed = match v.get("master_seed") {
            Some(m) => format!("master seed {m} (replicate seeds derived from it)"),
            None => v.to_string(),
        };
        rows.push(("seed", seed));
    }
    if let Some(v) = text("started") {
        rows.push(("started", v));
    }
    if let (Some(c), Some(t)) = (text("host_cores"), text("threads")) {
        rows.push(("cores (host / used)", format!("{c} / {t}")));
    }
    if let Some(w) = p.get("wall_seconds").and_then(|v| v.as_f64()) {
        rows.push(("wall time", format!("{} s", fmt_num(w))));
    }
    if let Some(m) = p.get("peak_rss_bytes").and_then(|v| v.as_f64()) {
        rows.push(("peak memory", format!("{} MiB", fmt_num(m / 1048576.0))));
    }
    if let Some(shards) = manifest.get("shards").and_then(|v| v.as_array()) {
        rows.push((
            "shards",
            format!(
                "{} shards, each with its own provenance in manifest.json",
                shards.len()
            ),
        ));
    }
    let _ = writeln!(
        h,
        "<h2>Provenance</h2>\n<table class=prov id=provenance><tbody>"
    );
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><td>{}</td><td>{}</td></tr>", esc(k), esc(&v));
    }
    let _ = writeln!(h, "</tbody></table>");
}

/// One table per metric of `sensitivity.csv`: a row per parameter, a column per index.
fn sensitivity_tables(h: &mut String, t: &Table) -> Result<()> {
    let [c_m, c_p, c_i, c_v] = ["metric", "parameter", "index", "value"].map(|c| t.require(c));
    let (c_m, c_p, c_i, c_v) = (c_m?, c_p?, c_i?, c_v?);
    let (c_lo, c_hi) = (t.col("ci95_low"), t.col("ci95_high"));
    let mut metrics: Vec<String> = Vec::new();
    for r in &t.rows {
        if !metrics.contains(&r[c_m].to_string()) {
            metrics.push(r[c_m].to_string());
        }
    }
    let _ = writeln!(
        h,
        "<h2>Sensitivity indices</h2>\n<p class=note>Per output metric and parameter: Morris μ* (mean absolute elementary effect), σ and μ, or Sobol' first-order S1 and total ST; bootstrap 95% CI below each value.</p>"
    );
    for m in metrics {
        let rows: Vec<&csv::StringRecord> = t.rows.iter().filter(|r| r[c_m] == *m).collect();
        let mut indices: Vec<String> = Vec::new();
        let mut params: Vec<String> = Vec::new();
        for r in &rows {
            if !indices.contains(&r[c_i].to_string()) {
                indices.push(r[c_i].to_string());
            }
            if !params.contains(&r[c_p].to_string()) {
                params.push(r[c_p].to_string());
            }
        }
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<table><thead><tr><th>parameter</th>{}</tr></thead><tbody>",
            esc(&axis_label(&m)),
            indices
                .iter()
                .map(|i| format!("<th>{}</th>", esc(index_name(i))))
                .collect::<String>()
        );
        for p in &params {
            let _ = write!(h, "<tr><td><code>{}</code></td>", esc(p));
            for i in &indices {
                let cell = rows
                    .iter()
                    .find(|r| &r[c_p] == p && &r[c_i] == i)
                    .map(|r| {
                        let get = |c: Option<usize>| c.map_or(f64::NAN, |c| num(&r[c]));
                        fmt_ci(num(&r[c_v]), get(c_lo), get(c_hi))
                    })
                    .unwrap_or_else(|| "NA".into());
                let _ = write!(h, "<td>{cell}</td>");
            }
            let _ = writeln!(h, "</tr>");
        }
        let _ = writeln!(h, "</tbody></table>");
    }
    Ok(())
}

/// Readable name of a sensitivity index.
pub fn index_name(idx: &str) -> &str {
    match idx {
        "mu_star" => "μ*",
        "sigma" => "σ",
        "mu" => "μ",
        "S1" => "S1",
        "ST" => "ST",
        "S2" => "S2",
        other => other,
    }
}

fn aggregate_table(h: &mut String, ds: &Dataset, t: &Table, columns: &[String]) -> Result<()> {
    let (c_pol, c_m, c_mean) = (
        t.require("policy")?,
        t.require("metric")?,
        t.require("mean")?,
    );
    let (c_lo, c_hi, c_n) = (t.col("ci95_low"), t.col("ci95_high"), t.col("n"));
    let sweep: Vec<usize> = ds
        .sweep_cols
        .iter()
        .map(|c| t.require(c))
        .collect::<Result<_>>()?;
    let mut cells = vec![vec![None::<String>; columns.len()]; ds.groups.len()];
    let mut ns = vec![None::<String>; ds.groups.len()];
    for r in &t.rows {
        let Some(k) = columns.iter().position(|c| c == &r[c_m]) else {
            continue;
        };
        let key: Vec<&str> = sweep.iter().map(|&i| &r[i]).collect();
        let Some(g) = ds.group_by_key(&r[c_pol], &key) else {
            continue;
        };
        let get = |c: Option<usize>| c.map_or(f64::NAN, |c| num(&r[c]));
        cells[g][k] = Some(fmt_ci(num(&r[c_mean]), get(c_lo), get(c_hi)));
        ns[g] = c_n.map(|c| r[c].to_string());
    }
    let _ = writeln!(
        h,
        "<h2>Outcomes per policy</h2>\n<p class=note>Mean across replicates, its Student-t 95% CI below (as in <code>aggregate.csv</code>; with few replicates it can cross a bound such as a count's zero).</p>\n<table id=outcomes><thead><tr><th>policy</th><th>n</th>"
    );
    for c in columns {
        let _ = write!(h, "<th>{}</th>", esc(&axis_label(c)));
    }
    let _ = writeln!(h, "</tr></thead><tbody>");
    for (g, grp) in ds.groups.iter().enumerate() {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td>",
            esc(&grp.label),
            esc(ns[g].as_deref().unwrap_or(""))
        );
        for cell in &cells[g] {
            let _ = write!(h, "<td>{}</td>", cell.as_deref().unwrap_or("NA"));
        }
        let _ = writeln!(h, "</tr>");
    }
    let _ = writeln!(h, "</tbody></table>");
    Ok(())
}

fn contrast_table(h: &mut String, ds: &Dataset, rows: &[contrasts::Row], columns: &[String]) {
    let baseline = rows.first().map(|r| r.baseline.as_str()).unwrap_or("");
    let _ = writeln!(
        h,
        "<h2>Contrasts against {}</h2>\n<p class=note>Paired difference (policy − baseline) with its 95% CI below, Cohen's d and Vargha–Delaney A12 (NA from fewer than two pairs).</p>\n\
         <table id=contrasts><thead><tr><th>policy</th><th>metric</th><th>n</th><th>difference</th><th>d</th><th>A12</th></tr></thead><tbody>",
        esc(baseline)
    );
    for col in columns {
        for r in rows.iter().filter(|r| &r.metric == col) {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&ds.groups[r.group].label),
                esc(&axis_label(col)),
                fmt_num(r.n),
                fmt_ci(r.mean_diff, r.lo, r.hi),
                fmt_num(r.d),
                fmt_num(r.a12)
            );
        }
    }
    let _ = writeln!(h, "</tbody></table>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_formats() {
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(f64::NAN), "NA");
        assert_eq!(fmt_num(2.0), "2");
        assert_eq!(fmt_num(0.123456), "0.1235");
        assert_eq!(fmt_ci(1.0, f64::NAN, 2.0), "1");
    }

    #[test]
    fn an_interval_sets_the_precision_of_its_mean() {
        assert_eq!(
            fmt_ci(0.123456, 0.1201, 0.1268),
            "0.1235<br><span class=ci>[0.1201, 0.1268]</span>"
        );
        assert_eq!(
            fmt_ci(123.456, 111.2, 135.7),
            "123<br><span class=ci>[111, 136]</span>"
        );
        assert_eq!(
            fmt_ci(12_345_678.0, 12_045_678.0, 12_645_678.0),
            "12350000<br><span class=ci>[12050000, 12650000]</span>"
        );
        assert_eq!(
            fmt_ci(0.0, -0.05, 0.05),
            "0.000<br><span class=ci>[-0.050, 0.050]</span>"
        );
    }

    #[test]
    fn figures_are_enlarged_to_readable_text() {
        // 8 pt axis labels, 7 pt ticks: 9.33 px, so figures are shown 7% larger.
        let k = figure_scale(8.0);
        assert!((k * 7.0 * 96.0 / 72.0 - MIN_TEXT_PX).abs() < 1e-9);
        assert_eq!(figure_scale(12.0), 1.0);
        let svg = "<svg width=\"7.0000in\" height=\"3in\" viewBox=\"0 0 1344 576\">";
        assert!(sized(svg, k).starts_with("<svg style=\"width:720px\" "));
    }
}
