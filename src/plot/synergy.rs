//! Figures and report tables of a factorial over switches, drawn from `effects.csv`,
//! `attribution.csv` and `runs.csv` alone: an interaction heatmap per outcome (switch ×
//! switch, coloured by the interaction's size on a diverging scale, marked where its 95% CI
//! leaves out zero), Shapley bars with their CIs, and the main-effects plot (the mean
//! outcome with each switch off and on).

use std::fmt::Write as _;
use std::path::Path;

use plotters::prelude::*;

use super::chart::{self, Axes, LegendEntry, Panel, de};
use super::data::{Dataset, num};
use super::report::{esc, fmt_ci, fmt_num};
use super::style::{self, Scale};
use super::{Figure, axis_label};
use crate::{Error, Result};

/// One row of `effects.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectRow {
    /// Summary column.
    pub outcome: String,
    /// Switch labels joined by `:`.
    pub effect: String,
    /// Interaction order (1: main effect).
    pub order: usize,
    /// Estimate.
    pub estimate: f64,
    /// CI low.
    pub lo: f64,
    /// CI high.
    pub hi: f64,
    /// Share of variance.
    pub share: f64,
}

impl EffectRow {
    /// Whether the CI exists and leaves out zero.
    pub fn clear_of_zero(&self) -> bool {
        self.lo > 0.0 || self.hi < 0.0
    }
}

/// One row of `attribution.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapleyRow {
    /// Summary column.
    pub outcome: String,
    /// Switch label.
    pub switch: String,
    /// Shapley value.
    pub value: f64,
    /// CI low.
    pub lo: f64,
    /// CI high.
    pub hi: f64,
}

/// The factorial tables of an experiment directory.
#[derive(Debug, Clone)]
pub struct Tables {
    /// Switch labels in design order.
    pub switches: Vec<String>,
    /// `effects.csv`.
    pub effects: Vec<EffectRow>,
    /// `attribution.csv` (empty for a fractional design).
    pub shapley: Vec<ShapleyRow>,
}

/// Reads a CSV whose header comment lines start with `#`.
fn read_commented(path: &Path) -> Result<(Vec<String>, Vec<csv::StringRecord>)> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(file);
    let csv_err = |e| Error::Csv {
        path: path.to_path_buf(),
        source: e,
    };
    let headers = rdr
        .headers()
        .map_err(csv_err)?
        .iter()
        .map(str::to_string)
        .collect();
    let rows = rdr
        .records()
        .collect::<std::result::Result<_, _>>()
        .map_err(csv_err)?;
    Ok((headers, rows))
}

fn column(headers: &[String], name: &str, path: &Path) -> Result<usize> {
    headers.iter().position(|h| h == name).ok_or_else(|| {
        Error::input(format!(
            "{} has no column `{name}`; its columns are: {}",
            path.display(),
            headers.join(", ")
        ))
    })
}

