//! `report.html`: one self-contained page (inline SVG and CSS, no scripts, no network, no
//! web fonts) with the scenario and its question, the outcome and contrast tables, and
//! every figure.

use std::fmt::Write as _;

use super::data::{Dataset, DirKind, Table, num};
use super::{PlotConfig, WrittenFigure, axis_label, contrasts};
use crate::Result;

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "NA".into();
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

fn fmt_ci(mean: f64, lo: f64, hi: f64) -> String {
    if lo.is_finite() && hi.is_finite() {
        format!(
            "{} <span class=ci>[{}, {}]</span>",
            fmt_num(mean),
            fmt_num(lo),
            fmt_num(hi)
        )
    } else {
        fmt_num(mean)
    }
}

const CSS: &str = "body{font-family:\"DejaVu Sans\",Verdana,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1rem}
table{border-collapse:collapse;font-size:.8rem;margin:.5rem 0;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:.2rem .4rem;text-align:right;white-space:nowrap}th{background:#f2f2f2}
td:first-child,th:first-child{text-align:left}.ci{color:#555}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto;display:block}
svg text{font-family:\"DejaVu Sans\",Verdana,sans-serif}figcaption{font-size:.85rem;color:#333}
pre{background:#f7f7f7;padding:.5rem;overflow-x:auto;font-size:.75rem}.note{color:#555;font-size:.85rem}";

/// The report page.
pub fn html(
    ds: &Dataset,
    cfg: &PlotConfig,
    columns: &[String],
    aggregate: Option<&Table>,
    contrast_rows: &[contrasts::Row],
    figures: &[WrittenFigure],
    notes: &[String],
) -> Result<String> {
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
    if let Some(d) = ds.manifest_str("description") {
        let _ = writeln!(h, "<h2>Question</h2>\n<p>{}</p>", esc(d));
    }
    if !ds.sweep_cols.is_empty() {
        let _ = writeln!(
            h,
            "<p>Swept parameters: {}.</p>",
            ds.sweep_cols
                .iter()
                .map(|c| format!("<code>{}</code>", esc(c)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Some(t) = aggregate {
        aggregate_table(&mut h, ds, t, columns)?;
    }
    if !contrast_rows.is_empty() {
        contrast_table(&mut h, ds, contrast_rows, columns);
    }
    let _ = writeln!(h, "<h2>Figures</h2>");
    for (i, f) in figures.iter().enumerate() {
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
            f.figure.svg.trim(),
            esc(&f.figure.caption),
            files.join(", ")
        );
    }
    if !notes.is_empty() {
        let _ = writeln!(
            h,
            "<h2>Notes</h2><ul>{}</ul>",
            notes
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
        "<p class=note>Intervals: Student-t 95% CI of the mean across replicates; contrasts are paired by replicate seed. \
         Figures drawn by <code>cogov plot</code> at {} × {} in.</p>\n</body></html>",
        cfg.width_in, cfg.height_in
    );
    Ok(h)
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
        "<h2>Outcomes per policy</h2>\n<p class=note>Mean across replicates [95% CI].</p>\n<table><thead><tr><th>policy</th><th>n</th>"
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
        "<h2>Contrasts against {}</h2>\n<p class=note>Paired difference (policy − baseline) with 95% CI, Cohen's d and Vargha–Delaney A12.</p>\n\
         <table><thead><tr><th>policy</th><th>metric</th><th>n</th><th>difference [95% CI]</th><th>d</th><th>A12</th></tr></thead><tbody>",
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
        assert_eq!(fmt_ci(1.0, f64::NAN, 2.0), "1");
    }
}
