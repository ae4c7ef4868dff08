//! Synthetic run and experiment directories that follow the CSV contract, with seeded
//! random values, for tests and benchmarks of the figures (not a model of anything).

use std::fmt::Write as _;
use std::path::Path;

use crate::metrics::{self, METRICS, Stat};
use crate::rng::{self, Purpose};
use crate::stats::{paired_contrast, summarize};
use crate::{Error, Result};

/// The shape of a synthetic experiment.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Number of policies (the first is the baseline).
    pub policies: usize,
    /// Replicates per policy and sweep point.
    pub replicates: usize,
    /// Ticks per run.
    pub ticks: usize,
    /// Write every `every`-th tick to `timeseries.csv`.
    pub every: usize,
    /// Swept parameters: dotted path and values.
    pub sweep: Vec<(String, Vec<f64>)>,
    /// Number of communities.
    pub communities: usize,
    /// Also write `sensitivity.csv` (Morris indices, or Sobol' indices when `design` is
    /// `"sobol"`).
    pub sensitivity: bool,
    /// The design recorded in the manifest: `factorial` (the sweep values are crossed) or a
    /// sampled design such as `latin_hypercube` (point i takes the i-th value of each list).
    pub design: String,
    /// Seed of the random values.
    pub seed: u64,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            policies: 10,
            replicates: 20,
            ticks: 1095,
            every: 1,
            sweep: vec![],
            communities: 54,
            sensitivity: false,
            design: "factorial".into(),
            seed: 7,
        }
    }
}

/// Parameters of the fixtures' `sensitivity.csv`: two share a last segment, as two
/// mechanisms' `skill_bonus` keys do.
pub const SENSITIVITY_PARAMETERS: [&str; 5] = [
    "mechanisms.grid.patrol_probability",
    "mechanisms.three_society.skill_bonus",
    "mechanisms.platforms.skill_bonus",
    "residents.report_probability",
    "government.coordination_delay",
];

/// Policy names used by the fixtures (`baseline` first).
pub fn policy_name(i: usize) -> String {
    const NAMES: [&str; 10] = [
        "baseline",
        "grid",
        "party_building",
        "three_social",
        "deliberation",
        "online",
        "volunteers",
        "funds",
        "all_on",
        "mediation",
    ];
    NAMES
        .get(i)
        .map_or_else(|| format!("policy_{i}"), |s| s.to_string())
}

fn value(m: usize, info: &metrics::MetricInfo, effect: f64, t: f64, noise: f64) -> f64 {
    let grow = 1.0 - (-t / 180.0).exp();
    match info.unit {
        "share" | "index" => {
            (0.2 + 0.05 * (m % 5) as f64 + 0.3 * effect * grow + 0.03 * noise).clamp(0.0, 1.0)
        }
        "days" => (12.0 - 6.0 * effect * grow + 1.5 * noise).max(0.0),
        "yuan" => (5000.0 * (1.0 + effect) + 800.0 * noise).max(0.0),
        "ratio" => (0.5 + effect * grow + 0.1 * noise).max(0.0),
        _ => (20.0 * (1.0 + effect * grow) + 4.0 * noise)
            .max(0.0)
            .round(),
    }
}

fn write(path: &Path, text: &str) -> Result<()> {
    crate::output::write_atomic(path, |w| w.write_all(text.as_bytes()))
}

