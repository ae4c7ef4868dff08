//! Time series: for each chosen metric, one line per policy (the mean across replicates)
//! with a Student-t 95% CI ribbon. A single replicate draws the line without a ribbon.

use super::chart::{self, Axes, LegendEntry, Panel};
use super::data::{Dataset, TimeSeries};
use super::style::{self, Scale};
use super::{Figure, axis_label};
use crate::Result;
use crate::stats::summarize;

/// Mean and CI at each tick for one group and one metric: (tick, mean, low, high).
pub fn band(
    ticks: &std::collections::BTreeMap<i64, Vec<Vec<f64>>>,
    k: usize,
) -> Vec<(f64, f64, f64, f64)> {
    let mut out = Vec::with_capacity(ticks.len());
    let mut buf = Vec::new();
    for (&t, vals) in ticks {
        buf.clear();
        buf.extend(vals[k].iter().copied().filter(|v| v.is_finite()));
        let s = summarize(&buf);
        out.push((
            t as f64,
            s.mean,
            s.ci95_low.unwrap_or(f64::NAN),
            s.ci95_high.unwrap_or(f64::NAN),
        ));
    }
    out
}

/// One figure per metric in `ts`.
pub fn figures(ds: &Dataset, ts: &TimeSeries, s: &Scale, titles: bool) -> Result<Vec<Figure>> {
    let legend: Vec<LegendEntry> = if ds.groups.len() > 1 {
        ds.groups
            .iter()
            .enumerate()
            .map(|(i, g)| LegendEntry {
                label: g.label.clone(),
                style: style::series(i),
            })
            .collect()
    } else {
        Vec::new()
    };
    let x_label = match warmup(ds) {
        Some(w) if w > 0 => format!("time (days after a {w}-day warm-up)"),
        _ => "time (days)".to_string(),
    };
    let mut figs = Vec::new();
    for (k, metric) in ts.metrics.iter().enumerate() {
        let bands: Vec<Vec<(f64, f64, f64, f64)>> =
            ts.by_group.iter().map(|g| band(g, k)).collect();
        let any_ci = bands.iter().flatten().any(|b| b.2.is_finite());
        let (x0, x1) = chart::extent(bands.iter().flatten().map(|b| b.0)).unwrap_or((0.0, 1.0));
        let (y0, y1) = chart::extent(bands.iter().flatten().flat_map(|b| [b.1, b.2, b.3]))
            .unwrap_or((0.0, 1.0));
        let label = axis_label(metric);
        let axes = Axes {
            title: titles.then(|| format!("{label} over time")),
            x_label: x_label.clone(),
            y_label: label.clone(),
            x: if x1 > x0 {
                x0..x1
            } else {
                chart::padded(x0, x1, 0.05)
            },
            y: chart::padded(y0, y1, 0.05),
            ..Axes::default()
        };
        let bands_ref = &bands;
        let draw: chart::DrawFn = Box::new(move |c, s| {
            for (i, b) in bands_ref.iter().enumerate() {
                let pts: Vec<(f64, f64, f64)> = b.iter().map(|p| (p.0, p.2, p.3)).collect();
                chart::ribbon(c, style::series(i), &pts)?;
            }
            for (i, b) in bands_ref.iter().enumerate() {
                let pts: Vec<(f64, f64)> = b.iter().map(|p| (p.0, p.1)).collect();
                chart::line(c, s, style::series(i), &pts, 8, i)?;
            }
            Ok(())
        });
        let h = s
            .height
            .max(chart::legend_layout(s, s.width, &legend).height + s.upt(110.0));
        let panel_h = h - chart::legend_layout(s, s.width, &legend).height;
        let svg = chart::grid_figure(s, vec![Panel { axes, draw }], 1, panel_h, &legend)?;
        let pooled = if ds.sweep_cols.is_empty() {
            ""
        } else {
            "; runs pooled over the sweep points"
        };
        let ribbon_note = if any_ci {
            "; bands: Student-t 95% CI of the mean across replicates"
        } else {
            "; no CI band (a single replicate)"
        };
        figs.push(Figure {
            name: format!("timeseries_{metric}"),
            title: format!("{label} over time"),
            caption: format!("{label}: mean across replicates per day{ribbon_note}{pooled}."),
            svg,
        });
    }
    Ok(figs)
}

/// The warm-up (days simulated before tick 0 of the series) of the scenario stored in the
/// manifest, if there is one.
pub fn warmup(ds: &Dataset) -> Option<u32> {
    let text = ds.manifest.get("scenario_toml")?.as_str()?;
    crate::scenario::Scenario::from_toml(text, "manifest.json")
        .ok()
        .map(|s| s.init.warmup)
}
