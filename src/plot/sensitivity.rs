//! Sensitivity figures from `sensitivity.csv`, one per output metric, each naming the
//! metric in its title:
//!
//! - Morris: the μ*–σ plane (Morris 1991; Campolongo, Cariboni & Saltelli 2007): one dot per
//!   parameter at (μ*, σ) with the 95% interval of μ*, numbered by μ*, and a key below that
//!   gives each number's full parameter path. The dashed line σ = μ* separates effects that
//!   are mostly linear and additive (below) from nonlinear or interacting ones (above).
//! - Sobol: first-order (S1) and total (ST) indices per parameter as bars with their 95%
//!   intervals (Saltelli et al. 2010).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::{self, Axes, LegendEntry, Panel, de};
use super::data::{Table, num};
use super::style::{self, Scale};
use super::{Figure, axis_label};
use crate::Result;

/// One parameter's index for one metric.
#[derive(Debug, Clone, PartialEq)]
struct Index {
    parameter: String,
    value: f64,
    lo: f64,
    hi: f64,
}

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
    let get = |metric: &str, index: &str| -> Vec<Index> {
        table
            .rows
            .iter()
            .filter(|r| &r[c_m] == metric && &r[c_i] == index)
            .map(|r| Index {
                parameter: r[c_p].to_string(),
                value: num(&r[c_v]),
                lo: c_lo.map_or(f64::NAN, |c| num(&r[c])),
                hi: c_hi.map_or(f64::NAN, |c| num(&r[c])),
            })
            .collect()
    };
    let mut figs = Vec::new();
    for metric in &chosen {
        let (mu_star, sigma) = (get(metric, "mu_star"), get(metric, "sigma"));
        if !mu_star.is_empty() && !sigma.is_empty() {
            figs.push(morris(metric, &mu_star, &sigma, s)?);
        }
        let (s1, st) = (get(metric, "S1"), get(metric, "ST"));
        if !s1.is_empty() || !st.is_empty() {
            figs.push(sobol(metric, &s1, &st, s)?);
        }
    }
    Ok(figs)
}

