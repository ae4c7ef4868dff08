//! Records below the district, kept when `[output]` asks for them: one row per issue
//! (the `issues` table: its attributes and the tick of each stage change) and a resident
//! panel (the `panel` table: a fixed random sample of residents every few days). They are
//! run tables like the others (`issues.csv` or `.parquet`); the column lists below are also
//! the codebook the ODD prints.
//!
//! Ticks are days after the warm-up, as in `timeseries` (negative: during the warm-up). A
//! tick that never came, a handler never assigned or an id of nothing is missing (`NA`,
//! null).

use crate::engine::Engine;
use crate::issues::{Issue, Stage};

use crate::rng::{self, Purpose};
use crate::scenario::output::Panel;
use crate::tables::{Column, Table};
use crate::world::institutions::Handler;
use crate::world::places::Scope;
use crate::world::residents::{Age, role};

/// Columns of `issues.csv` (after `run_id` in an experiment) with their meaning.
pub const ISSUE_COLUMNS: &[(&str, &str)] = &[
    (
        "issue",
        "id: the order in which the issue arose in the run (0, 1, ...)",
    ),
    ("domain", "issue domain (a key of the scenario's [domains])"),
    (
        "scope",
        "level it arose at: household, building, grid or community",
    ),
    ("place", "index of its place at that level"),
    ("community", "community of the place"),
    ("street", "street of the place"),
    ("households", "affected households"),
    (
        "severity",
        "hardship it imposes while unresolved, in [0, 1]",
    ),
    ("complexity", "skill it needs, in [0, 1]"),
    ("cost", "cost in yuan"),
    (
        "consent_share",
        "share of affected households whose consent it needs (0: none)",
    ),
    ("top_down", "1 for a scheduled top-down project, else 0"),
    ("elder_care", "1 for an elder-care need, else 0"),
    (
        "online",
        "1 if it was reported through the online platform, else 0",
    ),
    ("arose", "tick it arose"),
    (
        "detected",
        "tick it became known to those in charge (NA: never)",
    ),
    (
        "routed",
        "tick it was first routed to a handler (NA: never)",
    ),
    (
        "routed_to",
        "the handler it was first routed to: community, street, department or organisation (NA: never routed)",
    ),
    (
        "taken",
        "tick its handler first took it from the queue (NA: never)",
    ),
    ("votes", "consent votes held on it"),
    ("forums", "deliberative forums held on it"),
    (
        "deliberated",
        "tick its affected households reached consent (NA: never)",
    ),
    (
        "funded",
        "tick it was fully funded and work began (NA: never)",
    ),
    ("funded_public", "public money committed, yuan"),
    (
        "funded_social",
        "social organisations' and philanthropic money committed, yuan",
    ),
    ("funded_enterprise", "enterprise money committed, yuan"),
    ("funded_resident", "residents' co-funding committed, yuan"),
    (
        "enterprise",
        "the local enterprise that co-funded it (NA: none)",
    ),
    ("escalations", "times it was escalated a level"),
    ("escalated", "tick of its last escalation (NA: never)"),
    (
        "handler",
        "its last handler: community, street, department or organisation (NA: never routed)",
    ),
    (
        "organisation",
        "the social organisation handling it, when handler is organisation (NA: none)",
    ),
    (
        "petitioned",
        "tick of the last collective petition about it (NA: none)",
    ),
    ("outcome", "resolved, failed, or open at the end of the run"),
    ("closed", "tick it was resolved or failed (NA: open)"),
];

