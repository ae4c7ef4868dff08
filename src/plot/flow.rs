//! The issue pipeline as an alluvial diagram, drawn from the `issues` table alone (CSV or
//! Parquet): every issue
//! is a path through four stages (who it was first routed to, who handled it last, who
//! funded it, how it ended); bands between stages are as wide as the number of issues that
//! took that step, coloured by the first handler so a path can be followed (Rosvall &
//! Bergstrom 2010 call this an alluvial diagram; it is a Sankey diagram of paths).

use std::collections::BTreeMap;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Figure;
use super::chart::{self, de};
use std::path::Path;

use super::data::{self, Dataset, Table, num};
use super::style::{self, Scale};
use crate::Result;
use crate::tables::{Format, parquet_format};

/// Stages (axes) of the diagram and their categories.
pub const STAGES: [(&str, &[&str]); 4] = [
    (
        "routed to",
        &[
            "community",
            "street",
            "department",
            "organisation",
            "not routed",
        ],
    ),
    (
        "last handler",
        &[
            "community",
            "street",
            "department",
            "organisation",
            "not routed",
        ],
    ),
    (
        "funded by",
        &["public only", "public + others", "others only", "no funds"],
    ),
    ("outcome", &["resolved", "failed", "open"]),
];

/// Most policies drawn (one panel each).
pub const MAX_PANELS: usize = 4;

/// Issue counts by path (a category index per stage), per group of `ds`.
pub type Paths = Vec<BTreeMap<[usize; 4], u64>>;

/// The cells of one issue that decide its path.
struct Step<'a> {
    run: Option<&'a str>,
    routed_to: &'a str,
    handler: &'a str,
    outcome: &'a str,
    /// Public, social, enterprise and resident money committed.
    funded: [f64; 4],
}

/// Counts the paths of the issues in `path` (the `issues` table, CSV or Parquet), per group
/// of `ds`, reading the file row by row or batch by batch (it may hold millions of issues).
/// None when the file has no rows.
pub fn paths(ds: &Dataset, path: &Path, format: Format) -> Result<Option<Paths>> {
    let mut out: Paths = vec![BTreeMap::new(); ds.groups.len()];
    let mut any = false;
    let handler = |v: &str| STAGES[0].1.iter().position(|h| *h == v).unwrap_or(4);
    let mut count = |i: Step<'_>| {
        any = true;
        let Some(g) = ds.group_of(i.run) else {
            return;
        };
        let public = i.funded[0] > 0.0;
        let others = i.funded[1..].iter().any(|&x| x > 0.0);
        let funded = match (public, others) {
            (true, false) => 0,
            (true, true) => 1,
            (false, true) => 2,
            (false, false) => 3,
        };
        let outcome = match i.outcome {
            "resolved" => 0,
            "failed" => 1,
            _ => 2,
        };
        *out[g]
            .entry([handler(i.routed_to), handler(i.handler), funded, outcome])
            .or_insert(0) += 1;
    };
    match format {
        Format::Csv => {
            let mut rdr = data::open(path)?;
            let head = data::headers(&mut rdr, path)?;
            let t = Table::header(path, head);
            let c_run = t.col("run_id");
            let [a, b, o] = ["routed_to", "handler", "outcome"].map(|c| t.require(c));
            let (a, b, o) = (a?, b?, o?);
            let [m0, m1, m2, m3] = FUNDED.map(|c| t.require(c));
            let money = [m0?, m1?, m2?, m3?];
            let mut row = csv::StringRecord::new();
            while rdr.read_record(&mut row).map_err(|e| crate::Error::Csv {
                path: path.to_path_buf(),
                source: e,
            })? {
                count(Step {
                    run: c_run.map(|c| &row[c]),
                    routed_to: &row[a],
                    handler: &row[b],
                    outcome: &row[o],
                    funded: money.map(|c| num(&row[c])),
                });
            }
        }
        Format::Parquet => {
            let names = parquet_format::column_names(path)?;
            let with_run = names.iter().any(|n| n == "run_id");
            let mut wanted = vec!["routed_to", "handler", "outcome"];
            wanted.extend(FUNDED);
            if with_run {
                wanted.push("run_id");
            }
            parquet_format::for_each_batch(path, Some(&wanted), |t| {
                let text = |name: &str| -> Vec<String> {
                    let c = t.column(name);
                    (0..t.rows())
                        .map(|i| c.map(|c| c.cell(i)).unwrap_or_default())
                        .collect()
                };
                let (a, b, o) = (text("routed_to"), text("handler"), text("outcome"));
                let run = with_run.then(|| text("run_id"));
                let money: Vec<Vec<f64>> = FUNDED
                    .iter()
                    .map(|c| {
                        t.column(c)
                            .and_then(|c| c.to_f64())
                            .unwrap_or_else(|| vec![f64::NAN; t.rows()])
                    })
                    .collect();
                for i in 0..t.rows() {
                    count(Step {
                        run: run.as_ref().map(|r| r[i].as_str()),
                        routed_to: &a[i],
                        handler: &b[i],
                        outcome: &o[i],
                        funded: [money[0][i], money[1][i], money[2][i], money[3][i]],
                    });
                }
                Ok(())
            })?;
        }
    }
    Ok(any.then_some(out))
}

