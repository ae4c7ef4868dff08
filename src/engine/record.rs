//! What the phases record: this tick's [`Tally`], the run's cumulative tally, per-community
//! counts, and this tick's per-building [`Events`], which the resident phase turns into
//! trust, efficacy and satisfaction. Closing and detecting issues go through here, so each
//! outcome is counted in one place.

use super::spread_event;
use crate::issues::{Issue, Stage};
use crate::world::places::Places;

macro_rules! tally {
    ($($(#[doc = $doc:literal])* $field:ident : $ty:ty,)*) => {
        /// Counts and sums of one tick; summed over ticks, of the run so far. Counts are
        /// 64-bit: a run's (residents × days) and even a busy day's (forum seats, pledging
        /// households) may pass 2^32.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct Tally {
            $($(#[doc = $doc])* pub $field: $ty,)*
        }

        impl Tally {
            /// Adds another tally to this one.
            pub fn add(&mut self, o: &Tally) {
                $(self.$field += o.$field;)*
            }
        }
    };
}

tally! {
    /// Issues that arose.
    arisen: u64,
    /// Issues resolved.
    resolved: u64,
    /// Issues failed.
    failed: u64,
    /// Issues escalated.
    escalations: u64,
    /// Complaints.
    complaints: u64,
    /// Constructive reports and proposals.
    reports: u64,
    /// Forum seats taken.
    forum_seats: u64,
    /// Households that pledged co-funding.
    pledges: u64,
    /// Collective petitions.
    petitions: u64,
    /// Forums held.
    forums: u64,
    /// Consents reached.
    consents: u64,
    /// Consent votes held.
    votes: u64,
    /// Issues detected.
    detected: u64,
    /// High-complexity issues resolved.
    high_resolved: u64,
    /// High-complexity issues failed.
    high_failed: u64,
    /// Public money spent.
    public: f64,
    /// Social money spent.
    social: f64,
    /// Enterprise money spent.
    enterprise: f64,
    /// Resident money spent.
    resident: f64,
    /// Routine-service trips.
    service_trips: f64,
    /// Routine requests served.
    service_requests: f64,
    /// Sum of waits of routine requests served.
    service_wait_sum: f64,
    /// Sum of days to resolution of issues resolved.
    resolution_days: f64,
    /// Sum of days to detection of issues detected.
    detection_days: f64,
}

impl Tally {
    /// All money spent, from every pool.
    pub fn money(&self) -> f64 {
        self.public + self.social + self.enterprise + self.resident
    }
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

/// Outcomes per community over the whole run.
#[derive(Debug, Clone, Default)]
pub struct CommunityCounts {
    /// Issues resolved.
    pub resolved: Vec<u64>,
    /// Issues failed.
    pub failed: Vec<u64>,
    /// Collective petitions.
    pub petitions: Vec<u64>,
}

/// Everything the phases record about what happened.
#[derive(Debug, Clone)]
pub struct Record {
    /// This tick's counts.
    pub tally: Tally,
    /// The run's counts up to and including the last observed tick.
    pub cumulative: Tally,
    /// Outcomes per community.
    pub community: CommunityCounts,
    /// This tick's per-building events.
    pub events: Events,
    high_complexity: f32,
}

impl Record {
    /// An empty record for `buildings` buildings and `communities` communities; issues at
    /// or above `high_complexity` count as high-complexity.
    pub fn new(buildings: usize, communities: usize, high_complexity: f32) -> Record {
        let per_building = vec![0.0; buildings];
        let per_community = vec![0.0; communities];
        Record {
            tally: Tally::default(),
            cumulative: Tally::default(),
            community: CommunityCounts {
                resolved: vec![0; communities],
                failed: vec![0; communities],
                petitions: vec![0; communities],
            },
            events: Events {
                good: per_building.clone(),
                bad: per_building.clone(),
                success: per_building.clone(),
                failure: per_building,
                community_score: per_community.clone(),
                community_closed: per_community,
            },
            high_complexity,
        }
    }

    /// Clears this tick's tally and events.
    pub fn start_tick(&mut self) {
        self.tally = Tally::default();
        let e = &mut self.events;
        for v in [
            &mut e.good,
            &mut e.bad,
            &mut e.success,
            &mut e.failure,
            &mut e.community_score,
            &mut e.community_closed,
        ] {
            v.fill(0.0);
        }
    }

    /// Adds this tick's tally to the run's.
    pub fn end_tick(&mut self) {
        self.cumulative.add(&self.tally);
    }

    /// Marks a latent issue known at `tick` and counts its detection delay.
    pub fn detect(&mut self, issue: &mut Issue, tick: u32) {
        if issue.stage != Stage::Latent {
            return;
        }
        issue.detected = Some(tick);
        issue.stage = Stage::Known;
        issue.stage_since = tick;
        self.tally.detected += 1;
        self.tally.detection_days += (tick - issue.arisen) as f64;
    }

    /// Closes an issue as resolved or failed: counts it, and records the per-building
    /// events and the community's outcome score.
    pub fn close(&mut self, issue: &mut Issue, resolved: bool, tick: u32, places: &Places) {
        issue.stage = if resolved {
            Stage::Resolved
        } else {
            Stage::Failed
        };
        issue.closed = Some(tick);
        let high = issue.complexity >= self.high_complexity;
        let c = issue.community as usize;
        let t = &mut self.tally;
        if resolved {
            t.resolved += 1;
            t.resolution_days += (tick - issue.arisen) as f64;
            t.high_resolved += high as u64;
            self.community.resolved[c] += 1;
        } else {
            t.failed += 1;
            t.high_failed += high as u64;
            self.community.failed[c] += 1;
        }
        // Residents judge performance by outcomes and by speed (Van Ryzin 2004).
        let score = if resolved {
            (-((tick - issue.arisen) as f32) / 180.0).exp()
        } else {
            0.1
        };
        let e = &mut self.events;
        e.community_score[c] += score;
        e.community_closed[c] += 1.0;
        spread_event(issue, places, |b, w| {
            let (outcome, efficacy) = if resolved {
                (&mut e.good, &mut e.success)
            } else {
                (&mut e.bad, &mut e.failure)
            };
            outcome[b] += w;
            if issue.participated {
                efficacy[b] += w;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_add_field_by_field() {
        let mut a = Tally {
            resolved: 2,
            public: 1.5,
            ..Tally::default()
        };
        a.add(&Tally {
            resolved: 3,
            public: 0.5,
            votes: 1,
            ..Tally::default()
        });
        assert_eq!((a.resolved, a.public, a.votes), (5, 2.0, 1));
    }
}
