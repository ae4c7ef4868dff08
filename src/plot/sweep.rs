//! Sweep response: how a summary outcome responds to swept parameters (from `runs.csv`).
//! One parameter: response curves per policy with 95% CI bands. Two: a heatmap of the
//! mean per policy with a labelled colour bar. More: the marginal curve for each parameter
//! (runs pooled over the other parameters).

use plotters::prelude::*;

use super::chart::{self, Axes, LegendEntry, Panel, de};
use super::data::{Dataset, num, short_param};
use super::style::{self, Scale};
use super::{Figure, axis_label};
use crate::Result;
use crate::stats::summarize;

/// Distinct policies among the shown groups, in display order.
fn policies(ds: &Dataset) -> Vec<String> {
    let mut p: Vec<String> = Vec::new();
    for g in &ds.groups {
        if !p.contains(&g.policy) {
            p.push(g.policy.clone());
        }
    }
    p
}

/// Values of `column` per run: (policy index, sweep cells, value).
fn run_values(ds: &Dataset, column: &str) -> Result<Vec<(usize, Vec<String>, f64)>> {
    let Some(runs) = &ds.runs else {
        return Ok(vec![]);
    };
    let (c_id, c_v) = (runs.require("run_id")?, runs.require(column)?);
    let pols = policies(ds);
    Ok(runs
        .rows
        .iter()
        .filter_map(|r| {
            let g = ds.run_group.get(&r[c_id])?;
            let grp = &ds.groups[*g];
            let p = pols.iter().position(|p| p == &grp.policy)?;
            Some((p, grp.sweep.clone(), num(&r[c_v])))
        })
        .collect())
}

/// Sorted distinct values of sweep column `k` (numerically when all parse).
fn levels(vals: &[(usize, Vec<String>, f64)], k: usize) -> Vec<String> {
    let mut l: Vec<String> = vals.iter().map(|v| v.1[k].clone()).collect();
    l.sort();
    l.dedup();
    if l.iter().all(|x| num(x).is_finite()) {
        l.sort_by(|a, b| num(a).total_cmp(&num(b)));
    }
    l
}

/// Sweep figures for the summary columns `columns`.
pub fn figures(ds: &Dataset, columns: &[String], s: &Scale, titles: bool) -> Result<Vec<Figure>> {
    let k = ds.sweep_cols.len();
    let mut figs = Vec::new();
    if k == 0 {
        return Ok(figs);
    }
    for (ci, col) in columns.iter().enumerate() {
        if ds.runs.as_ref().and_then(|r| r.col(col)).is_none() {
            continue;
        }
        let vals = run_values(ds, col)?;
        if k == 2 {
            figs.push(heatmap(ds, &vals, col, s, titles)?);
        } else if k == 1 || ci == 0 {
            for p in 0..k {
                if let Some(f) = curves(ds, &vals, col, p, s, titles)? {
                    figs.push(f);
                }
            }
        }
    }
    Ok(figs)
}

fn curves(
    ds: &Dataset,
    vals: &[(usize, Vec<String>, f64)],
    col: &str,
    p: usize,
    s: &Scale,
    titles: bool,
) -> Result<Option<Figure>> {
    let lv = levels(vals, p);
    if !lv.iter().all(|x| num(x).is_finite()) {
        return Ok(None);
    }
    let pols = policies(ds);
    let mut lines: Vec<Vec<(f64, f64, f64, f64)>> = Vec::new();
    let mut buf = Vec::new();
    for pi in 0..pols.len() {
        let mut line = Vec::new();
        for l in &lv {
            buf.clear();
            buf.extend(
                vals.iter()
                    .filter(|v| v.0 == pi && &v.1[p] == l && v.2.is_finite())
                    .map(|v| v.2),
            );
            if buf.is_empty() {
                continue;
            }
            let sm = summarize(&buf);
            line.push((
                num(l),
                sm.mean,
                sm.ci95_low.unwrap_or(f64::NAN),
                sm.ci95_high.unwrap_or(f64::NAN),
            ));
        }
        lines.push(line);
    }
    let (x0, x1) = chart::extent(lines.iter().flatten().map(|b| b.0)).unwrap_or((0.0, 1.0));
    let (y0, y1) =
        chart::extent(lines.iter().flatten().flat_map(|b| [b.1, b.2, b.3])).unwrap_or((0.0, 1.0));
    let param = &ds.sweep_cols[p];
    let label = axis_label(col);
    let legend: Vec<LegendEntry> = pols
        .iter()
        .enumerate()
        .map(|(i, n)| LegendEntry {
            label: n.clone(),
            style: style::series(i),
        })
        .collect();
    let axes = Axes {
        title: titles.then(|| format!("{label} against {}", short_param(param))),
        x_label: short_param(param).to_string(),
        y_label: label.clone(),
        x: chart::padded(x0, x1, 0.04),
        y: chart::padded(y0, y1, 0.05),
        ..Axes::default()
    };
    let lines_ref = &lines;
    let draw: chart::DrawFn = Box::new(move |c, s| {
        for (i, l) in lines_ref.iter().enumerate() {
            chart::ribbon(
                c,
                style::series(i),
                &l.iter().map(|b| (b.0, b.2, b.3)).collect::<Vec<_>>(),
            )?;
        }
        for (i, l) in lines_ref.iter().enumerate() {
            let pts: Vec<(f64, f64)> = l.iter().map(|b| (b.0, b.1)).collect();
            chart::line(c, s, style::series(i), &pts, 0, i)?;
            chart::markers(c, s, style::series(i), &pts)?;
        }
        Ok(())
    });
    let panel_h = s
        .height
        .saturating_sub(chart::legend_layout(s, s.width, &legend).height)
        .max(s.upt(110.0));
    let svg = chart::grid_figure(s, vec![Panel { axes, draw }], 1, panel_h, &legend)?;
    let pooled = if ds.sweep_cols.len() > 1 {
        " (runs pooled over the other swept parameters)"
    } else {
        ""
    };
    Ok(Some(Figure {
        name: format!("sweep_{col}_{}", short_param(param)),
        title: format!("{label} against {}", short_param(param)),
        caption: format!(
            "Response of {label} to {param}{pooled}: mean across replicates with Student-t 95% CI band."
        ),
        svg,
    }))
}