/// The μ*–σ figure of one metric.
fn morris(metric: &str, mu_star: &[Index], sigma: &[Index], s: &Scale) -> Result<Figure> {
    // Parameters numbered by μ*, largest first.
    let mut pts: Vec<(String, f64, f64, f64, f64)> = mu_star
        .iter()
        .filter_map(|m| {
            let sg = sigma.iter().find(|x| x.parameter == m.parameter)?;
            Some((m.parameter.clone(), m.value, sg.value, m.lo, m.hi))
        })
        .collect();
    pts.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let label = axis_label(metric);
    let title = format!("Morris screening of {label}");
    let (x0, x1) =
        chart::extent(pts.iter().flat_map(|p| [p.1, p.3, p.4, 0.0])).unwrap_or((0.0, 1.0));
    let (_, y1) = chart::extent(pts.iter().flat_map(|p| [p.2, 0.0])).unwrap_or((0.0, 1.0));
    let top = x1.max(y1);
    let key: Vec<String> = pts
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}: {}", i + 1, p.0))
        .collect();
    let key_font = s.tick_font();
    let gap = s.upt(4.0);
    let key_w = key
        .iter()
        .map(|k| chart::text_width(&key_font, k))
        .max()
        .unwrap_or(0)
        + 3 * gap;
    let key_cols =
        (s.width.saturating_sub(2 * gap) / key_w.max(1)).clamp(1, key.len().max(1) as u32);
    let key_rows = (key.len() as u32).div_ceil(key_cols);
    let key_h = key_rows * s.line_height() + 2 * gap;
    let plot_h = s.height.max(s.upt(190.0));
    let axes = Axes {
        title: Some(title.clone()),
        x_label: "μ*: mean absolute elementary effect".into(),
        y_label: "σ: sd of elementary effects".into(),
        // No effect at all: a unit square rather than an axis of zeros.
        x: chart::padded(x0.min(0.0), if x1 > 0.0 { x1 } else { 1.0 }, 0.06),
        y: chart::padded(0.0, if y1 > 0.0 { y1 } else { 1.0 }, 0.08),
        ..Axes::default()
    };
    let svg = chart::svg_document(s.width, plot_h + key_h, |root| {
        let (plot, below) = root.split_vertically(plot_h);
        let mut c = chart::panel(&plot, s, &axes)?;
        let dashed = ShapeStyle {
            color: style::GREY.to_rgba(),
            filled: false,
            stroke_width: s.upt(0.8),
        };
        c.draw_series(DashedLineSeries::new(
            vec![(0.0, 0.0), (top * 1.2, top * 1.2)],
            s.upt(3.0) as i32,
            s.upt(2.0) as i32,
            dashed,
        ))
        .map_err(de)?;
        let st = style::series(5);
        for p in &pts {
            if p.3.is_finite() && p.4.is_finite() {
                let thin = ShapeStyle {
                    color: st.color.to_rgba(),
                    filled: false,
                    stroke_width: s.upt(0.9),
                };
                c.draw_series(std::iter::once(PathElement::new(
                    vec![(p.3, p.2), (p.4, p.2)],
                    thin,
                )))
                .map_err(de)?;
            }
        }
        let r = s.upt(2.2) as i32;
        c.draw_series(
            pts.iter()
                .map(|p| Circle::new((p.1, p.2), r, st.color.filled())),
        )
        .map_err(de)?;
        // Number each dot, moving a number around its dot until it overlaps no other number
        // and no dot, and stays inside the plot area.
        let font = s.tick_font();
        let area = c.plotting_area().strip_coord_spec();
        let (w, h) = area.dim_in_pixel();
        let (bx, by) = c.plotting_area().get_base_pixel();
        let centres: Vec<(i32, i32)> = pts
            .iter()
            .map(|p| {
                let (x, y) = c.backend_coord(&(p.1, p.2));
                (x - bx, y - by)
            })
            .collect();
        let mut placed: Vec<(i32, i32, i32, i32)> = centres
            .iter()
            .map(|&(x, y)| (x - r, y - r, x + r, y + r))
            .collect();
        let lh = s.line_height() as i32;
        for (i, &(x, y)) in centres.iter().enumerate() {
            let text = (i + 1).to_string();
            let tw = chart::text_width(&font, &text) as i32;
            let d = r + 2;
            let mut offsets = Vec::new();
            for ring in 1..=4 {
                let k = ring * d;
                offsets.extend([
                    (k, -k),
                    (k, 0),
                    (k, k),
                    (-k - tw, -k),
                    (-k - tw, 0),
                    (-k - tw, k),
                    (-tw / 2, -k - lh / 2),
                    (-tw / 2, k + lh / 2),
                ]);
            }
            let fits = |(ox, oy): (i32, i32)| {
                let rect = (x + ox, y + oy - lh / 2, x + ox + tw, y + oy + lh / 2);
                let inside = rect.0 >= 0 && rect.1 >= 0 && rect.2 <= w as i32 && rect.3 <= h as i32;
                let free = placed
                    .iter()
                    .all(|q| rect.2 <= q.0 || q.2 <= rect.0 || rect.3 <= q.1 || q.3 <= rect.1);
                inside && free
            };
            let (ox, oy) = offsets
                .iter()
                .copied()
                .find(|&o| fits(o))
                .unwrap_or((d, -d));
            placed.push((x + ox, y + oy - lh / 2, x + ox + tw, y + oy + lh / 2));
            area.draw(&Text::new(
                text,
                (x + ox, y + oy),
                font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(de)?;
        }
        // The key: number and full parameter path.
        let (kw, _) = below.dim_in_pixel();
        let x_start = (kw.saturating_sub(key_cols * key_w)) / 2;
        for (i, k) in key.iter().enumerate() {
            let (col, row) = (i as u32 / key_rows, i as u32 % key_rows);
            below
                .draw(&Text::new(
                    k.clone(),
                    (
                        (x_start + col * key_w + gap) as i32,
                        (gap + row * s.line_height() + s.line_height() / 2) as i32,
                    ),
                    font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(de)?;
        }
        Ok(())
    })?;
    Ok(Figure {
        name: format!("morris_{metric}"),
        title,
        caption: format!(
            "Morris elementary effects on {label}: each dot is one parameter at (μ*, σ), numbered by μ* (key below the plot); horizontal whiskers: bootstrap 95% CI of μ* where estimated. Dashed line: σ = μ*; parameters above it act nonlinearly or through interactions, those near the origin barely matter."
        ),
        svg,
    })
}

/// The S1 and ST bars of one metric.
fn sobol(metric: &str, s1: &[Index], st: &[Index], s: &Scale) -> Result<Figure> {
    let mut params: Vec<String> = Vec::new();
    for i in s1.iter().chain(st) {
        if !params.contains(&i.parameter) {
            params.push(i.parameter.clone());
        }
    }
    // Largest total effect first.
    let total = |p: &str| {
        st.iter()
            .find(|i| i.parameter == p)
            .map_or(f64::NEG_INFINITY, |i| i.value)
    };
    params.sort_by(|a, b| total(b).total_cmp(&total(a)));
    let label = axis_label(metric);
    let title = format!("Sobol' indices of {label}");
    let n = params.len();
    let labels: Vec<String> = params
        .iter()
        .map(|p| chart::fit_in(&s.tick_font(), p, &params, s.width * 45 / 100))
        .collect();
    let (lo, hi) = chart::extent(
        s1.iter()
            .chain(st)
            .flat_map(|i| [i.value, i.lo, i.hi])
            .chain([0.0, 1.0]),
    )
    .unwrap_or((0.0, 1.0));
    let axes = Axes {
        title: Some(title.clone()),
        x_label: "index (share of output variance)".into(),
        y_label: String::new(),
        x: chart::padded(lo, hi, 0.03),
        y: -0.6..n as f64 - 0.4,
        y_categories: Some(labels),
        ..Axes::default()
    };
    let (s1, st) = (s1.to_vec(), st.to_vec());
    let params_ref = params.clone();
    let draw: chart::DrawFn = Box::new(move |c, s| {
        chart::reference_line(c, Some(0.0), None)?;
        for (indices, shift, look) in [(&s1, 0.2, style::series(5)), (&st, -0.2, style::series(1))]
        {
            for i in indices.iter() {
                let Some(p) = params_ref.iter().position(|x| x == &i.parameter) else {
                    continue;
                };
                let y = (n - 1 - p) as f64 + shift;
                if i.value.is_finite() {
                    c.draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y - 0.17), (i.value, y + 0.17)],
                        look.color.mix(0.75).filled(),
                    )))
                    .map_err(de)?;
                }
                if i.lo.is_finite() && i.hi.is_finite() {
                    chart::dot_whisker(c, s, style::series(0), y, f64::NAN, i.lo, i.hi)?;
                }
            }
        }
        Ok(())
    });
    let legend = [
        LegendEntry {
            label: "S1: first order (the parameter alone)".into(),
            style: style::series(5),
        },
        LegendEntry {
            label: "ST: total (with its interactions)".into(),
            style: style::series(1),
        },
    ];
    let h = chart::category_panel_height(s, 2 * n) + s.upt(12.0);
    let svg = chart::grid_figure(s, vec![Panel { axes, draw }], 1, h, &legend)?;
    Ok(Figure {
        name: format!("sobol_{metric}"),
        title,
        caption: format!(
            "Sobol' sensitivity indices of {label} per parameter (largest total effect first): first-order S1 and total ST (Saltelli et al. 2010); whiskers: bootstrap 95% CI. ST − S1 is the share of variance due to the parameter's interactions."
        ),
        svg,
    })
}
