//! Pattern validation (MODEL.md §1 and §10, rule 8): each of the patterns P1–P7 is a set of
//! checks on an experiment's outputs, measured, never assumed, and able to fail. A pattern
//! file in `scenarios/patterns/` holds its arms as `[[policy]]` entries (which differ only
//! in the mechanism the pattern names) and its uncertain parameters as a Latin-hypercube
//! `[sweep]`. `cogov validate` runs each file twice: at the defaults (no sweep, many
//! replicates: each check's estimate and 95% CI) and as written (a few replicates per
//! design point: the share of the points at which the pattern holds, its robustness).
//!
//! This module holds the patterns and evaluates checks on `runs.csv` and `timeseries.csv`;
//! running the experiments is the command's job (`cli::validate`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::stats;

/// A direction of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// An increase.
    Up,
    /// A decrease.
    Down,
}

impl Sign {
    fn agrees(self, x: f64) -> bool {
        match self {
            Sign::Up => x > 0.0,
            Sign::Down => x < 0.0,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Sign::Up => "rises",
            Sign::Down => "falls",
        }
    }
}

/// One measured check.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// The paired difference `treated − reference` of a summary column has `sign`: at the
    /// defaults with a 95% CI that excludes zero; at a design point, in its mean.
    Effect {
        /// Treated arm.
        treated: &'static str,
        /// Reference arm.
        reference: &'static str,
        /// Summary column.
        metric: &'static str,
        /// Claimed direction.
        sign: Sign,
    },
    /// A control: the paired difference is no gain (its 95% CI reaches zero or below), so
    /// the effect of an `Effect` check depends on what this control removes.
    NoGain {
        /// Treated arm.
        treated: &'static str,
        /// Reference arm.
        reference: &'static str,
        /// Summary column.
        metric: &'static str,
    },
    /// The mean of a summary column under `policy` is at most `max`.
    AtMost {
        /// Arm.
        policy: &'static str,
        /// Summary column.
        metric: &'static str,
        /// Upper limit.
        max: f64,
    },
    /// Within every run of every arm, the mean of a time-series metric over the last year
    /// minus its mean over the first recorded year has `sign` (95% CI across replicates at
    /// the defaults, the mean at a design point), for each arm separately.
    Trend {
        /// Time-series metric.
        metric: &'static str,
        /// Claimed direction.
        sign: Sign,
    },
    /// The change is gradual: in every arm, the change of a time-series metric over the
    /// first 90 recorded days is at most half its change over the run (means over runs).
    Gradual {
        /// Time-series metric.
        metric: &'static str,
    },
}

impl Check {
    /// What the check says, for the report.
    pub fn describe(&self) -> String {
        match self {
            Check::Effect {
                treated,
                reference,
                metric,
                sign,
            } => {
                format!("`{metric}` {} in {treated} vs {reference}", sign.word())
            }
            Check::NoGain {
                treated,
                reference,
                metric,
            } => {
                format!("`{metric}` gains nothing in {treated} vs {reference} (control)")
            }
            Check::AtMost {
                policy,
                metric,
                max,
            } => format!("`{metric}` ≤ {max} in {policy}"),
            Check::Trend { metric, sign } => {
                format!(
                    "`{metric}` {} from the first to the third year, in every arm",
                    sign.word()
                )
            }
            Check::Gradual { metric } => {
                format!(
                    "`{metric}` changes gradually: the first 90 days hold at most half the change"
                )
            }
        }
    }

    /// Whether the robustness study asks this check at every design point (controls and
    /// the gradualness of a trend are checked at the defaults only).
    pub fn at_points(&self) -> bool {
        !matches!(self, Check::NoGain { .. } | Check::Gradual { .. })
    }
}

/// A pattern of MODEL.md §1.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    /// P1 … P7.
    pub id: &'static str,
    /// The claim, from the seed.
    pub claim: &'static str,
    /// Its file in `scenarios/patterns/`.
    pub file: &'static str,
    /// Its checks; the first is its headline effect.
    pub checks: &'static [Check],
}

