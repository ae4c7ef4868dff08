//! One simulation run: build the engine, step it over the horizon, collect the observer's
//! rows, the per-run summary and the final state of each community. A run is a pure
//! function of (scenario, seed).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::metrics::{METRICS, Row, summary_columns};
use crate::observer::Observer;
use crate::output;
use crate::scenario::Scenario;
use crate::tables::{self, Column, Format, Table};
use crate::world::residents::role;

/// Columns of `communities.csv` after `community`.
pub const COMMUNITY_COLUMNS: &[&str] = &[
    "street",
    "residents",
    "service_complex",
    "active_share",
    "engagement_mean",
    "trust_institutional_mean",
    "trust_neighbour_mean",
    "satisfaction_mean",
    "grievance_mean",
    "issues_resolved",
    "issues_failed",
    "collective_petitions",
    "online_sentiment",
    "organisations_alive",
    "party_members",
    "online_residents",
];

/// What a run produces.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// Recorded metric rows with their tick.
    pub rows: Vec<(u32, Row)>,
    /// Summary values in the order of [`summary_columns`].
    pub summary: Vec<f64>,
    /// Final state per community, in the order of [`COMMUNITY_COLUMNS`].
    pub communities: Vec<Vec<f64>>,
    /// The ledger's rows over the recorded days (`ledger.csv`).
    pub ledger: Vec<crate::observer::LedgerRow>,
    /// Whether the run stopped early because it was cancelled.
    pub cancelled: bool,
}

/// Runs `scenario` with `seed`, recording every `record_every`-th tick. `tick_done` is told
/// after each tick; setting `cancel` stops the run early (its output is then incomplete).
pub fn simulate(
    scenario: Arc<Scenario>,
    seed: u64,
    record_every: u32,
    cancel: &AtomicBool,
    mut tick_done: impl FnMut(u32),
) -> RunOutput {
    let warmup = scenario.init.warmup;
    let total = scenario.ticks + warmup;
    let mut engine = crate::mechanisms::engine(scenario, seed);
    let mut observer = Observer::new(record_every, warmup);
    let mut cancelled = false;
    for t in 0..total {
        if cancel.load(Ordering::Relaxed) {
            cancelled = true;
            break;
        }
        engine.step(&mut observer);
        tick_done(t + 1);
    }
    RunOutput {
        summary: observer.summary(),
        rows: observer.rows,
        ledger: observer.ledger,
        communities: communities(&engine),
        cancelled,
    }
}

