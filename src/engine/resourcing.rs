//! Phase 5, resourcing. Budgets are allocated at the start of each year, before any phase
//! of that tick runs (so mechanisms acting on day 0 already find the year's budget). An issue waiting
//! for funds draws, in order: resident co-funding (conditional cooperation with a critical
//! mass: Fischbacher, Gächter & Fehr 2001; Oliver, Marwell & Teixeira 1985), enterprise
//! money (the matchmaking pool, else a local enterprise that answers with a probability
//! scaled by its social orientation), social money (up to the share the levers allow), and
//! public money from its handler's budget upward. Fully funded issues start work; an issue
//! that waits longer than `funding_patience` fails.

use super::{Engine, Phase, Tally};
use crate::issues::{Issue, Stage};
use crate::rng::{self, Rng};
use crate::scenario::Scenario;
use crate::world::institutions::{Enterprise, Handler, Ledger, Pool};
use crate::world::places::Places;
use crate::world::{PlaceStats, World};

/// Days in a budget year.
pub const YEAR: u32 = 365;

/// Runs the resourcing phase's core rule.
pub fn run(e: &mut Engine) {
    let mut rng = e.issue_rng(Phase::Resourcing);
    let tick = e.world.tick;
    let s: &Scenario = &e.scenario;
    let social_share = e.levers.social_cover_share;
    let bonus = e.levers.enterprise_response_bonus;
    let World {
        issues,
        ledger,
        enterprises,
        stats,
        places,
        ..
    } = &mut e.world;
    for issue in issues.iter_mut().filter(|i| i.stage == Stage::Funding) {
        if !issue.asked {
            issue.asked = true;
            ask_residents(issue, s, places, stats, &mut e.record.tally, ledger);
            ask_enterprises(
                issue,
                s,
                bonus,
                enterprises,
                ledger,
                &mut e.record.tally,
                &mut rng,
            );
        }
        let need = (issue.cost - issue.funding.total()).max(0.0);
        if need > 0.0 && social_share > 0.0 {
            let want = (issue.cost * social_share - issue.funding.social)
                .max(0.0)
                .min(need);
            let paid = ledger.social.spend(want);
            pay(issue, &mut e.record.tally, Source::Social, paid);
        }
        let need = (issue.cost - issue.funding.total()).max(0.0);
        if need > 0.0 {
            let paid = pay_public(issue, ledger, need);
            pay(issue, &mut e.record.tally, Source::Public, paid);
        }
        if issue.funding.total() >= issue.cost - 1e-6 {
            issue.stage = Stage::Working;
            issue.stage_since = tick;
            issue.work_left = issue.duration;
        } else if tick >= issue.stage_since + s.issues.funding_patience {
            e.record.close(issue, false, tick, places);
        }
    }
}

/// Puts a year's public budgets into the pools.
pub fn allocate_budgets(ledger: &mut Ledger, s: &Scenario) {
    ledger.district.allocate(s.government.district_budget);
    ledger
        .streets
        .iter_mut()
        .for_each(|p| p.allocate(s.government.street_budget));
    ledger
        .communities
        .iter_mut()
        .for_each(|p| p.allocate(s.government.community_budget));
}

/// Where money for an issue comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Public budgets.
    Public,
    /// Social organisations and philanthropy.
    Social,
    /// Enterprises.
    Enterprise,
    /// Residents.
    Resident,
}

/// Commits `amount` (already taken from its pool) to `issue` and counts it in the tally.
pub fn pay(issue: &mut Issue, tally: &mut Tally, source: Source, amount: f64) {
    let f = &mut issue.funding;
    let (into, flow) = match source {
        Source::Public => (&mut f.public, &mut tally.public),
        Source::Social => (&mut f.social, &mut tally.social),
        Source::Enterprise => (&mut f.enterprise, &mut tally.enterprise),
        Source::Resident => (&mut f.resident, &mut tally.resident),
    };
    *into += amount;
    *flow += amount;
}

/// Public money from the handler's budget upward (community → street → district).
fn pay_public(issue: &Issue, ledger: &mut Ledger, need: f64) -> f64 {
    let mut paid = 0.0;
    let mut take = |pool: &mut Pool| paid += pool.spend(need - paid);
    match issue.handler {
        Handler::Community => {
            take(&mut ledger.communities[issue.community as usize]);
            take(&mut ledger.streets[issue.street as usize]);
        }
        Handler::Street => take(&mut ledger.streets[issue.street as usize]),
        Handler::Department | Handler::Organisation => {}
    }
    take(&mut ledger.district);
    paid
}