/// The patterns.
pub const PATTERNS: &[Pattern] = &[
    Pattern {
        id: "P1",
        claim: "party–masses linkage spreads activity beyond party members (磁场效应)",
        file: "p1_party_masses.toml",
        checks: &[Check::Effect {
            treated: "on",
            reference: "off",
            metric: "active_share_nonparty_mean",
            sign: Sign::Up,
        }],
    },
    Pattern {
        id: "P2",
        claim: "deliberation at key moments lets a 5,600-household renovation pass with no collective petition",
        file: "p2_renovation.toml",
        checks: &[
            Check::Effect {
                treated: "deliberation",
                reference: "no_deliberation",
                metric: "project_petitions_total",
                sign: Sign::Down,
            },
            Check::AtMost {
                policy: "deliberation",
                metric: "project_petitions_total",
                max: 0.5,
            },
        ],
    },
    Pattern {
        id: "P3",
        claim: "elevator retrofits reach consent only with sustained, facilitated consultation",
        file: "p3_elevator_retrofit.toml",
        checks: &[
            Check::Effect {
                treated: "consultation",
                reference: "no_consultation",
                metric: "consent_rate_final",
                sign: Sign::Up,
            },
            Check::AtMost {
                policy: "no_consultation",
                metric: "consent_rate_final",
                max: 0.2,
            },
        ],
    },
    Pattern {
        id: "P4",
        claim: "three-society linkage closes the governance gap on complex issues",
        file: "p4_three_society.toml",
        checks: &[
            Check::Effect {
                treated: "on",
                reference: "off",
                metric: "high_complexity_resolution_rate_final",
                sign: Sign::Up,
            },
            Check::NoGain {
                treated: "on_community_skill",
                reference: "off_community_skill",
                metric: "high_complexity_resolution_rate_final",
            },
        ],
    },
    Pattern {
        id: "P5",
        claim: "government–enterprise linkage raises social resources per public yuan",
        file: "p5_government_enterprise.toml",
        checks: &[
            Check::Effect {
                treated: "government_enterprise",
                reference: "off",
                metric: "leverage_final",
                sign: Sign::Up,
            },
            Check::Effect {
                treated: "government_enterprise",
                reference: "party_masses",
                metric: "leverage_final",
                sign: Sign::Up,
            },
        ],
    },
    Pattern {
        id: "P6",
        claim: "online linkage speeds detection, but without responsive handling amplifies contention",
        file: "p6_online.toml",
        checks: &[
            Check::Effect {
                treated: "online",
                reference: "off",
                metric: "detection_days_mean_final",
                sign: Sign::Down,
            },
            Check::Effect {
                treated: "online_unresponsive",
                reference: "online",
                metric: "online_contention_mean",
                sign: Sign::Up,
            },
        ],
    },
    Pattern {
        id: "P7",
        claim: "over years a complaint society turns into a responsibility society",
        file: "p7_responsibility.toml",
        checks: &[
            Check::Trend {
                metric: "complaint_participation_ratio",
                sign: Sign::Down,
            },
            Check::Gradual {
                metric: "complaint_participation_ratio",
            },
        ],
    },
];

/// An estimate with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    /// Mean.
    pub mean: f64,
    /// Lower end of the 95% interval (NaN when undefined).
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Pairs or runs behind it.
    pub n: usize,
}

/// One check's result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckResult {
    /// What it checks.
    pub check: String,
    /// Per arm for trends, else one estimate: (arm or pair, estimate).
    pub estimates: Vec<(String, Estimate)>,
    /// Whether it holds.
    pub holds: bool,
}

/// One run's summary as `runs.csv` holds it.
#[derive(Debug, Clone)]
pub struct RunRow {
    /// Run id.
    pub run_id: String,
    /// Arm.
    pub policy: String,
    /// Replicate index.
    pub replicate: u32,
    /// Design point: the swept values, as written.
    pub point: String,
    /// Summary columns.
    pub values: BTreeMap<String, f64>,
}

