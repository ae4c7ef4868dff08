//! # 协商 Deliberation: multi-level, node-triggered, platform forums (`deliberation`)
//!
//! Forums are held on contested or consent-requiring issues. Each forum seats
//! `forum_size` affected residents (plus the extra seats other linkages add), who exchange
//! opinions by bounded confidence with bound `eps` (plus facilitation) and rate `mu` for
//! `rounds` encounters each (Deffuant et al. 2000); the issue's support and contention
//! become those of the forum, its affected buildings gain institutional trust
//! `trust_contact` (voice), and participants may form ties. Regular forums: every
//! `forum_period` days each community takes up to `forums_per_round` of its open issues that
//! need consent or have contention ≥ `contention_threshold`. Node-triggered forums at five
//! moments (五时五议), at most one per issue every `node_cooldown` days: a major project
//! starts; strong public reaction (mean grievance of the affected ≥ `reaction_grievance`);
//! early signs of a major event (would-be petitioners ≥ `early_warning` of the affected);
//! a hot topic (online sentiment of the community ≥ `hot_topic`); a legacy issue (open for
//! ≥ `legacy_days`). Multi-level: an escalated issue's forum is larger by
//! (1 + escalations) and its bound wider by `level_eps` per level.

use crate::engine::deliberation::{ForumSettings, hold_forum};
use crate::engine::{Ctx, Phase};
use crate::issues::Issue;
use crate::mechanisms::{Mechanism, MechanismParams, check_period};
use crate::scenario::{Problem, Scenario};
use crate::scenario::limits::TICKS;
use crate::section;

section! {
    /// `[mechanisms.deliberation]`.
    pub struct Deliberation {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Days between regular forums in each community.
        pub forum_period: u32 = 30, "days", Range(0.0, TICKS);
        /// Issues a community's regular forum takes up.
        pub forums_per_round: u32 = 3, "count", Range(0.0, 100.0);
        /// Contention from which an issue goes to a forum.
        pub contention_threshold: f64 = 0.3, "index", Unit;
        /// Seats in a forum.
        pub forum_size: u32 = 30, "residents", Range(2.0, 1000.0);
        /// Confidence bound ε (Deffuant et al. 2000).
        pub eps: f64 = 0.25, "opinion", Range(0.0, 1.0);
        /// Convergence rate μ.
        pub mu: f64 = 0.3, "ratio", Range(0.0, 0.5);
        /// Encounters per participant.
        pub rounds: u32 = 10, "count", Range(1.0, 100.0);
        /// Trust the affected buildings gain from a forum (voice).
        pub trust_contact: f64 = 0.02, "index", Unit;
        /// Mean grievance of the affected that signals a strong public reaction.
        pub reaction_grievance: f64 = 0.2, "index", Unit;
        /// Share of would-be petitioners among the affected that signals an early warning.
        pub early_warning: f64 = 0.04, "share", Unit;
        /// Online sentiment of a community that makes a hot topic.
        pub hot_topic: f64 = 0.3, "index", Unit;
        /// Days open after which an issue is a legacy issue.
        pub legacy_days: u32 = 120, "days", Range(0.0, TICKS);
        /// Days between node-triggered forums on the same issue.
        pub node_cooldown: u32 = 30, "days", Range(0.0, TICKS);
        /// Widening of ε per escalation level.
        pub level_eps: f64 = 0.05, "opinion", Range(0.0, 1.0);
    }
}

impl MechanismParams for Deliberation {
    fn problems(&self, _s: &Scenario, path: &str) -> Vec<Problem> {
        let mut p = check_period(&format!("{path}.forum_period"), self.forum_period);
        p.extend(check_period(&format!("{path}.node_cooldown"), self.node_cooldown));
        p
    }
    fn build(&self) -> Box<dyn Mechanism> {
        Box::new(DeliberationMechanism { p: self.clone(), opinions: Vec::new(), taken: Vec::new() })
    }
}

struct DeliberationMechanism {
    p: Deliberation,
    opinions: Vec<f64>,
    taken: Vec<u32>,
}

impl DeliberationMechanism {
    /// Which of the five node moments (五时五议), if any, calls for a forum on `issue` now.
    fn node_trigger(&self, issue: &Issue, ctx: &Ctx<'_>) -> bool {
        let w = &*ctx.world;
        let tick = w.tick;
        if issue.last_forum.is_some_and(|t| tick < t + self.p.node_cooldown) || !issue.is_known() {
            return false;
        }
        let project_start = issue.top_down && issue.forums == 0;
        let (mut grievance, mut would) = (0.0f64, 0.0f64);
        crate::engine::spread_event(issue, &w.places, |b, share| {
            grievance += w.stats.buildings[b].grievance as f64 * share as f64;
            would += w.stats.buildings[b].would_petition as f64 * share as f64;
        });
        let affected = (issue.residents.end - issue.residents.start).max(1) as f64;
        let reaction = grievance / affected >= self.p.reaction_grievance;
        let warning = would / affected >= self.p.early_warning;
        let hot = w.sentiment[issue.community as usize] as f64 >= self.p.hot_topic;
        let legacy = tick >= issue.arisen + self.p.legacy_days;
        project_start || reaction || warning || hot || legacy
    }
}

impl Mechanism for DeliberationMechanism {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Deliberation]
    }

    fn act(&mut self, _phase: Phase, ctx: &mut Ctx<'_>) {
        let tick = ctx.world.tick;
        let regular_day = ctx.day() % self.p.forum_period.max(1) == 0;
        let nc = ctx.world.places.communities.len();
        self.taken.clear();
        self.taken.resize(nc, 0);
        let lv = &*ctx.levers;
        let base_size = self.p.forum_size as f64 * (1.0 + lv.forum_extra_participants);
        let eps = (self.p.eps + lv.forum_eps_bonus).min(1.0);
        let tie_probability = ctx.scenario.network.formation_probability;
        for k in 0..ctx.world.issues.len() {
            let issue = &ctx.world.issues[k];
            if !issue.is_open() || !issue.is_known() {
                continue;
            }
            let contested = issue.consent_share > 0.0 && !issue.consent || issue.contention as f64 >= self.p.contention_threshold;
            let regular = regular_day && contested && self.taken[issue.community as usize] < self.p.forums_per_round;
            if !(regular || contested && self.node_trigger(issue, ctx)) {
                continue;
            }
            if regular {
                self.taken[issue.community as usize] += 1;
            }
            let level = issue.escalations as f64;
            let settings = ForumSettings {
                size: (base_size * (1.0 + level)).round() as usize,
                eps: (eps + self.p.level_eps * level).min(1.0),
                mu: self.p.mu,
                rounds: self.p.rounds as usize,
                trust_contact: self.p.trust_contact as f32,
                tie_probability,
            };
            let w = &mut *ctx.world;
            hold_forum(
                &mut w.issues[k],
                &settings,
                &w.places,
                &mut ctx.levers.contact,
                &mut ctx.record.tally,
                &mut w.new_ties,
                &mut self.opinions,
                tick,
                ctx.rng,
            );
        }
    }
}
