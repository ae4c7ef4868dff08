//! # 政社联动 Government–society linkage (`government_society`)
//!
//! The government buys services from social organisations and funds them, in rounds every
//! `period` days. When the linkage starts, foundations pay their endowment
//! (`foundation_endowment_per_resident`) into the foundation pool.
//!
//! * Purchase of services: each round moves `purchase_per_resident` from the district
//!   budget to the service-purchase pool, which pays an organisation's fee for every case
//!   it completes; known issues are routed with probability `purchase_routing` to an
//!   organisation of their community and domain that has room (best reputation first).
//! * Venture philanthropy (公益创投): each round the district and the streets
//!   (`venture_street_share`) put `venture_per_resident` into the venture fund, granted to
//!   `venture_projects_per_100k` projects: a share `founding_share` founds a new
//!   organisation, the others fund a living one, whose paid capacity grows with the grant.
//!   Foundations match each granted yuan with `foundation_match` yuan from their endowment
//!   into the social pool, which covers up to `social_cover_share` of an issue's cost.
//! * Golden ideas (金点子): each round moves `golden_idea_per_resident` from the district
//!   budget into the contest's fund. An active resident proposes each idea: it takes up an
//!   open issue of the proposer's building or grid not yet in work, funds it (up to
//!   `golden_idea_grant`), and puts it in the hands of a matching organisation of the
//!   community (else the community), implemented with residents. Each idea is a proposal,
//!   a constructive act.

use crate::engine::routing::{self, has_room, matching_organisation, org_queues};
use crate::engine::{Ctx, Mechanism, Phase};
use crate::issues::Stage;
use crate::rng;
use crate::scenario::mechanisms::GovernmentSociety;
use crate::world::money::{Outside, Pool, cents, share_of};
use crate::world::organisations::{found, pick_domain};

/// The mechanism.
pub struct GovernmentSocietyLinkage {
    p: GovernmentSociety,
}

/// The mechanism with its parameters.
pub fn new(p: &GovernmentSociety) -> GovernmentSocietyLinkage {
    GovernmentSocietyLinkage { p: p.clone() }
}

impl Mechanism for GovernmentSocietyLinkage {
    fn phases(&self) -> &'static [Phase] {
        &[Phase::Detection, Phase::Routing, Phase::Resourcing]
    }

    fn init(&mut self, ctx: &mut Ctx<'_>) {
        let n = ctx.world.residents.len() as f64;
        let endowment = cents(self.p.foundation_endowment_per_resident * n);
        ctx.world.ledger.receive(Pool::Foundation, Outside::Endowment, endowment);
    }

    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>) {
        let round = ctx.day() % self.p.period.max(1) == 0;
        match phase {
            Phase::Detection if round => self.golden_ideas(ctx),
            Phase::Routing => self.purchase_routing(ctx),
            Phase::Resourcing => {
                if round {
                    self.purchase(ctx);
                    self.venture(ctx);
                }
                self.social_cover(ctx);
            }
            _ => {}
        }
    }
}

impl GovernmentSocietyLinkage {
    fn purchase_routing(&self, ctx: &mut Ctx<'_>) {
        let s = ctx.scenario;
        let tick = ctx.world.tick;
        let caps = routing::organisation_capacities(ctx.world, s);
        let mut queued = org_queues(ctx.world);
        let w = &mut *ctx.world;
        for issue in w.issues.iter_mut().filter(|i| i.stage == Stage::Known && !i.top_down) {
            if rng::unit_f64(ctx.rng) >= self.p.purchase_routing {
                continue;
            }
            let room = |k: usize| has_room(caps[k], queued[k], s);
            if let Some(k) = matching_organisation(issue, &w.organisations, room) {
                queued[k] += 1;
                routing::refer(issue, k, s, tick);
            }
        }
    }

    fn purchase(&self, ctx: &mut Ctx<'_>) {
        let n = ctx.world.residents.len() as f64;
        let amount = cents(self.p.purchase_per_resident * n);
        ctx.world.ledger.transfer(Pool::District, Pool::ServicePurchase, amount);
    }

