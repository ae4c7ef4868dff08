//! What a run, an experiment or a calibration will need, estimated from the scenario alone
//! before anything is built, and the refusal of what does not fit this machine's memory.
//!
//! The estimate counts every allocation that grows with the scenario: residents' columns,
//! households, buildings, grids and communities, the tie network at its peak (a rebuild
//! holds the CSR arrays, a flag per entry and the sorted new ties at once), organisations
//! (the initial ones and those founded over the horizon), enterprises, institutional
//! nodes, open issues (arrivals per day from the rates and the worst day's shocks, times
//! the days an issue may stay open), the recorded rows, and for an experiment its plan
//! (one resolved scenario per policy and point, the design points, the run index), one
//! run per worker and the warm-ups it keeps. Lists that grow by pushing are counted at
//! twice their length (a vector doubles its capacity). `tests/bounds.rs` measures the real
//! peak of the heap and checks the estimate is not below it.
//!
//! It also estimates the work of a run (elementary operations, for `cogov check`), which
//! the scenario's bounds keep finite; only memory is refused, since a long run is a
//! choice and one that cannot fit is not.

use std::path::Path;

use crate::engine::record::CommunityCounts;
use crate::error::{Error, Result};
use crate::issues::Issue;
use crate::metrics::Row;
use crate::network::{Edge, TieKind};
use crate::scenario::Scenario;
use crate::scenario::limits::{PlannedRuns, peak_shock};
use crate::world::BuildingSums;
use crate::world::institutions::{Enterprise, Organisation};
use crate::world::residents::Residents;

/// One part of an estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What it holds, e.g. "ties".
    pub what: &'static str,
    /// The parameter that drives it most, for the message's position.
    pub key: String,
    /// Bytes.
    pub bytes: f64,
}

/// An estimate of memory (by part) and work.
#[derive(Debug, Clone, PartialEq)]
pub struct Footprint {
    /// What is estimated, e.g. "a run" or "the experiment (2 runs at once)".
    pub label: String,
    /// The parts.
    pub items: Vec<Item>,
    /// Elementary operations (resident updates, tie reads, issue steps), for the record.
    pub operations: f64,
}

impl Footprint {
    /// All bytes (saturating at `u64::MAX`).
    pub fn bytes(&self) -> u64 {
        // A float sum never wraps; `as` saturates.
        self.items.iter().map(|i| i.bytes).sum::<f64>() as u64
    }

    /// The largest part.
    pub fn largest(&self) -> Option<&Item> {
        self.items.iter().max_by(|a, b| a.bytes.total_cmp(&b.bytes))
    }

