//! Observation (phase 10): turns the engine's state, its recorded events and the ledger's
//! flows into one [`Row`] of metrics per tick, keeps the recorded rows, the ledger's rows
//! and the per-run summaries. Every outcome is computed here, from agents' states and
//! recorded events only; nothing upstream writes a metric.

use std::collections::BTreeMap;

use crate::engine::Engine;
use crate::issues::Stage;
use crate::metrics::{Metric, N_METRICS, Row, Stat};
use crate::stats;
use crate::world::institutions::Handler;
use crate::world::money::{
    Cents, Class, Counterpart, Direction, Flow, Ledger, Outside, Pool, yuan,
};

/// One row of `ledger.csv`: a pool's flows with one counterpart in one tick, and the pool's
/// balance at the end of that tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerRow {
    /// Recorded day.
    pub tick: u32,
    /// The pool.
    pub pool: Pool,
    /// Into or out of it.
    pub direction: Direction,
    /// Source, use or other pool.
    pub counterpart: Counterpart,
    /// Amount in cents.
    pub amount: Cents,
    /// The pool's balance at the end of the tick, in cents.
    pub balance: Cents,
}

/// Money spent in one tick, by whose money it was (yuan).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Spending {
    /// Public money on issue work or paid to organisations and social pools.
    pub public: f64,
    /// Social money on issue work.
    pub social: f64,
    /// Enterprise money on issue work.
    pub enterprise: f64,
    /// Residents' money on issue work.
    pub resident: f64,
}

impl Spending {
    /// What the tick's flows spent.
    pub fn of(flows: &[Flow]) -> Spending {
        let mut s = Spending::default();
        for f in flows.iter().filter(|f| f.direction == Direction::Out) {
            let amount = yuan(f.amount);
            let to_work = f.counterpart == Counterpart::Outside(Outside::IssueWork);
            match f.pool.class() {
                Class::Public => {
                    let outward = match f.counterpart {
                        Counterpart::Outside(o) => o == Outside::IssueWork,
                        Counterpart::Pool(p) => p.class() != Class::Public,
                        Counterpart::Opening => false,
                    };
                    if outward {
                        s.public += amount;
                    }
                }
                Class::Social if to_work => s.social += amount,
                Class::Enterprise if to_work => s.enterprise += amount,
                Class::Resident if to_work => s.resident += amount,
                _ => {}
            }
        }
        s
    }
}

/// Days in the window of the complaint-to-participation ratio.
pub const RATIO_WINDOW: usize = 30;

/// Collects metrics during a run.
#[derive(Debug, Clone)]
pub struct Observer {
    record_every: u32,
    warmup: u32,
    /// Recorded rows with their tick.
    pub rows: Vec<(u32, Row)>,
    sums: Row,
    last: Row,
    observed: u32,
    window: Vec<(f64, f64)>,
    money: Spending,
    /// Recorded ledger rows (when kept).
    pub ledger: Vec<LedgerRow>,
    keep_ledger: bool,
}

impl Observer {
    /// An observer that records every `record_every`-th tick after `warmup` (and the last).
    pub fn new(record_every: u32, warmup: u32) -> Observer {
        Observer {
            record_every: record_every.max(1),
            warmup,
            rows: Vec::new(),
            sums: [0.0; N_METRICS],
            last: [0.0; N_METRICS],
            observed: 0,
            window: vec![(0.0, 0.0); RATIO_WINDOW],
            money: Spending::default(),
            ledger: Vec::new(),
            keep_ledger: true,
        }
    }

    /// The same observer without ledger rows (experiments keep only the summaries).
    pub fn without_ledger(mut self) -> Observer {
        self.keep_ledger = false;
        self
    }

    /// Observes the engine at the end of its current tick.
    pub fn observe(&mut self, e: &Engine) {
        let row = self.row(e);
        let tick = e.world.tick;
        if tick < self.warmup {
            return;
        }
        let t = tick - self.warmup;
        if self.keep_ledger {
            if t == 0 {
                opening_rows(&e.world.ledger, &mut self.ledger);
            }
            ledger_rows(&e.world.ledger, t, &mut self.ledger);
        }
        for (s, v) in self.sums.iter_mut().zip(row.iter()) {
            *s += v;
        }
        self.observed += 1;
        let horizon_last = tick + 1 == e.scenario.ticks + self.warmup;
        if t % self.record_every == 0 || horizon_last {
            self.rows.push((t, row));
        }
        self.last = row;
    }