fn heatmap(
    ds: &Dataset,
    vals: &[(usize, Vec<String>, f64)],
    col: &str,
    s: &Scale,
    titles: bool,
) -> Result<Figure> {
    let pols = policies(ds);
    let (lx, ly) = (levels(vals, 0), levels(vals, 1));
    let mut cells: Vec<Vec<(usize, usize, f64)>> = vec![Vec::new(); pols.len()];
    let mut buf = Vec::new();
    for (pi, cell) in cells.iter_mut().enumerate() {
        for (xi, x) in lx.iter().enumerate() {
            for (yi, y) in ly.iter().enumerate() {
                buf.clear();
                buf.extend(
                    vals.iter()
                        .filter(|v| v.0 == pi && &v.1[0] == x && &v.1[1] == y && v.2.is_finite())
                        .map(|v| v.2),
                );
                if !buf.is_empty() {
                    cell.push((xi, yi, summarize(&buf).mean));
                }
            }
        }
    }
    let (lo, hi) = chart::extent(cells.iter().flatten().map(|c| c.2)).unwrap_or((0.0, 1.0));
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 0.5, hi + 0.5)
    };
    let label = axis_label(col);
    let (px, py) = (
        short_param(&ds.sweep_cols[0]).to_string(),
        short_param(&ds.sweep_cols[1]).to_string(),
    );
    let cols = ((s.width as f64 / style::UNITS_PER_IN) / 2.3)
        .floor()
        .clamp(1.0, pols.len() as f64) as usize;
    let rows = pols.len().div_ceil(cols);
    let panel_h = (s.width / cols as u32).min(s.upt(170.0));
    let bar_h = 4 * s.line_height() + s.upt(8.0);
    let svg = chart::svg_document(s.width, rows as u32 * panel_h + bar_h, |root| {
        let (grid, bar) = root.split_vertically(rows as u32 * panel_h);
        for ((pi, pol), cell) in pols
            .iter()
            .enumerate()
            .zip(grid.split_evenly((rows, cols)).iter())
        {
            let axes = Axes {
                title: Some(pol.clone()),
                x_label: px.clone(),
                y_label: py.clone(),
                x: -0.5..lx.len() as f64 - 0.5,
                y: -0.5..ly.len() as f64 - 0.5,
                x_categories: Some(lx.clone()),
                y_categories: Some(ly.iter().rev().cloned().collect()),
                ..Axes::default()
            };
            let mut c = chart::panel(cell, s, &axes)?;
            c.draw_series(cells[pi].iter().map(|&(xi, yi, v)| {
                let (x, y) = (xi as f64, yi as f64);
                Rectangle::new(
                    [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                    style::viridis((v - lo) / (hi - lo)).filled(),
                )
            }))
            .map_err(de)?;
        }
        // The colour bar: a numeric axis with the viridis ramp above it.
        let axes = Axes {
            x_label: format!("mean {label}"),
            x: lo..hi,
            y: 0.0..1.0,
            y_categories: Some(vec![]),
            ..Axes::default()
        };
        let mut c = chart::panel(&bar, s, &axes)?;
        let steps = 200;
        c.draw_series((0..steps).map(|i| {
            let a = lo + (hi - lo) * i as f64 / steps as f64;
            let b = lo + (hi - lo) * (i + 1) as f64 / steps as f64;
            Rectangle::new(
                [(a, 0.0), (b, 1.0)],
                style::viridis(((a + b) / 2.0 - lo) / (hi - lo)).filled(),
            )
        }))
        .map_err(de)?;
        Ok(())
    })?;
    let _ = titles;
    Ok(Figure {
        name: format!("sweep_{col}_{px}_{py}"),
        title: format!("{label} over {px} × {py}"),
        caption: format!(
            "Mean {label} across replicates at each point of the {px} × {py} sweep, per policy (viridis scale, see colour bar)."
        ),
        svg,
    })
}