/// Columns of `panel.csv` (after `run_id` in an experiment) with their meaning.
pub const PANEL_COLUMNS: &[(&str, &str)] = &[
    ("tick", "day after the warm-up of the observation"),
    ("resident", "resident id (fixed for the run)"),
    ("household", "household index"),
    ("building", "building index"),
    ("grid", "grid index"),
    ("community", "community index"),
    ("age", "age group: young, middle or elder"),
    ("party", "1 for a party member, else 0"),
    ("online", "1 for a user of the online platform, else 0"),
    ("grid_volunteer", "1 for a volunteer grid member, else 0"),
    (
        "organisation",
        "social organisation the resident belongs to (NA: none)",
    ),
    (
        "active",
        "1 if active (积极行动者) at the end of the day, else 0",
    ),
    ("engagement", "engagement e, in [0, 1]"),
    (
        "trust_institutional",
        "trust in party and government, in [0, 1]",
    ),
    ("trust_neighbour", "trust in neighbours, in [0, 1]"),
    ("grievance", "grievance g, in [0, 1]"),
    ("satisfaction", "satisfaction s, in [0, 1]"),
    ("expectation", "expected service level, in [0, 1]"),
    ("degree", "ties in the network"),
];

fn scope_name(s: Scope) -> &'static str {
    match s {
        Scope::Household => "household",
        Scope::Building => "building",
        Scope::Grid => "grid",
        Scope::Community => "community",
    }
}

