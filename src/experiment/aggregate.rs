//! `aggregate` (mean, sd and Student-t 95% CI per policy × sweep point × summary column)
//! and `contrasts` (paired by replicate against the baseline at the same sweep point).

use std::path::Path;

use crate::error::Result;
use crate::experiment::design::Plan;
use crate::metrics::summary_columns;
use crate::sensitivity;
use crate::stats;
use crate::tables::{self, Column, Format, Table, TableWriter};

/// Loads the summary rows of one cell's runs (policy, sweep point), replicate by replicate.
/// Cells are read one at a time so that memory does not grow with the number of runs.
pub type CellLoader<'a> = dyn Fn(usize, usize) -> Result<Vec<Vec<f64>>> + 'a;

/// One summary column of a loaded cell, replicate by replicate (NaN where missing).
fn column(cell: &[Vec<f64>], metric: usize) -> impl Iterator<Item = f64> + '_ {
    cell.iter()
        .map(move |run| run.get(metric).copied().unwrap_or(f64::NAN))
}

fn missing(x: Option<f64>) -> f64 {
    x.unwrap_or(f64::NAN)
}

/// The runs a cell's rows are computed from: one list of summary rows per group of runs
/// (the cell's own; for a contrast, also the baseline's).
type Loaded = [Vec<Vec<f64>>];

/// Builds a cell's rows from what was loaded for it.
type CellTable<'a> = dyn Fn(usize, usize, &Loaded) -> Table + 'a;

/// Writes one table cell by cell: `cell_table(p, k, loaded)` for every wanted cell, after
/// `load`ing it; the columns come from `cell_table` of an empty cell.
fn write_cells(
    path: &Path,
    format: Format,
    cells: impl Iterator<Item = (usize, usize)>,
    load: &dyn Fn(usize, usize) -> Result<Vec<Vec<Vec<f64>>>>,
    cell_table: &CellTable<'_>,
) -> Result<()> {
    let like = cell_table(0, 0, &[]).empty_like();
    let mut w = TableWriter::create(path, format, &like)?;
    for (p, k) in cells {
        w.write(&cell_table(p, k, &load(p, k)?))?;
    }
    w.finish()
}

/// The `aggregate` rows of cell (policy `p`, sweep point `k`): one per summary column.
/// Missing (non-finite) replicate values are left out of `n`. With no runs loaded (`cell`
/// empty) it gives the table's columns.
pub fn aggregate_cell(plan: &Plan, p: usize, k: usize, cell: &[Vec<Vec<f64>>]) -> Table {
    let metrics = summary_columns();
    let runs = cell.first().map(Vec::as_slice).unwrap_or(&[]);
    let rows = if cell.is_empty() { 0 } else { metrics.len() };
    let (mut n, mut mean, mut sd, mut lo, mut hi) = (vec![], vec![], vec![], vec![], vec![]);
    for m in 0..rows {
        let x: Vec<f64> = column(runs, m).filter(|v| v.is_finite()).collect();
        let s = stats::summarize(&x);
        n.push(s.n as i64);
        mean.push(if s.n == 0 { f64::NAN } else { s.mean });
        sd.push(missing(s.sd));
        lo.push(missing(s.ci95_low));
        hi.push(missing(s.ci95_high));
    }
    let mut t =
        Table::new("aggregate").with("policy", Column::Str(vec![plan.policies[p].clone(); rows]));
    for (name, c) in plan.sweep_columns(k, rows) {
        t.push(name, c);
    }
    t.with("metric", Column::Str(metrics[..rows].to_vec()))
        .with("n", Column::I64(n))
        .with("mean", Column::F64(mean))
        .with("sd", Column::F64(sd))
        .with("ci95_low", Column::F64(lo))
        .with("ci95_high", Column::F64(hi))
}

/// Writes `aggregate`: `policy,<sweep cols>,metric,n,mean,sd,ci95_low,ci95_high`.
pub fn write_aggregate(
    path: &Path,
    format: Format,
    plan: &Plan,
    load: &CellLoader<'_>,
) -> Result<()> {
    let cells = (0..plan.policies.len()).flat_map(|p| (0..plan.points.len()).map(move |k| (p, k)));
    write_cells(
        path,
        format,
        cells,
        &|p, k| Ok(vec![load(p, k)?]),
        &|p, k, cell| aggregate_cell(plan, p, k, cell),
    )
}

