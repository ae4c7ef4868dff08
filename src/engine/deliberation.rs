//! Phase 4, deliberation. Core rule: an issue that needs consent is put to its affected
//! households; each household's opinion is drawn around the issue's support with a spread
//! set by its contention, and consent is reached when the share of opinions ≥ 0.5 reaches
//! the issue's consent share (Choi & Robertson 2014). A failed vote stalls the issue; it is
//! voted again after `stall_days`, and fails after three votes.
//!
//! Forums ([`hold_forum`]) are held by the deliberation mechanism: participants exchange
//! opinions by bounded confidence (Deffuant et al. 2000), and the issue's support and
//! contention become those of the forum's final opinions.

use rand_distr::{Distribution, Normal};

use super::{Engine, Phase, spread_event};
use crate::issues::{Issue, Stage};
use crate::network::{Edge, TieKind};
use crate::rng::{self, Rng};
use crate::submodels::bounded_confidence;

/// Votes before a consent issue fails.
pub const MAX_VOTES: u32 = 3;
/// Opinions drawn for a vote at most (a sample of the affected households).
const MAX_SAMPLE: u32 = 400;

/// Runs the deliberation phase's core rule (consent votes).
pub fn run(e: &mut Engine) {
    let mut rng = e.issue_rng(Phase::Deliberation);
    let tick = e.world.tick;
    let stall = e.scenario.residents.stall_days;
    let mut opinions = Vec::new();
    let crate::world::World { issues, places, .. } = &mut e.world;
    for issue in issues.iter_mut().filter(|i| i.stage == Stage::Consent) {
        let due = issue.votes == 0 || tick >= issue.stage_since + stall;
        if !due {
            continue;
        }
        let n = issue.households.clamp(1, MAX_SAMPLE);
        draw_opinions(issue, n as usize, &mut opinions, &mut rng);
        let support = bounded_confidence::support_share(&opinions);
        issue.votes += 1;
        e.record.tally.votes += 1;
        issue.stage_since = tick;
        if support >= issue.consent_share as f64 {
            issue.consent = true;
            issue.participated = true;
            issue.stage = Stage::Funding;
            e.record.tally.consents += 1;
        } else if issue.votes >= MAX_VOTES {
            e.record.close(issue, false, tick, places);
        }
    }
}

/// Standard deviation of opinions for a contention level.
pub fn opinion_sd(contention: f32) -> f64 {
    0.1 + 0.4 * contention as f64
}

/// Draws `n` opinions around the issue's support, clipped to [0, 1].
pub fn draw_opinions(issue: &Issue, n: usize, out: &mut Vec<f64>, rng: &mut Rng) {
    out.clear();
    let normal = Normal::new(issue.support as f64, opinion_sd(issue.contention)).ok();
    for _ in 0..n {
        let x = normal
            .map(|d| d.sample(rng))
            .unwrap_or(issue.support as f64);
        out.push(x.clamp(0.0, 1.0));
    }
}

/// Settings of one forum.
#[derive(Debug, Clone, Copy)]
pub struct ForumSettings {
    /// Participants.
    pub size: usize,
    /// Confidence bound ε.
    pub eps: f64,
    /// Convergence rate μ.
    pub mu: f64,
    /// Encounters per participant.
    pub rounds: usize,
    /// Trust gained per day of contact by the affected buildings (voice, procedural justice).
    pub trust_contact: f32,
    /// Probability that two participants from different buildings form a tie.
    pub tie_probability: f64,
}

/// Holds a forum on `issue`: draws participants' opinions, lets them exchange by bounded
/// confidence, and sets the issue's support and contention from the result. Returns the
/// number of seats.
#[allow(clippy::too_many_arguments)]
pub fn hold_forum(
    issue: &mut Issue,
    f: &ForumSettings,
    places: &crate::world::places::Places,
    contact: &mut [f32],
    tally: &mut super::Tally,
    new_ties: &mut Vec<Edge>,
    scratch: &mut Vec<f64>,
    tick: u32,
    rng: &mut Rng,
) -> u32 {
    let affected = (issue.residents.end - issue.residents.start) as usize;
    let size = f.size.min(affected.max(2));
    draw_opinions(issue, size, scratch, rng);
    bounded_confidence::complete_round(scratch, size * f.rounds, f.eps, f.mu, rng);
    let mean = scratch.iter().sum::<f64>() / size as f64;
    let sd = (scratch.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / size as f64).sqrt();
    issue.support = mean as f32;
    issue.contention = ((sd - 0.1) / 0.4).clamp(0.0, 1.0) as f32;
    issue.forums += 1;
    issue.last_forum = Some(tick);
    issue.participated = true;
    tally.forums += 1;
    tally.forum_seats += size as u64;
    spread_event(issue, places, |b, w| contact[b] += f.trust_contact * w);
    // Deliberating together forms ties between participants (重塑社区联结).
    for _ in 0..size {
        if rng::unit_f64(rng) < f.tie_probability {
            let a = issue.residents.start + rng::index(rng, affected) as u32;
            let b = issue.residents.start + rng::index(rng, affected) as u32;
            if a != b {
                let same = places.buildings.starts.partition_point(|&s| s <= a)
                    == places.buildings.starts.partition_point(|&s| s <= b);
                new_ties.push(Edge {
                    a,
                    b,
                    kind: if same {
                        TieKind::Bonding
                    } else {
                        TieKind::Bridging
                    },
                });
            }
        }
    }
    size as u32
}
