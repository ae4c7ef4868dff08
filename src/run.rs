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
use crate::output;
use crate::provenance::{self, Clock};
use crate::records::{self, IssueLog, ResidentPanel};
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
    /// The ledger's rows over the recorded days (the `ledger` table).
    pub ledger: Vec<crate::observer::LedgerRow>,
    /// Whether the run stopped early because it was cancelled.
    pub cancelled: bool,
    /// The issues of the `issues` table, when `[output] issues = true`.
    pub issues: Option<Vec<crate::issues::Issue>>,
    /// The resident panel's rows, when `[output] panel` is set.
    pub panel: Option<Vec<crate::records::PanelRow>>,
}

/// Runs `scenario` with `seed`, recording every `record_every`-th tick. `tick_done` is told
/// after each tick; setting `cancel` stops the run early (its output is then incomplete).
///
/// The run goes on a rayon worker (it stays where it is if it already runs on one, as in
/// an experiment), so that the phases' parallel loops start inside the pool instead of
/// handing work to it and waiting, several times a tick: a small world's run takes about
/// a quarter less time, the default district's 13-15% less. Which thread runs a loop
/// never changes a number (fixed chunking).
pub fn simulate(
    scenario: Arc<Scenario>,
    seed: u64,
    record_every: u32,
    cancel: &AtomicBool,
    tick_done: impl FnMut(u32) + Send,
) -> RunOutput {
    rayon::scope(|_| {
        let (engine, observer) = start(scenario, seed, record_every);
        simulate_from(engine, observer, cancel, tick_done)
    })
}

/// The engine and observer of a run of `scenario` with `seed` before its first tick.
pub fn start(scenario: Arc<Scenario>, seed: u64, record_every: u32) -> (Engine, Observer) {
    let observer = Observer::new(record_every, scenario.init.warmup);
    (crate::mechanisms::engine(scenario, seed), observer)
}