    fn venture(&self, ctx: &mut Ctx<'_>) {
        let s = ctx.scenario;
        let w = &mut *ctx.world;
        let n = w.residents.len() as f64;
        let total = self.p.venture_per_resident * n;
        w.ledger.transfer(Pool::District, Pool::VentureFund, cents(total * (1.0 - self.p.venture_street_share)));
        for st in 0..w.places.streets.len() {
            let share = self.p.venture_per_resident * w.places.streets.size(st) as f64 * self.p.venture_street_share;
            w.ledger.transfer(Pool::Street(st as u32), Pool::VentureFund, cents(share));
        }
        let projects = rng::round_random(self.p.venture_projects_per_100k * n / 1e5, ctx.rng) as u32;
        if projects == 0 {
            return;
        }
        let grant = w.ledger.balance(Pool::VentureFund) / projects as i64;
        let alive: Vec<usize> = (0..w.organisations.len()).filter(|&k| w.organisations[k].alive).collect();
        let mut granted = 0;
        for _ in 0..projects {
            let k = if alive.is_empty() || rng::unit_f64(ctx.rng) < self.p.founding_share {
                let c = w.residents.community[rng::index(ctx.rng, w.residents.len())] as u32;
                let d = pick_domain(s, ctx.rng);
                found(w, s, c, d, ctx.rng) as usize
            } else {
                alive[rng::index(ctx.rng, alive.len())]
            };
            let o = &mut w.organisations[k];
            let paid = w.ledger.transfer_to_agent(Pool::VentureFund, Pool::Organisations, &mut o.funds, grant);
            o.paid_capacity += paid as f64 / 100.0 * s.organisations.growth_per_yuan;
            granted += paid;
        }
        w.ledger.transfer(Pool::Foundation, Pool::Social, share_of(granted, self.p.foundation_match));
    }

    fn social_cover(&self, ctx: &mut Ctx<'_>) {
        let w = &mut *ctx.world;
        for issue in w.issues.iter_mut().filter(|i| i.stage == Stage::Funding) {
            let want = (share_of(issue.cost, self.p.social_cover_share) - issue.funding.social).min(issue.unfunded());
            if want > 0 {
                w.ledger.fund_issue(Pool::Social, issue, want);
            }
        }
    }

    fn golden_ideas(&self, ctx: &mut Ctx<'_>) {
        let s = ctx.scenario;
        let tick = ctx.world.tick;
        let w = &mut *ctx.world;
        let n = w.residents.len() as f64;
        w.ledger.transfer(Pool::District, Pool::GoldenIdeas, cents(self.p.golden_idea_per_resident * n));
        let grant = cents(self.p.golden_idea_grant);
        let ideas = rng::round_random(w.ledger.balance(Pool::GoldenIdeas) as f64 / grant.max(1) as f64, ctx.rng) as usize;
        let caps = routing::organisation_capacities(w, s);
        let queued = org_queues(w);
        for _ in 0..ideas * 4 {
            if w.ledger.balance(Pool::GoldenIdeas) <= 0 {
                break;
            }
            // A proposer: an active resident drawn at random.
            let i = rng::index(ctx.rng, w.residents.len());
            if !w.residents.active[i] {
                continue;
            }
            let (b, g) = (w.residents.building[i], w.residents.grid[i]);
            let places = &w.places;
            let open = w.issues.iter().position(|is| {
                matches!(is.stage, Stage::Latent | Stage::Known | Stage::Funding)
                    && !is.top_down
                    && is.unfunded() > 0
                    && {
                        let first = places.buildings.starts.partition_point(|&x| x <= is.residents.start) - 1;
                        first as u32 == b || places.building_grid[first] == g
                    }
            });
            let Some(k) = open else { continue };
            ctx.record.proposal();
            let issue = &mut w.issues[k];
            issue.participated = true;
            let want = issue.unfunded().min(grant).min(w.ledger.balance(Pool::GoldenIdeas));
            w.ledger.fund_issue(Pool::GoldenIdeas, issue, want);
            if matches!(issue.stage, Stage::Latent | Stage::Known) {
                ctx.record.detect(issue, tick);
                let room = |j: usize| has_room(caps[j], queued[j], s);
                if let Some(j) = matching_organisation(issue, &w.organisations, room) {
                    routing::refer(issue, j, s, tick);
                }
            }
        }
    }
}