impl Tables {
    /// Reads `effects.csv` (and `attribution.csv` when present) from `dir`; None without
    /// `effects.csv`.
    pub fn read(dir: &Path) -> Result<Option<Tables>> {
        let path = dir.join("effects.csv");
        if !path.exists() {
            return Ok(None);
        }
        let (h, rows) = read_commented(&path)?;
        let c = |n: &str| column(&h, n, &path);
        let (co, ce, cr, cx, cl, chi, cs) = (
            c("outcome")?,
            c("effect")?,
            c("order")?,
            c("estimate")?,
            c("ci95_low")?,
            c("ci95_high")?,
            c("variance_share")?,
        );
        let effects: Vec<EffectRow> = rows
            .iter()
            .map(|r| EffectRow {
                outcome: r[co].to_string(),
                effect: r[ce].to_string(),
                order: r[cr].parse().unwrap_or(0),
                estimate: num(&r[cx]),
                lo: num(&r[cl]),
                hi: num(&r[chi]),
                share: num(&r[cs]),
            })
            .collect();
        let mut switches: Vec<String> = Vec::new();
        for e in effects.iter().filter(|e| e.order == 1) {
            if !switches.contains(&e.effect) {
                switches.push(e.effect.clone());
            }
        }
        let path = dir.join("attribution.csv");
        let shapley = if path.exists() {
            let (h, rows) = read_commented(&path)?;
            let c = |n: &str| column(&h, n, &path);
            let (co, cw, cv, cl, chi) = (
                c("outcome")?,
                c("switch")?,
                c("shapley")?,
                c("ci95_low")?,
                c("ci95_high")?,
            );
            rows.iter()
                .map(|r| ShapleyRow {
                    outcome: r[co].to_string(),
                    switch: r[cw].to_string(),
                    value: num(&r[cv]),
                    lo: num(&r[cl]),
                    hi: num(&r[chi]),
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Some(Tables {
            switches,
            effects,
            shapley,
        }))
    }

    fn effect(&self, outcome: &str, name: &str) -> Option<&EffectRow> {
        self.effects
            .iter()
            .find(|e| e.outcome == outcome && e.effect == name)
    }

    /// The interaction of switches `i` and `j` on `outcome`, if estimated.
    pub fn interaction(&self, outcome: &str, i: usize, j: usize) -> Option<&EffectRow> {
        let (a, b) = (i.min(j), i.max(j));
        self.effect(
            outcome,
            &format!("{}:{}", self.switches[a], self.switches[b]),
        )
    }
}

/// ColorBrewer's RdBu diverging scale (Harrower & Brewer 2003), reversed so that negative
/// values are blue and positive red, at `t` in \[−1, 1\] (white at 0).
pub fn diverging(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 7] = [
        (33, 102, 172),
        (103, 169, 207),
        (209, 229, 240),
        (247, 247, 247),
        (253, 219, 199),
        (239, 138, 98),
        (178, 24, 43),
    ];
    let t = if t.is_finite() {
        t.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let h = (t + 1.0) / 2.0 * (STOPS.len() - 1) as f64;
    let i = (h.floor() as usize).min(STOPS.len() - 2);
    let f = h - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + f * (b as f64 - a as f64)).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Every factorial figure for the summary columns `columns`.
pub fn figures(ds: &Dataset, t: &Tables, columns: &[String], s: &Scale) -> Result<Vec<Figure>> {
    let mut figs = Vec::new();
    let shown: Vec<&String> = columns
        .iter()
        .filter(|c| t.effects.iter().any(|e| &e.outcome == *c))
        .collect();
    if t.switches.len() >= 2 {
        for col in &shown {
            if let Some(f) = heatmap(t, col, s)? {
                figs.push(f);
            }
        }
    }
    if let Some(f) = shapley(t, &shown, s)? {
        figs.push(f);
    }
    if let Some(f) = main_effects(ds, t, &shown, s)? {
        figs.push(f);
    }
    Ok(figs)
}

fn heatmap(t: &Tables, col: &str, s: &Scale) -> Result<Option<Figure>> {
    let k = t.switches.len();
    let mut cells = Vec::new();
    // The scale covers every interaction's CI, so that an interaction whose interval is wide
    // is not drawn as strongly as one known to be large.
    let mut vmax = f64::MIN_POSITIVE;
    for i in 0..k {
        for j in 0..k {
            if i != j
                && let Some(e) = t.interaction(col, i, j)
                && e.estimate.is_finite()
            {
                cells.push((i, j, e.estimate, e.clear_of_zero()));
                for v in [e.estimate, e.lo, e.hi] {
                    if v.is_finite() {
                        vmax = vmax.max(v.abs());
                    }
                }
            }
        }
    }
    if cells.is_empty() {
        return Ok(None);
    }
    let label = axis_label(col);
    let names: Vec<String> = t
        .switches
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{} {n}", i + 1))
        .collect();
    let numbers: Vec<String> = (1..=k).map(|i| i.to_string()).collect();
    // Square-ish cells, at most three quarters of the width tall.
    let panel_h = (k as u32 * s.upt(24.0) + 3 * s.line_height() + s.upt(14.0))
        .min(s.width * 3 / 4)
        .max(chart::category_panel_height(s, k));
    let bar_h = 4 * s.line_height() + s.upt(8.0);
    let any_marked = cells.iter().any(|c| c.3);
    let svg = chart::svg_document(s.width, panel_h + bar_h, |root| {
        let (grid, bar) = root.split_vertically(panel_h);
        let axes = Axes {
            x_label: "switch".into(),
            x: -0.5..k as f64 - 0.5,
            y: -0.5..k as f64 - 0.5,
            x_categories: Some(numbers.clone()),
            y_categories: Some(names.clone()),
            ..Axes::default()
        };
        let mut c = chart::panel(&grid, s, &axes)?;
        let row = |i: usize| (k - 1 - i) as f64;
        c.draw_series((0..k).map(|i| {
            let (x, y) = (i as f64, row(i));
            Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                RGBColor(225, 225, 225).filled(),
            )
        }))
        .map_err(de)?;
        c.draw_series(cells.iter().map(|&(i, j, v, _)| {
            let (x, y) = (j as f64, row(i));
            Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                diverging(v / vmax).filled(),
            )
        }))
        .map_err(de)?;
        let r = s.upt(2.2) as i32;
        for &(i, j, _, marked) in &cells {
            if marked {
                let p = (j as f64, row(i));
                c.draw_series(std::iter::once(Circle::new(p, r, WHITE.filled())))
                    .map_err(de)?;
                c.draw_series(std::iter::once(Circle::new(
                    p,
                    r,
                    BLACK.stroke_width(s.upt(0.8)),
                )))
                .map_err(de)?;
            }
        }
        // The colour bar: symmetric about zero.
        let axes = Axes {
            x_label: format!("interaction on {label}"),
            x: -vmax..vmax,
            y: 0.0..1.0,
            y_categories: Some(vec![]),
            ..Axes::default()
        };
        let mut c = chart::panel(&bar, s, &axes)?;
        let steps = 200;
        c.draw_series((0..steps).map(|i| {
            let a = -vmax + 2.0 * vmax * i as f64 / steps as f64;
            let b = -vmax + 2.0 * vmax * (i + 1) as f64 / steps as f64;
            Rectangle::new(
                [(a, 0.0), (b, 1.0)],
                diverging((a + b) / 2.0 / vmax).filled(),
            )
        }))
        .map_err(de)?;
        Ok(())
    })?;
    Ok(Some(Figure {
        name: format!("interactions_{col}"),
        title: format!("Interactions of switches on {label}"),
        caption: format!(
            "Two-switch interaction on {label} (effects.csv): how much switching one on changes the other's effect, averaged over the other switches; red: together they do more than the sum of each alone, blue: less; the scale is symmetric about zero and reaches the largest bound of any interaction's 95% CI. {}Rows are numbered as the columns.",
            if any_marked {
                "A white dot marks an interaction whose 95% CI (paired by seed) leaves out zero. "
            } else {
                "No interaction's 95% CI (paired by seed) leaves out zero. "
            }
        ),
        svg,
    }))
}

