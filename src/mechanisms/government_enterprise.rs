//! # 政企联动 Government–enterprise linkage (`government_enterprise`)
//!
//! Every `matchmaking_period` days each street holds a matchmaking session (资本相亲会). The
//! community projects of the street still short of money (issues waiting for funds, the
//! longest-waiting first) are paired with `matches_per_10k` local enterprises per 10,000
//! residents of the street with the highest social orientation that have resources left: each matched
//! enterprise commits up to `pledge_share` of its remaining resources to its project,
//! paid straight into the project's work, so projects that would fail for lack of money
//! get done. Property companies at the session co-operate with owners: their social
//! orientation rises by `cooperation` × (1 − orientation).

use crate::engine::{Ctx, Mechanism, Phase};
use crate::issues::Stage;
use crate::rng;
use crate::scenario::mechanisms::GovernmentEnterprise;
use crate::world::money::{Pool, share_of};

/// The mechanism.
pub struct GovernmentEnterpriseLinkage {
    p: GovernmentEnterprise,
}

/// The mechanism with its parameters.
pub fn new(p: &GovernmentEnterprise) -> GovernmentEnterpriseLinkage {
    GovernmentEnterpriseLinkage { p: p.clone() }
}

impl Mechanism for GovernmentEnterpriseLinkage {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Resourcing]
    }

    fn act(&mut self, _phase: Phase, ctx: &mut Ctx<'_>) {
        if ctx.day() % self.p.matchmaking_period.max(1) != 0 {
            return;
        }
        let w = &mut *ctx.world;
        for street in 0..w.places.streets.len() as u32 {
            let mut projects: Vec<usize> = (0..w.issues.len())
                .filter(|&k| {
                    let i = &w.issues[k];
                    i.street == street && i.stage == Stage::Funding && i.unfunded() > 0
                })
                .collect();
            projects.sort_by_key(|&k| (w.issues[k].stage_since, k));
            let mut firms: Vec<usize> = (0..w.enterprises.len())
                .filter(|&k| {
                    let c = w.enterprises[k].community as usize;
                    w.places.community_street[c] == street && w.enterprises[k].resources > 0
                })
                .collect();
            firms.sort_by(|&a, &b| {
                w.enterprises[b].orientation.total_cmp(&w.enterprises[a].orientation).then(a.cmp(&b))
            });
            let size = w.places.streets.size(street as usize) as f64;
            let matches = rng::round_random(self.p.matches_per_10k * size / 1e4, ctx.rng);
            firms.truncate(matches as usize);
            for (&f, &k) in firms.iter().zip(projects.iter()) {
                let en = &mut w.enterprises[f];
                let issue = &mut w.issues[k];
                let want = share_of(en.resources, self.p.pledge_share).min(issue.unfunded());
                w.ledger.agent_fund_issue(Pool::Enterprises, &mut en.resources, issue, want);
                issue.enterprise = f as u32;
            }
            for &f in &firms {
                let en = &mut w.enterprises[f];
                if en.property {
                    en.orientation += self.p.cooperation * (1.0 - en.orientation);
                }
            }
        }
    }
}
