//! The tick loop. Each tick runs the ten phases of [`SCHEDULE`] in order; at the start of
//! each phase every enabled mechanism acts (in registry order), then the phase's core rule
//! runs. The schedule is fixed: the ODD's process overview is generated from it.

pub mod arrivals;
pub mod complaints;
pub mod deliberation;
pub mod detection;
pub mod implementation;
pub mod levers;
pub mod organisations;
pub mod residents;
pub mod resourcing;
pub mod routing;

use std::sync::Arc;

use crate::issues::Issue;
use crate::mechanisms::{self, Mechanism};
use crate::observer::Observer;
use crate::rng::{self, Purpose, Rng};
use crate::scenario::{Domain, Scenario};
use crate::world::World;
use crate::world::places::Scope;
pub use levers::Levers;

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
        "Budgets are allocated yearly; funded issues draw on resident co-funding, enterprise, social and public money, in that order.",
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

/// Counts and sums of one tick, read by the observer.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Issues that arose.
    pub arisen: u32,
    /// Issues resolved.
    pub resolved: u32,
    /// Issues failed.
    pub failed: u32,
    /// Issues escalated.
    pub escalations: u32,
    /// Complaints.
    pub complaints: u32,
    /// Constructive reports and proposals.
    pub reports: u32,
    /// Forum seats taken.
    pub forum_seats: u32,
    /// Households that pledged co-funding.
    pub pledges: u32,
    /// Collective petitions.
    pub petitions: u32,
    /// Forums held.
    pub forums: u32,
    /// Consents reached.
    pub consents: u32,
    /// Consent votes held.
    pub votes: u32,
    /// Public money spent.
    pub public: f64,
    /// Social money spent.
    pub social: f64,
    /// Enterprise money spent.
    pub enterprise: f64,
    /// Resident money spent.
    pub resident: f64,
    /// Routine-service trips.
    pub service_trips: f64,
    /// Routine requests served.
    pub service_requests: f64,
    /// Sum of waits of routine requests served.
    pub service_wait_sum: f64,
    /// Sum of days to resolution of issues resolved.
    pub resolution_days: f64,
    /// Sum of days to detection of issues detected.
    pub detection_days: f64,
    /// Issues detected.
    pub detected: u32,
    /// High-complexity issues resolved.
    pub high_resolved: u32,
    /// High-complexity issues failed.
    pub high_failed: u32,
}

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

/// Per-building outcome events of the tick, read by the resident update.
#[derive(Debug, Clone, Default)]
pub struct Events {
    /// Good experiences with institutions (resolutions), per building, weighted by the
    /// share of the building affected.
    pub good: Vec<f32>,
    /// Bad experiences (failures, petitions), per building.
    pub bad: Vec<f32>,
    /// Resolutions of issues residents took part in, per building.
    pub success: Vec<f32>,
    /// Failures of issues residents took part in, per building.
    pub failure: Vec<f32>,
    /// Sum of outcome scores of issues closed this tick, per community.
    pub community_score: Vec<f32>,
    /// Issues closed this tick, per community.
    pub community_closed: Vec<f32>,
}

impl Events {
    fn new(buildings: usize, communities: usize) -> Self {
        Events {
            good: vec![0.0; buildings],
            bad: vec![0.0; buildings],
            success: vec![0.0; buildings],
            failure: vec![0.0; buildings],
            community_score: vec![0.0; communities],
            community_closed: vec![0.0; communities],
        }
    }

    fn clear(&mut self) {
        for v in [
            &mut self.good,
            &mut self.bad,
            &mut self.success,
            &mut self.failure,
            &mut self.community_score,
            &mut self.community_closed,
        ] {
            v.iter_mut().for_each(|x| *x = 0.0);
        }
    }
}

/// Running totals over the whole run, for cumulative metrics and invariants.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    /// Issues that ever arose.
    pub arisen: u64,
    /// Issues resolved.
    pub resolved: u64,
    /// Issues failed.
    pub failed: u64,
    /// Sum of days to resolution.
    pub resolution_days: f64,
    /// Issues detected.
    pub detected: u64,
    /// Sum of days to detection.
    pub detection_days: f64,
    /// Consents reached.
    pub consents: u64,
    /// Consent votes.
    pub votes: u64,
    /// High-complexity resolved.
    pub high_resolved: u64,
    /// High-complexity failed.
    pub high_failed: u64,
    /// Money paid into issues from every pool.
    pub committed: f64,
    /// Public, social, enterprise and resident money spent.
    pub public: f64,
    /// Social money spent.
    pub social: f64,
    /// Enterprise money spent.
    pub enterprise: f64,
    /// Resident money spent.
    pub resident: f64,
    /// Per community: issues resolved.
    pub community_resolved: Vec<u32>,
    /// Per community: issues failed.
    pub community_failed: Vec<u32>,
    /// Per community: collective petitions.
    pub community_petitions: Vec<u32>,
}