fn shapley(t: &Tables, shown: &[&String], s: &Scale) -> Result<Option<Figure>> {
    let k = t.switches.len();
    let mut panels = Vec::new();
    for col in shown {
        let rows: Vec<&ShapleyRow> = t.shapley.iter().filter(|r| &r.outcome == *col).collect();
        if rows.is_empty() {
            continue;
        }
        let (lo, hi) = chart::extent(rows.iter().flat_map(|r| [r.value, r.lo, r.hi, 0.0]))
            .unwrap_or((-1.0, 1.0));
        let axes = Axes {
            // The figure's title says these are Shapley values: the axis names the outcome.
            x_label: axis_label(col),
            x: if lo == 0.0 && hi == 0.0 {
                -1.0..1.0
            } else {
                chart::padded(lo, hi, 0.06)
            },
            y: -0.6..k as f64 - 0.4,
            y_categories: Some(t.switches.clone()),
            ..Axes::default()
        };
        let switches = &t.switches;
        let draw: chart::DrawFn = Box::new(move |c, s| {
            chart::reference_line(c, Some(0.0), None)?;
            for r in &rows {
                let Some(i) = switches.iter().position(|w| w == &r.switch) else {
                    continue;
                };
                let y = (k - 1 - i) as f64;
                if r.value.is_finite() {
                    c.draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y - 0.3), (r.value, y + 0.3)],
                        style::PALETTE[2].mix(0.6).filled(),
                    )))
                    .map_err(de)?;
                }
                chart::dot_whisker(c, s, style::series(0), y, r.value, r.lo, r.hi)?;
            }
            Ok(())
        });
        panels.push(Panel { axes, draw });
    }
    if panels.is_empty() {
        return Ok(None);
    }
    let cols = ((s.width as f64 / style::UNITS_PER_IN) / 3.4)
        .floor()
        .max(1.0) as usize;
    let svg = chart::grid_figure(s, panels, cols, chart::category_panel_height(s, k), &[])?;
    Ok(Some(Figure {
        name: "shapley".into(),
        title: "Attribution: Shapley values of the switches".into(),
        caption: "Each switch's Shapley value (attribution.csv): its contribution to the difference between all switches on and all off, averaged over every order of switching them on, so that each interaction is shared equally among its switches; bars add up to that difference. Whiskers: Student-t 95% CI over replicates, paired by seed.".into(),
        svg,
    }))
}