/// The money columns, public first.
const FUNDED: [&str; 4] = [
    "funded_public",
    "funded_social",
    "funded_enterprise",
    "funded_resident",
];

/// The figure; None when no issue is recorded for any shown group.
pub fn figure(ds: &Dataset, paths: &Paths, runs: usize, s: &Scale) -> Result<Option<Figure>> {
    let shown: Vec<usize> = (0..paths.len())
        .filter(|&g| paths[g].values().sum::<u64>() > 0)
        .take(MAX_PANELS)
        .collect();
    if shown.is_empty() {
        return Ok(None);
    }
    let font = s.tick_font();
    let lh = s.line_height();
    let gap = s.upt(4.0);
    // The last stage's widest label decides the right margin (labels sit right of their
    // node; the others fit between the stages).
    let label_w = STAGES[STAGES.len() - 1]
        .1
        .iter()
        .map(|c| chart::text_width(&font, c))
        .chain([chart::text_width(&font, "(100000)")])
        .max()
        .unwrap_or(0);
    let panel_h = (s.height as f64 * 1.1) as u32 + 3 * lh;
    let svg = chart::svg_document(s.width, panel_h * shown.len() as u32, |root| {
        let cells = root.split_evenly((shown.len(), 1));
        for (cell, &g) in cells.iter().zip(&shown) {
            draw_panel(cell, ds, &paths[g], g, s, label_w, gap)?;
        }
        Ok(())
    })?;
    let total: u64 = shown.iter().map(|&g| paths[g].values().sum::<u64>()).sum();
    let more = if paths.iter().filter(|p| !p.is_empty()).count() > shown.len() {
        format!(" Only the first {MAX_PANELS} policies are drawn.")
    } else {
        String::new()
    };
    Ok(Some(Figure {
        name: "issues_flow".into(),
        title: "The issue pipeline".into(),
        caption: format!(
            "Paths of {total} issues (closed after the warm-up or open at the end; from issues.csv{}) through four stages: the handler each was first routed to, the handler that had it last (after escalations), who funded it (public money only, public and other money, other money only, none), and its outcome. Band widths are proportional to issue counts within each panel; colour follows the first handler.{more}",
            if runs > 1 {
                format!(", pooled over the {runs} runs of each policy")
            } else {
                String::new()
            }
        ),
        svg,
    }))
}

