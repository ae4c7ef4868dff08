//! `aggregate.csv` (mean, sd and Student-t 95% CI per policy × sweep point × summary column)
//! and `contrasts.csv` (paired by replicate against the baseline at the same sweep point).

use std::path::Path;

use crate::error::Result;
use crate::experiment::design::Plan;
use crate::metrics::summary_columns;
use crate::output::{self, num, opt};
use crate::sensitivity;
use crate::stats;

fn cell_values(
    plan: &Plan,
    summaries: &[Vec<f64>],
    policy: usize,
    point: usize,
    metric: usize,
) -> Vec<f64> {
    let reps = plan.replicates as usize;
    let first = (policy * plan.points.len() + point) * reps;
    (first..first + reps)
        .map(|i| summaries[i].get(metric).copied().unwrap_or(f64::NAN))
        .collect()
}

/// Writes `aggregate.csv`: `policy,<sweep cols>,metric,n,mean,sd,ci95_low,ci95_high`. Missing
/// (non-finite) replicate values are left out of `n`.
pub fn write_aggregate(path: &Path, plan: &Plan, summaries: &[Vec<f64>]) -> Result<()> {
    let metrics = summary_columns();
    let mut header = vec!["policy".to_string()];
    header.extend(plan.sweep_keys.iter().cloned());
    header.extend(["metric", "n", "mean", "sd", "ci95_low", "ci95_high"].map(String::from));
    let mut rows = Vec::new();
    for (p, name) in plan.policies.iter().enumerate() {
        for k in 0..plan.points.len() {
            for (m, metric) in metrics.iter().enumerate() {
                let x: Vec<f64> = cell_values(plan, summaries, p, k, m)
                    .into_iter()
                    .filter(|v| v.is_finite())
                    .collect();
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
                rows.push(row);
            }
        }
    }
    output::write_csv(path, &header, rows.into_iter())
}

/// Writes `contrasts.csv`: `policy,baseline,<sweep cols>,metric,n,mean_diff,ci95_low,
/// ci95_high,cohens_d,a12`, pairing replicates (same seed) where both values are finite.
pub fn write_contrasts(path: &Path, plan: &Plan, summaries: &[Vec<f64>]) -> Result<()> {
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
    let mut rows = Vec::new();
    for (p, name) in plan.policies.iter().enumerate() {
        if p == base {
            continue;
        }
        for k in 0..plan.points.len() {
            for (m, metric) in metrics.iter().enumerate() {
                let (x, y): (Vec<f64>, Vec<f64>) = cell_values(plan, summaries, p, k, m)
                    .into_iter()
                    .zip(cell_values(plan, summaries, base, k, m))
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
                        num(c.a12),
                    ]);
                }
                rows.push(row);
            }
        }
    }
    output::write_csv(path, &header, rows.into_iter())
}

/// Writes `sensitivity.csv` of a `morris` / `sobol` experiment: for each chosen metric, the
/// replicates of each design point are averaged (finite values only; common random numbers
/// across points) and the means analysed. A metric with no finite value at some point is
/// left out (it has no index). Returns the metrics left out.
pub fn write_sensitivity(path: &Path, plan: &Plan, summaries: &[Vec<f64>]) -> Result<Vec<String>> {
    let Some(sp) = &plan.sensitivity else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for (name, column) in &sp.metrics {
        let per_point: Vec<Vec<f64>> = (0..plan.points.len())
            .map(|k| {
                cell_values(plan, summaries, 0, k, *column)
                    .into_iter()
                    .filter(|v| v.is_finite())
                    .collect()
            })
            .collect();
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