/// The two levels of each switch as written in runs.csv, from the manifest.
fn levels(ds: &Dataset) -> Vec<(String, String, String)> {
    ds.manifest
        .get("factorial")
        .and_then(|f| f.get("switches"))
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| {
                    Some((
                        s.get("path")?.as_str()?.to_string(),
                        s.get("low")?.as_str()?.to_string(),
                        s.get("high")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn main_effects(ds: &Dataset, t: &Tables, shown: &[&String], s: &Scale) -> Result<Option<Figure>> {
    let Some(runs) = &ds.runs else {
        return Ok(None);
    };
    let lv = levels(ds);
    if lv.len() != t.switches.len() {
        return Ok(None);
    }
    let k = lv.len();
    let cols: Vec<Option<usize>> = lv.iter().map(|(p, _, _)| runs.col(p)).collect();
    let mut panels = Vec::new();
    for col in shown {
        let Some(cy) = runs.col(col) else { continue };
        // (mean off, mean on) per switch, over every run with a value.
        let mut means = Vec::with_capacity(k);
        let mut all = (0.0, 0usize);
        for r in &runs.rows {
            let y = num(&r[cy]);
            if y.is_finite() {
                all = (all.0 + y, all.1 + 1);
            }
        }
        for ((_, low, high), c) in lv.iter().zip(&cols) {
            let Some(c) = *c else {
                means.push((f64::NAN, f64::NAN));
                continue;
            };
            let mut acc = [(0.0, 0usize); 2];
            for r in &runs.rows {
                let y = num(&r[cy]);
                if !y.is_finite() {
                    continue;
                }
                let l = if &r[c] == high.as_str() {
                    1
                } else if &r[c] == low.as_str() {
                    0
                } else {
                    continue;
                };
                acc[l] = (acc[l].0 + y, acc[l].1 + 1);
            }
            let m = |a: (f64, usize)| if a.1 > 0 { a.0 / a.1 as f64 } else { f64::NAN };
            means.push((m(acc[0]), m(acc[1])));
        }
        let grand = if all.1 > 0 {
            all.0 / all.1 as f64
        } else {
            f64::NAN
        };
        let (lo, hi) = chart::extent(means.iter().flat_map(|m| [m.0, m.1])).unwrap_or((0.0, 1.0));
        let axes = Axes {
            x_label: format!("mean {}", axis_label(col)),
            x: chart::padded(lo, hi, 0.08),
            y: -0.6..k as f64 - 0.4,
            y_categories: Some(t.switches.clone()),
            ..Axes::default()
        };
        let draw: chart::DrawFn = Box::new(move |c, s| {
            if grand.is_finite() {
                chart::reference_line(c, Some(grand), None)?;
            }
            for (i, &(off, on)) in means.iter().enumerate() {
                let y = (k - 1 - i) as f64;
                if off.is_finite() && on.is_finite() {
                    c.draw_series(std::iter::once(PathElement::new(
                        vec![(off, y), (on, y)],
                        style::GREY.stroke_width(s.upt(1.0)),
                    )))
                    .map_err(de)?;
                }
                chart::markers(c, s, off_style(), &[(off, y)])?;
                chart::markers(c, s, on_style(), &[(on, y)])?;
            }
            Ok(())
        });
        panels.push(Panel { axes, draw });
    }
    if panels.is_empty() {
        return Ok(None);
    }
    let legend = [
        LegendEntry {
            label: "switch off (low level)".into(),
            style: off_style(),
        },
        LegendEntry {
            label: "switch on (high level)".into(),
            style: on_style(),
        },
    ];
    let cols = ((s.width as f64 / style::UNITS_PER_IN) / 3.4)
        .floor()
        .max(1.0) as usize;
    let svg = chart::grid_figure(s, panels, cols, chart::category_panel_height(s, k), &legend)?;
    Ok(Some(Figure {
        name: "main_effects".into(),
        title: "Main effects of the switches".into(),
        caption: "Mean outcome over all runs with each switch off and on (runs.csv; the design is balanced, so each mean averages over every setting of the other switches); the vertical line is the grand mean. The distance between the two points is the main effect in effects.csv, which gives its 95% CI.".into(),
        svg,
    }))
}

fn off_style() -> style::SeriesStyle {
    style::SeriesStyle {
        marker: style::Marker::Square,
        ..style::series(5)
    }
}

fn on_style() -> style::SeriesStyle {
    style::SeriesStyle {
        marker: style::Marker::Circle,
        ..style::series(4)
    }
}

/// The report's factorial section: per outcome shown, each switch's main effect, share of
/// variance and Shapley value, and the interactions whose CI leaves out zero.
pub fn report_section(t: &Tables, columns: &[String]) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<h2>Factorial effects</h2>\n<p class=note>Main effect: mean change when the switch goes from off to on, averaged over the other switches. Interaction a:b: how much switching b on changes a's effect (positive: more than the sum of the parts). Shapley value: the switch's share of all-on minus all-off, averaging its marginal contribution over every order of switching on. 95% CIs below each value, over replicates paired by seed; share: of the outcome's variance over all runs. Every effect is in <code>effects.csv</code>, every Shapley value in <code>attribution.csv</code>.</p>"
    );
    for col in columns {
        let mains: Vec<&EffectRow> = t
            .effects
            .iter()
            .filter(|e| &e.outcome == col && e.order == 1)
            .collect();
        if mains.is_empty() {
            continue;
        }
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<table><thead><tr><th>switch</th><th>main effect</th><th>share</th><th>Shapley value</th></tr></thead><tbody>",
            esc(&axis_label(col))
        );
        for e in &mains {
            let sh = t
                .shapley
                .iter()
                .find(|r| &r.outcome == col && r.switch == e.effect)
                .map_or("NA".to_string(), |r| fmt_ci(r.value, r.lo, r.hi));
            let _ = writeln!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{sh}</td></tr>",
                esc(&e.effect),
                fmt_ci(e.estimate, e.lo, e.hi),
                fmt_num(e.share)
            );
        }
        let _ = writeln!(h, "</tbody></table>");
        let mut inter: Vec<&EffectRow> = t
            .effects
            .iter()
            .filter(|e| &e.outcome == col && e.order >= 2 && e.clear_of_zero())
            .collect();
        inter.sort_by(|a, b| b.estimate.abs().total_cmp(&a.estimate.abs()));
        if inter.is_empty() {
            let _ = writeln!(
                h,
                "<p class=note>No interaction's 95% CI leaves out zero.</p>"
            );
            continue;
        }
        const MAX: usize = 12;
        let _ = writeln!(
            h,
            "<table><thead><tr><th>interaction (CI leaves out zero{})</th><th>estimate</th><th>share</th></tr></thead><tbody>",
            if inter.len() > MAX {
                format!("; the {MAX} largest of {}", inter.len())
            } else {
                String::new()
            }
        );
        for e in inter.iter().take(MAX) {
            let _ = writeln!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                esc(&e.effect),
                fmt_ci(e.estimate, e.lo, e.hi),
                fmt_num(e.share)
            );
        }
        let _ = writeln!(h, "</tbody></table>");
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diverging_scale_is_white_at_zero_and_signed() {
        assert_eq!(diverging(0.0), RGBColor(247, 247, 247));
        assert_eq!(diverging(1.0), RGBColor(178, 24, 43));
        assert_eq!(diverging(-1.0), RGBColor(33, 102, 172));
        assert_eq!(diverging(f64::NAN), diverging(0.0));
        assert!(diverging(0.5).0 > diverging(0.5).2 && diverging(-0.5).2 > diverging(-0.5).0);
    }

    #[test]
    fn tables_read_through_the_header_comment() {
        let d = std::env::temp_dir().join(format!("cogov-synergy-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("effects.csv"),
            "# a comment, with a comma\noutcome,effect,order,n,estimate,ci95_low,ci95_high,variance_share,aliases\n\
             y,a,1,3,1.5,1,2,0.5,\ny,b,1,3,-1,-2,0.5,0.1,\ny,a:b,2,3,0.7,0.2,1.2,0.05,\n",
        )
        .unwrap();
        let t = Tables::read(&d).unwrap().unwrap();
        assert_eq!(t.switches, ["a", "b"]);
        let ab = t.interaction("y", 1, 0).unwrap();
        assert!(ab.clear_of_zero() && ab.estimate == 0.7);
        assert!(!t.effects[1].clear_of_zero());
        let html = report_section(&t, &["y".to_string()]);
        assert!(html.contains("a:b") && html.contains("Factorial effects"));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
