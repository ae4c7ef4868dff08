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
    /// Issues that failed for lack of money (funding patience ran out).
    failed_unfunded: u64,
    /// Issues that failed because they stayed open longer than `max_open_days`.
    failed_expired: u64,
    /// Issues escalated after a failed attempt.
    escalations: u64,
    /// Issues passed on because their handler could not take them in time.
    handoffs: u64,
    /// Complaints.
    complaints: u64,
    /// Issue reports by residents.
    reports: u64,
    /// Proposals by residents (golden ideas).
    proposals: u64,
    /// Volunteer acts: a volunteer's patrol finding or fixing an issue.
    volunteer_acts: u64,
    /// Households that pledged co-funding.
    pledges: u64,
    /// Forum seats taken.
    forum_seats: u64,
    /// Collective petitions.
    petitions: u64,
    /// Collective petitions about top-down projects.
    project_petitions: u64,
    /// Forums held.
    forums: u64,
    /// Consent-requiring issues that reached consent.
    consents: u64,
    /// Consent-requiring issues that failed for lack of consent.
    consents_failed: u64,
    /// Consent votes held.
    votes: u64,
    /// Issues detected.
    detected: u64,
    /// High-complexity issues resolved.
    high_resolved: u64,
    /// High-complexity issues failed.
    high_failed: u64,
    /// Routine requests made.
    service_requests: u64,
    /// Trips to service halls.
    service_trips: u64,
    /// Routine requests completed.
    service_completed: u64,
    /// Days from request to completion, summed over completed requests.
    service_days: u64,
    /// Sum of days to resolution of issues resolved.
    resolution_days: f64,
    /// Sum of days to resolution of high-complexity issues resolved.
    high_resolution_days: f64,
    /// Sum of days to detection of issues detected.
    detection_days: f64,
}

impl Tally {
    /// Constructive acts: reports, proposals, volunteer acts and co-funding pledges (not
    /// attendance).
    pub fn constructive(&self) -> u64 {
        self.reports + self.proposals + self.volunteer_acts + self.pledges
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
    /// Whether closed issues are kept in `closed` (for `issues.csv`).
    pub keep_closed: bool,
    /// Issues closed since the caller last drained this (only with `keep_closed`).
    pub closed: Vec<Issue>,
    issues_numbered: u64,
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
            keep_closed: false,
            closed: Vec::new(),
            issues_numbered: 0,
            high_complexity,
        }
    }

    /// Gives a new issue its id: the number of issues that arose before it in the run
    /// (warm-up included, so ids are unique).
    pub fn number(&mut self, issue: &mut Issue) {
        issue.id = self.issues_numbered;
        self.issues_numbered += 1;
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

    /// Forgets the run's counts so far: cumulative counts cover recorded days only.
    pub fn reset_cumulative(&mut self) {
        self.cumulative = Tally::default();
        for v in [
            &mut self.community.resolved,
            &mut self.community.failed,
            &mut self.community.petitions,
        ] {
            v.fill(0);
        }
    }

    /// A resident reported an issue.
    pub fn report(&mut self) {
        self.tally.reports += 1;
    }

    /// A resident made a proposal.
    pub fn proposal(&mut self) {
        self.tally.proposals += 1;
    }

    /// `n` volunteer acts.
    pub fn volunteered(&mut self, n: u32) {
        self.tally.volunteer_acts += n as u64;
    }

    /// `n` households pledged co-funding.
    pub fn pledged(&mut self, n: u32) {
        self.tally.pledges += n as u64;
    }

    /// A consent vote was held.
    pub fn vote(&mut self) {
        self.tally.votes += 1;
    }

    /// An issue reached consent.
    pub fn consent_reached(&mut self) {
        self.tally.consents += 1;
    }

    /// An issue failed for lack of consent.
    pub fn consent_failed(&mut self) {
        self.tally.consents_failed += 1;
    }

    /// An issue is about to fail for lack of money.
    pub fn unfunded(&mut self) {
        self.tally.failed_unfunded += 1;
    }

    /// An issue is about to fail for having stayed open too long.
    pub fn expired(&mut self) {
        self.tally.failed_expired += 1;
    }

    /// An issue was passed on for lack of capacity.
    pub fn handoff(&mut self) {
        self.tally.handoffs += 1;
    }

    /// An issue was escalated after a failed attempt.
    pub fn escalation(&mut self) {
        self.tally.escalations += 1;
    }

    /// A forum with `seats` participants was held.
    pub fn forum(&mut self, seats: u32) {
        self.tally.forums += 1;
        self.tally.forum_seats += seats as u64;
    }

    /// `n` routine requests were made.
    pub fn service_requests(&mut self, n: u64) {
        self.tally.service_requests += n;
    }

    /// What the service halls did today.
    pub fn service_day(&mut self, d: &crate::world::services::ServiceDay) {
        self.tally.service_trips += d.trips;
        self.tally.service_completed += d.completed;
        self.tally.service_days += d.days;
    }

    /// `issue` became a collective petition: counted, and a bad experience for the
    /// affected buildings.
    pub fn petition(&mut self, issue: &Issue, places: &Places) {
        self.tally.petitions += 1;
        self.tally.project_petitions += issue.top_down as u64;
        self.community.petitions[issue.community as usize] += 1;
        let bad = &mut self.events.bad;
        spread_event(issue, places, |b, share| bad[b] += share);
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
            if high {
                t.high_resolution_days += (tick - issue.arisen) as f64;
            }
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
        if self.keep_closed {
            self.closed.push(issue.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_add_field_by_field() {
        let mut a = Tally {
            resolved: 2,
            resolution_days: 1.5,
            ..Tally::default()
        };
        a.add(&Tally {
            resolved: 3,
            resolution_days: 0.5,
            votes: 1,
            ..Tally::default()
        });
        assert_eq!((a.resolved, a.resolution_days, a.votes), (5, 2.0, 1));
    }
}
