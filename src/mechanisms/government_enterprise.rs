//! # 政企联动 Government–enterprise linkage (`government_enterprise`)
//!
//! Every `matchmaking_period` days the streets hold a matchmaking session (资本相亲会): in
//! each street the `matches_per_session` local enterprises with the highest social
//! orientation pledge `pledge_share` of their remaining resources to the enterprise pool,
//! from which issues' enterprise shares are paid. Property companies co-operate with owners:
//! an enterprise asked to pay its share answers with `cooperation` more probability.

use crate::engine::{Ctx, Phase};
use crate::mechanisms::{Mechanism, MechanismParams, check_period};
use crate::scenario::{Problem, Scenario};
use crate::scenario::limits::{RESIDENTS, TICKS};
use crate::section;

section! {
    /// `[mechanisms.government_enterprise]`.
    pub struct GovernmentEnterprise {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Days between matchmaking sessions.
        pub matchmaking_period: u32 = 90, "days", Range(0.0, TICKS);
        /// Enterprises matched per street per session.
        pub matches_per_session: u32 = 10, "count", Range(0.0, RESIDENTS);
        /// Share of its remaining resources a matched enterprise pledges.
        pub pledge_share: f64 = 0.4, "share", Unit;
        /// Extra probability that an enterprise pays its share when asked.
        pub cooperation: f64 = 0.3, "probability", Unit;
    }
}

impl MechanismParams for GovernmentEnterprise {
    fn problems(&self, _s: &Scenario, path: &str) -> Vec<Problem> {
        check_period(&format!("{path}.matchmaking_period"), self.matchmaking_period)
    }
    fn build(&self) -> Box<dyn Mechanism> {
        Box::new(self.clone())
    }
}

impl Mechanism for GovernmentEnterprise {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Resourcing]
    }

    fn act(&mut self, _phase: Phase, ctx: &mut Ctx<'_>) {
        ctx.levers.enterprise_response_bonus += self.cooperation;
        if ctx.day() % self.matchmaking_period.max(1) != 0 {
            return;
        }
        let w = &mut *ctx.world;
        for street in 0..w.ledger.streets.len() as u32 {
            let mut local: Vec<usize> = (0..w.enterprises.len())
                .filter(|&k| w.places.community_street[w.enterprises[k].community as usize] == street && w.enterprises[k].resources > 0.0)
                .collect();
            local.sort_by(|&a, &b| w.enterprises[b].orientation.total_cmp(&w.enterprises[a].orientation).then(a.cmp(&b)));
            for &k in local.iter().take(self.matches_per_session as usize) {
                let en = &mut w.enterprises[k];
                let pledge = en.resources * self.pledge_share;
                en.resources -= pledge;
                w.ledger.enterprise.allocate(pledge);
            }
        }
    }
}