    /// The metric row for the engine's current tick.
    pub fn row(&mut self, e: &Engine) -> Row {
        use Metric::*;
        let mut r = [0.0; N_METRICS];
        let s = &e.scratch.sums;
        let t = &e.record.tally;
        let tot = &e.record.cumulative;
        let w = &e.world;
        let n = s.n.max(1) as f64;
        let div = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        r[Residents as usize] = s.n as f64;
        r[ActiveShare as usize] = s.active as f64 / n;
        r[ActiveShareParty as usize] = div(s.active_party as f64, s.party as f64);
        r[ActiveShareNonparty as usize] =
            div((s.active - s.active_party) as f64, (s.n - s.party) as f64);
        r[EngagementMean as usize] = s.engagement / n;
        r[TrustInstitutionalMean as usize] = s.trust_institutional / n;
        r[TrustNeighbourMean as usize] = s.trust_neighbour / n;
        r[SatisfactionMean as usize] = s.satisfaction / n;
        r[GrievanceMean as usize] = s.grievance / n;
        r[IssuesArisen as usize] = t.arisen as f64;
        r[IssuesOpen as usize] = w.issues.len() as f64;
        let mut held = [0.0f64; 5];
        let mut latent = 0.0;
        for i in &w.issues {
            if i.stage == Stage::Latent || i.stage == Stage::Known {
                latent += (i.stage == Stage::Latent) as u8 as f64;
                continue;
            }
            held[i.handler as usize] += 1.0;
        }
        r[IssuesLatent as usize] = latent;
        r[IssuesOpenCommunity as usize] = held[Handler::Community as usize];
        r[IssuesOpenStreet as usize] = held[Handler::Street as usize];
        r[IssuesOpenPlatform as usize] = held[Handler::Platform as usize];
        r[IssuesOpenDepartment as usize] = held[Handler::Department as usize];
        r[IssuesOpenOrganisation as usize] = held[Handler::Organisation as usize];
        r[IssuesResolved as usize] = t.resolved as f64;
        r[IssuesFailed as usize] = t.failed as f64;
        r[IssuesFailedUnfunded as usize] = t.failed_unfunded as f64;
        r[IssuesFailedExpired as usize] = t.failed_expired as f64;
        r[ResolutionDaysSum as usize] = t.resolution_days;
        r[ResolutionDaysMean as usize] = div(tot.resolution_days, tot.resolved as f64);
        r[DetectionDaysMean as usize] = div(tot.detection_days, tot.detected as f64);
        r[Complaints as usize] = t.complaints as f64;
        let constructive = t.constructive() as f64;
        r[ConstructiveActs as usize] = constructive;
        r[CollectivePetitions as usize] = t.petitions as f64;
        r[ProjectPetitions as usize] = t.project_petitions as f64;
        r[ForumsHeld as usize] = t.forums as f64;
        r[ConsentsReached as usize] = t.consents as f64;
        r[ConsentRate as usize] = div(
            tot.consents as f64,
            (tot.consents + tot.consents_failed) as f64,
        );
        r[HighComplexityResolutionDays as usize] =
            div(tot.high_resolution_days, tot.high_resolved as f64);
        r[HighComplexityResolutionRate as usize] = div(
            tot.high_resolved as f64,
            (tot.high_resolved + tot.high_failed) as f64,
        );
        r[Escalations as usize] = t.escalations as f64;
        r[Handoffs as usize] = t.handoffs as f64;
        let spent = Spending::of(w.ledger.flows());
        if w.tick >= self.warmup {
            self.money.public += spent.public;
            self.money.social += spent.social;
            self.money.enterprise += spent.enterprise;
            self.money.resident += spent.resident;
        }
        r[PublicSpending as usize] = spent.public;
        r[SocialFunds as usize] = spent.social;
        r[EnterpriseFunds as usize] = spent.enterprise;
        r[ResidentFunds as usize] = spent.resident;
        let m = &self.money;
        r[Leverage as usize] = div(m.enterprise + m.social + m.resident, m.public);
        let alive = w.organisations.iter().filter(|o| o.alive);
        r[OrganisationsAlive as usize] = alive.clone().count() as f64;
        r[OrganisationMembers as usize] = alive.clone().map(|o| o.members.len() as f64).sum();
        r[OrganisationFunds as usize] = alive.map(|o| yuan(o.funds)).sum();
        r[ServiceCapacity as usize] =
            crate::engine::routing::organisation_capacities(w, &e.scenario)
                .iter()
                .sum();
        r[Volunteers as usize] = s.volunteers as f64;
        let c = &w.capital;
        r[BondingCapital as usize] = c.bonding_share;
        r[BridgingCapital as usize] = c.bridging_share;
        r[LinkingCapital as usize] = c.linking_share;
        r[BondingTies as usize] = c.bonding_ties;
        r[BridgingTies as usize] = c.bridging_ties;
        r[LinkingTies as usize] = c.linking_ties;
        r[BridgedShare as usize] = c.bridged_share;
        r[OnlineContention as usize] = div(
            w.sentiment.iter().map(|&x| x as f64).sum(),
            w.sentiment.len() as f64,
        );
        let slot = w.tick as usize % RATIO_WINDOW;
        self.window[slot] = (t.complaints as f64, constructive);
        let (c, p): (f64, f64) = self
            .window
            .iter()
            .fold((0.0, 0.0), |a, x| (a.0 + x.0, a.1 + x.1));
        r[ComplaintParticipationRatio as usize] = c / p.max(1.0);
        r[SatisfactionGiniCommunities as usize] = stats::gini(&w.stats.satisfaction_community);
        let elders = w.places.elder_households.len() as f64;
        let open_care = w.issues.iter().filter(|i| i.elder_care).count() as f64;
        r[ElderCareCoverage as usize] = if elders > 0.0 {
            1.0 - (open_care / elders).min(1.0)
        } else {
            1.0
        };
        r[ServiceTrips as usize] = t.service_trips as f64;
        r[ServiceTripsPerRequest as usize] =
            div(tot.service_trips as f64, tot.service_completed as f64);
        r[ServiceWaitDays as usize] = div(tot.service_days as f64, tot.service_completed as f64);
        r
    }