/// An `f32` state as the `f64` of its shortest decimal form, so that the tables show
/// `0.3`, not the 17 digits of the `f32` widened (`0.30000001192092896`), in every format.
fn widen(x: f32) -> f64 {
    if x.is_finite() {
        format!("{x}").parse().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

/// An id where `u32::MAX` means none.
fn id_or_none(x: u32) -> Option<i64> {
    (x != u32::MAX).then_some(x as i64)
}

/// The issues of a run that `issues.csv` holds: those closed after the warm-up, in the
/// order they closed, then those still open at the end, in the order they arose.
#[derive(Debug, Clone, Default)]
pub struct IssueLog {
    /// The issues, as they were when they closed (or at the end).
    pub issues: Vec<Issue>,
}

impl IssueLog {
    /// Takes the issues the engine closed during its last tick (kept since `keep_closed`
    /// was set); those closed during the warm-up are dropped.
    pub fn after_tick(&mut self, e: &mut Engine) {
        let warmup = e.scenario.init.warmup;
        self.issues.extend(
            e.record
                .closed
                .drain(..)
                .filter(|i| i.closed.is_some_and(|c| c >= warmup)),
        );
    }

    /// Adds the issues open at the end of the run.
    pub fn finish(&mut self, e: &Engine) {
        self.issues
            .extend(e.world.issues.iter().filter(|i| i.is_open()).cloned());
    }
}

/// Columns named in order by `names`, as a table called `name`.
fn named(name: &str, names: &[(&str, &str)], columns: Vec<Column>) -> Table {
    assert_eq!(names.len(), columns.len(), "{name}: one column per name");
    names
        .iter()
        .zip(columns)
        .fold(Table::new(name), |t, ((n, _), c)| t.with(*n, c))
}

/// The `issues` table (columns of [`ISSUE_COLUMNS`]); `domains` names the domain indices and
/// ticks are shifted by `warmup`.
pub fn issue_table(issues: &[Issue], domains: &[String], warmup: u32) -> Table {
    let t = |x: u32| x as i64 - warmup as i64;
    let int = |f: &dyn Fn(&Issue) -> i64| Column::I64(issues.iter().map(f).collect());
    let tick = |f: &dyn Fn(&Issue) -> Option<u32>| {
        Column::OptI64(issues.iter().map(|i| f(i).map(t)).collect())
    };
    let state =
        |f: &dyn Fn(&Issue) -> f32| Column::F64(issues.iter().map(|i| widen(f(i))).collect());
    let money = |f: &dyn Fn(&Issue) -> i64| Column::Cents(issues.iter().map(f).collect());
    let flag =
        |f: &dyn Fn(&Issue) -> bool| Column::I64(issues.iter().map(|i| f(i) as i64).collect());
    let text = |f: &dyn Fn(&Issue) -> String| Column::Str(issues.iter().map(f).collect());
    // The handler only means something once the issue was routed.
    let handler = |f: &dyn Fn(&Issue) -> Handler| {
        Column::OptStr(
            issues
                .iter()
                .map(|i| i.routed.is_some().then(|| f(i).name().to_string()))
                .collect(),
        )
    };
    let columns = vec![
        int(&|i| i.id as i64),
        text(&|i| {
            domains
                .get(i.domain as usize)
                .cloned()
                .unwrap_or_else(|| i.domain.to_string())
        }),
        text(&|i| scope_name(i.scope).into()),
        int(&|i| i.place as i64),
        int(&|i| i.community as i64),
        int(&|i| i.street as i64),
        int(&|i| i.households as i64),
        state(&|i| i.severity),
        state(&|i| i.complexity),
        money(&|i| i.cost),
        state(&|i| i.consent_share),
        flag(&|i| i.top_down),
        flag(&|i| i.elder_care),
        flag(&|i| i.online),
        int(&|i| t(i.arisen)),
        tick(&|i| i.detected),
        tick(&|i| i.routed),
        handler(&|i| i.routed_to),
        tick(&|i| i.taken),
        int(&|i| i.votes as i64),
        int(&|i| i.forums as i64),
        tick(&|i| i.deliberated),
        tick(&|i| i.funded),
        money(&|i| i.funding.public),
        money(&|i| i.funding.social),
        money(&|i| i.funding.enterprise),
        money(&|i| i.funding.resident),
        Column::OptI64(issues.iter().map(|i| id_or_none(i.enterprise)).collect()),
        int(&|i| i.escalations as i64),
        tick(&|i| i.escalated),
        handler(&|i| i.handler),
        Column::OptI64(
            issues
                .iter()
                .map(|i| {
                    (i.handler == Handler::Organisation)
                        .then(|| id_or_none(i.organisation))
                        .flatten()
                })
                .collect(),
        ),
        tick(&|i| i.petitioned),
        text(&|i| {
            match i.stage {
                Stage::Resolved => "resolved",
                Stage::Failed => "failed",
                _ => "open",
            }
            .into()
        }),
        tick(&|i| i.closed),
    ];
    named("issues", ISSUE_COLUMNS, columns)
}

/// One resident on one observation day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PanelRow {
    /// Day after the warm-up.
    pub tick: u32,
    /// Resident id.
    pub resident: u32,
    /// Household, building and grid indices.
    pub places: [u32; 3],
    /// Community index.
    pub community: u16,
    /// Age group (`Age` as u8).
    pub age: u8,
    /// Role bits.
    pub roles: u8,
    /// Active flag.
    pub active: bool,
    /// Organisation (u32::MAX: none).
    pub organisation: u32,
    /// Engagement, institutional trust, neighbour trust, grievance, satisfaction, expectation.
    pub states: [f32; 6],
    /// Ties.
    pub degree: u32,
}

/// The resident panel of a run: a fixed sample drawn once, observed every `every` days.
#[derive(Debug, Clone)]
pub struct ResidentPanel {
    every: u32,
    /// Sampled resident ids, ascending.
    pub sample: Vec<u32>,
    /// Observations in (day, resident) order.
    pub rows: Vec<PanelRow>,
}

impl ResidentPanel {
    /// Draws `spec.sample` of `residents` residents without replacement from the run's own
    /// panel stream, so the model's streams are untouched.
    pub fn new(spec: &Panel, residents: usize, seed: u64) -> ResidentPanel {
        let mut rng = rng::stream(seed, Purpose::Records, 0, 0);
        let n = (spec.sample as usize).min(residents);
        // Floyd's algorithm: n distinct draws from 0..residents.
        let mut chosen = std::collections::BTreeSet::new();
        for j in residents - n..residents {
            let t = rng::index(&mut rng, j + 1) as u32;
            if !chosen.insert(t) {
                chosen.insert(j as u32);
            }
        }
        ResidentPanel {
            every: spec.every.max(1),
            sample: chosen.into_iter().collect(),
            rows: Vec::new(),
        }
    }

    /// Observes the sample at the end of the engine's last tick, on observation days.
    pub fn after_tick(&mut self, e: &Engine) {
        let warmup = e.scenario.init.warmup;
        let Some(day) = e.world.tick.checked_sub(1 + warmup) else {
            return;
        };
        if day % self.every != 0 {
            return;
        }
        let r = &e.world.residents;
        for &i in &self.sample {
            let k = i as usize;
            self.rows.push(PanelRow {
                tick: day,
                resident: i,
                places: [r.household[k], r.building[k], r.grid[k]],
                community: r.community[k],
                age: r.age[k],
                roles: r.roles[k],
                active: r.active[k],
                organisation: r.organisation[k],
                states: [
                    r.engagement[k],
                    r.trust_institutional[k],
                    r.trust_neighbour[k],
                    r.grievance[k],
                    r.satisfaction[k],
                    r.expectation[k],
                ],
                degree: e.world.network.degree(i) as u32,
            });
        }
    }
}

/// The `panel` table (columns of [`PANEL_COLUMNS`]).
pub fn panel_table(rows: &[PanelRow]) -> Table {
    let int = |f: &dyn Fn(&PanelRow) -> i64| Column::I64(rows.iter().map(f).collect());
    let bit = |b: u8| Column::I64(rows.iter().map(|p| (p.roles & b != 0) as i64).collect());
    let mut columns = vec![
        int(&|p| p.tick as i64),
        int(&|p| p.resident as i64),
        int(&|p| p.places[0] as i64),
        int(&|p| p.places[1] as i64),
        int(&|p| p.places[2] as i64),
        int(&|p| p.community as i64),
        Column::Str(
            rows.iter()
                .map(|p| {
                    match p.age {
                        x if x == Age::Young as u8 => "young",
                        x if x == Age::Middle as u8 => "middle",
                        _ => "elder",
                    }
                    .to_string()
                })
                .collect(),
        ),
        bit(role::PARTY),
        bit(role::ONLINE),
        bit(role::GRID_VOLUNTEER),
        Column::OptI64(rows.iter().map(|p| id_or_none(p.organisation)).collect()),
        int(&|p| p.active as i64),
    ];
    for k in 0..6 {
        columns.push(Column::F64(
            rows.iter().map(|p| widen(p.states[k])).collect(),
        ));
    }
    columns.push(int(&|p| p.degree as i64));
    named("panel", PANEL_COLUMNS, columns)
}

/// Header names of a column list.
pub fn header(lead: &[&str], columns: &[(&str, &str)]) -> Vec<String> {
    lead.iter()
        .map(|s| s.to_string())
        .chain(columns.iter().map(|(c, _)| c.to_string()))
        .collect()
}

/// A column list as a Markdown table, for the ODD.
pub fn markdown(columns: &[(&str, &str)]) -> String {
    let mut out = String::from("| column | meaning |\n|---|---|\n");
    for (c, m) in columns {
        out.push_str(&format!("| `{c}` | {} |\n", m.replace('|', "\\|")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_sample_is_distinct_sorted_and_seeded() {
        let spec = Panel {
            sample: 50,
            every: 7,
        };
        let a = ResidentPanel::new(&spec, 200, 9);
        assert_eq!(a.sample.len(), 50);
        assert!(a.sample.windows(2).all(|w| w[0] < w[1]));
        assert!(a.sample.iter().all(|&i| i < 200));
        assert_eq!(a.sample, ResidentPanel::new(&spec, 200, 9).sample);
        assert_ne!(a.sample, ResidentPanel::new(&spec, 200, 10).sample);
        let all = ResidentPanel::new(
            &Panel {
                sample: 300,
                every: 1,
            },
            200,
            9,
        );
        assert_eq!(all.sample, (0..200).collect::<Vec<u32>>());
    }
}