fn draw_panel(
    area: &chart::Area,
    ds: &Dataset,
    paths: &BTreeMap<[usize; 4], u64>,
    g: usize,
    s: &Scale,
    label_w: u32,
    gap: u32,
) -> Result<()> {
    let font = s.tick_font();
    let title_font = s.label_font();
    let lh = s.line_height() as i32;
    let (w, h) = area.dim_in_pixel();
    let n: u64 = paths.values().sum();
    let top = 3 * lh + gap as i32;
    let bottom = h as i32 - gap as i32;
    let bar = s.upt(5.0) as i32;
    let left = gap as i32;
    let right = w as i32 - label_w as i32 - gap as i32 - bar;
    let x_of = |a: usize| left + (right - left) * a as i32 / (STAGES.len() as i32 - 1);
    area.draw(&Text::new(
        format!("{}: {n} issues", ds.groups[g].label),
        (left, lh),
        title_font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
    ))
    .map_err(de)?;
    // Node sizes and positions.
    let node_gap = s.upt(5.0) as f64;
    let mut nodes: Vec<Vec<(f64, f64)>> = Vec::new(); // per stage, per category: (y0, y1)
    let mut sizes: Vec<Vec<u64>> = Vec::new();
    for (a, (_, cats)) in STAGES.iter().enumerate() {
        let mut size = vec![0u64; cats.len()];
        for (path, c) in paths {
            size[path[a]] += c;
        }
        let present = size.iter().filter(|&&v| v > 0).count().max(1);
        let scale = ((bottom - top) as f64 - node_gap * (present - 1) as f64) / n.max(1) as f64;
        let mut y = top as f64;
        let mut pos = vec![(0.0, 0.0); cats.len()];
        for (c, &v) in size.iter().enumerate() {
            if v == 0 {
                continue;
            }
            pos[c] = (y, y + v as f64 * scale);
            y += v as f64 * scale + node_gap;
        }
        nodes.push(pos);
        sizes.push(size);
    }
    let scale_of = |a: usize| {
        let present = sizes[a].iter().filter(|&&v| v > 0).count().max(1);
        ((bottom - top) as f64 - node_gap * (present - 1) as f64) / n.max(1) as f64
    };
    // Bands between consecutive stages, split by first handler so paths can be followed.
    for a in 0..STAGES.len() - 1 {
        let mut flows: BTreeMap<(usize, usize, usize), u64> = BTreeMap::new();
        for (path, c) in paths {
            *flows.entry((path[0], path[a], path[a + 1])).or_insert(0) += c;
        }
        let (sa, sb) = (scale_of(a), scale_of(a + 1));
        let mut out_fill: Vec<f64> = nodes[a].iter().map(|p| p.0).collect();
        let mut in_fill: Vec<f64> = nodes[a + 1].iter().map(|p| p.0).collect();
        // Leave each node in target order, enter each node in source order.
        let mut by_out: Vec<(&(usize, usize, usize), &u64)> = flows.iter().collect();
        by_out.sort_by_key(|((h, from, to), _)| (*from, *to, *h));
        let mut starts = BTreeMap::new();
        for &(&(h, from, to), &c) in &by_out {
            let y0 = out_fill[from];
            out_fill[from] += c as f64 * sa;
            starts.insert((h, from, to), y0);
        }
        let mut by_in = by_out.clone();
        by_in.sort_by_key(|((h, from, to), _)| (*to, *from, *h));
        let (xa, xb) = ((x_of(a) + bar) as f64, x_of(a + 1) as f64);
        for ((h, from, to), &c) in by_in {
            let y0 = starts[&(*h, *from, *to)];
            let y1 = in_fill[*to];
            in_fill[*to] += c as f64 * sb;
            let (ha, hb) = (c as f64 * sa, c as f64 * sb);
            let curve = |t: f64, ya: f64, yb: f64| {
                // Cubic with horizontal tangents at both ends.
                let u = t * t * (3.0 - 2.0 * t);
                (xa + (xb - xa) * t, ya + (yb - ya) * u)
            };
            let steps = 24;
            let mut poly: Vec<(i32, i32)> = (0..=steps)
                .map(|i| {
                    let (x, y) = curve(i as f64 / steps as f64, y0, y1);
                    (x.round() as i32, y.round() as i32)
                })
                .collect();
            poly.extend((0..=steps).rev().map(|i| {
                let (x, y) = curve(i as f64 / steps as f64, y0 + ha, y1 + hb);
                (x.round() as i32, y.round() as i32)
            }));
            area.draw(&Polygon::new(
                poly,
                style::series(*h + 1).color.mix(0.45).filled(),
            ))
            .map_err(de)?;
        }
    }
    // Nodes, their labels (name, then count) and the stage names, each fitted to the room
    // up to the next stage.
    let pad = s.upt(2.0) as i32;
    for (a, (stage, cats)) in STAGES.iter().enumerate() {
        let x = x_of(a);
        let room = if a + 1 < STAGES.len() {
            (x_of(a + 1) - x - bar - 2 * pad).max(1) as u32
        } else {
            (w as i32 - x - bar - pad).max(1) as u32
        };
        area.draw(&Text::new(
            chart::fit_in(&font, stage, &[], room + bar as u32),
            (x, lh * 5 / 2),
            font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(de)?;
        // Labels at their node's middle, pushed down where they would overlap the one above.
        let mut next_free = f64::NEG_INFINITY;
        for (c, &(y0, y1)) in nodes[a].iter().enumerate() {
            if sizes[a][c] == 0 {
                continue;
            }
            let ly = ((y0 + y1) / 2.0).max(next_free + 2.0 * lh as f64);
            next_free = ly;
            area.draw(&Rectangle::new(
                [
                    (x, y0.round() as i32),
                    (x + bar, y1.round().max(y0.round() + 1.0) as i32),
                ],
                RGBColor(60, 60, 60).filled(),
            ))
            .map_err(de)?;
            for (k, text) in [
                chart::fit_in(&font, cats[c], &[], room),
                format!("({})", sizes[a][c]),
            ]
            .into_iter()
            .enumerate()
            {
                area.draw(&Text::new(
                    text,
                    (
                        x + bar + pad,
                        (ly + (k as f64 - 0.5) * lh as f64).round() as i32,
                    ),
                    font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(de)?;
            }
        }
    }
    Ok(())
}