/// Goes on with a run from where `engine` and `observer` stand (the start, from
/// [`start`], or a copy of both made during the warm-up, [`Engine::fork`]) to the end of
/// its horizon, as [`simulate`] does; `tick_done` hears each tick done, counted from the
/// run's start. The records of `[output]` log the warm-up too, so a run that keeps them
/// must go on from its start.
pub fn simulate_from(
    mut engine: Engine,
    mut observer: Observer,
    cancel: &AtomicBool,
    mut tick_done: impl FnMut(u32),
) -> RunOutput {
    let scenario = engine.scenario.clone();
    let seed = engine.seed;
    let from = engine.world.tick;
    assert!(
        from == 0 || !scenario.output.keeps_records(),
        "a run keeping [output] records must go on from its start, not tick {from}"
    );
    // Validation keeps ticks + warm-up within `limits::TICKS`; never wrap.
    let total = scenario
        .ticks
        .checked_add(scenario.init.warmup)
        .expect("ticks + init.warmup exceed u32; the scenario was not validated");
    let mut issues = scenario.output.issues.then(IssueLog::default);
    engine.record.keep_closed = issues.is_some();
    let mut panel = scenario
        .output
        .panel
        .as_ref()
        .map(|p| ResidentPanel::new(p, engine.world.n_residents(), seed));
    let mut cancelled = false;
    for t in from..total {
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

/// One row of a run's `timeseries.csv` (as [`RunOutput::tables`] gives it; `cogov serve`
/// builds its downloads of a live run from these).
pub fn timeseries_record((tick, row): &(u32, Row)) -> Vec<String> {
    std::iter::once(tick.to_string())
        .chain(row.iter().map(|&v| output::num(v)))
        .collect()
}

/// The row of a run's `summary.csv` (as [`RunOutput::tables`] gives it).
pub fn summary_record(summary: &[f64]) -> Vec<String> {
    summary.iter().map(|&v| output::num(v)).collect()
}

/// The tables a run produces, by name, in the order of [`RunOutput::tables`]. A new output
/// table is one more entry here and one more table there.
pub const TABLES: &[&str] = &[
    "timeseries",
    "summary",
    "communities",
    "ledger",
    "issues",
    "panel",
];

/// Tables a run has only when its scenario's `[output]` asks for them (the records).
pub const OPTIONAL_TABLES: &[&str] = &["issues", "panel"];

/// Tables of single runs only: an experiment does not keep them for each of its runs (the
/// ledger's rows per day, pool and counterpart would swamp it; its summaries carry the
/// money flows).
pub const SINGLE_RUN_TABLES: &[&str] = &["ledger"];

impl RunOutput {
    /// The run's tables: `timeseries` (`tick`, then every metric), `summary` (one row: each
    /// metric's `_final`, `_mean`, `_total`), `communities` (`community`, then
    /// [`COMMUNITY_COLUMNS`]), `ledger` ([`LEDGER_COLUMNS`]: each pool's flows by
    /// direction and counterpart per recorded day, amounts and balances in yuan to the
    /// cent), then the records the run kept: `issues` ([`records::ISSUE_COLUMNS`]) and
    /// `panel` ([`records::PANEL_COLUMNS`]). `scenario` is the one that ran (it names the
    /// issue domains and the warm-up the records' ticks count from).
    pub fn tables(&self, scenario: &Scenario) -> Vec<Table> {
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
        let mut all = vec![ts, summary, communities, ledger];
        if let Some(issues) = &self.issues {
            all.push(records::issue_table(
                issues,
                &domain_names(scenario),
                scenario.init.warmup,
            ));
        }
        if let Some(rows) = &self.panel {
            all.push(records::panel_table(rows));
        }
        all
    }
}

/// The columns of a run's tables, without rows: they do not depend on the run. `issues`
/// and `panel` say whether the optional records are among them.
pub fn table_schemas(issues: bool, panel: bool) -> Vec<Table> {
    let none = RunOutput {
        rows: Vec::new(),
        summary: vec![f64::NAN; summary_columns().len()],
        communities: Vec::new(),
        ledger: Vec::new(),
        cancelled: false,
        issues: issues.then(Vec::new),
        panel: panel.then(Vec::new),
    };
    none.tables(&Scenario::default())
        .iter()
        .map(Table::empty_like)
        .collect()
}

/// Names of the scenario's issue domains, by index.
pub fn domain_names(s: &Scenario) -> Vec<String> {
    s.domains.keys().cloned().collect()
}

/// The manifest of a single run: what ran (scenario, seed), whether it finished, the
/// provenance block (cogov's build, start, cores, wall time, peak memory: see
/// [`provenance::block`]), and the tables with their columns' types. `format` is how the
/// tables are written (`None`: kept in memory, as the Python package does, until saved:
/// [`set_format`]).
pub fn manifest(
    scenario: &Scenario,
    seed: u64,
    complete: bool,
    tables: &[Table],
    format: Option<Format>,
    clock: &Clock,
) -> Result<serde_json::Value> {
    let hash = scenario_hash(scenario);
    let mut m = serde_json::json!({
        "kind": OutKind::Run.name(),
        "scenario_name": scenario.name,
        "description": scenario.description,
        "seed": seed,
        "ticks": scenario.ticks,
        "complete": complete,
        "scenario_hash": hash,
        "provenance": provenance::block(clock, &hash, serde_json::json!(seed), rayon::current_num_threads()),
        "scenario_toml": scenario.to_toml(),
        "plot": serde_json::to_value(&scenario.plot).map_err(|e| Error::input(e.to_string()))?,
        "scenario": serde_json::to_value(scenario).map_err(|e| Error::input(e.to_string()))?,
    });
    set_format(&mut m, tables, format);
    Ok(m)
}

/// Sets the manifest's `format`, `files` (each table's file, then the codebook
/// `metrics.csv`, which is CSV in either format; none while the tables are in memory) and
/// `tables` (their columns and types) for `tables` written in `format`.
pub fn set_format(manifest: &mut serde_json::Value, tables: &[Table], format: Option<Format>) {
    let files: Vec<String> = match format {
        Some(f) => tables
            .iter()
            .map(|t| f.file_name(&t.name))
            .chain(std::iter::once(crate::metrics::CODEBOOK_FILE.to_string()))
            .collect(),
        None => Vec::new(),
    };
    manifest["format"] = serde_json::to_value(format).unwrap_or_default();
    manifest["files"] = serde_json::json!(files);
    manifest["tables"] = describe(tables, format);
}

/// The manifest's `tables` entry: each table (in order) with its name, file and columns
/// with their types.
pub fn describe(tables: &[Table], format: Option<Format>) -> serde_json::Value {
    serde_json::Value::Array(tables.iter().map(|t| t.describe(format)).collect())
}

/// Writes the outputs of a single run (`cogov run`) into `dir`: every table in `format`
/// (the records when the run kept them), the codebook `metrics.csv`, then `manifest.json`
/// with the provenance block. Refuses a directory that holds an experiment.
pub fn write_run(
    dir: &Path,
    scenario: &Scenario,
    seed: u64,
    out: &RunOutput,
    clock: &Clock,
    format: Format,
) -> Result<()> {
    outdir::guard(dir, OutKind::Run)?;
    let tables = out.tables(scenario);
    let manifest = manifest(scenario, seed, !out.cancelled, &tables, Some(format), clock)?;
    write_tables(dir, &tables, &manifest, format)
}

/// Writes a run's `tables` into `dir` in `format` (removing copies in the other format, and
/// optional tables this run did not keep, left by an earlier run, so that the directory's
/// files all come from one run), the codebook `metrics.csv`, then `manifest` as
/// `manifest.json`, last, so a directory whose manifest is there has all its tables.
/// Refuses a directory that holds an experiment.
pub fn write_tables(
    dir: &Path,
    tables: &[Table],
    manifest: &serde_json::Value,
    format: Format,
) -> Result<()> {
    outdir::guard(dir, OutKind::Run)?;
    output::ensure_dir(dir)?;
    for t in tables {
        tables::write(&format.path(dir, &t.name), t, format)?;
        tables::remove_other_format(dir, &t.name, format);
    }
    for name in OPTIONAL_TABLES {
        if !tables.iter().any(|t| t.name == *name) {
            let stale: Vec<String> = Format::ALL.iter().map(|f| f.file_name(name)).collect();
            let stale: Vec<&str> = stale.iter().map(String::as_str).collect();
            outdir::remove_stale(dir, &stale)?;
        }
    }
    crate::metrics::write_codebook(dir)?;
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

    /// A small world with a 20-day warm-up in which residents complain (so the observer's
    /// 30-day window holds something at its end).
    fn small() -> Scenario {
        let mut s = Scenario {
            ticks: 30,
            ..crate::engine::testkit::small_world(1_500)
        };
        s.init.warmup = 20;
        s.init.grievance = crate::scenario::dist::Dist::Beta(4.0, 6.0);
        assert!(s.problems().is_empty(), "{:?}", s.problems());
        s
    }

    /// Every number of a run's output, as bits (NaN compares equal to itself).
    fn bits(o: &RunOutput) -> Vec<u64> {
        let rows = o
            .rows
            .iter()
            .flat_map(|(t, r)| std::iter::once(*t as u64).chain(r.iter().map(|v| v.to_bits())));
        let communities = o.communities.iter().flatten().map(|v| v.to_bits());
        let ledger = o
            .ledger
            .iter()
            .flat_map(|r| [r.tick as u64, r.amount as u64, r.balance as u64]);
        rows.chain(o.summary.iter().map(|v| v.to_bits()))
            .chain(communities)
            .chain(ledger)
            .collect()
    }

    #[test]
    fn a_fork_at_the_warm_ups_end_runs_as_its_scenario_from_the_start() {
        let base = small();
        // Mechanisms the warmed-up engine did not have, a linkage ingredient off and a
        // change on the fifth recorded day.
        let mut reform = base.clone();
        reform.mechanisms.grid.enabled = true;
        reform.mechanisms.party_masses.enabled = true;
        reform.linkage.ties = false;
        reform.change = vec![crate::scenario::change::Change {
            day: 5,
            note: String::new(),
            set: [(
                "mechanisms.online.enabled".to_string(),
                toml::Value::Boolean(true),
            )]
            .into(),
        }];
        let reform = Arc::new(reform);
        let cancel = AtomicBool::new(false);
        let fresh = simulate(reform.clone(), 7, 3, &cancel, |_| {});

        let (mut warm, mut watched) = start(Arc::new(base.clone()), 7, 3);
        for _ in 0..base.init.warmup {
            warm.step(&mut watched);
        }
        let mut ticks = Vec::new();
        let forked = simulate_from(warm.fork(reform.clone()), watched.clone(), &cancel, |t| {
            ticks.push(t)
        });
        assert_eq!(bits(&forked), bits(&fresh));
        assert_eq!(forked.ledger, fresh.ledger);
        assert_eq!(ticks, (21..=50).collect::<Vec<u32>>());

        // It can fail: the mechanisms change the run, and so does an observer that did not
        // watch the warm-up (its window and spending start empty).
        let plain = simulate(Arc::new(base.clone()), 7, 3, &cancel, |_| {});
        assert_ne!(bits(&plain), bits(&fresh));
        let unwatched = simulate_from(
            warm.fork(reform),
            Observer::new(3, base.init.warmup),
            &cancel,
            |_| {},
        );
        assert_ne!(bits(&unwatched), bits(&fresh));
    }

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
            issues: None,
            panel: None,
        };
        let tables = out.tables(&Scenario::default());
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, TABLES[..4]);
        assert_eq!(tables[0].names(), timeseries_header(&[]));
        assert_eq!(tables[0].rows(), 2);
        assert_eq!(tables[1].rows(), 1);
        assert_eq!(tables[1].names(), summary_columns());
        assert_eq!(tables[2].rows(), 4);
        assert_eq!(tables[2].csv_record(3)[0], "3");
        let schemas: Vec<_> = table_schemas(false, false)
            .iter()
            .map(Table::schema)
            .collect();
        assert_eq!(
            schemas,
            tables.iter().map(Table::schema).collect::<Vec<_>>()
        );
        // The CSV rows `cogov serve` builds are the tables' cells.
        assert_eq!(timeseries_record(&out.rows[1]), tables[0].csv_record(1));
        assert_eq!(summary_record(&out.summary), tables[1].csv_record(0));
        // The records, when kept, follow in the order of TABLES.
        let with: Vec<String> = table_schemas(true, true)
            .iter()
            .map(|t| t.name.clone())
            .collect();
        assert_eq!(with, TABLES);
        assert_eq!(
            table_schemas(true, true)[4].names(),
            records::header(&[], records::ISSUE_COLUMNS)
        );
        assert_eq!(
            table_schemas(false, true)[4].names(),
            records::header(&[], records::PANEL_COLUMNS)
        );
    }
}