/// Reads `runs.csv`.
pub fn read_runs(path: &Path) -> Result<Vec<RunRow>> {
    let mut rd = csv::Reader::from_path(path)
        .map_err(|e| Error::input(format!("{}: {e}", path.display())))?;
    let headers: Vec<String> = rd
        .headers()
        .map_err(|e| Error::input(format!("{}: {e}", path.display())))?
        .iter()
        .map(str::to_string)
        .collect();
    let summary: std::collections::BTreeSet<String> =
        crate::metrics::summary_columns().into_iter().collect();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (id, pol, rep) = (col("run_id"), col("policy"), col("replicate"));
    let (Some(id), Some(pol), Some(rep)) = (id, pol, rep) else {
        return Err(Error::input(format!(
            "{}: not an experiment's runs.csv",
            path.display()
        )));
    };
    let sweep: Vec<usize> = (0..headers.len())
        .filter(|&k| {
            let h = headers[k].as_str();
            !summary.contains(h) && !["run_id", "policy", "replicate", "seed"].contains(&h)
        })
        .collect();
    let mut out = Vec::new();
    for r in rd.records() {
        let r = r.map_err(|e| Error::input(format!("{}: {e}", path.display())))?;
        let values = headers
            .iter()
            .zip(r.iter())
            .filter(|(h, _)| summary.contains(h.as_str()))
            .map(|(h, v)| (h.clone(), v.parse::<f64>().unwrap_or(f64::NAN)))
            .collect();
        out.push(RunRow {
            run_id: r[id].to_string(),
            policy: r[pol].to_string(),
            replicate: r[rep].parse().unwrap_or(0),
            point: sweep
                .iter()
                .map(|&k| r[k].to_string())
                .collect::<Vec<_>>()
                .join(","),
            values,
        });
    }
    Ok(out)
}

/// Per run id: the mean of `metric` over the first year, the last year, and the first 90
/// days of its recorded time series, read from `timeseries.csv`.
pub fn read_trends(path: &Path, metric: &str) -> Result<BTreeMap<String, (f64, f64, f64)>> {
    let mut rd = csv::Reader::from_path(path)
        .map_err(|e| Error::input(format!("{}: {e}", path.display())))?;
    let headers = rd
        .headers()
        .map_err(|e| Error::input(e.to_string()))?
        .clone();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(id), Some(tick), Some(m)) = (col("run_id"), col("tick"), col(metric)) else {
        return Err(Error::input(format!(
            "{}: no column `{metric}`",
            path.display()
        )));
    };
    // run → (tick, value) pairs.
    let mut series: BTreeMap<String, Vec<(u32, f64)>> = BTreeMap::new();
    for r in rd.records() {
        let r = r.map_err(|e| Error::input(e.to_string()))?;
        let t: u32 = r[tick].parse().unwrap_or(0);
        let v: f64 = r[m].parse().unwrap_or(f64::NAN);
        series.entry(r[id].to_string()).or_default().push((t, v));
    }
    let window = |v: &[(u32, f64)], lo: u32, hi: u32| {
        let w: Vec<f64> = v
            .iter()
            .filter(|(t, _)| (lo..hi).contains(t))
            .map(|x| x.1)
            .collect();
        stats::mean(&w)
    };
    Ok(series
        .into_iter()
        .map(|(id, v)| {
            let end = v.last().map_or(0, |x| x.0 + 1);
            let first = window(&v, 0, 365.min(end));
            let last = window(&v, end.saturating_sub(365), end);
            let early = window(&v, 0, 90.min(end));
            (id, (first, last, early))
        })
        .collect())
}

