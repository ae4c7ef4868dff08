//! The tick loop. Each tick runs the ten phases of [`SCHEDULE`] in order; at the start of
//! each phase every enabled mechanism acts (in registry order), then the phase's core rule
//! runs. Mechanisms start on the first recorded day: the warm-up is the world before the
//! reform, so a recorded series shows the reform taking effect, and the run's cumulative
//! counts start there too. The schedule is fixed: the ODD's process overview is generated
//! from it.

pub mod arrivals;
pub mod care;
pub mod complaints;
pub mod deliberation;
pub mod detection;
pub mod implementation;
mod invariants;
#[cfg(test)]
mod linkage_tests;
pub mod mechanism;
pub mod opinions;
pub mod organisations;
pub mod record;
pub mod residents;
pub mod resourcing;
pub mod routing;
pub mod steering;
pub mod ties;

use std::sync::Arc;

use crate::issues::Issue;
use crate::observer::Observer;
use crate::rng::{self, Purpose, Rng};
use crate::scenario::mechanisms::Mechanisms;
use crate::scenario::{Domain, Scenario};
use crate::world::World;
use crate::world::places::Scope;
pub use mechanism::{Ctx, Mechanism};
pub use record::{Events, Record, Tally};

/// A phase of the tick (MODEL.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// New issues arise; scheduled projects start.
    Arrivals,
    /// Latent issues become known.
    Detection,
    /// Known issues go to a handler, after coordination delays and within capacity.
    Routing,
    /// Consent-requiring issues are decided; forums are held; failures escalate.
    Deliberation,
    /// Issues are funded from public, social, enterprise and resident money.
    Resourcing,
    /// Work proceeds; issues are resolved, escalated or failed; routine services served.
    Implementation,
    /// Residents update engagement, activation, trust, grievance, satisfaction; ties form.
    Residents,
    /// Organisations are born, grow and die; enterprises adapt.
    Organisations,
    /// Individual complaints and collective petitions; online sentiment.
    Complaints,
    /// Metrics of the tick are recorded.
    Observation,
}

/// The fixed order of phases in a tick, with what each does.
pub const SCHEDULE: &[(Phase, &str)] = &[
    (
        Phase::Arrivals,
        "New issues arise as Poisson arrivals per location and domain; scheduled projects start and shocks scale rates.",
    ),
    (
        Phase::Detection,
        "Latent issues become known through residents' reports (offline or online) and through mechanisms' patrols, visits and monitoring.",
    ),
    (
        Phase::Routing,
        "Known issues go to the community, the street, a department or a social organisation; coordination delays and daily capacities apply; handlers answer issues.",
    ),
    (
        Phase::Deliberation,
        "Consent-requiring issues are put to the affected households; forums (when held) exchange opinions by bounded confidence; failed votes stall the issue.",
    ),
    (
        Phase::Resourcing,
        "Public budgets are allocated at the start of each budget year (before the tick's first phase); funded issues draw on resident co-funding, enterprise, social and public money, in that order.",
    ),
    (
        Phase::Implementation,
        "Work proceeds; at completion success depends on skill against complexity; failures escalate community → street → district or fail; routine services are served.",
    ),
    (
        Phase::Residents,
        "Every resident updates engagement, activation (threshold cascade), institutional and neighbour trust, grievance and satisfaction, in parallel over fixed chunks; joint activity forms ties; the network is rebuilt periodically.",
    ),
    (
        Phase::Organisations,
        "Organisations pay running costs, lose idle members, die when out of funds and members; new ones are born; enterprises' resources renew yearly.",
    ),
    (
        Phase::Complaints,
        "Residents whose grievance exceeds the cost of complaining complain; stalled issues with enough would-be petitioners become collective petitions; online sentiment moves.",
    ),
    (
        Phase::Observation,
        "The tick's metrics are computed and recorded.",
    ),
];