/// What a mechanism sees when it acts: the scenario, the world, the levers, the tick's
/// tally and events, and its own random stream for this tick.
pub struct Ctx<'a> {
    /// The validated scenario.
    pub scenario: &'a Scenario,
    /// The issue domains in index order.
    pub domains: &'a [DomainSpec],
    /// The world.
    pub world: &'a mut World,
    /// The levers of this tick.
    pub levers: &'a mut Levers,
    /// This tick's counts.
    pub tally: &'a mut Tally,
    /// This tick's outcome events.
    pub events: &'a mut Events,
    /// Running totals.
    pub totals: &'a mut Totals,
    /// The mechanism's stream for this tick and phase.
    pub rng: &'a mut Rng,
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
    /// Levers of the current tick.
    pub levers: Levers,
    baseline_levers: Levers,
    /// Counts of the current tick.
    pub tally: Tally,
    /// Outcome events of the current tick.
    pub events: Events,
    /// Running totals.
    pub totals: Totals,
    /// Scratch buffers of the resident phase (kept to avoid per-tick allocation).
    pub scratch: residents::Scratch,
    /// The run's seed.
    pub seed: u64,
}

impl Engine {
    /// Builds the world for `scenario` and `seed` and lets each enabled mechanism set up.
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Engine {
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
        let baseline_levers = Levers::baseline(&scenario, nb, nc);
        let mut engine = Engine {
            mechanisms: mechanisms::build(&scenario.mechanisms),
            levers: baseline_levers.clone(),
            baseline_levers,
            domains,
            tally: Tally::default(),
            events: Events::new(nb, nc),
            totals: Totals {
                community_resolved: vec![0; nc],
                community_failed: vec![0; nc],
                community_petitions: vec![0; nc],
                ..Totals::default()
            },
            scratch: residents::Scratch::new(&world),
            world,
            scenario,
            seed,
        };
        let mut mechs = std::mem::take(&mut engine.mechanisms);
        for (index, m) in mechs.iter_mut() {
            let mut rng = rng::stream(seed, Purpose::Mechanism, u64::MAX, *index as u64);
            m.init(&mut engine.ctx(&mut rng));
        }
        engine.mechanisms = mechs;
        if !engine.world.new_ties.is_empty() {
            residents::rebuild_network(&mut engine.world, &engine.scenario, seed, 0);
        }
        residents::refresh_stats(&mut engine);
        engine
    }

    fn ctx<'a>(&'a mut self, rng: &'a mut Rng) -> Ctx<'a> {
        Ctx {
            scenario: &self.scenario,
            domains: &self.domains,
            world: &mut self.world,
            levers: &mut self.levers,
            tally: &mut self.tally,
            events: &mut self.events,
            totals: &mut self.totals,
            rng,
        }
    }

    /// Runs one tick: every phase of [`SCHEDULE`] in order.
    pub fn step(&mut self, observer: &mut Observer) {
        self.levers.reset_to(&self.baseline_levers);
        self.tally = Tally::default();
        self.events.clear();
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
                Phase::Observation => observer.observe(self),
            }
        }
        self.world.tick += 1;
    }

    fn mechanisms_act(&mut self, phase: Phase) {
        if self.mechanisms.is_empty() {
            return;
        }
        let mut mechs = std::mem::take(&mut self.mechanisms);
        let tick = self.world.tick as u64;
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

/// Closes an issue as resolved or failed: updates totals and the per-building events that
/// the resident phase turns into trust, efficacy and satisfaction.
#[allow(clippy::too_many_arguments)]
pub fn close_issue(
    issue: &mut Issue,
    resolved: bool,
    tick: u32,
    world_places: &crate::world::places::Places,
    high_complexity: f32,
    tally: &mut Tally,
    totals: &mut Totals,
    events: &mut Events,
) {
    issue.stage = if resolved {
        crate::issues::Stage::Resolved
    } else {
        crate::issues::Stage::Failed
    };
    issue.closed = Some(tick);
    let high = issue.complexity >= high_complexity;
    let c = issue.community as usize;
    if resolved {
        tally.resolved += 1;
        totals.resolved += 1;
        let days = (tick - issue.arisen) as f64;
        tally.resolution_days += days;
        totals.resolution_days += days;
        totals.community_resolved[c] += 1;
        if high {
            tally.high_resolved += 1;
            totals.high_resolved += 1;
        }
    } else {
        tally.failed += 1;
        totals.failed += 1;
        totals.community_failed[c] += 1;
        if high {
            tally.high_failed += 1;
            totals.high_failed += 1;
        }
    }
    // Residents judge performance by outcomes and by speed (Van Ryzin 2004).
    let score = if resolved {
        (-((tick - issue.arisen) as f32) / 180.0).exp()
    } else {
        0.1
    };
    events.community_score[c] += score;
    events.community_closed[c] += 1.0;
    spread_event(issue, world_places, |b, w| {
        if resolved {
            events.good[b] += w;
            if issue.participated {
                events.success[b] += w;
            }
        } else {
            events.bad[b] += w;
            if issue.participated {
                events.failure[b] += w;
            }
        }
    });
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