fn communities(e: &Engine) -> Vec<Vec<f64>> {
    let w = &e.world;
    let p = &w.places;
    (0..p.communities.len())
        .map(|c| {
            let range = p.communities.residents(c);
            let n = (range.end - range.start).max(1) as f64;
            let (mut act, mut en, mut t, mut tn, mut s, mut g, mut party, mut online) =
                (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
            for i in range.clone() {
                let i = i as usize;
                let r = &w.residents;
                act += r.active[i] as u8 as f64;
                en += r.engagement[i] as f64;
                t += r.trust_institutional[i] as f64;
                tn += r.trust_neighbour[i] as f64;
                s += r.satisfaction[i] as f64;
                g += r.grievance[i] as f64;
                party += r.has(i, role::PARTY) as u8 as f64;
                online += r.has(i, role::ONLINE) as u8 as f64;
            }
            let orgs = w
                .organisations
                .iter()
                .filter(|o| o.alive && o.community as usize == c)
                .count() as f64;
            vec![
                p.community_street[c] as f64,
                (range.end - range.start) as f64,
                p.community_has_complex[c] as u8 as f64,
                act / n,
                en / n,
                t / n,
                tn / n,
                s / n,
                g / n,
                e.record.community.resolved[c] as f64,
                e.record.community.failed[c] as f64,
                e.record.community.petitions[c] as f64,
                w.sentiment[c] as f64,
                orgs,
                party,
                online,
            ]
        })
        .collect()
}

/// Header of `timeseries.csv` after any leading id columns.
pub fn timeseries_header(lead: &[&str]) -> Vec<String> {
    lead.iter()
        .map(|s| s.to_string())
        .chain(std::iter::once("tick".to_string()))
        .chain(METRICS.iter().map(|m| m.name.to_string()))
        .collect()
}

/// The tables a run produces, by name, in the order of [`RunOutput::tables`]. A new output
/// table is one more entry here and one more table there.
pub const TABLES: &[&str] = &["timeseries", "summary", "communities", "ledger"];

/// Tables of single runs only: an experiment does not keep them for each of its runs (the
/// ledger's rows per day, pool and counterpart would swamp it; its summaries carry the
/// money flows).
pub const SINGLE_RUN_TABLES: &[&str] = &["ledger"];

impl RunOutput {
    /// The run's tables: `timeseries` (`tick`, then every metric), `summary` (one row: each
    /// metric's `_final`, `_mean`, `_total`), `communities` (`community`, then
    /// [`COMMUNITY_COLUMNS`]) and `ledger` ([`LEDGER_COLUMNS`]: each pool's flows by
    /// direction and counterpart per recorded day, amounts and balances in yuan to the cent).
    pub fn tables(&self) -> Vec<Table> {
        let mut ts = Table::new("timeseries").with(
            "tick",
            Column::I64(self.rows.iter().map(|(t, _)| *t as i64).collect()),
        );
        for (k, m) in METRICS.iter().enumerate() {
            ts.push(
                m.name,
                Column::F64(self.rows.iter().map(|(_, r)| r[k]).collect()),
            );
        }
        let mut summary = Table::new("summary");
        for (name, &v) in summary_columns().into_iter().zip(&self.summary) {
            summary.push(name, Column::F64(vec![v]));
        }
        let mut communities = Table::new("communities").with(
            "community",
            Column::I64((0..self.communities.len() as i64).collect()),
        );
        for (k, name) in COMMUNITY_COLUMNS.iter().enumerate() {
            communities.push(
                *name,
                Column::F64(self.communities.iter().map(|c| c[k]).collect()),
            );
        }
        let l = &self.ledger;
        let [tick, pool, direction, counterpart, amount, balance] = LEDGER_COLUMNS else {
            unreachable!("six ledger columns")
        };
        let ledger = Table::new("ledger")
            .with(
                *tick,
                Column::I64(l.iter().map(|r| r.tick as i64).collect()),
            )
            .with(
                *pool,
                Column::Str(l.iter().map(|r| r.pool.name()).collect()),
            )
            .with(
                *direction,
                Column::Str(l.iter().map(|r| r.direction.name().to_string()).collect()),
            )
            .with(
                *counterpart,
                Column::Str(l.iter().map(|r| r.counterpart.name()).collect()),
            )
            .with(*amount, Column::Cents(l.iter().map(|r| r.amount).collect()))
            .with(
                *balance,
                Column::Cents(l.iter().map(|r| r.balance).collect()),
            );
        vec![ts, summary, communities, ledger]
    }
}

/// The columns of a run's tables, without rows: they do not depend on the run.
pub fn table_schemas() -> Vec<Table> {
    let none = RunOutput {
        rows: Vec::new(),
        summary: vec![f64::NAN; summary_columns().len()],
        communities: Vec::new(),
        ledger: Vec::new(),
        cancelled: false,
    };
    none.tables().iter().map(Table::empty_like).collect()
}

/// The manifest of a single run: what ran (scenario, seed, version, commit), whether it
/// finished, how long it took, and the tables with their columns' types. `format` is how
/// the tables are written (`None`: kept in memory, as the Python package does).
pub fn manifest(
    scenario: &Scenario,
    seed: u64,
    complete: bool,
    tables: &[Table],
    format: Option<Format>,
    wall_seconds: f64,
) -> Result<serde_json::Value> {
    Ok(serde_json::json!({
        "cogov_version": env!("CARGO_PKG_VERSION"),
        "git_commit": output::git_commit(),
        "scenario_name": scenario.name,
        "description": scenario.description,
        "seed": seed,
        "ticks": scenario.ticks,
        "complete": complete,
        "wall_seconds": wall_seconds,
        "peak_rss_bytes": output::peak_rss_bytes(),
        "scenario_hash": scenario_hash(scenario),
        "scenario_toml": scenario.to_toml(),
        "format": format,
        "tables": describe(tables, format),
        "plot": serde_json::to_value(&scenario.plot).map_err(|e| Error::input(e.to_string()))?,
        "scenario": serde_json::to_value(scenario).map_err(|e| Error::input(e.to_string()))?,
    }))
}

/// The manifest's `tables` entry: each table (in order) with its name, file and columns
/// with their types.
pub fn describe(tables: &[Table], format: Option<Format>) -> serde_json::Value {
    serde_json::Value::Array(tables.iter().map(|t| t.describe(format)).collect())
}

/// Writes the outputs of a single run (`cogov run`) into `dir`: every table in `format`,
/// then `manifest.json`.
pub fn write_run(
    dir: &Path,
    scenario: &Scenario,
    seed: u64,
    out: &RunOutput,
    wall_seconds: f64,
    format: Format,
) -> Result<()> {
    let tables = out.tables();
    let manifest = manifest(
        scenario,
        seed,
        !out.cancelled,
        &tables,
        Some(format),
        wall_seconds,
    )?;
    write_tables(dir, &tables, &manifest, format)
}

/// Writes `tables` into `dir` in `format` (removing copies in the other format, so the
/// directory holds one version of each), then `manifest` as `manifest.json`, last, so a
/// directory whose manifest is there has all its tables.
pub fn write_tables(
    dir: &Path,
    tables: &[Table],
    manifest: &serde_json::Value,
    format: Format,
) -> Result<()> {
    output::ensure_dir(dir)?;
    for t in tables {
        tables::write(&format.path(dir, &t.name), t, format)?;
        tables::remove_other_format(dir, &t.name, format);
    }
    let text = serde_json::to_string_pretty(manifest).map_err(|e| Error::input(e.to_string()))?;
    output::write_atomic(&dir.join("manifest.json"), |w| w.write_all(text.as_bytes()))
}

/// Columns of `ledger.csv`.
pub const LEDGER_COLUMNS: &[&str] = &[
    "tick",
    "pool",
    "direction",
    "counterpart",
    "amount",
    "balance",
];

/// SHA-256 of the resolved scenario's TOML text, in hex.
pub fn scenario_hash(s: &Scenario) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(s.to_toml().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_listed_in_order_with_their_columns() {
        let out = RunOutput {
            rows: vec![
                (0, [0.5; crate::metrics::N_METRICS]),
                (1, [1.5; crate::metrics::N_METRICS]),
            ],
            summary: vec![2.0; summary_columns().len()],
            communities: vec![vec![3.0; COMMUNITY_COLUMNS.len()]; 4],
            ledger: Vec::new(),
            cancelled: false,
        };
        let tables = out.tables();
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, TABLES);
        assert_eq!(tables[0].names(), timeseries_header(&[]));
        assert_eq!(tables[0].rows(), 2);
        assert_eq!(tables[1].rows(), 1);
        assert_eq!(tables[1].names(), summary_columns());
        assert_eq!(tables[2].rows(), 4);
        assert_eq!(tables[2].csv_record(3)[0], "3");
        let schemas: Vec<_> = table_schemas().iter().map(Table::schema).collect();
        assert_eq!(
            schemas,
            tables.iter().map(Table::schema).collect::<Vec<_>>()
        );
    }
}
