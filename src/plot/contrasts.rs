//! Policy contrasts: dot-and-whisker plots of the paired difference against the baseline
//! with its 95% CI (from `contrasts.csv`), one panel per metric, with a zero line.

use super::chart::{self, Axes, Panel};
use super::data::{Dataset, Table, num};
use super::style::{self, Scale};
use super::{Figure, axis_label};
use crate::Result;

/// One contrast row: group index, n, mean difference, CI, Cohen's d, A12.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Group (policy and sweep point).
    pub group: usize,
    /// Summary column.
    pub metric: String,
    /// Baseline policy name.
    pub baseline: String,
    /// Number of pairs.
    pub n: f64,
    /// Mean paired difference.
    pub mean_diff: f64,
    /// CI low.
    pub lo: f64,
    /// CI high.
    pub hi: f64,
    /// Cohen's d.
    pub d: f64,
    /// Vargha–Delaney A12.
    pub a12: f64,
}

/// The rows of `contrasts.csv` for the shown groups and the given summary columns.
pub fn rows(ds: &Dataset, table: &Table, columns: &[String]) -> Result<Vec<Row>> {
    let c_pol = table.require("policy")?;
    let c_base = table.require("baseline")?;
    let c_metric = table.require("metric")?;
    let sweep: Vec<usize> = ds
        .sweep_cols
        .iter()
        .map(|c| table.require(c))
        .collect::<Result<_>>()?;
    let [c_n, c_md, c_lo, c_hi] =
        ["n", "mean_diff", "ci95_low", "ci95_high"].map(|c| table.require(c));
    let (c_n, c_md, c_lo, c_hi) = (c_n?, c_md?, c_lo?, c_hi?);
    let (c_d, c_a) = (table.col("cohens_d"), table.col("a12"));
    let mut out = Vec::new();
    for r in &table.rows {
        if !columns.iter().any(|c| c == &r[c_metric]) {
            continue;
        }
        let key: Vec<&str> = sweep.iter().map(|&i| &r[i]).collect();
        let Some(group) = ds.group_by_key(&r[c_pol], &key) else {
            continue;
        };
        out.push(Row {
            group,
            metric: r[c_metric].to_string(),
            baseline: r[c_base].to_string(),
            n: num(&r[c_n]),
            mean_diff: num(&r[c_md]),
            lo: num(&r[c_lo]),
            hi: num(&r[c_hi]),
            d: c_d.map_or(f64::NAN, |c| num(&r[c])),
            a12: c_a.map_or(f64::NAN, |c| num(&r[c])),
        });
    }
    Ok(out)
}

/// One figure with a panel per metric; None when no contrast rows match.
pub fn figure(ds: &Dataset, rows: &[Row], columns: &[String], s: &Scale) -> Result<Option<Figure>> {
    let mut panels = Vec::new();
    let mut max_items = 0;
    for col in columns {
        let mine: Vec<&Row> = rows.iter().filter(|r| &r.metric == col).collect();
        if mine.is_empty() {
            continue;
        }
        let groups: Vec<usize> = {
            let mut g: Vec<usize> = mine.iter().map(|r| r.group).collect();
            g.sort_unstable();
            g.dedup();
            g
        };
        max_items = max_items.max(groups.len());
        let (lo, hi) = chart::extent(mine.iter().flat_map(|r| [r.mean_diff, r.lo, r.hi, 0.0]))
            .unwrap_or((-1.0, 1.0));
        let n = groups.len();
        let labels: Vec<String> = groups.iter().map(|&g| ds.groups[g].label.clone()).collect();
        let axes = Axes {
            title: None,
            x_label: format!("Δ {}", axis_label(col)),
            y_label: String::new(),
            // No difference at all: centre the zero line rather than put it at the edge.
            x: if lo == 0.0 && hi == 0.0 {
                -1.0..1.0
            } else {
                chart::padded(lo, hi, 0.06)
            },
            y: -0.6..n as f64 - 0.4,
            y_categories: Some(labels),
            ..Axes::default()
        };
        let draw: chart::DrawFn = Box::new(move |c, s| {
            chart::reference_line(c, Some(0.0), None)?;
            for r in &mine {
                let y = (n - 1 - groups.iter().position(|&g| g == r.group).unwrap_or(0)) as f64;
                chart::dot_whisker(c, s, style::series(r.group), y, r.mean_diff, r.lo, r.hi)?;
            }
            Ok(())
        });
        panels.push(Panel { axes, draw });
    }
    if panels.is_empty() {
        return Ok(None);
    }
    let baseline = rows.first().map(|r| r.baseline.clone()).unwrap_or_default();
    let cols = ((s.width as f64 / style::UNITS_PER_IN) / 3.4)
        .floor()
        .max(1.0) as usize;
    let svg = chart::grid_figure(
        s,
        panels,
        cols,
        chart::category_panel_height(s, max_items),
        &[],
    )?;
    Ok(Some(Figure {
        name: "contrasts".into(),
        title: format!("Policy contrasts against {baseline}"),
        caption: format!(
            "Paired difference of each policy from the baseline `{baseline}` (same replicate seeds): mean with Student-t 95% CI; the vertical line marks no difference."
        ),
        svg,
    }))
}