    /// Per-run summary in the order of [`crate::metrics::summary_columns`]: each metric's
    /// final value, mean over the observed ticks, or total, as its kind calls for.
    pub fn summary(&self) -> Vec<f64> {
        let n = self.observed.max(1) as f64;
        crate::metrics::summaries()
            .map(|(k, stat)| match stat {
                Stat::Final => self.last[k],
                Stat::Mean => self.sums[k] / n,
                Stat::Total => self.sums[k],
            })
            .collect()
    }
}

/// The pools' balances when recording begins, as `opening` rows of the first recorded day.
fn opening_rows(ledger: &Ledger, out: &mut Vec<LedgerRow>) {
    for pool in ledger.pools() {
        let amount = ledger.opening(pool);
        if amount > 0 {
            out.push(LedgerRow {
                tick: 0,
                pool,
                direction: Direction::In,
                counterpart: Counterpart::Opening,
                amount,
                balance: ledger.balance(pool),
            });
        }
    }
}

/// Appends this tick's ledger rows: the flows merged by (pool, direction, counterpart),
/// each with its pool's closing balance.
fn ledger_rows(ledger: &Ledger, tick: u32, out: &mut Vec<LedgerRow>) {
    let mut merged: BTreeMap<(Pool, Direction, Counterpart), Cents> = BTreeMap::new();
    for f in ledger.flows() {
        *merged
            .entry((f.pool, f.direction, f.counterpart))
            .or_default() += f.amount;
    }
    out.extend(
        merged
            .into_iter()
            .map(|((pool, direction, counterpart), amount)| LedgerRow {
                tick,
                pool,
                direction,
                counterpart,
                amount,
                balance: ledger.balance(pool),
            }),
    );
}