/// Writes an experiment directory for `spec` into `dir` (created if needed).
pub fn write_experiment(dir: &Path, spec: &Spec) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let points: Vec<Vec<f64>> = if spec.design == "factorial" || spec.sweep.is_empty() {
        spec.sweep.iter().fold(vec![vec![]], |acc, (_, vals)| {
            acc.iter()
                .flat_map(|p| vals.iter().map(move |v| [p.clone(), vec![*v]].concat()))
                .collect()
        })
    } else {
        let n = spec.sweep.iter().map(|(_, v)| v.len()).min().unwrap_or(0);
        (0..n)
            .map(|i| spec.sweep.iter().map(|(_, v)| v[i]).collect())
            .collect()
    };
    let sweep_names: Vec<&str> = spec.sweep.iter().map(|(n, _)| n.as_str()).collect();
    let summary_cols = metrics::summary_columns();
    let mut runs = String::new();
    let mut ts = String::new();
    let mut comm = String::new();
    let _ = write!(runs, "run_id,policy,");
    for n in &sweep_names {
        let _ = write!(runs, "{n},");
    }
    let _ = writeln!(runs, "replicate,seed,{}", summary_cols.join(","));
    let _ = writeln!(
        ts,
        "run_id,tick,{}",
        METRICS.iter().map(|m| m.name).collect::<Vec<_>>().join(",")
    );
    let _ = writeln!(
        comm,
        "run_id,community,street,residents,active_share,trust_institutional_mean,satisfaction_mean,grievance_mean"
    );
    // (policy, point) -> per summary column, per replicate values.
    let mut summaries: Vec<Vec<Vec<f64>>> = Vec::new();
    let mut run_id = 0u64;
    for p in 0..spec.policies {
        for (pi, point) in points.iter().enumerate() {
            let effect = 0.08 * p as f64 + point.iter().map(|v| 0.5 * v).sum::<f64>();
            let mut per_col = vec![Vec::with_capacity(spec.replicates); summary_cols.len()];
            for r in 0..spec.replicates {
                let seed = spec.seed.wrapping_mul(1_000_003).wrapping_add(r as u64);
                let mut rg =
                    rng::stream(seed, Purpose::Experiment, (p * 1000 + pi) as u64, r as u64);
                let rep_shift = rng::unit_f64(&mut rg) - 0.5;
                let mut sums = vec![0.0; METRICS.len()];
                let mut last = vec![0.0; METRICS.len()];
                for t in 0..spec.ticks {
                    let write_row = t % spec.every.max(1) == 0;
                    if write_row {
                        let _ = write!(ts, "{run_id},{t}");
                    }
                    for (m, info) in METRICS.iter().enumerate() {
                        let noise = rep_shift + rng::unit_f64(&mut rg) - 0.5;
                        let v = value(m, info, effect, t as f64, noise);
                        sums[m] += v;
                        last[m] = v;
                        if write_row {
                            let _ = write!(ts, ",{v:.4}");
                        }
                    }
                    if write_row {
                        ts.push('\n');
                    }
                }
                let _ = write!(runs, "{run_id},{},", policy_name(p));
                for v in point {
                    let _ = write!(runs, "{v},");
                }
                let _ = write!(runs, "{r},{seed}");
                for (k, (m, stat)) in metrics::summaries().enumerate() {
                    let v = match stat {
                        Stat::Final => last[m],
                        Stat::Mean => sums[m] / spec.ticks.max(1) as f64,
                        Stat::Total => sums[m],
                    };
                    per_col[k].push(v);
                    let _ = write!(runs, ",{v:.6}");
                }
                runs.push('\n');
                for c in 0..spec.communities {
                    let a = (0.25
                        + 0.3 * effect
                        + 0.1 * (rng::unit_f64(&mut rg) - 0.5)
                        + 0.05 * (c % 7) as f64)
                        .clamp(0.0, 1.0);
                    let _ = writeln!(
                        comm,
                        "{run_id},c{c:02},s{},{},{a:.4},{:.4},{:.4},{:.4}",
                        c / 9,
                        800 + 10 * c,
                        (0.5 + 0.2 * effect).min(1.0),
                        (0.45 + 0.25 * effect + 0.05 * rng::unit_f64(&mut rg)).min(1.0),
                        (0.4 - 0.2 * effect).max(0.0)
                    );
                }
                run_id += 1;
            }
            summaries.push(per_col);
        }
    }
    write(&dir.join("runs.csv"), &runs)?;
    write(&dir.join("timeseries.csv"), &ts)?;
    write(&dir.join("communities.csv"), &comm)?;

    let head = if sweep_names.is_empty() {
        String::new()
    } else {
        format!("{},", sweep_names.join(","))
    };
    let na = |o: Option<f64>| o.map_or_else(|| "NA".to_string(), |v| format!("{v:.6}"));
    let mut agg = format!("policy,{head}metric,n,mean,sd,ci95_low,ci95_high\n");
    let mut con =
        format!("policy,baseline,{head}metric,n,mean_diff,ci95_low,ci95_high,cohens_d,a12\n");
    for p in 0..spec.policies {
        for (pi, point) in points.iter().enumerate() {
            let pt: String = point.iter().map(|v| format!("{v},")).collect();
            let here = &summaries[p * points.len() + pi];
            let base = &summaries[pi];
            for (k, col) in summary_cols.iter().enumerate() {
                let s = summarize(&here[k]);
                let _ = writeln!(
                    agg,
                    "{},{pt}{col},{},{},{},{},{}",
                    policy_name(p),
                    s.n,
                    na(Some(s.mean).filter(|v| v.is_finite())),
                    na(s.sd),
                    na(s.ci95_low),
                    na(s.ci95_high)
                );
                if p > 0 && here[k].iter().all(|v| v.is_finite()) {
                    let c = paired_contrast(&here[k], &base[k]);
                    let _ = writeln!(
                        con,
                        "{},{},{pt}{col},{},{:.6},{},{},{},{:.4}",
                        policy_name(p),
                        policy_name(0),
                        c.n,
                        c.mean_diff,
                        na(c.ci95_low),
                        na(c.ci95_high),
                        na(c.cohens_d),
                        c.a12
                    );
                }
            }
        }
    }
    write(&dir.join("aggregate.csv"), &agg)?;
    write(&dir.join("contrasts.csv"), &con)?;
    if spec.sensitivity {
        let mut sens = String::from("metric,parameter,index,value,ci95_low,ci95_high\n");
        let mut rg = rng::stream(spec.seed, Purpose::Sensitivity, 0, 0);
        let indices: &[&str] = if spec.design == "sobol" {
            &["S1", "ST"]
        } else {
            &["mu_star", "sigma", "mu"]
        };
        for metric in ["active_share_final", "complaints_total"] {
            for param in SENSITIVITY_PARAMETERS {
                for &idx in indices {
                    let v = rng::unit_f64(&mut rg);
                    let _ = writeln!(
                        sens,
                        "{metric},{param},{idx},{v:.4},{:.4},{:.4}",
                        v * 0.8,
                        v * 1.2
                    );
                }
            }
        }
        write(&dir.join("sensitivity.csv"), &sens)?;
    }
    let manifest = serde_json::json!({
        "kind": "experiment",
        "design": spec.design,
        "scenario_name": "fixture",
        "description": "Synthetic data: do linkage policies raise participation over three years?",
        "scenario_toml": "name = \"fixture\"\n[plot]\nwidth_in = 7.0\n",
        "plot": serde_json::Value::Null,
    });
    write(&dir.join("manifest.json"), &manifest.to_string())
}