/// Paired differences `treated − reference` of `metric` at one design point, by replicate.
fn pairs(runs: &[&RunRow], treated: &str, reference: &str, metric: &str) -> Vec<f64> {
    let by = |p: &str| -> BTreeMap<u32, f64> {
        runs.iter()
            .filter(|r| r.policy == p)
            .filter_map(|r| Some((r.replicate, *r.values.get(metric)?)))
            .collect()
    };
    let (t, r) = (by(treated), by(reference));
    t.iter()
        .filter_map(|(k, a)| Some(a - r.get(k)?))
        .filter(|d| d.is_finite())
        .collect()
}

fn estimate(x: &[f64]) -> Estimate {
    let s = stats::summarize(x);
    Estimate {
        mean: s.mean,
        low: s.ci95_low.unwrap_or(f64::NAN),
        high: s.ci95_high.unwrap_or(f64::NAN),
        n: s.n,
    }
}

/// Evaluates `check` on the runs of one design point. `strict` asks for 95% intervals
/// (the defaults); otherwise means decide (a design point with a few replicates).
/// `trends` maps run ids to their (first year, last year, first 90 days) means.
pub fn evaluate(
    check: &Check,
    runs: &[&RunRow],
    trends: &BTreeMap<String, (f64, f64, f64)>,
    strict: bool,
) -> CheckResult {
    let (estimates, holds) = match *check {
        Check::Effect {
            treated,
            reference,
            metric,
            sign,
        } => {
            let e = estimate(&pairs(runs, treated, reference, metric));
            let holds = if strict {
                sign.agrees(e.mean) && (sign.agrees(e.low) && sign.agrees(e.high))
            } else {
                sign.agrees(e.mean)
            };
            (vec![(format!("{treated} − {reference}"), e)], holds)
        }
        Check::NoGain {
            treated,
            reference,
            metric,
        } => {
            let e = estimate(&pairs(runs, treated, reference, metric));
            let holds = if strict {
                e.low.is_nan() || e.low <= 0.0
            } else {
                e.mean <= 0.0
            };
            (vec![(format!("{treated} − {reference}"), e)], holds)
        }
        Check::AtMost {
            policy,
            metric,
            max,
        } => {
            let x: Vec<f64> = runs
                .iter()
                .filter(|r| r.policy == policy)
                .filter_map(|r| r.values.get(metric).copied())
                .collect();
            let e = estimate(&x);
            (vec![(policy.to_string(), e)], e.mean <= max)
        }
        Check::Trend { sign, .. } => {
            let mut arms: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
            for r in runs {
                if let Some((first, last, _)) = trends.get(&r.run_id) {
                    arms.entry(r.policy.as_str())
                        .or_default()
                        .push(last - first);
                }
            }
            let mut all = true;
            let est: Vec<(String, Estimate)> = arms
                .into_iter()
                .map(|(arm, d)| {
                    let e = estimate(&d);
                    let ok = if strict {
                        sign.agrees(e.high) && sign.agrees(e.low)
                    } else {
                        sign.agrees(e.mean)
                    };
                    all &= ok;
                    (arm.to_string(), e)
                })
                .collect();
            let holds = all && !est.is_empty();
            (est, holds)
        }
        Check::Gradual { .. } => {
            let mut arms: BTreeMap<&str, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
            for r in runs {
                if let Some((first_year, last_year, early)) = trends.get(&r.run_id) {
                    let a = arms.entry(r.policy.as_str()).or_default();
                    // The first 90 days against the first year's mean: how much of the
                    // change had happened by then.
                    a.0.push(first_year - early);
                    a.1.push(last_year - early);
                }
            }
            let mut all = true;
            let est: Vec<(String, Estimate)> = arms
                .into_iter()
                .map(|(arm, (early, total))| {
                    let (e, t) = (stats::mean(&early), stats::mean(&total));
                    // The early change is at most half of the whole.
                    let share = if t != 0.0 { e / t } else { f64::NAN };
                    all &= share.is_finite() && share <= 0.5;
                    (
                        arm.to_string(),
                        Estimate {
                            mean: share,
                            low: f64::NAN,
                            high: f64::NAN,
                            n: early.len(),
                        },
                    )
                })
                .collect();
            let holds = all && !est.is_empty();
            (est, holds)
        }
    };
    CheckResult {
        check: check.describe(),
        estimates,
        holds,
    }
}

