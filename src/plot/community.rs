//! By community: the distribution across communities of a final community-level metric,
//! per policy: a box plot (quartiles, whiskers to the most extreme values within 1.5 IQR;
//! Tukey 1977) over a strip of the community values. With fewer than [`MIN_BOX`] values a
//! box says nothing a reader can trust, so only the values and their median are drawn.

use std::collections::BTreeMap;

use plotters::prelude::*;

use super::chart::{self, Axes, de};
use super::data::{Dataset, Table, num};
use super::style::{self, Scale};
use super::{Figure, axis_label};
use crate::Result;

/// Per group: the community means (across replicates) of `column`.
pub fn values(ds: &Dataset, table: &Table, column: &str) -> Result<Vec<Vec<f64>>> {
    let c_val = table.require(column)?;
    let c_comm = table.require("community")?;
    let c_run = table.col("run_id");
    let mut acc: Vec<BTreeMap<String, (f64, usize)>> = vec![BTreeMap::new(); ds.groups.len()];
    for r in &table.rows {
        let Some(g) = ds.group_of(c_run.map(|c| &r[c])) else {
            continue;
        };
        let v = num(&r[c_val]);
        if v.is_finite() {
            let e = acc[g].entry(r[c_comm].to_string()).or_insert((0.0, 0));
            e.0 += v;
            e.1 += 1;
        }
    }
    Ok(acc
        .into_iter()
        .map(|m| m.into_values().map(|(s, n)| s / n as f64).collect())
        .collect())
}

/// Linear-interpolation quantile (type 7) of sorted values.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Fewest values per group for which a box is drawn.
pub const MIN_BOX: usize = 5;

/// Box (quartiles), median, whiskers and the community dots of group `g` on row `y`; with
/// fewer than [`MIN_BOX`] values, the dots and a median tick only.
fn draw_group(c: &mut chart::Xy, s: &Scale, vals: &[f64], g: usize, y: f64) -> Result<()> {
    let st = style::series(g);
    let mut v = vals.to_vec();
    v.sort_by(f64::total_cmp);
    if v.len() < MIN_BOX {
        let med = quantile(&v, 0.5);
        let dark = ShapeStyle {
            color: BLACK.to_rgba(),
            filled: false,
            stroke_width: s.upt(1.4),
        };
        c.draw_series(std::iter::once(PathElement::new(
            vec![(med, y - 0.3), (med, y + 0.3)],
            dark,
        )))
        .map_err(de)?;
        c.draw_series(
            vals.iter()
                .map(|&x| Circle::new((x, y), s.upt(2.0) as i32, st.color.filled())),
        )
        .map_err(de)?;
        return Ok(());
    }
    let (q1, med, q3) = (quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75));
    let iqr = q3 - q1;
    let wl = v
        .iter()
        .copied()
        .find(|&x| x >= q1 - 1.5 * iqr)
        .unwrap_or(q1);
    let wh = v
        .iter()
        .rev()
        .copied()
        .find(|&x| x <= q3 + 1.5 * iqr)
        .unwrap_or(q3);
    let stroke = ShapeStyle {
        color: st.color.to_rgba(),
        filled: false,
        stroke_width: s.upt(0.9),
    };
    let dark = ShapeStyle {
        color: BLACK.to_rgba(),
        filled: false,
        stroke_width: s.upt(1.4),
    };
    let hb = 0.3;
    c.draw_series(std::iter::once(Rectangle::new(
        [(q1, y - hb), (q3, y + hb)],
        st.color.mix(0.15).filled(),
    )))
    .map_err(de)?;
    c.draw_series(std::iter::once(Rectangle::new(
        [(q1, y - hb), (q3, y + hb)],
        stroke,
    )))
    .map_err(de)?;
    c.draw_series(std::iter::once(PathElement::new(
        vec![(med, y - hb), (med, y + hb)],
        dark,
    )))
    .map_err(de)?;
    for (a, b) in [(wl, q1), (q3, wh)] {
        c.draw_series(std::iter::once(PathElement::new(
            vec![(a, y), (b, y)],
            stroke,
        )))
        .map_err(de)?;
    }
    // Deterministic jitter: golden-ratio sequence, no randomness needed. Dots go on top so
    // that a narrow box does not hide them.
    let pts: Vec<(f64, f64)> = vals
        .iter()
        .enumerate()
        .map(|(i, &x)| (x, y - 0.25 + 0.5 * ((i as f64 * 0.618_033_988_75).fract())))
        .collect();
    c.draw_series(
        pts.iter()
            .map(|&p| Circle::new(p, s.upt(1.1) as i32, st.color.mix(0.7).filled())),
    )
    .map_err(de)?;
    Ok(())
}

