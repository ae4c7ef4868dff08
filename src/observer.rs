//! Observation (phase 10): turns the engine's state and tallies into one [`Row`] of
//! metrics per tick, keeps the recorded rows, and the per-run summaries (final value, mean
//! over the horizon, total).

use crate::engine::Engine;
use crate::metrics::{Metric, N_METRICS, Row, Stat};
use crate::stats;

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
        }
    }

    /// Observes the engine at the end of its current tick.
    pub fn observe(&mut self, e: &Engine) {
        let row = self.row(e);
        let tick = e.world.tick;
        if tick < self.warmup {
            return;
        }
        let t = tick - self.warmup;
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
        r[IssuesResolved as usize] = t.resolved as f64;
        r[IssuesFailed as usize] = t.failed as f64;
        r[ResolutionDaysMean as usize] = div(tot.resolution_days, tot.resolved as f64);
        r[DetectionDaysMean as usize] = div(tot.detection_days, tot.detected as f64);
        r[Complaints as usize] = t.complaints as f64;
        let constructive = (t.reports + t.forum_seats + t.pledges) as f64;
        r[ConstructiveReports as usize] = constructive;
        r[CollectivePetitions as usize] = t.petitions as f64;
        r[ForumsHeld as usize] = t.forums as f64;
        r[ConsentsReached as usize] = t.consents as f64;
        r[ConsentRate as usize] = div(tot.consents as f64, tot.votes as f64);
        r[HighComplexityResolutionRate as usize] = div(
            tot.high_resolved as f64,
            (tot.high_resolved + tot.high_failed) as f64,
        );
        r[Escalations as usize] = t.escalations as f64;
        r[PublicSpending as usize] = t.public;
        r[SocialFunds as usize] = t.social;
        r[EnterpriseFunds as usize] = t.enterprise;
        r[ResidentFunds as usize] = t.resident;
        r[Leverage as usize] = div(tot.enterprise + tot.social + tot.resident, tot.public);
        let alive = w.organisations.iter().filter(|o| o.alive);
        r[OrganisationsAlive as usize] = alive.clone().count() as f64;
        r[ServiceCapacity as usize] = alive.map(|o| o.capacity).sum();
        r[Volunteers as usize] = s.volunteers as f64;
        r[BondingCapital as usize] = w.capital[0];
        r[BridgingCapital as usize] = w.capital[1];
        r[LinkingCapital as usize] = w.capital[2];
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
        r[ServiceTrips as usize] = t.service_trips;
        r[ServiceWaitDays as usize] = div(t.service_wait_sum, t.service_requests);
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