    /// The largest parts, e.g. "ties 3.1 GiB, residents 1.2 GiB, issues 0.4 GiB".
    pub fn breakdown(&self) -> String {
        let mut items: Vec<&Item> = self.items.iter().filter(|i| i.bytes >= 1.0).collect();
        items.sort_by(|a, b| b.bytes.total_cmp(&a.bytes));
        items
            .iter()
            .take(4)
            .map(|i| format!("{} {}", i.what, size(i.bytes)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn add(&mut self, what: &'static str, key: impl Into<String>, bytes: f64) {
        self.items.push(Item {
            what,
            key: key.into(),
            bytes: bytes.max(0.0),
        });
    }

    fn scaled(mut self, times: f64) -> Footprint {
        for i in &mut self.items {
            i.bytes *= times;
        }
        self.operations *= times;
        self
    }
}

/// A byte count as people read it (KiB, MiB, GiB, TiB).
pub fn size(bytes: f64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{v:.0} bytes")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// A vector grown by pushing holds, while it moves, its old block and the new one of twice
/// that: up to three times its length at the moment it grows.
const PUSHED: f64 = 3.0;

fn sz<T>() -> f64 {
    std::mem::size_of::<T>() as f64
}

/// Places of a world, as the builder makes them (expected counts, on the high side).
struct Places {
    residents: f64,
    households: f64,
    buildings: f64,
    grids: f64,
    communities: f64,
    streets: f64,
}

fn places(s: &Scenario) -> Places {
    let w = &s.world;
    let n = w.residents as f64;
    let grids = w.grids as f64;
    // Households hold 1 + Poisson(mean − 1) residents; a grid's last one may be cut short.
    let households = (n / w.household_size_mean.max(1.0) * 1.1 + grids).min(n);
    // Buildings hold max(1, Poisson(households_per_building)) households.
    let buildings = (households / w.households_per_building.max(1.0) * 1.2 + grids).min(households);
    Places {
        residents: n,
        households,
        buildings,
        grids,
        communities: w.communities as f64,
        streets: w.streets as f64,
    }
}

/// Expected issues arising a day at the busiest time (rate × locations × the worst day's
/// shock multiplier, summed over domains), projects included.
pub fn arrivals_per_day(s: &Scenario) -> f64 {
    let (open, _) = open_issues(s);
    open / days_held(s) + 1.0
}

/// Days of arrivals the issue list holds at most. An issue that arose on day `a` fails on
/// the first day after `a + max_open_days`, in the implementation phase, which comes after
/// that day's arrivals: for a moment the list holds `max_open_days + 2` days' worth (or the
/// whole horizon, if shorter).
fn days_held(s: &Scenario) -> f64 {
    let horizon = (s.ticks as f64 + s.init.warmup as f64).max(1.0);
    (s.issues.max_open_days as f64 + 2.0).min(horizon)
}

/// Expected open issues at the busiest time: per domain, arrivals a day (rate × locations
/// × the worst day's shock multiplier) times the days an issue may stay open, plus the
/// projects' issues; with room for Poisson spread. Also the domain that contributes most.
pub fn open_issues(s: &Scenario) -> (f64, Option<&str>) {
    let p = places(s);
    let days_open = days_held(s);
    let mut open = 0.0;
    let mut top: Option<(&str, f64)> = None;
    for (name, d) in &s.domains {
        let locations = match d.scope.as_str() {
            "household" => p.households,
            "building" => p.buildings,
            "grid" => p.grids,
            _ => p.communities,
        };
        let shock = peak_shock(s, name).map_or(1.0, |pk| pk.multiplier.max(1.0));
        let expected = d.rate / 365.0 * locations * shock * days_open;
        if top.is_none_or(|(_, t)| expected > t) {
            top = Some((name.as_str(), expected));
        }
        open += expected;
    }
    open += s
        .projects
        .iter()
        .map(|pr| pr.communities.len() as f64)
        .sum::<f64>();
    (open + 3.0 * open.sqrt() + 16.0, top.map(|t| t.0))
}

/// Ties of the network: as built, and at most during the run (ties formed through joint
/// activity survive at least `idle_days`).
fn ties(s: &Scenario) -> (f64, f64) {
    let w = &s.world;
    let ns = &s.network;
    let n = w.residents as f64;
    let lambda = (w.household_size_mean - 1.0).max(0.0);
    // A household of 1 + X residents, X ~ Poisson(λ), has (1 + X)X / 2 ties.
    let household = n / w.household_size_mean.max(1.0) * (lambda * lambda + 2.0 * lambda) / 2.0;
    let building = n * ns.building_degree / 2.0;
    let ring = n * (ns.grid_ring_degree / 2) as f64;
    let linking = n;
    let orgs = w.organisations as f64 * s.organisations.members * ns.org_member_degree / 2.0;
    let built = household + building + ring + linking + orgs;
    // Joint activity forms ties that stay while used: at most those of the idle window (or
    // of the whole horizon, if shorter). Everyday encounters replace everyday decay.
    let horizon = s.ticks as f64 + s.init.warmup as f64;
    let window = (ns.idle_days as f64).min(horizon);
    let periods = (window / ns.rebuild_period.max(1) as f64).ceil() + 1.0;
    let formed = n * (ns.formation_probability + ns.linking_probability) * periods;
    // No more ties than pairs of residents plus a tie from each to every institutional node.
    let nodes = 2.0 * w.communities as f64 + w.grids as f64 + w.social_workers as f64;
    let most = n * (n - 1.0) / 2.0 + n * nodes;
    (built.min(most), (built + formed).min(most))
}

/// Organisations over the horizon: the initial ones, births, and those mechanisms found.
fn organisations(s: &Scenario) -> f64 {
    let years = (s.ticks as f64 + s.init.warmup as f64) / 365.0;
    let per_100k = s.world.residents as f64 / 1e5;
    let m = &s.mechanisms;
    let mut n =
        s.world.organisations as f64 + s.organisations.birth_rate_per_100k * per_100k * years;
    if m.government_society.enabled {
        let rounds = s.ticks as f64 / m.government_society.period.max(1) as f64 + 1.0;
        n += m.government_society.venture_projects_per_100k * per_100k * rounds;
    }
    if m.three_society.enabled {
        n += m.three_society.incubation_per_100k * per_100k * years;
    }
    n + 3.0 * n.sqrt() + 8.0
}

/// The memory and work of one run of `s` (`cogov run`, or one run of an experiment).
pub fn run(s: &Scenario) -> Footprint {
    let p = places(s);
    let n = p.residents;
    let horizon = s.ticks as f64 + s.init.warmup as f64;
    let mut f = Footprint {
        label: "a run".into(),
        items: Vec::new(),
        operations: 0.0,
    };
    // Columns are allocated once at their size; the engine keeps last tick's trust,
    // neighbour trust and active flag of each resident together (12 bytes, padded).
    let scratch = 3.0 * sz::<f32>();
    let party = s.world.party_share * sz::<u32>() * 2.0;
    f.add(
        "residents",
        "world.residents",
        n * (Residents::BYTES as f64 + scratch + party),
    );
    // Place tables grow by pushing; per-building sums, levers, events.
    let per_household = 4.0 * sz::<u32>();
    let per_building = 2.0 * 3.0 * sz::<u32>() + sz::<BuildingSums>() + 12.0 * sz::<f32>();
    let per_grid = 2.0 * 3.0 * sz::<u32>() + 2.0 * sz::<f32>();
    let per_community = 2.0 * 4.0 * sz::<u32>()
        + sz::<CommunityCounts>()
        + 3.0 * sz::<u64>()
        + 16.0 * sz::<f64>()
        + crate::run::COMMUNITY_COLUMNS.len() as f64 * sz::<f64>()
        + 64.0;
    f.add(
        "places",
        "world.residents",
        PUSHED * p.households * per_household
            + p.buildings * per_building
            + p.grids * per_grid
            + p.communities * per_community
            + p.streets * 64.0,
    );
    // Ties formed between rebuilds wait in a list (pushed): joint activity and contacts,
    // party members' visits, and at the start the organisations' members and volunteers.
    let period = s.network.rebuild_period.max(1) as f64;
    let m = &s.mechanisms;
    let visits = if m.party_masses.enabled {
        n * s.world.party_share * m.party_masses.visit_tie_probability * period
    } else {
        0.0
    };
    let volunteers = if m.grid.enabled {
        p.grids * m.grid.volunteers_per_grid as f64
    } else {
        0.0
    };
    let org_ties = s.world.organisations as f64
        * s.organisations.members
        * (1.0 + s.network.org_member_degree / 2.0);
    // Everyday encounters draw, per rebuild, new ties like the first network's at the rate
    // of everyday decay (at most one per drawn tie).
    let encounters = n
        * (s.network.building_degree / 2.0 + (s.network.grid_ring_degree / 2) as f64 + 1.0)
        * s.network.encounter_scale;
    let waiting = n * (s.network.formation_probability + s.network.linking_probability)
        + encounters
        + visits
        + volunteers
        + org_ties;
    // The network at its peak. Building the world holds both directions of each tie
    // placed by source and two counters per node, with the edge list (pushed) before the
    // CSR is made and the CSR after the list is dropped. A rebuild holds the CSR (merged
    // in place), a flag per stored direction, a cursor or a row end per node and both
    // directions of the new ties; then each resident's tie counts.
    let (built, most) = ties(s);
    let most = most + waiting;
    let nodes = n + 2.0 * p.communities + p.grids + s.world.social_workers as f64;
    let csr = 2.0 * (sz::<u32>() + sz::<TieKind>() + sz::<u16>());
    let placed = 2.0 * sz::<(u32, TieKind, u16)>();
    let at_build =
        built * (placed + (PUSHED * sz::<Edge>()).max(csr)) + 3.0 * (nodes + 1.0) * sz::<u32>();
    let at_rebuild = most * (csr + 2.0 * sz::<bool>())
        + waiting * 2.0 * sz::<(u32, u32, TieKind, u16)>()
        + nodes * sz::<u32>()
        + n * sz::<[u32; 3]>();
    f.add(
        "ties",
        "network.building_degree",
        at_build.max(at_rebuild) + PUSHED * waiting * sz::<Edge>(),
    );
    f.add(
        "institutional nodes",
        "world.social_workers",
        (nodes + 1.0) * sz::<u32>(),
    );
    // The Watts–Strogatz layer of one grid at a time: adjacency rows of up to 4 × half
    // entries (rewiring pushes past the initial capacity). A grid holds about
    // residents / grids; communities vary, so the largest is taken at four times that.
    let half = (s.network.grid_ring_degree / 2) as f64;
    let grid = (4.0 * n / p.grids.max(1.0)).min(n);
    f.add(
        "grid lattice",
        "network.grid_ring_degree",
        grid * (sz::<Vec<u32>>() + 4.0 * half * sz::<u32>()),
    );
    let orgs = organisations(s);
    f.add(
        "organisations",
        "world.organisations",
        2.0 * orgs * sz::<Organisation>() + orgs * s.organisations.members.min(n) * sz::<u32>(),
    );
    f.add(
        "social workers",
        "world.social_workers",
        2.0 * s.world.social_workers as f64 * (3.0 * sz::<u32>() + sz::<f32>()),
    );
    // Service halls queue one cohort of requests per community and day; with too few
    // counters they wait, at most over the whole horizon.
    let cohorts = p.communities * (horizon + 1.0) * (1.0 + s.services.services_per_request);
    f.add(
        "service queues",
        "services.counter_capacity_per_10k",
        2.0 * cohorts * 16.0,
    );
    if m.grid.enabled {
        f.add(
            "grid volunteers",
            "mechanisms.grid.volunteers_per_grid",
            p.grids * (sz::<Vec<u32>>() + 2.0 * (m.grid.volunteers_per_grid as f64 + 1.0) * 4.0),
        );
    }
    // Each department's case credit and daily capacity (kept twice at most while rebuilt).
    f.add(
        "departments",
        "world.departments",
        2.0 * s.world.departments.max(1) as f64 * 2.0 * sz::<f64>(),
    );
    let enterprises = s.world.property_companies as f64 + s.world.businesses as f64;
    f.add(
        "enterprises",
        "world.businesses",
        enterprises * sz::<Enterprise>(),
    );
    let (open, top) = open_issues(s);
    let key = top.map_or("domains".to_string(), |d| format!("domains.{d}.rate"));
    f.add("issues", key, PUSHED * open * sz::<Issue>());
    // Optional records: every issue of the run (closed after the warm-up or open at the
    // end), and the panel's rows.
    if s.output.issues {
        f.add(
            "issue records",
            "output.issues",
            PUSHED * arrivals_per_day(s) * (s.ticks as f64 + 1.0) * sz::<Issue>(),
        );
    }
    if let Some(panel) = &s.output.panel {
        let rows = panel.sample.min(s.world.residents) as f64
            * (s.ticks as f64 / panel.every.max(1) as f64 + 2.0);
        f.add(
            "panel records",
            "output.panel.sample",
            PUSHED * rows * sz::<crate::records::PanelRow>() + panel.sample as f64 * sz::<u32>(),
        );
    }
    let rows = s.ticks as f64 / s.experiment.record_every.max(1) as f64 + 2.0;
    f.add("recorded rows", "ticks", PUSHED * rows * sz::<(u32, Row)>());
    // The engine's fixed share: chunk buffers, streams, mechanisms' small state, the
    // scenario itself.
    f.add(
        "engine",
        "world.residents",
        256.0 * 1024.0 + scenario_bytes(s),
    );
    // Work: every resident reads its ties each day; issues are stepped; the network is
    // sorted at each rebuild.
    let degree = 2.0 * most / n.max(1.0);
    let sort = 2.0 * most * (2.0 * most).max(2.0).log2();
    f.operations = horizon * (n * (20.0 + degree) + open * 20.0 + orgs)
        + sort * (1.0 + horizon / s.network.rebuild_period.max(1) as f64);
    f
}

/// Heap bytes a resolved scenario takes (its tables, domains and lists), from the length of
/// its TOML text (measured against the allocator in `tests/bounds.rs`: about half of it).
pub fn scenario_bytes(s: &Scenario) -> f64 {
    sz::<Scenario>() + 2.0 * s.to_toml().len() as f64
}

/// The memory of an experiment of `s` run on `jobs` threads: its plan (one resolved
/// scenario per policy and point, the points, the run index, a sensitivity design's points),
/// one run of `largest` per worker (`s` itself before the plan is built; the largest
/// cell after) and `snapshots` kept warm-ups (`experiment::warmups`: an engine and
/// observer between ticks, counted as a run of `largest`, which covers them). Counted from
/// the sizes alone.
pub fn experiment(
    s: &Scenario,
    planned: &PlannedRuns,
    jobs: usize,
    largest: &Scenario,
    snapshots: usize,
) -> Footprint {
    let at_once = (jobs.max(1) as f64).min(planned.total as f64).max(1.0);
    let one = run(largest);
    let run_bytes = one.bytes() as f64;
    let mut f = one.scaled(at_once);
    f.label = if at_once > 1.0 {
        format!("the experiment ({at_once} runs at once)")
    } else {
        "the experiment".into()
    };
    if snapshots > 0 {
        f.add("kept warm-ups", "init.warmup", snapshots as f64 * run_bytes);
    }
    let cells = planned.policies as f64 * planned.points as f64;
    let mut cell = s.clone();
    cell.policy.clear();
    cell.sweep.clear();
    let keys = match &s.sensitivity {
        Some(c) if matches!(s.experiment.design.as_str(), "morris" | "sobol") => c.parameters.len(),
        _ => s.sweep.len(),
    } as f64;
    f.add(
        "experiment plan",
        "experiment.replicates",
        cells * (scenario_bytes(&cell) + sz::<std::sync::Arc<Scenario>>())
            + planned.points as f64 * (sz::<Vec<toml::Value>>() + keys * sz::<toml::Value>())
            + planned.points as f64 * (sz::<Vec<f64>>() + 2.0 * keys * sz::<f64>())
            + planned.total as f64 * 2.0 * sz::<usize>(),
    );
    f
}

/// The memory of a calibration on `jobs` threads: one resolved scenario and one row of
/// statistics per draw, the draws, and one run per worker.
pub fn calibration(s: &Scenario, jobs: usize) -> Footprint {
    let Some(c) = &s.calibration else {
        return run(s);
    };
    let draws = c.draws as f64;
    let mut f = run(s).scaled(jobs.max(1) as f64);
    f.label = format!("the calibration ({} runs at once)", jobs.max(1));
    let k = c.priors.len() as f64;
    let t = c.targets.len() as f64;
    f.add(
        "calibration draws",
        "calibration.draws",
        draws * (scenario_bytes(s) + 2.0 * (k + t + 4.0) * sz::<f64>() + 128.0),
    );
    f
}

/// The memory this process may use, and where the figure comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Memory {
    /// Bytes.
    pub bytes: u64,
    /// Where the figure comes from, e.g. "MemAvailable in /proc/meminfo".
    pub source: &'static str,
}

/// The memory available now: the kernel's `MemAvailable`, or the control group's limit
/// less its usage when that is smaller (a batch job's allocation). `None` where the OS
/// says neither.
pub fn machine_memory() -> Option<Memory> {
    let read = |p: &str| std::fs::read_to_string(p).ok();
    let mut best: Option<Memory> = read("/proc/meminfo").and_then(|info| {
        let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(Memory {
            bytes: kb.saturating_mul(1024),
            source: "MemAvailable in /proc/meminfo",
        })
    });
    let cgroups = [
        (
            "/sys/fs/cgroup/memory.max",
            "/sys/fs/cgroup/memory.current",
            "the control group's memory.max",
        ),
        (
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
            "the control group's memory.limit_in_bytes",
        ),
    ];
    for (limit, usage, source) in cgroups {
        let Some(max) = read(limit).and_then(|t| t.trim().parse::<u64>().ok()) else {
            continue; // absent, or "max": no limit
        };
        let used = read(usage)
            .and_then(|t| t.trim().parse::<u64>().ok())
            .unwrap_or(0);
        let left = max.saturating_sub(used);
        if best.as_ref().is_none_or(|b| left < b.bytes) {
            best = Some(Memory {
                bytes: left,
                source,
            });
        }
    }
    best
}

/// Refuses (as bad input, before anything is built) what would not fit in `memory`. The
/// message names the file and the position of the key driving the largest part when the
/// file states it. No option overrides this.
pub fn check_fits(f: &Footprint, memory: Option<&Memory>, file: Option<&Path>) -> Result<()> {
    let (name, text) = match file {
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p).unwrap_or_default(),
        ),
        None => ("(scenario)".to_string(), String::new()),
    };
    check_fits_in(f, memory, &name, &text)
}

/// Like [`check_fits`] for a scenario given as `text` named `name` (a file or the Python
/// package's scenario text): the refusal is a [`Error::Scenario`] located at the key that
/// drives the estimate when the text states it.
pub fn check_fits_in(f: &Footprint, memory: Option<&Memory>, name: &str, text: &str) -> Result<()> {
    let Some(mem) = memory else {
        return Ok(());
    };
    let need = f.bytes();
    if need <= mem.bytes {
        return Ok(());
    }
    let key = f
        .largest()
        .map(|i| i.key.as_str())
        .filter(|k| crate::scenario::locate::span_of(text, k, true).is_some())
        .unwrap_or("world.residents");
    let at = crate::scenario::locate::location(name, text, key);
    let place = crate::scenario::locate::place(&at);
    Err(Error::Scenario {
        message: format!(
            "{place}: `{key}`: {} needs about {} ({}; estimated before anything is built), more than the {} of memory available on this machine ({}); allowed: a scenario that fits: fewer residents or ties, lower issue rates or a shorter max_open_days, fewer runs at once (--jobs); --force does not override memory",
            f.label,
            size(need as f64),
            f.breakdown(),
            size(mem.bytes as f64),
            mem.source
        ),
        at,
    })
}

/// [`check_fits`] against this machine's memory ([`machine_memory`]).
pub fn refuse_if_too_large(f: &Footprint, file: Option<&Path>) -> Result<()> {
    check_fits(f, machine_memory().as_ref(), file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_run_is_a_few_hundred_megabytes() {
        let f = run(&Scenario::default());
        let mib = f.bytes() as f64 / (1u64 << 20) as f64;
        assert!(
            (50.0..2000.0).contains(&mib),
            "{mib} MiB: {}",
            f.breakdown()
        );
        assert!(f.operations > 1e9);
    }

    #[test]
    fn estimate_grows_with_what_drives_it() {
        let base = Scenario::default();
        let b = run(&base).bytes();
        let mut more = base.clone();
        more.world.residents *= 2;
        assert!(run(&more).bytes() > b);
        let mut rate = base.clone();
        rate.domains.get_mut("maintenance").unwrap().rate = 300.0;
        let r = run(&rate);
        assert!(r.bytes() > b);
        assert_eq!(r.largest().unwrap().what, "issues");
        let mut shocked = rate.clone();
        shocked.shocks.push(crate::scenario::Shock {
            domain: "maintenance".into(),
            start: 0,
            end: 10,
            multiplier: 1.2,
        });
        assert!(run(&shocked).bytes() > r.bytes());
    }

    #[test]
    fn refusal_names_the_estimate_the_machine_and_the_key() {
        let s = Scenario::default();
        let f = run(&s);
        let small = Memory {
            bytes: 1 << 20,
            source: "a test figure",
        };
        let e = check_fits(&f, Some(&small), None).unwrap_err().to_string();
        assert!(e.contains("a run needs about"), "{e}");
        assert!(e.contains("1.0 MiB of memory available"), "{e}");
        assert!(e.contains("a test figure") && e.contains("--force"), "{e}");
        let big = Memory {
            bytes: u64::MAX,
            source: "x",
        };
        assert!(check_fits(&f, Some(&big), None).is_ok());
        assert!(check_fits(&f, None, None).is_ok());
    }

    #[test]
    fn experiment_counts_its_plan_and_its_runs_at_once() {
        let mut s = Scenario::default();
        s.experiment.replicates = 10;
        let one = run(&s).bytes();
        let planned = s.planned_runs();
        let e1 = experiment(&s, &planned, 1, &s, 0);
        let e4 = experiment(&s, &planned, 4, &s, 0);
        assert!(
            e1.bytes() > one && e4.bytes() > 3 * one,
            "{}",
            e4.breakdown()
        );
        // More workers than runs: only the runs there are.
        assert_eq!(
            experiment(&s, &planned, 1000, &s, 0).bytes(),
            experiment(&s, &planned, 10, &s, 0).bytes()
        );
        // Kept warm-ups count a run each.
        let kept = experiment(&s, &planned, 4, &s, 5);
        let item = kept
            .items
            .iter()
            .find(|i| i.what == "kept warm-ups")
            .unwrap();
        assert_eq!(item.bytes, 5.0 * one as f64);
        assert!(kept.bytes() > e4.bytes());
        assert!(e4.items.iter().all(|i| i.what != "kept warm-ups"));
        // A sweep of a million points is counted without being built.
        s.sweep.insert(
            "world.party_share".into(),
            crate::scenario::experiment::SweepSpec::Range {
                from: 0.0,
                to: 1.0,
                steps: 1_000_000,
            },
        );
        let planned = s.planned_runs();
        assert_eq!(planned.points, 1_000_000);
        let big = experiment(&s, &planned, 1, &s, 0);
        assert_eq!(big.largest().unwrap().what, "experiment plan");
        assert!(big.bytes() > 1_000_000 * 1000);
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(512.0), "512 bytes");
        assert_eq!(size(3.0 * 1024.0 * 1024.0 * 1024.0), "3.0 GiB");
    }
}