/// A domain with its index and parsed scope, as the phases use it.
#[derive(Debug, Clone)]
pub struct DomainSpec {
    /// Name from the scenario.
    pub name: String,
    /// Its parameters.
    pub params: Domain,
    /// Parsed scope.
    pub scope: Scope,
}

/// Builds the enabled mechanisms of a scenario's `[mechanisms]`, with their registry index.
pub type BuildMechanisms = fn(&Mechanisms) -> Vec<(usize, Box<dyn Mechanism>)>;

/// A world without linkage mechanisms (for tests of the core rules).
pub fn no_mechanisms(_: &Mechanisms) -> Vec<(usize, Box<dyn Mechanism>)> {
    Vec::new()
}

/// What the warm-up depends on: `s` with the sections that act only from the reform's
/// start at their defaults: `mechanisms` (they start on the first recorded day),
/// `linkage` (it filters only what mechanisms add) and `change` (its days count from the
/// warm-up's end). Two scenarios with the same `before_reform` and seed have the same
/// warm-up, so one can be [`Engine::fork`]ed into the other.
pub fn before_reform(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    s.mechanisms = Mechanisms::default();
    s.linkage = Default::default();
    s.change = Vec::new();
    s
}

/// A run in progress: the world plus everything the phases need.
pub struct Engine {
    /// The validated scenario.
    pub scenario: Arc<Scenario>,
    /// The issue domains in index order.
    pub domains: Vec<DomainSpec>,
    /// The world.
    pub world: World,
    /// Enabled mechanisms, in registry order, with their registry index.
    pub mechanisms: Vec<(usize, Box<dyn Mechanism>)>,
    /// Builds the enabled mechanisms of a scenario (`mechanisms::build`; passed in, so the
    /// engine does not import the mechanisms that implement its trait). Steering rebuilds
    /// with it.
    pub build: BuildMechanisms,
    /// What happened: this tick's tally, the run's totals, outcome events.
    pub record: Record,
    /// Scratch buffers of the resident phase (kept to avoid per-tick allocation).
    pub scratch: residents::Scratch,
    /// The run's seed.
    pub seed: u64,
    /// Issues open when recording began (the identity of issue counts starts there).
    pub open_at_reform: usize,
}

impl Engine {
    /// Builds the world for `scenario` and `seed`, with the mechanisms `build` makes of the
    /// scenario's switches (`mechanisms::build`, or [`no_mechanisms`]); they start acting on
    /// the first recorded day.
    pub fn new(scenario: Arc<Scenario>, seed: u64, build: BuildMechanisms) -> Engine {
        let mechanisms = build(&scenario.mechanisms);
        let world = crate::world::build::build(&scenario, seed);
        let domains: Vec<DomainSpec> = scenario
            .domains
            .iter()
            .map(|(name, d)| DomainSpec {
                name: name.clone(),
                params: d.clone(),
                scope: Scope::from_name(&d.scope),
            })
            .collect();
        let (nb, nc) = (world.places.buildings.len(), world.places.communities.len());
        let mut engine = Engine {
            mechanisms,
            build,
            domains,
            record: Record::new(nb, nc, scenario.issues.high_complexity as f32),
            scratch: residents::Scratch::new(&world),
            world,
            scenario,
            seed,
            open_at_reform: 0,
        };
        residents::refresh_stats(&mut engine);
        engine
    }