/// Writes a single-run directory (`timeseries.csv`, `summary.csv`, `communities.csv`,
/// `manifest.json`) with `ticks` ticks into `dir`.
pub fn write_run(dir: &Path, ticks: usize, seed: u64) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut rg = rng::stream(seed, Purpose::Experiment, 0, 0);
    let mut ts = format!(
        "tick,{}\n",
        METRICS.iter().map(|m| m.name).collect::<Vec<_>>().join(",")
    );
    for t in 0..ticks {
        let _ = write!(ts, "{t}");
        for (m, info) in METRICS.iter().enumerate() {
            let _ = write!(
                ts,
                ",{:.4}",
                value(m, info, 0.3, t as f64, rng::unit_f64(&mut rg) - 0.5)
            );
        }
        ts.push('\n');
    }
    write(&dir.join("timeseries.csv"), &ts)?;
    write(
        &dir.join("summary.csv"),
        "metric,final,mean,total\nactive_share,0.3,0.25,NA\n",
    )?;
    let mut comm =
        String::from("community,street,residents,active_share,trust_institutional_mean\n");
    for c in 0..54 {
        let _ = writeln!(
            comm,
            "c{c:02},s{},{},{:.4},{:.4}",
            c / 9,
            800 + c,
            0.2 + 0.3 * rng::unit_f64(&mut rg),
            0.5
        );
    }
    write(&dir.join("communities.csv"), &comm)?;
    let manifest = serde_json::json!({"scenario_name": "single_run", "description": "One run of the default scenario."});
    write(&dir.join("manifest.json"), &manifest.to_string())
}