/// Resident co-funding as a public good: unconditional cooperators always give, conditional
/// cooperators give in proportion to what they believe others give (their neighbour trust),
/// free riders never; nothing is provided below the critical mass.
fn ask_residents(
    issue: &mut Issue,
    s: &Scenario,
    places: &Places,
    stats: &PlaceStats,
    tally: &mut Tally,
    ledger: &mut Ledger,
) {
    if issue.resident_share <= 0.0 || issue.cost <= 0.0 {
        return;
    }
    let br = crate::engine::detection::building_range(places, issue);
    let people = (places.buildings.starts[br.end] - places.buildings.starts[br.start]).max(1);
    let belief = stats.buildings[br]
        .iter()
        .map(|s| s.trust_neighbour as f64)
        .sum::<f64>()
        / people as f64;
    let i = &s.issues;
    let unconditional = (1.0 - i.conditional_cooperators - i.free_riders).max(0.0);
    let givers = unconditional + i.conditional_cooperators * belief;
    if givers < i.critical_mass {
        return;
    }
    let full = (1.0 - i.free_riders).max(1e-9);
    let pledged = issue.cost * issue.resident_share as f64 * (givers / full).min(1.0);
    ledger.resident.allocate(pledged);
    let paid = ledger.resident.spend(pledged);
    pay(issue, tally, Source::Resident, paid);
    issue.participated = true;
    tally.pledges += (givers * issue.households as f64).round() as u64;
}

/// Enterprise money: the matchmaking pool first, then one local enterprise, which pays with a
/// probability scaled by its social orientation.
#[allow(clippy::too_many_arguments)]
fn ask_enterprises(
    issue: &mut Issue,
    s: &Scenario,
    bonus: f64,
    enterprises: &mut [Enterprise],
    ledger: &mut Ledger,
    tally: &mut Tally,
    rng: &mut Rng,
) {
    let want = issue.cost * issue.enterprise_share as f64;
    if want <= 0.0 {
        return;
    }
    let pooled = ledger.enterprise.spend(want);
    pay(issue, tally, Source::Enterprise, pooled);
    let rest = want - pooled;
    if rest <= 0.0 {
        return;
    }
    let property = issue.scope <= crate::world::places::Scope::Building;
    let local: Vec<usize> = enterprises
        .iter()
        .enumerate()
        .filter(|(_, en)| {
            en.community == issue.community && en.property == property && en.resources > 0.0
        })
        .map(|(k, _)| k)
        .collect();
    if local.is_empty() {
        return;
    }
    let k = local[rng::index(rng, local.len())];
    let en = &mut enterprises[k];
    let p = (s.issues.enterprise_base_response * 2.0 * en.orientation + bonus).min(1.0);
    if rng::unit_f64(rng) < p {
        let pledge = rest.min(en.resources);
        en.resources -= pledge;
        ledger.enterprise.allocate(pledge);
        let paid = ledger.enterprise.spend(pledge);
        pay(issue, tally, Source::Enterprise, paid);
        issue.enterprise = k as u32;
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::testkit::{push_issue, quiet_engine};
    use crate::issues::Stage;
    use crate::world::places::Scope;

    /// Residents co-fund only above the critical mass: conditional cooperators give as far
    /// as they trust their neighbours (Fischbacher et al. 2001; Oliver et al. 1985).
    #[test]
    fn resident_cofunding_needs_the_critical_mass() {
        let pledged = |neighbour_trust: f32| {
            let mut e = quiet_engine();
            let k = push_issue(&mut e, "elevator_retrofit", Scope::Building, 0);
            e.world.issues[k].stage = Stage::Funding;
            let people = e.world.places.buildings.size(0) as f32;
            e.world.stats.buildings[0].trust_neighbour = neighbour_trust * people;
            super::allocate_budgets(&mut e.world.ledger, &e.scenario.clone());
            super::run(&mut e);
            e.world.issues[k].funding.resident
        };
        // Unconditional 0.17 + 0.5 × trust: 0.17 < 0.3 at trust 0, 0.67 at trust 1.
        assert_eq!(pledged(0.0), 0.0);
        assert!(pledged(1.0) > 0.0);
    }

    /// Money taken from the pools is what the issues receive and what the tally counts.
    #[test]
    fn public_money_moves_from_pools_to_issues() {
        let mut e = quiet_engine();
        let k = push_issue(&mut e, "maintenance", Scope::Building, 0);
        e.world.issues[k].stage = Stage::Funding;
        super::allocate_budgets(&mut e.world.ledger, &e.scenario.clone());
        let before: f64 = e.world.ledger.pools().map(|p| p.remaining()).sum();
        super::run(&mut e);
        let after: f64 = e.world.ledger.pools().map(|p| p.remaining()).sum();
        let funded = e.world.issues[k].funding.total();
        assert!(funded > 0.0);
        assert!((before - after - e.record.tally.money()).abs() < 1e-6);
        assert!((e.record.tally.money() - funded).abs() < 1e-6);
        assert_eq!(e.world.issues[k].stage, Stage::Working);
    }
}
