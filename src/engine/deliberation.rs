//! Phase 4, deliberation. Core rule: the affected talk contested issues over with the
//! residents they are tied to (everyday bounded-confidence talk, [`opinions::talk`]). An
//! issue that needs consent is put to its households when its handler takes it: consent is
//! reached when the share of households that agree reaches the issue's consent share
//! (Choi & Robertson 2014); a failed vote stalls the issue, which is voted again after
//! `stall_days` and fails after [`MAX_VOTES`] votes.
//!
//! Forums ([`hold_forum`]) are held by the deliberation mechanism: participants change
//! their opinions by bounded confidence, the affected buildings gain institutional trust
//! (voice), and participants use and form ties.

use super::{Engine, Phase, opinions};
use crate::issues::{Issue, Stage};
use crate::network::Edge;
use crate::rng::{self, Rng};
use crate::world::World;
use crate::world::organisations::kind_between;

/// Votes before a consent issue fails.
pub const MAX_VOTES: u32 = 3;

/// Runs the deliberation phase's core rule.
pub fn run(e: &mut Engine) {
    let mut rng = e.issue_rng(Phase::Deliberation);
    let tick = e.world.tick;
    let r = &e.scenario.residents;
    let (stall, p_talk, eps, mu) = (r.stall_days, r.opinion_talk, r.opinion_eps, r.opinion_mu);
    let World {
        issues,
        places,
        network,
        ..
    } = &mut e.world;
    for issue in issues.iter_mut().filter(|i| i.is_open()) {
        opinions::talk(issue, network, p_talk, eps, mu, &mut rng);
        if issue.stage != Stage::Consent {
            continue;
        }
        let due = issue.votes == 0 || tick >= issue.stage_since + stall;
        if !due {
            continue;
        }
        let agree = opinions::household_agreement(issue, places).unwrap_or(1.0);
        issue.votes += 1;
        e.record.vote();
        issue.stage_since = tick;
        if agree >= issue.consent_share as f64 {
            issue.consent = true;
            issue.deliberated = Some(tick);
            issue.participated = true;
            issue.stage = Stage::Funding;
            e.record.consent_reached();
        } else if issue.votes >= MAX_VOTES {
            e.record.consent_failed();
            e.record.close(issue, false, tick, places);
        }
    }
}

/// Settings of one forum.
#[derive(Debug, Clone, Copy)]
pub struct ForumSettings {
    /// Participants.
    pub size: usize,
    /// The compromise a facilitator argues for, when one sits in.
    pub facilitator: Option<f32>,
    /// Confidence bound ε.
    pub eps: f64,
    /// Convergence rate μ.
    pub mu: f64,
    /// Encounters per participant.
    pub rounds: usize,
    /// Trust gained per day of contact by the affected buildings (voice, procedural justice).
    pub trust_contact: f32,
    /// Probability that two participants who are not tied form a tie.
    pub tie_probability: f64,
}

/// Buffers a forum reuses.
#[derive(Debug, Clone, Default)]
pub struct ForumScratch {
    seats: Vec<u32>,
    opinions: Vec<f64>,
}

/// Holds a forum on issue `k` among its affected residents in `pool`: participants exchange
/// opinions (which persist), the pool's buildings gain trust (voice), participants use the
/// ties among them and may form new ones. Returns the number of seats.
pub fn hold_forum(
    w: &mut World,
    k: usize,
    pool: std::ops::Range<u32>,
    f: &ForumSettings,
    scratch: &mut ForumScratch,
    rng: &mut Rng,
) -> u32 {
    let tick = w.tick;
    let issue: &mut Issue = &mut w.issues[k];
    opinions::forum(
        issue,
        pool.clone(),
        f.size,
        f.eps,
        f.mu,
        f.rounds,
        f.facilitator,
        &mut scratch.seats,
        &mut scratch.opinions,
        rng,
    );
    issue.forums += 1;
    issue.last_forum = Some(tick);
    let trust = &mut w.contacts.trust;
    let b0 = w
        .places
        .buildings
        .starts
        .partition_point(|&s| s <= pool.start)
        - 1;
    let b1 = w.places.buildings.starts.partition_point(|&s| s < pool.end);
    for t in &mut trust[b0..b1.max(b0 + 1)] {
        *t += f.trust_contact;
    }
    let seats = &scratch.seats;
    // Sitting together uses the ties among participants and may form new ones
    // (重塑社区联结).
    w.network
        .touch_among(seats, tick.min(u16::MAX as u32) as u16);
    if seats.len() > 1 {
        for &a in seats.iter() {
            if rng::unit_f64(rng) < f.tie_probability {
                let b = seats[rng::index(rng, seats.len())];
                if a != b && !w.network.has_tie(a, b) {
                    let kind = kind_between(w, a, b);
                    w.new_ties.push(Edge { a, b, kind });
                }
            }
        }
    }
    seats.len() as u32
}