    /// A copy of this engine that goes on with `scenario`, for running one warm-up once and
    /// every cell that differs only in what acts after it from a copy (experiments share
    /// warm-ups so). The world, the record, the resident phase's buffers, the domains, the
    /// seed and the issues open at the reform are copied; the mechanisms are built afresh
    /// from `scenario` (they hold no state before the reform sets them up).
    ///
    /// Precondition, checked in debug builds: the reform has not started (the step at
    /// `world.tick == init.warmup` has not run), and `scenario` differs from the engine's
    /// only in `mechanisms`, `linkage` and `change` ([`before_reform`]), which nothing
    /// reads before that step. Then the copy, stepped on, gives exactly what an engine
    /// built with `scenario` and the same seed gives. The observer that watched the
    /// warm-up must be copied with it (it keeps state from the warm-up's days).
    pub fn fork(&self, scenario: Arc<Scenario>) -> Engine {
        debug_assert!(
            self.world.tick <= scenario.init.warmup,
            "fork after the reform started (tick {} > warm-up {})",
            self.world.tick,
            scenario.init.warmup
        );
        debug_assert!(
            before_reform(&self.scenario).to_toml() == before_reform(&scenario).to_toml(),
            "fork into a scenario that differs in more than mechanisms, linkage and change"
        );
        Engine {
            mechanisms: (self.build)(&scenario.mechanisms),
            build: self.build,
            domains: self.domains.clone(),
            world: self.world.clone(),
            record: self.record.clone(),
            scratch: self.scratch.clone(),
            seed: self.seed,
            open_at_reform: self.open_at_reform,
            scenario,
        }
    }

    /// Sets up the enabled mechanisms: the reform starts. Runs at the first recorded tick,
    /// so the warm-up is the world before the reform.
    fn start_mechanisms(&mut self) {
        let mut mechs = std::mem::take(&mut self.mechanisms);
        let before = self.world.new_ties.len();
        for (index, m) in mechs.iter_mut() {
            let mut rng = rng::stream(self.seed, Purpose::Mechanism, u64::MAX, *index as u64);
            m.init(&mut self.ctx(&mut rng));
        }
        self.mechanisms = mechs;
        self.linkage_ingredients(before);
        self.world.add_new_ties();
        residents::refresh_stats(self);
    }

    fn ctx<'a>(&'a mut self, rng: &'a mut Rng) -> Ctx<'a> {
        Ctx {
            scenario: &self.scenario,
            domains: &self.domains,
            world: &mut self.world,
            record: &mut self.record,
            rng,
        }
    }

    /// Runs one tick: every phase of [`SCHEDULE`] in order.
    pub fn step(&mut self, observer: &mut Observer) {
        steering::apply_due(self);
        if self.world.tick == self.scenario.init.warmup {
            // The record covers recorded days only: the warm-up's counts are dropped.
            self.record.reset_cumulative();
            self.open_at_reform = self.world.issues.len();
            self.start_mechanisms();
        }
        self.world.ledger.start_tick();
        if self.world.tick % resourcing::YEAR == 0 {
            resourcing::new_budget_year(&mut self.world, &self.scenario);
        }
        self.world.contacts.clear();
        self.record.start_tick();
        for &(phase, _) in SCHEDULE {
            self.mechanisms_act(phase);
            match phase {
                Phase::Arrivals => arrivals::run(self),
                Phase::Detection => detection::run(self),
                Phase::Routing => routing::run(self),
                Phase::Deliberation => deliberation::run(self),
                Phase::Resourcing => resourcing::run(self),
                Phase::Implementation => implementation::run(self),
                Phase::Residents => residents::run(self),
                Phase::Organisations => organisations::run(self),
                Phase::Complaints => complaints::run(self),
                Phase::Observation => {
                    self.record.end_tick();
                    observer.observe(self);
                }
            }
        }
        self.world.tick += 1;
    }

    fn mechanisms_act(&mut self, phase: Phase) {
        if self.mechanisms.is_empty() || self.world.tick < self.scenario.init.warmup {
            return;
        }
        let mut mechs = std::mem::take(&mut self.mechanisms);
        let tick = self.world.tick as u64;
        let before = self.world.new_ties.len();
        for (index, m) in mechs.iter_mut() {
            if m.phases().contains(&phase) {
                let mut rng = rng::stream(
                    self.seed,
                    Purpose::Mechanism,
                    tick,
                    ((*index as u64) << 8) | phase as u64,
                );
                m.act(phase, &mut self.ctx(&mut rng));
            }
        }
        self.mechanisms = mechs;
        self.linkage_ingredients(before);
    }

