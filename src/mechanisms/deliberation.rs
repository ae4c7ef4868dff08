//! # 协商 Deliberation: multi-level, node-triggered, platform forums (`deliberation`)
//!
//! Forums are held on contested issues: those needing consent that have not reached it and
//! those whose contention (the spread of the affected's opinions) is at least
//! `contention_threshold`. A forum round on an issue holds a meeting in each affected
//! building (楼道议事; multi-level deliberation reaches a whole community this way). Each
//! meeting seats `forum_size` of the building's affected residents, more where an online
//! platform's calls reach online residents, who exchange opinions by bounded confidence with
//! bound `eps` and rate `mu` for `rounds` encounters each (Deffuant et al. 2000). Their
//! opinions persist after the meeting and spread through everyday talk. Where a station
//! social worker with room in their caseload can facilitate (three-society linkage), the
//! bound widens and the facilitator argues for a workable compromise. The affected
//! buildings gain institutional trust `trust_contact` (voice); participants use the ties
//! among them and may form new ones. Regular forums: every `forum_period` days each
//! community takes up to `forums_per_round` of its contested issues. Node-triggered forums
//! at five moments (五时五议), at most one per issue every `node_cooldown` days: a major
//! project starts; strong public reaction (mean grievance of the affected ≥
//! `reaction_grievance`); early signs of a major event (would-be petitioners ≥
//! `early_warning` of the affected); a hot topic (online sentiment of the community ≥
//! `hot_topic`); a legacy issue (open for ≥ `legacy_days`). Multi-level: an escalated
//! issue's forum is larger by (1 + escalations) and its bound wider by `level_eps` per level.

use crate::engine::deliberation::{ForumScratch, ForumSettings, hold_forum};
use crate::engine::{Ctx, Mechanism, Phase, spread_event};
use crate::issues::Issue;
use crate::scenario::mechanisms::Deliberation;
use crate::world::World;
use crate::world::institutions::NONE;
use crate::world::residents::role;

/// The mechanism.
pub struct Forums {
    p: Deliberation,
    scratch: ForumScratch,
    taken: Vec<u32>,
}

/// The mechanism with its parameters.
pub fn new(p: &Deliberation) -> Forums {
    Forums {
        p: p.clone(),
        scratch: ForumScratch::default(),
        taken: Vec::new(),
    }
}

impl Forums {
    /// Whether one of the five node moments (五时五议) calls for a forum on `issue` now.
    fn node_trigger(&self, issue: &Issue, w: &World) -> bool {
        let tick = w.tick;
        if issue.last_forum.is_some_and(|t| tick < t + self.p.node_cooldown) || !issue.is_known() {
            return false;
        }
        let project_start = issue.top_down && issue.forums == 0;
        let (mut grievance, mut would) = (0.0f64, 0.0f64);
        spread_event(issue, &w.places, |b, share| {
            grievance += w.stats.buildings[b].grievance as f64 * share as f64;
            would += w.stats.buildings[b].would_petition as f64 * share as f64;
        });
        let affected = issue.residents.len().max(1) as f64;
        let reaction = grievance / affected >= self.p.reaction_grievance;
        let warning = would / affected >= self.p.early_warning;
        let hot = w.sentiment[issue.community as usize] as f64 >= self.p.hot_topic;
        let legacy = tick >= issue.arisen + self.p.legacy_days;
        project_start || reaction || warning || hot || legacy
    }

    fn contested(&self, issue: &Issue) -> bool {
        issue.opinions.is_some()
            && (issue.consent_share > 0.0 && !issue.consent
                || issue.current_contention() as f64 >= self.p.contention_threshold)
    }
}

impl Mechanism for Forums {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Deliberation]
    }

    fn act(&mut self, _phase: Phase, ctx: &mut Ctx<'_>) {
        let regular_day = ctx.day() % self.p.forum_period.max(1) == 0;
        let caseload = ctx.scenario.organisations.social_worker_caseload;
        let tie_probability = ctx.scenario.network.formation_probability;
        let w = &mut *ctx.world;
        let nc = w.places.communities.len();
        self.taken.clear();
        self.taken.resize(nc, 0);
        let facilitation = w.arrangements.forum_facilitation;
        let call_reach = w.arrangements.online_platform.map_or(0.0, |p| p.call_reach);
        for k in 0..w.issues.len() {
            let issue = &w.issues[k];
            if !issue.is_open() || !issue.is_known() || !self.contested(issue) {
                continue;
            }
            let c = issue.community as usize;
            let regular = regular_day && self.taken[c] < self.p.forums_per_round;
            if !(regular || self.node_trigger(issue, w)) {
                continue;
            }
            if regular {
                self.taken[c] += 1;
            }
            let level = issue.escalations as f64;
            let online_share = if call_reach > 0.0 {
                let online = issue
                    .residents
                    .clone()
                    .filter(|&i| w.residents.roles[i as usize] & role::ONLINE != 0)
                    .count();
                online as f64 / issue.residents.len().max(1) as f64
            } else {
                0.0
            };
            let facilitator = facilitation
                .filter(|_| w.social_workers.free(issue.community, NONE, caseload).is_some());
            let size = self.p.forum_size as f64 * (1.0 + call_reach * online_share) * (1.0 + level);
            let settings = ForumSettings {
                size: size.round() as usize,
                facilitator: facilitator.map(|f| f.compromise),
                eps: (self.p.eps + facilitator.map_or(0.0, |f| f.eps) + self.p.level_eps * level).min(1.0),
                mu: self.p.mu,
                rounds: self.p.rounds as usize,
                trust_contact: self.p.trust_contact as f32,
                tie_probability,
            };
            w.issues[k].facilitated = facilitator.is_some();
            // One meeting per affected building.
            let residents = w.issues[k].residents.clone();
            let buildings = w.places.buildings.len();
            let mut b = w.places.buildings.starts.partition_point(|&s| s <= residents.start) - 1;
            while b < buildings && w.places.buildings.starts[b] < residents.end {
                let r = w.places.buildings.residents(b);
                let pool = r.start.max(residents.start)..r.end.min(residents.end);
                b += 1;
                if pool.is_empty() {
                    continue;
                }
                let seats = hold_forum(w, k, pool, &settings, &mut self.scratch, ctx.rng);
                ctx.record.forum(seats);
            }
        }
    }
}
