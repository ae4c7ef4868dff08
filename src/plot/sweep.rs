//! Sweep response: how a summary outcome responds to swept parameters (from `runs.csv`).
//!
//! Factorial grids (ordered levels): one parameter gives response curves per policy with
//! 95% CI bands; two a heatmap of the mean per policy with a labelled colour bar; more the
//! marginal curve for each parameter (runs pooled over the other parameters). Sampled
//! designs (Latin hypercube, Morris, Sobol) have no grid: each design point is a dot (its
//! mean over replicates) in one scatter panel per parameter, never a line through
//! unordered points or a heatmap of sampled values.

use plotters::prelude::*;

use super::chart::{self, Axes, LegendEntry, Panel, de};
use super::data::{Dataset, num, short_param};
use super::interval;
use super::style::{self, Scale};
use super::{Figure, axis_label};
use crate::Result;
use crate::stats::summarize;

/// One scatter panel per swept parameter: each (policy, design point) is a dot at the
/// parameter's value and the mean over its replicates.
fn scatter(
    ds: &Dataset,
    vals: &[(usize, Vec<String>, f64)],
    col: &str,
    s: &Scale,
    titles: bool,
) -> Result<Option<Figure>> {
    let pols = policies(ds);
    // Mean over replicates per (policy, point).
    let mut cells: Vec<(usize, Vec<String>, Vec<f64>)> = Vec::new();
    for (p, point, v) in vals {
        if !v.is_finite() {
            continue;
        }
        match cells.iter_mut().find(|c| c.0 == *p && &c.1 == point) {
            Some(c) => c.2.push(*v),
            None => cells.push((*p, point.clone(), vec![*v])),
        }
    }
    if cells.is_empty() {
        return Ok(None);
    }
    let means: Vec<(usize, Vec<f64>, f64)> = cells
        .iter()
        .map(|(p, pt, v)| (*p, pt.iter().map(|x| num(x)).collect(), summarize(v).mean))
        .collect();
    let reps = cells.iter().map(|c| c.2.len()).max().unwrap_or(0);
    let range = crate::metrics::range_of(col).unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
    let (y0, y1) = chart::extent(means.iter().map(|m| m.2)).unwrap_or((0.0, 1.0));
    let y = interval::axis(y0, y1, 0.06, range);
    let label = axis_label(col);
    let k = ds.sweep_cols.len();
    let cols = ((s.width as f64 / style::UNITS_PER_IN) / 2.3)
        .floor()
        .clamp(1.0, k as f64) as usize;
    let panel_w = s.width / cols as u32;
    let means = &means;
    let mut panels = Vec::new();
    for (p, param) in ds.sweep_cols.iter().enumerate() {
        let (x0, x1) = chart::extent(means.iter().map(|m| m.1[p])).unwrap_or((0.0, 1.0));
        let axes = Axes {
            title: None,
            x_label: chart::fit_path(s, param, &ds.sweep_cols, panel_w * 85 / 100),
            y_label: if p % cols == 0 {
                label.clone()
            } else {
                String::new()
            },
            x: chart::padded(x0, x1, 0.05),
            y: y.clone(),
            ..Axes::default()
        };
        let draw: chart::DrawFn = Box::new(move |c, s| {
            let r = s.upt(1.6) as i32;
            for pol in 0..pols_len(means) {
                let st = style::series(pol);
                c.draw_series(
                    means
                        .iter()
                        .filter(|m| m.0 == pol && m.1[p].is_finite() && m.2.is_finite())
                        .map(|m| Circle::new((m.1[p], m.2), r, st.color.mix(0.75).filled())),
                )
                .map_err(de)?;
            }
            Ok(())
        });
        panels.push(Panel { axes, draw });
    }
    let legend: Vec<LegendEntry> = if pols.len() > 1 {
        pols.iter()
            .enumerate()
            .map(|(i, n)| LegendEntry {
                label: n.clone(),
                style: style::series(i),
            })
            .collect()
    } else {
        Vec::new()
    };
    let panel_h = (s.height * 3 / 4).max(s.upt(130.0));
    let svg = chart::grid_figure(s, panels, cols, panel_h, &legend)?;
    let _ = titles;
    let design = match ds.design() {
        "latin_hypercube" => "Latin-hypercube",
        "morris" => "Morris",
        "sobol" => "Sobol'",
        d => d,
    };
    Ok(Some(Figure {
        name: format!("scatter_{col}"),
        title: format!("{label} against each swept parameter"),
        caption: format!(
            "{label} at each point of the {design} design (one dot per design point{}: the mean over its {reps} replicates), against each swept parameter in turn; the other parameters vary at the same time, so each panel shows a marginal relation, not a partial effect.",
            if pols.len() > 1 { " and policy" } else { "" }
        ),
        svg,
    }))
}

/// Number of policies among the means.
fn pols_len(means: &[(usize, Vec<f64>, f64)]) -> usize {
    means.iter().map(|m| m.0 + 1).max().unwrap_or(0)
}

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

/// Whether the design samples points (no grid of levels).
pub fn sampled(ds: &Dataset) -> bool {
    matches!(ds.design(), "latin_hypercube" | "morris" | "sobol")
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
        if sampled(ds) {
            if let Some(f) = scatter(ds, &vals, col, s, titles)? {
                figs.push(f);
            }
        } else if k == 2 {
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
    let range = crate::metrics::range_of(col).unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
    let mut any_boot = false;
    let mut lines: Vec<Vec<(f64, f64, f64, f64)>> = Vec::new();
    let mut buf = Vec::new();
    for pi in 0..pols.len() {
        let mut line = Vec::new();
        for (li, l) in lv.iter().enumerate() {
            buf.clear();
            buf.extend(
                vals.iter()
                    .filter(|v| v.0 == pi && &v.1[p] == l && v.2.is_finite())
                    .map(|v| v.2),
            );
            if buf.is_empty() {
                continue;
            }
            let b = interval::band(&buf, range, (pi as u64, li as u64));
            any_boot |= b.bootstrap;
            line.push((num(l), b.mean, b.lo, b.hi));
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
        y: interval::axis(y0, y1, 0.05, range),
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
            "Response of {label} to {param}{pooled}: mean across replicates; {}.",
            interval::caption(range, any_boot)
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
