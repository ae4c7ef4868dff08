//! Sensitivity: bars of each parameter's index (Morris μ*, σ; Sobol S1, ST, ...) with their
//! CIs, one panel per index, one figure per metric, when `sensitivity.csv` is present.

use plotters::prelude::*;

use super::chart::{self, Axes, Panel, de};
use super::data::{Table, num, short_param};
use super::style::{self, Scale};
use super::{Figure, axis_label};
use crate::Result;

/// Order in which indices are drawn.
pub const INDEX_ORDER: [&str; 6] = ["mu_star", "sigma", "mu", "S1", "ST", "S2"];

/// One figure per metric of the table: those in `columns` first, then the rest in file order.
pub fn figures(table: &Table, columns: &[String], s: &Scale) -> Result<Vec<Figure>> {
    let [c_m, c_p, c_i, c_v] = ["metric", "parameter", "index", "value"].map(|c| table.require(c));
    let (c_m, c_p, c_i, c_v) = (c_m?, c_p?, c_i?, c_v?);
    let (c_lo, c_hi) = (table.col("ci95_low"), table.col("ci95_high"));
    let mut present: Vec<String> = Vec::new();
    for r in &table.rows {
        if !present.iter().any(|m| m == &r[c_m]) {
            present.push(r[c_m].to_string());
        }
    }
    // The metrics were chosen in [sensitivity].metrics: draw them all, the plotted
    // metrics first.
    let mut chosen: Vec<String> = columns
        .iter()
        .filter(|c| present.contains(c))
        .cloned()
        .collect();
    for m in present {
        if !chosen.contains(&m) {
            chosen.push(m);
        }
    }
    let mut figs = Vec::new();
    for metric in &chosen {
        let rows: Vec<&csv::StringRecord> =
            table.rows.iter().filter(|r| &r[c_m] == metric).collect();
        let mut params: Vec<String> = Vec::new();
        for r in &rows {
            if !params.iter().any(|p| p == &r[c_p]) {
                params.push(r[c_p].to_string());
            }
        }
        let mut panels = Vec::new();
        for idx in INDEX_ORDER
            .iter()
            .copied()
            .filter(|i| rows.iter().any(|r| &r[c_i] == *i))
        {
            let bars: Vec<(usize, f64, f64, f64)> = rows
                .iter()
                .filter(|r| &r[c_i] == idx)
                .filter_map(|r| {
                    let p = params.iter().position(|p| p == &r[c_p])?;
                    Some((
                        p,
                        num(&r[c_v]),
                        c_lo.map_or(f64::NAN, |c| num(&r[c])),
                        c_hi.map_or(f64::NAN, |c| num(&r[c])),
                    ))
                })
                .collect();
            let (lo, hi) =
                chart::extent(bars.iter().flat_map(|b| [b.1, b.2, b.3, 0.0])).unwrap_or((0.0, 1.0));
            let n = params.len();
            let axes = Axes {
                title: Some(index_name(idx).to_string()),
                x_label: "index value".into(),
                y_label: String::new(),
                x: chart::padded(lo, hi, 0.05),
                y: -0.6..n as f64 - 0.4,
                y_categories: Some(params.iter().map(|p| short_param(p).to_string()).collect()),
                ..Axes::default()
            };
            let draw: chart::DrawFn = Box::new(move |c, s| {
                let st = style::series(5);
                for &(p, v, lo, hi) in &bars {
                    let y = (n - 1 - p) as f64;
                    if v.is_finite() {
                        c.draw_series(std::iter::once(Rectangle::new(
                            [(0.0, y - 0.32), (v, y + 0.32)],
                            st.color.mix(0.55).filled(),
                        )))
                        .map_err(de)?;
                    }
                    if lo.is_finite() && hi.is_finite() {
                        chart::dot_whisker(c, s, style::series(0), y, f64::NAN, lo, hi)?;
                    }
                }
                chart::reference_line(c, Some(0.0), None)
            });
            panels.push(Panel { axes, draw });
        }
        if panels.is_empty() {
            continue;
        }
        let label = axis_label(metric);
        let cols = ((s.width as f64 / style::UNITS_PER_IN) / 3.4)
            .floor()
            .max(1.0) as usize;
        let svg = chart::grid_figure(
            s,
            panels,
            cols,
            chart::category_panel_height(s, params.len()) + s.upt(12.0),
            &[],
        )?;
        figs.push(Figure {
            name: format!("sensitivity_{metric}"),
            title: format!("Sensitivity of {label}"),
            caption: format!(
                "Sensitivity indices of {label} per parameter; whiskers: 95% CI where estimated."
            ),
            svg,
        });
    }
    Ok(figs)
}

/// Readable name of an index.
pub fn index_name(idx: &str) -> &str {
    match idx {
        "mu_star" => "Morris μ*",
        "sigma" => "Morris σ",
        "mu" => "Morris μ",
        "S1" => "Sobol first order S1",
        "ST" => "Sobol total order ST",
        "S2" => "Sobol second order S2",
        other => other,
    }
}