    /// Removes what the mechanisms just added of an ingredient switched off (`[linkage]`):
    /// the bridging and linking ties they formed since `ties_before` (the ties linkage
    /// creates; bonding ties between neighbours stay), or the mobilisation they added.
    fn linkage_ingredients(&mut self, ties_before: usize) {
        let l = &self.scenario.linkage;
        if !l.ties {
            // Of the ties formed since `ties_before`, only the bonding ones stay.
            let mut index = 0;
            self.world.new_ties.retain(|t| {
                index += 1;
                index <= ties_before || t.kind == crate::network::TieKind::Bonding
            });
        }
        if !l.action {
            let c = &mut self.world.contacts;
            c.mobilisation.fill(0.0);
            c.online_call = 0.0;
            c.party_duty = 0.0;
        }
    }

    /// An issue-level random stream for this tick and phase.
    pub fn issue_rng(&self, phase: Phase) -> Rng {
        rng::stream(
            self.seed,
            Purpose::Issues,
            self.world.tick as u64,
            phase as u64,
        )
    }
}

/// Calls `f(building, weight)` for each building the issue affects; the weight is the share
/// of the building's residents affected.
pub fn spread_event(
    issue: &Issue,
    places: &crate::world::places::Places,
    mut f: impl FnMut(usize, f32),
) {
    let b = &places.buildings.starts;
    let first = b.partition_point(|&s| s <= issue.residents.start) - 1;
    let mut k = first;
    while k + 1 < b.len() && b[k] < issue.residents.end {
        let lo = b[k].max(issue.residents.start);
        let hi = b[k + 1].min(issue.residents.end);
        if hi > lo {
            f(k, (hi - lo) as f32 / (b[k + 1] - b[k]) as f32);
        }
        k += 1;
    }
}

/// Tiny hand-built worlds for the phases' unit tests.
#[cfg(test)]
pub(crate) mod testkit {
    use std::sync::Arc;

    use super::Engine;
    use super::arrivals::new_issue;
    use crate::rng::{Purpose, stream};
    use crate::scenario::Scenario;
    use crate::scenario::dist::Dist;
    use crate::world::places::Scope;

    /// A 400-resident world with no spontaneous issues, no reports, no organisations and no
    /// initial grievance, so that a test's own issue is the only thing happening.
    pub fn quiet_engine() -> Engine {
        let mut s = Scenario::default();
        s.world.residents = 400;
        s.world.streets = 1;
        s.world.communities = 2;
        s.world.grids = 4;
        s.world.organisations = 0;
        s.world.service_complexes = 0;
        s.init.grievance = Dist::Constant(0.0);
        s.residents.report_probability = 0.0;
        for d in s.domains.values_mut() {
            d.rate = 0.0;
        }
        Engine::new(Arc::new(s), 5, super::no_mechanisms)
    }

    /// The default scenario on a small world: one street of `residents` in two
    /// communities, with a few of every kind of organisation, so that every mechanism has
    /// something to work with.
    pub fn small_world(residents: u32) -> Scenario {
        let mut s = Scenario::default();
        s.world.residents = residents;
        s.world.streets = 1;
        s.world.communities = 2;
        s.world.grids = 6;
        s.world.organisations = 4;
        s.world.businesses = 6;
        s.world.social_workers = 2;
        s.world.property_companies = 2;
        s.world.service_complexes = 1;
        s.world.department_staff = 8;
        s
    }

    /// Adds a latent issue of `domain` at a place and returns its index.
    pub fn push_issue(e: &mut Engine, domain: &str, scope: Scope, place: u32) -> usize {
        let di = e.domains.iter().position(|d| d.name == domain).unwrap();
        let mut rng = stream(1, Purpose::Arrivals, 0, 0);
        let tick = e.world.tick;
        let s = e.scenario.clone();
        let issue = new_issue(
            &e.world,
            &s,
            &e.domains[di],
            di as u16,
            (scope, place),
            tick,
            &mut rng,
        );
        e.world.issues.push(issue);
        e.world.issues.len() - 1
    }
}
