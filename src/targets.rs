//! The calibration of the default district (`scenarios/shangcheng.toml`): the targets it
//! is calibrated to, where each comes from, and the values the default run gives, read
//! from the `aggregate.csv` of `scenarios/calibration.toml` (ten seeds of the default
//! district). `cogov odd --targets FILE` puts them in the ODD's calibration table.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};

/// One calibration target.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// What is calibrated, in words.
    pub what: &'static str,
    /// Its summary column in `aggregate.csv`.
    pub metric: &'static str,
    /// The value shown is the column's divided by this (e.g. years, residents / 1,000).
    pub per: Per,
    /// The target.
    pub target: &'static str,
    /// Where the target comes from: the seed, a cited study, or "assumption".
    pub source: &'static str,
}

/// What a target's column is divided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    /// Shown as it is.
    Run,
    /// Per year of the recorded days.
    Year,
    /// Per resident and year.
    ResidentYear,
    /// Per community.
    Community,
}

/// The default district's calibration targets.
pub const TARGETS: &[Target] = &[
    Target {
        what: "active share of residents",
        metric: "active_share_mean",
        per: Per::Run,
        target: "about 0.13",
        source: "assumption: a minority of residents take part in a month (earlier releases' figure)",
    },
    Target {
        what: "mean institutional trust",
        metric: "trust_institutional_mean_mean",
        per: Per::Run,
        target: "0.6–0.8",
        source: "assumption: trust in local government is high in urban China",
    },
    Target {
        what: "mean satisfaction",
        metric: "satisfaction_mean_mean",
        per: Per::Run,
        target: "at least 0.7",
        source: "assumption",
    },
    Target {
        what: "mean resolution days of resolved issues",
        metric: "resolution_days_mean_final",
        per: Per::Run,
        target: "under 30",
        source: "assumption: most community issues close within a month",
    },
    Target {
        what: "collective petitions a year",
        metric: "collective_petitions_total",
        per: Per::Year,
        target: "about 13",
        source: "assumption (earlier releases' figure); the seed reports none in its 5,600-household renovation",
    },
    Target {
        what: "collective petitions in the 2017 renovation (two communities)",
        metric: "project_petitions_total",
        per: Per::Run,
        target: "0",
        source: "seed: 无一例集体信访 in 5,600 households",
    },
    Target {
        what: "public spending per resident a year (yuan)",
        metric: "public_spending_total",
        per: Per::ResidentYear,
        target: "within the budgets, 645.5",
        source: "the budgets' assumptions (441 + 141 + 63.5 yuan per resident a year)",
    },
    Target {
        what: "living organisations per community",
        metric: "organisations_alive_final",
        per: Per::Community,
        target: "about 5, as at the start",
        source: "assumption: 270 organisations in 54 communities, stable without linkage",
    },
];

/// Measured values: summary column → (replicates, mean, 95% CI low, high) of the
/// reference policy.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    /// By summary column.
    pub values: BTreeMap<String, (u64, f64, f64, f64)>,
    /// Recorded years, residents and communities of the measured runs.
    pub years: f64,
    /// Residents of the measured world.
    pub residents: f64,
    /// Communities of the measured world.
    pub communities: f64,
}

impl Measured {
    /// Reads an experiment's `aggregate.csv` (its first policy), with the recorded years
    /// and the world's size.
    pub fn read(path: &Path, years: f64, communities: f64) -> Result<Measured> {
        let mut rd = csv::Reader::from_path(path).map_err(|e| Error::Csv {
            path: path.to_path_buf(),
            source: e,
        })?;
        let headers = rd
            .headers()
            .map_err(|e| Error::Csv {
                path: path.to_path_buf(),
                source: e,
            })?
            .clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| Error::input(format!("{}: no column `{name}`", path.display())))
        };
        let (p, m, n, mean, lo, hi) = (
            col("policy")?,
            col("metric")?,
            col("n")?,
            col("mean")?,
            col("ci95_low")?,
            col("ci95_high")?,
        );
        let mut out = Measured {
            years,
            communities,
            ..Default::default()
        };
        let mut first_policy: Option<String> = None;
        for rec in rd.records() {
            let rec = rec.map_err(|e| Error::Csv {
                path: path.to_path_buf(),
                source: e,
            })?;
            let policy = first_policy.get_or_insert_with(|| rec[p].to_string());
            if &rec[p] != policy.as_str() {
                continue;
            }
            let num = |k: usize| rec[k].parse::<f64>().unwrap_or(f64::NAN);
            out.values.insert(
                rec[m].to_string(),
                (rec[n].parse().unwrap_or(0), num(mean), num(lo), num(hi)),
            );
        }
        out.residents = out.values.get("residents_final").map_or(f64::NAN, |v| v.1);
        Ok(out)
    }

    /// A target's measured mean and 95% CI, in the target's units.
    pub fn of(&self, t: &Target) -> Option<(f64, f64, f64)> {
        let &(_, mean, lo, hi) = self.values.get(t.metric)?;
        let d = match t.per {
            Per::Run => 1.0,
            Per::Year => self.years,
            Per::ResidentYear => self.years * self.residents,
            Per::Community => self.communities,
        };
        Some((mean / d, lo / d, hi / d))
    }

    /// Replicates behind the values.
    pub fn replicates(&self) -> u64 {
        self.values.values().map(|v| v.0).max().unwrap_or(0)
    }
}
