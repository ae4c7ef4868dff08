//! `aggregate.csv` (mean, sd and Student-t 95% CI per policy × sweep point × summary column)
//! and `contrasts.csv` (paired by replicate against the baseline at the same sweep point).

use std::path::Path;

use crate::error::Result;
use crate::experiment::design::Plan;
use crate::metrics::summary_columns;
use crate::output::{self, num, opt};
use crate::sensitivity;
use crate::stats;

/// Loads the summary rows of one cell's runs (policy, sweep point), replicate by replicate.
/// Cells are read one at a time so that memory does not grow with the number of runs.
pub type CellLoader<'a> = dyn Fn(usize, usize) -> Result<Vec<Vec<f64>>> + 'a;

/// One cell's rows, or its loading error, as a stream of CSV rows.
fn per_cell(rows: Result<Vec<Vec<String>>>) -> Vec<Result<Vec<String>>> {
    match rows {
        Ok(rows) => rows.into_iter().map(Ok).collect(),
        Err(e) => vec![Err(e)],
    }
}

/// One summary column of a loaded cell, replicate by replicate (NaN where missing).
fn column(cell: &[Vec<f64>], metric: usize) -> impl Iterator<Item = f64> + '_ {
    cell.iter()
        .map(move |run| run.get(metric).copied().unwrap_or(f64::NAN))
}

/// Writes `aggregate.csv`: `policy,<sweep cols>,metric,n,mean,sd,ci95_low,ci95_high`. Missing
/// (non-finite) replicate values are left out of `n`.
pub fn write_aggregate(path: &Path, plan: &Plan, load: &CellLoader<'_>) -> Result<()> {
    let metrics = summary_columns();
    let mut header = vec!["policy".to_string()];
    header.extend(plan.sweep_keys.iter().cloned());
    header.extend(["metric", "n", "mean", "sd", "ci95_low", "ci95_high"].map(String::from));
    let cells = plan
        .policies
        .iter()
        .enumerate()
        .flat_map(|(p, name)| (0..plan.points.len()).map(move |k| (p, name, k)));
    let rows = cells.flat_map(|(p, name, k)| {
        per_cell(load(p, k).map(|cell| {
            metrics
                .iter()
                .enumerate()
                .map(|(m, metric)| {
                    let x: Vec<f64> = column(&cell, m).filter(|v| v.is_finite()).collect();
                    let s = stats::summarize(&x);
                    let mut row = vec![name.clone()];
                    row.extend(plan.point_fields(k));
                    row.extend([
                        metric.clone(),
                        s.n.to_string(),
                        if s.n == 0 { "NA".into() } else { num(s.mean) },
                        opt(s.sd),
                        opt(s.ci95_low),
                        opt(s.ci95_high),
                    ]);
                    row
                })
                .collect()
        }))
    });
    output::try_write_csv(path, &header, rows)
}

/// Writes `contrasts.csv`: `policy,baseline,<sweep cols>,metric,n,mean_diff,ci95_low,
/// ci95_high,cohens_d,a12`, pairing replicates (same seed) where both values are finite.
pub fn write_contrasts(path: &Path, plan: &Plan, load: &CellLoader<'_>) -> Result<()> {
    let metrics = summary_columns();
    let mut header = vec!["policy".to_string(), "baseline".to_string()];
    header.extend(plan.sweep_keys.iter().cloned());
    header.extend(
        [
            "metric",
            "n",
            "mean_diff",
            "ci95_low",
            "ci95_high",
            "cohens_d",
            "a12",
        ]
        .map(String::from),
    );
    let base = plan.baseline;
    let cells = plan
        .policies
        .iter()
        .enumerate()
        .filter(|&(p, _)| p != base)
        .flat_map(|(p, name)| (0..plan.points.len()).map(move |k| (p, name, k)));
    let rows =
        cells.flat_map(|(p, name, k)| {
            per_cell(load(p, k).and_then(|cell| Ok((cell, load(base, k)?))).map(
                |(cell, base_cell)| {
                    metrics
                        .iter()
                        .enumerate()
                        .map(|(m, metric)| {
                            let (x, y): (Vec<f64>, Vec<f64>) = column(&cell, m)
                                .zip(column(&base_cell, m))
                                .filter(|(a, b)| a.is_finite() && b.is_finite())
                                .unzip();
                            let mut row = vec![name.clone(), plan.policies[base].clone()];
                            row.extend(plan.point_fields(k));
                            row.push(metric.clone());
                            if x.is_empty() {
                                row.extend(["0", "NA", "NA", "NA", "NA", "NA"].map(String::from));
                            } else {
                                let c = stats::paired_contrast(&x, &y);
                                row.extend([
                                    c.n.to_string(),
                                    num(c.mean_diff),
                                    opt(c.ci95_low),
                                    opt(c.ci95_high),
                                    opt(c.cohens_d),
                                    // One pair says nothing about stochastic dominance:
                                    // its A12 would be 0, 0.5 or 1.
                                    if c.n < 2 { "NA".into() } else { num(c.a12) },
                                ]);
                            }
                            row
                        })
                        .collect()
                },
            ))
        });
    output::try_write_csv(path, &header, rows)
}

/// Writes `sensitivity.csv` of a `morris` / `sobol` experiment: for each chosen metric, the
/// replicates of each design point are averaged (finite values only; common random numbers
/// across points) and the means analysed. A metric with no finite value at some point is
/// left out (it has no index). Returns the metrics left out.
pub fn write_sensitivity(path: &Path, plan: &Plan, load: &CellLoader<'_>) -> Result<Vec<String>> {
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
    sensitivity::write_sensitivity_csv(path, &rows)?;
    Ok(skipped)
}