/// Policies (indices into `vals`, from `shown`) grouped by overlapping community values
/// (gaps under 5% of the whole range join), each group in the order of `shown` and the
/// groups in the order of their first policy. `None` when one shared axis serves: a single
/// group, or groups that together span more than half the whole range. Otherwise a shared
/// axis would squeeze every box into a line, so each group gets its own axis (a broken axis).
pub fn scale_groups(vals: &[Vec<f64>], shown: &[usize]) -> Option<Vec<Vec<usize>>> {
    let (lo, hi) = chart::extent(shown.iter().flat_map(|&g| vals[g].iter().copied()))?;
    let span = hi - lo;
    if span <= 0.0 {
        return None;
    }
    let mut ext: Vec<(usize, f64, f64)> = shown
        .iter()
        .filter_map(|&g| chart::extent(vals[g].iter().copied()).map(|(a, b)| (g, a, b)))
        .collect();
    ext.sort_by(|x, y| x.1.total_cmp(&y.1));
    let mut groups: Vec<(Vec<usize>, f64, f64)> = Vec::new();
    for (g, a, b) in ext {
        match groups.last_mut() {
            Some(last) if a <= last.2 + 0.05 * span => {
                last.0.push(g);
                last.2 = last.2.max(b);
            }
            _ => groups.push((vec![g], a, b)),
        }
    }
    let covered: f64 = groups.iter().map(|(_, a, b)| b - a).sum();
    if groups.len() < 2 || covered > 0.5 * span {
        return None;
    }
    let pos = |g: usize| shown.iter().position(|&x| x == g).unwrap_or(usize::MAX);
    let mut out: Vec<Vec<usize>> = groups
        .into_iter()
        .map(|(mut m, _, _)| {
            m.sort_by_key(|&g| pos(g));
            m
        })
        .collect();
    out.sort_by_key(|m| pos(m[0]));
    Some(out)
}

/// The figure; None when no community has a value.
pub fn figure(
    ds: &Dataset,
    vals: &[Vec<f64>],
    column: &str,
    s: &Scale,
    titles: bool,
    pooled_over: Option<&str>,
) -> Result<Option<Figure>> {
    let shown: Vec<usize> = (0..vals.len()).filter(|&g| !vals[g].is_empty()).collect();
    if shown.is_empty() {
        return Ok(None);
    }
    let label = axis_label(column);
    let x_label = label.replacen(" (", ", community mean (", 1);
    let title = titles.then(|| format!("{label} across communities"));
    let n_comm = vals.iter().map(Vec::len).max().unwrap_or(0);
    let labels: Vec<String> = shown.iter().map(|&g| ds.groups[g].label.clone()).collect();
    let split = scale_groups(vals, &shown);
    let parts: Vec<Vec<usize>> = split.clone().unwrap_or_else(|| vec![shown.clone()]);
    let k = parts.len();
    // One panel per part, stacked, each as tall as its rows need; the axis label only
    // under the last, the title only over the first.
    let heights: Vec<u32> = parts
        .iter()
        .map(|p| {
            let h = chart::category_panel_height(s, p.len());
            if k == 1 { h.max(s.height) } else { h }
        })
        .collect();
    let svg = chart::svg_document(s.width, heights.iter().sum(), |root| {
        let mut rest = root.clone();
        for (i, part) in parts.iter().enumerate() {
            let (cell, below) = rest.split_vertically(heights[i]);
            rest = below;
            let (lo, hi) = chart::extent(part.iter().flat_map(|&g| vals[g].iter().copied()))
                .unwrap_or((0.0, 1.0));
            let n = part.len();
            let axes = Axes {
                title: if i == 0 { title.clone() } else { None },
                x_label: if i + 1 == k {
                    x_label.clone()
                } else {
                    String::new()
                },
                y_label: String::new(),
                x: chart::padded(lo, hi, if k == 1 { 0.05 } else { 0.1 }),
                y: -0.6..n as f64 - 0.4,
                y_categories: Some(part.iter().map(|&g| ds.groups[g].label.clone()).collect()),
                y_fit: labels.clone(),
                ..Axes::default()
            };
            let mut c = chart::panel(&cell, s, &axes)?;
            for (row, &g) in part.iter().enumerate() {
                draw_group(&mut c, s, &vals[g], g, (n - 1 - row) as f64)?;
            }
        }
        Ok(())
    })?;
    let scales = if split.is_some() {
        " Policies far apart are drawn in separate panels, each on its own x scale."
    } else {
        ""
    };
    let pooled = pooled_over
        .map(|p| format!(" Community means pool the runs over the sweep points ({p})."))
        .unwrap_or_default();
    let how = if n_comm < MIN_BOX {
        format!(
            "dots = communities, thick line = median (no box: fewer than {MIN_BOX} communities)"
        )
    } else {
        "box = quartiles, thick line = median, whiskers = most extreme values within 1.5 IQR, dots = communities".to_string()
    };
    Ok(Some(Figure {
        name: format!("communities_{column}"),
        title: format!("{label} across communities"),
        caption: format!(
            "{label} in each of {n_comm} communities (mean across replicates), per policy: {how}.{scales}{pooled}"
        ),
        svg,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 4.0);
        assert!(quantile(&[], 0.5).is_nan());
    }

    #[test]
    fn split_only_when_policies_dwarf_communities() {
        let v = vec![vec![0.05, 0.06], vec![0.97, 0.98], vec![0.055, 0.07]];
        assert_eq!(
            scale_groups(&v, &[0, 1, 2]),
            Some(vec![vec![0, 2], vec![1]])
        );
        let v = vec![vec![0.1, 0.5], vec![0.4, 0.9]];
        assert_eq!(scale_groups(&v, &[0, 1]), None);
        assert_eq!(scale_groups(&[vec![0.1, 0.2]], &[0]), None);
        assert_eq!(scale_groups(&[vec![0.3], vec![0.3]], &[0, 1]), None);
    }
}
