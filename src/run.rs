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
use crate::outdir::{self, OutKind};
use crate::output::{self, num};
use crate::provenance::{self, Clock};
use crate::records::{self, IssueLog, ResidentPanel};
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
    /// The ledger's rows over the recorded days (`ledger.csv`).
    pub ledger: Vec<crate::observer::LedgerRow>,
    /// Whether the run stopped early because it was cancelled.
    pub cancelled: bool,
    /// The issues of `issues.csv`, when `[output] issues = true`.
    pub issues: Option<Vec<crate::issues::Issue>>,
    /// The resident panel's rows, when `[output] panel` is set.
    pub panel: Option<Vec<crate::records::PanelRow>>,
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
    // Validation keeps ticks + warm-up within `limits::TICKS`; never wrap.
    let total = scenario
        .ticks
        .checked_add(warmup)
        .expect("ticks + init.warmup exceed u32; the scenario was not validated");
    let mut engine = crate::mechanisms::engine(scenario.clone(), seed);
    let mut observer = Observer::new(record_every, warmup);
    let mut issues = scenario.output.issues.then(IssueLog::default);
    engine.record.keep_closed = issues.is_some();
    let mut panel = scenario
        .output
        .panel
        .as_ref()
        .map(|p| ResidentPanel::new(p, engine.world.n_residents(), seed));
    let mut cancelled = false;
    for t in 0..total {
        if cancel.load(Ordering::Relaxed) {
            cancelled = true;
            break;
        }
        engine.step(&mut observer);
        if let Some(log) = &mut issues {
            log.after_tick(&mut engine);
        }
        if let Some(p) = &mut panel {
            p.after_tick(&engine);
        }
        tick_done(t + 1);
    }
    if let Some(log) = &mut issues {
        log.finish(&engine);
    }
    RunOutput {
        summary: observer.summary(),
        rows: observer.rows,
        ledger: observer.ledger,
        communities: communities(&engine),
        cancelled,
        issues: issues.map(|l| l.issues),
        panel: panel.map(|p| p.rows),
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

/// Writes the outputs of a single run (`cogov run`) into `dir`: `timeseries.csv`,
/// `summary.csv`, `communities.csv`, the codebook `metrics.csv`, the optional records and
/// `manifest.json` with the provenance block. Refuses a directory that holds an experiment.
pub fn write_run(
    dir: &Path,
    scenario: &Scenario,
    seed: u64,
    out: &RunOutput,
    clock: &Clock,
) -> Result<()> {
    outdir::guard(dir, OutKind::Run)?;
    output::ensure_dir(dir)?;
    output::write_csv(
        &dir.join("timeseries.csv"),
        &timeseries_header(&[]),
        out.rows.iter().map(|(t, row)| {
            std::iter::once(t.to_string())
                .chain(row.iter().map(|&v| num(v)))
                .collect()
        }),
    )?;
    output::write_csv(
        &dir.join("summary.csv"),
        &summary_columns(),
        std::iter::once(out.summary.iter().map(|&v| num(v)).collect()),
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
    write_ledger(&dir.join("ledger.csv"), &out.ledger)?;
    crate::metrics::write_codebook(dir)?;
    write_records(dir, scenario, out)?;
    let manifest = serde_json::json!({
        "kind": OutKind::Run.name(),
        "scenario_name": scenario.name,
        "description": scenario.description,
        "seed": seed,
        "ticks": scenario.ticks,
        "complete": !out.cancelled,
        "scenario_hash": scenario_hash(scenario),
        "provenance": provenance::block(clock, &scenario_hash(scenario), serde_json::json!(seed), rayon::current_num_threads()),
        "files": written_files(out),
        "scenario_toml": scenario.to_toml(),
        "plot": serde_json::to_value(&scenario.plot).map_err(|e| Error::input(e.to_string()))?,
        "scenario": serde_json::to_value(scenario).map_err(|e| Error::input(e.to_string()))?,
    });
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| Error::input(e.to_string()))?;
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

/// Cents as yuan with exactly two decimals, so the ledger identity holds to the cent in
/// the file too.
pub fn yuan_text(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let a = c.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Writes the ledger's rows: tidy and long, one row per pool, direction and counterpart
/// with movement in a tick.
pub fn write_ledger(path: &Path, rows: &[crate::observer::LedgerRow]) -> Result<()> {
    let header: Vec<String> = LEDGER_COLUMNS.iter().map(|s| s.to_string()).collect();
    output::write_csv(
        path,
        &header,
        rows.iter().map(|r| {
            vec![
                r.tick.to_string(),
                r.pool.name(),
                r.direction.name().to_string(),
                r.counterpart.name(),
                yuan_text(r.amount),
                yuan_text(r.balance),
            ]
        }),
    )
}

fn written_files(out: &RunOutput) -> Vec<&'static str> {
    let mut f = vec![
        "timeseries.csv",
        "summary.csv",
        "communities.csv",
        "ledger.csv",
        "metrics.csv",
    ];
    if out.issues.is_some() {
        f.push("issues.csv");
    }
    if out.panel.is_some() {
        f.push("panel.csv");
    }
    f
}

/// Names of the scenario's issue domains, by index.
pub fn domain_names(s: &Scenario) -> Vec<String> {
    s.domains.keys().cloned().collect()
}

/// Writes `issues.csv` and `panel.csv` of a single run, and removes those this run did not
/// write (left by an earlier run in the same directory).
fn write_records(dir: &Path, s: &Scenario, out: &RunOutput) -> Result<()> {
    let domains = domain_names(s);
    let warmup = s.init.warmup;
    match &out.issues {
        Some(issues) => output::write_csv(
            &dir.join("issues.csv"),
            &records::header(&[], records::ISSUE_COLUMNS),
            issues
                .iter()
                .map(|i| records::issue_row(i, &domains, warmup)),
        )?,
        None => outdir::remove_stale(dir, &["issues.csv"])?,
    }
    match &out.panel {
        Some(rows) => output::write_csv(
            &dir.join("panel.csv"),
            &records::header(&[], records::PANEL_COLUMNS),
            rows.iter().map(records::panel_row),
        )?,
        None => outdir::remove_stale(dir, &["panel.csv"])?,
    }
    Ok(())
}

/// SHA-256 of the resolved scenario's TOML text, in hex.
pub fn scenario_hash(s: &Scenario) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(s.to_toml().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