/// The `contrasts` rows of policy `p` against the baseline at sweep point `k`, pairing
/// replicates (same seed) where both values are finite. `cells` holds the policy's runs
/// and the baseline's; empty, it gives the table's columns.
pub fn contrast_cell(plan: &Plan, p: usize, k: usize, cells: &[Vec<Vec<f64>>]) -> Table {
    let metrics = summary_columns();
    let rows = if cells.is_empty() { 0 } else { metrics.len() };
    let (mut n, mut diff, mut lo, mut hi, mut d, mut a12) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for m in 0..rows {
        let (x, y): (Vec<f64>, Vec<f64>) = column(&cells[0], m)
            .zip(column(&cells[1], m))
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .unzip();
        if x.is_empty() {
            n.push(0);
            for v in [&mut diff, &mut lo, &mut hi, &mut d, &mut a12] {
                v.push(f64::NAN);
            }
        } else {
            let c = stats::paired_contrast(&x, &y);
            n.push(c.n as i64);
            diff.push(c.mean_diff);
            lo.push(missing(c.ci95_low));
            hi.push(missing(c.ci95_high));
            d.push(missing(c.cohens_d));
            // One pair says nothing about stochastic dominance: its A12 would be 0, 0.5 or 1.
            a12.push(if c.n < 2 { f64::NAN } else { c.a12 });
        }
    }
    let mut t = Table::new("contrasts")
        .with("policy", Column::Str(vec![plan.policies[p].clone(); rows]))
        .with(
            "baseline",
            Column::Str(vec![plan.policies[plan.baseline].clone(); rows]),
        );
    for (name, c) in plan.sweep_columns(k, rows) {
        t.push(name, c);
    }
    t.with("metric", Column::Str(metrics[..rows].to_vec()))
        .with("n", Column::I64(n))
        .with("mean_diff", Column::F64(diff))
        .with("ci95_low", Column::F64(lo))
        .with("ci95_high", Column::F64(hi))
        .with("cohens_d", Column::F64(d))
        .with("a12", Column::F64(a12))
}

/// Writes `contrasts`: `policy,baseline,<sweep cols>,metric,n,mean_diff,ci95_low,ci95_high,
/// cohens_d,a12` for every policy but the baseline.
pub fn write_contrasts(
    path: &Path,
    format: Format,
    plan: &Plan,
    load: &CellLoader<'_>,
) -> Result<()> {
    let base = plan.baseline;
    let cells = (0..plan.policies.len())
        .filter(|&p| p != base)
        .flat_map(|p| (0..plan.points.len()).map(move |k| (p, k)));
    write_cells(
        path,
        format,
        cells,
        &|p, k| Ok(vec![load(p, k)?, load(base, k)?]),
        &|p, k, cells| contrast_cell(plan, p, k, cells),
    )
}

/// Writes `sensitivity.csv` of a `morris` / `sobol` experiment: for each chosen metric, the
/// replicates of each design point are averaged (finite values only; common random numbers
/// across points) and the means analysed. A metric with no finite value at some point is
/// left out (it has no index). Returns the metrics left out.
pub fn write_sensitivity(
    path: &Path,
    format: Format,
    plan: &Plan,
    load: &CellLoader<'_>,
) -> Result<Vec<String>> {
    let Some(sp) = &plan.sensitivity else {
        return Ok(Vec::new());
    };
    // Finite replicate values of each chosen metric at each design point, cell by cell.
    let mut values: Vec<Vec<Vec<f64>>> =
        vec![Vec::with_capacity(plan.points.len()); sp.metrics.len()];
    for k in 0..plan.points.len() {
        let cell = load(0, k)?;
        for (j, (_, col)) in sp.metrics.iter().enumerate() {
            values[j].push(column(&cell, *col).filter(|v| v.is_finite()).collect());
        }
    }
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for ((name, _), per_point) in sp.metrics.iter().zip(values) {
        if per_point.iter().any(Vec::is_empty) {
            skipped.push(name.clone());
            continue;
        }
        let means = sensitivity::average_replicates(name, &per_point)?;
        let analysis = sp.design.analyse(name, &means, sp.bootstrap, sp.seed)?;
        rows.extend(analysis.rows(name));
    }
    tables::write(path, &sensitivity::sensitivity_table(&rows), format)?;
    Ok(skipped)
}