/// The runs of `runs` grouped by design point, in point order.
pub fn by_point(runs: &[RunRow]) -> BTreeMap<String, Vec<&RunRow>> {
    let mut m: BTreeMap<String, Vec<&RunRow>> = BTreeMap::new();
    for r in runs {
        m.entry(r.point.clone()).or_default().push(r);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, policy: &str, rep: u32, v: f64) -> RunRow {
        RunRow {
            run_id: id.into(),
            policy: policy.into(),
            replicate: rep,
            point: String::new(),
            values: [("m".to_string(), v)].into_iter().collect(),
        }
    }

    /// A clear paired effect holds strictly; noise around zero does not; a control that
    /// shows a clear gain fails.
    #[test]
    fn checks_can_hold_and_fail() {
        let rows: Vec<RunRow> = (0..10)
            .flat_map(|k| {
                let base = k as f64;
                [
                    row(&format!("a{k}"), "off", k, base),
                    row(&format!("b{k}"), "on", k, base + 1.0 + 0.01 * k as f64),
                    row(
                        &format!("c{k}"),
                        "noise",
                        k,
                        base + if k % 2 == 0 { 0.1 } else { -0.1 },
                    ),
                ]
            })
            .collect();
        let refs: Vec<&RunRow> = rows.iter().collect();
        let none = BTreeMap::new();
        let up = |t| Check::Effect {
            treated: t,
            reference: "off",
            metric: "m",
            sign: Sign::Up,
        };
        assert!(evaluate(&up("on"), &refs, &none, true).holds);
        assert!(!evaluate(&up("noise"), &refs, &none, true).holds);
        let control = Check::NoGain {
            treated: "on",
            reference: "off",
            metric: "m",
        };
        assert!(!evaluate(&control, &refs, &none, true).holds);
        let control = Check::NoGain {
            treated: "noise",
            reference: "off",
            metric: "m",
        };
        assert!(evaluate(&control, &refs, &none, true).holds);
        let cap = Check::AtMost {
            policy: "off",
            metric: "m",
            max: 4.0,
        };
        assert!(!evaluate(&cap, &refs, &none, true).holds);
    }

    /// A trend must hold in every arm; a fall that happens in the first 90 days is not
    /// gradual.
    #[test]
    fn trends_hold_in_every_arm_and_must_be_gradual() {
        let rows: Vec<RunRow> = (0..6)
            .flat_map(|k| {
                [
                    row(&format!("a{k}"), "x", k, 0.0),
                    row(&format!("b{k}"), "y", k, 0.0),
                ]
            })
            .collect();
        let refs: Vec<&RunRow> = rows.iter().collect();
        let mut trends = BTreeMap::new();
        for k in 0..6 {
            let jitter = 0.01 * k as f64;
            trends.insert(format!("a{k}"), (1.0, 0.5 + jitter, 1.05));
            trends.insert(format!("b{k}"), (1.0, 0.4 + jitter, 1.1));
        }
        let down = Check::Trend {
            metric: "r",
            sign: Sign::Down,
        };
        assert!(evaluate(&down, &refs, &trends, true).holds);
        assert!(evaluate(&Check::Gradual { metric: "r" }, &refs, &trends, true).holds);
        trends.insert("b0".into(), (1.0, 1.5, 1.0));
        trends.insert("b1".into(), (1.0, 1.6, 1.0));
        assert!(
            !evaluate(&down, &refs, &trends, true).holds,
            "one arm rising breaks it"
        );
        let mut sudden = BTreeMap::new();
        for k in 0..6 {
            sudden.insert(format!("a{k}"), (0.55, 0.5, 1.0));
            sudden.insert(format!("b{k}"), (0.55, 0.5, 1.0));
        }
        assert!(!evaluate(&Check::Gradual { metric: "r" }, &refs, &sudden, true).holds);
    }
}
