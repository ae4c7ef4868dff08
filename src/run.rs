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
use crate::output::{self, num};
use crate::scenario::Scenario;
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
    let mut engine = Engine::new(scenario, seed);
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
        communities: communities(&engine),
        cancelled,
    }
}

/// The state of each community, in the order of [`COMMUNITY_COLUMNS`].
pub fn communities(e: &Engine) -> Vec<Vec<f64>> {
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

/// One row of a run's `timeseries.csv`.
pub fn timeseries_record((tick, row): &(u32, Row)) -> Vec<String> {
    std::iter::once(tick.to_string())
        .chain(row.iter().map(|&v| num(v)))
        .collect()
}

/// The row of a run's `summary.csv`.
pub fn summary_record(summary: &[f64]) -> Vec<String> {
    summary.iter().map(|&v| num(v)).collect()
}

/// Writes the outputs of a single run (`cogov run`) into `dir`.
pub fn write_run(
    dir: &Path,
    scenario: &Scenario,
    seed: u64,
    out: &RunOutput,
    wall_seconds: f64,
) -> Result<()> {
    output::ensure_dir(dir)?;
    output::write_csv(
        &dir.join("timeseries.csv"),
        &timeseries_header(&[]),
        out.rows.iter().map(timeseries_record),
    )?;
    output::write_csv(
        &dir.join("summary.csv"),
        &summary_columns(),
        std::iter::once(summary_record(&out.summary)),
    )?;
    let header: Vec<String> = std::iter::once("community")
        .chain(COMMUNITY_COLUMNS.iter().copied())
        .map(str::to_string)
        .collect();
    output::write_csv(
        &dir.join("communities.csv"),
        &header,
        out.communities.iter().enumerate().map(|(c, row)| {
            std::iter::once(c.to_string())
                .chain(row.iter().map(|&v| num(v)))
                .collect()
        }),
    )?;
    let manifest = serde_json::json!({
        "cogov_version": env!("CARGO_PKG_VERSION"),
        "git_commit": output::git_commit(),
        "scenario_name": scenario.name,
        "description": scenario.description,
        "seed": seed,
        "ticks": scenario.ticks,
        "complete": !out.cancelled,
        "wall_seconds": wall_seconds,
        "peak_rss_bytes": output::peak_rss_bytes(),
        "scenario_hash": scenario_hash(scenario),
        "scenario_toml": scenario.to_toml(),
        "plot": serde_json::to_value(&scenario.plot).map_err(|e| Error::input(e.to_string()))?,
        "scenario": serde_json::to_value(scenario).map_err(|e| Error::input(e.to_string()))?,
    });
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| Error::input(e.to_string()))?;
    output::write_atomic(&dir.join("manifest.json"), |w| w.write_all(text.as_bytes()))
}

/// SHA-256 of the resolved scenario's TOML text, in hex.
pub fn scenario_hash(s: &Scenario) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(s.to_toml().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
