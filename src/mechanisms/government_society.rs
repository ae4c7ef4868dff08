//! # 政社联动 Government–society linkage (`government_society`)
//!
//! The government buys services from social organisations and funds them through venture
//! philanthropy (公益创投) and the golden-idea contest (金点子), once every `period` days
//! from the district budget. Purchase of services: `purchase_budget` yuan shared among living
//! organisations, each growing its capacity by `organisations.growth_per_yuan` per yuan, and
//! known issues are routed to a matching organisation with probability `purchase_routing`.
//! Venture philanthropy: `venture_fund` yuan for `venture_projects` projects; a share
//! `founding_share` of projects founds a new organisation, the others fund a living one, and foundations match
//! each public yuan with `foundation_match` yuan into the social pool. Golden ideas:
//! `golden_idea_fund` yuan for `golden_ideas` resident proposals, each a constructive act. Social money may cover up to
//! `social_cover_share` of an issue's cost.

use crate::engine::organisations::{found_organisation, pick_domain_of};
use crate::engine::{Ctx, Phase};
use crate::mechanisms::{Mechanism, MechanismParams, check_period};
use crate::rng;
use crate::scenario::{Problem, Scenario};
use crate::scenario::limits::{RATIO, RESIDENTS, TICKS, YUAN};
use crate::section;

section! {
    /// `[mechanisms.government_society]`.
    pub struct GovernmentSociety {
        /// Switch.
        pub enabled: bool = false, "", Any;
        /// Days between funding rounds.
        pub period: u32 = 365, "days", Range(0.0, TICKS);
        /// Purchase of services per round.
        pub purchase_budget: f64 = 6_000_000.0, "yuan", Range(0.0, YUAN);
        /// Probability that a known issue is routed to an organisation by purchase.
        pub purchase_routing: f64 = 0.25, "probability", Unit;
        /// Venture-philanthropy fund per round. Seed: 5,000,000 yuan a year.
        pub venture_fund: f64 = 5_000_000.0, "yuan", Range(0.0, YUAN);
        /// Venture-philanthropy projects per round. Seed: about 64 a year.
        pub venture_projects: u32 = 64, "count", Range(0.0, 1000.0);
        /// Share of venture projects that found a new organisation (the rest fund a living
        /// one). Assumption: 公益创投 incubates new groups as well as growing old ones.
        pub founding_share: f64 = 0.25, "share", Unit;
        /// Social yuan matched per public venture yuan by foundations. Assumption.
        pub foundation_match: f64 = 0.5, "ratio", Range(0.0, RATIO);
        /// Golden-idea contest fund per round. Seed: 1,000,000 yuan a year.
        pub golden_idea_fund: f64 = 1_000_000.0, "yuan", Range(0.0, YUAN);
        /// Golden ideas funded per round. Assumption.
        pub golden_ideas: u32 = 50, "count", Range(0.0, RESIDENTS);
        /// Largest share of an issue's cost social money may cover.
        pub social_cover_share: f64 = 0.3, "share", Unit;
    }
}

impl MechanismParams for GovernmentSociety {
    fn problems(&self, _s: &Scenario, path: &str) -> Vec<Problem> {
        check_period(&format!("{path}.period"), self.period)
    }
    fn build(&self) -> Box<dyn Mechanism> {
        Box::new(self.clone())
    }
}

impl Mechanism for GovernmentSociety {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Routing, Phase::Resourcing]
    }

    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>) {
        if phase == Phase::Routing {
            ctx.levers.organisation_routing = (ctx.levers.organisation_routing + self.purchase_routing).min(1.0);
            return;
        }
        ctx.levers.social_cover_share += self.social_cover_share;
        if ctx.day() % self.period.max(1) != 0 {
            return;
        }
        let growth = ctx.scenario.organisations.growth_per_yuan;
        // Public money paid out to organisations counts as public spending.
        // Purchase of services.
        let alive: Vec<usize> = ctx.world.organisations.iter().enumerate().filter(|(_, o)| o.alive).map(|(k, _)| k).collect();
        if !alive.is_empty() {
            let paid = ctx.world.ledger.district.spend(self.purchase_budget);
            ctx.record.tally.public += paid;
            let each = paid / alive.len() as f64;
            for &k in &alive {
                let o = &mut ctx.world.organisations[k];
                o.funds += each;
                o.capacity += each * growth;
            }
        }
        // Venture philanthropy.
        if self.venture_projects > 0 {
            let paid = ctx.world.ledger.district.spend(self.venture_fund);
            ctx.record.tally.public += paid;
            ctx.world.ledger.social.allocate(paid * self.foundation_match);
            let grant = paid / self.venture_projects as f64;
            let alive: Vec<usize> = ctx
                .world
                .organisations
                .iter()
                .enumerate()
                .filter(|(_, o)| o.alive)
                .map(|(k, _)| k)
                .collect();
            for _ in 0..self.venture_projects {
                if alive.is_empty() || rng::unit_f64(ctx.rng) < self.founding_share {
                    let c = rng::index(ctx.rng, ctx.world.places.communities.len()) as u32;
                    let d = pick_domain_of(ctx.domains, ctx.rng);
                    found_organisation(ctx.world, ctx.scenario, c, d, grant, ctx.rng);
                } else {
                    let o = &mut ctx.world.organisations[alive[rng::index(ctx.rng, alive.len())]];
                    o.funds += grant;
                    o.capacity += grant * growth;
                }
            }
        }
        // Golden ideas: residents' proposals, funded for resident-led work.
        if self.golden_ideas > 0 {
            let paid = ctx.world.ledger.district.spend(self.golden_idea_fund);
            ctx.record.tally.public += paid;
            ctx.record.tally.reports += self.golden_ideas as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::engine::Engine;
    use crate::observer::Observer;
    use crate::scenario::Scenario;

    /// The funding round on the reform's first day is paid from that year's budget, also
    /// after a warm-up that does not end on a budget-year boundary.
    #[test]
    fn first_funding_round_is_paid_on_day_zero() {
        for warmup in [0, 100] {
            let mut s = Scenario::default();
            s.world.residents = 2000;
            s.world.streets = 1;
            s.world.communities = 2;
            s.world.grids = 4;
            s.world.organisations = 4;
            s.init.warmup = warmup;
            s.mechanisms.government_society.enabled = true;
            let mut e = Engine::new(Arc::new(s), 3);
            let mut obs = Observer::new(1, warmup);
            for _ in 0..warmup {
                e.step(&mut obs);
            }
            let before: f64 = e.world.organisations.iter().map(|o| o.funds).sum();
            e.step(&mut obs);
            let after: f64 = e.world.organisations.iter().map(|o| o.funds).sum();
            let gs = &e.scenario.mechanisms.government_society;
            assert!(
                after - before >= gs.purchase_budget * 0.99,
                "warm-up {warmup}: organisations received {} of the {} purchase budget",
                after - before,
                gs.purchase_budget
            );
        }
    }
}
