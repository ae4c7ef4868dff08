//! Phase 5, resourcing. A new budget year starts before any phase of its first tick: the
//! unspent public budgets of the last year lapse to the treasury and enterprises' unused
//! resources return to them; then the year's public budgets are appropriated per resident
//! (district, each street, each community), enterprises receive the year's resources for
//! community work, and organisations their members' dues.
//!
//! An issue waiting for funds asks its residents (conditional cooperation with a critical
//! mass: Fischbacher, Gächter & Fehr 2001; Oliver, Marwell & Teixeira 1985) and one local
//! enterprise (which answers with a probability scaled by its social orientation), again
//! every `ask_again_days`; public money covers at most the domain's `public_share` of the
//! cost, from the handler's budget upward. A fully funded issue starts work; one that waits
//! longer than `funding_patience` fails for lack of money.

use super::{Engine, Phase};
use crate::issues::{Issue, Stage};
use crate::rng::{self, Rng};
use crate::scenario::Scenario;
use crate::world::World;
use crate::world::institutions::{Enterprise, Handler};
use crate::world::money::{Cents, Ledger, Outside, Pool, cents, share_of};
use crate::world::places::Places;
use crate::world::{PlaceStats, places::Scope};

/// Days in a budget year.
pub const YEAR: u32 = 365;

/// Starts a budget year (see the module docs).
pub fn new_budget_year(w: &mut World, s: &Scenario) {
    let l = &mut w.ledger;
    if w.tick > 0 {
        l.lapse_public();
        for en in w.enterprises.iter_mut() {
            let left = en.resources;
            l.agent_pay_out(
                Pool::Enterprises,
                &mut en.resources,
                Outside::EnterpriseRevenue,
                left,
            );
        }
    }
    let g = &s.government;
    let p = &w.places;
    let per = |rate: f64, residents: u32| cents(rate * residents as f64);
    let n = p.communities.starts.last().copied().unwrap_or(0);
    l.receive(
        Pool::District,
        Outside::Treasury,
        per(g.district_budget_per_resident, n),
    );
    for st in 0..p.streets.len() {
        let amount = per(g.street_budget_per_resident, p.streets.size(st));
        l.receive(Pool::Street(st as u32), Outside::Treasury, amount);
    }
    for c in 0..p.communities.len() {
        let amount = per(g.community_budget_per_resident, p.communities.size(c));
        l.receive(Pool::Community(c as u32), Outside::Treasury, amount);
    }
    let resources = cents(s.enterprises.resources);
    for en in w.enterprises.iter_mut() {
        l.agent_receive(
            Pool::Enterprises,
            &mut en.resources,
            Outside::EnterpriseRevenue,
            resources,
        );
    }
    for o in w.organisations.iter_mut().filter(|o| o.alive) {
        let dues = cents(s.organisations.dues * o.members.len() as f64);
        l.agent_receive(Pool::Organisations, &mut o.funds, Outside::MemberDues, dues);
    }
}

/// Runs the resourcing phase's core rule.
pub fn run(e: &mut Engine) {
    let mut rng = e.issue_rng(Phase::Resourcing);
    let tick = e.world.tick;
    let s: &Scenario = &e.scenario;
    let World {
        issues,
        ledger,
        enterprises,
        stats,
        places,
        network,
        ..
    } = &mut e.world;
    for issue in issues.iter_mut().filter(|i| i.stage == Stage::Funding) {
        let due = issue
            .asked
            .is_none_or(|t| tick >= t + s.issues.ask_again_days);
        if due {
            if issue.asked.is_none() {
                let pledges = ask_residents(issue, s, places, stats, ledger);
                if pledges > 0 {
                    e.record.pledged(pledges);
                    // Co-funders act together: their ties are used.
                    network.touch_within(issue.residents.clone(), tick.min(u16::MAX as u32) as u16);
                }
            }
            issue.asked = Some(tick);
            ask_enterprise(issue, s, enterprises, ledger, &mut rng);
        }
        let want = (share_of(issue.cost, issue.public_share as f64) - issue.funding.public)
            .min(issue.unfunded());
        if want > 0 {
            pay_public(issue, ledger, want);
        }
        if issue.unfunded() == 0 {
            issue.stage = Stage::Working;
            issue.stage_since = tick;
            issue.funded = Some(tick);
            issue.work_left = issue.duration;
        } else if tick >= issue.stage_since + s.issues.funding_patience {
            e.record.unfunded();
            e.record.close(issue, false, tick, places);
        }
    }
}

/// Public money from the handler's budget upward (community → street → district).
fn pay_public(issue: &mut Issue, ledger: &mut Ledger, want: Cents) {
    let mut pools = Vec::with_capacity(3);
    match issue.handler {
        Handler::Community | Handler::Organisation => {
            pools.push(Pool::Community(issue.community));
            pools.push(Pool::Street(issue.street));
        }
        Handler::Street => pools.push(Pool::Street(issue.street)),
        // Sunk staff are the department's: their work is paid from the district's budget.
        Handler::Department | Handler::Platform => {}
    }
    pools.push(Pool::District);
    let mut left = want;
    for p in pools {
        if left <= 0 {
            break;
        }
        left -= ledger.fund_issue(p, issue, left);
    }
}

/// Resident co-funding. A household pays its own share of a household's need. Above the
/// household it is a public good: unconditional cooperators always give, conditional
/// cooperators give in proportion to what they believe others give (their neighbour trust),
/// free riders never; below the critical mass nothing is provided, above it the givers
/// cover the residents' share. Returns the households that pledged.
fn ask_residents(
    issue: &mut Issue,
    s: &Scenario,
    places: &Places,
    stats: &PlaceStats,
    ledger: &mut Ledger,
) -> u32 {
    if issue.resident_share <= 0.0 || issue.cost <= 0 {
        return 0;
    }
    if issue.scope == Scope::Household {
        let own = share_of(issue.cost, issue.resident_share as f64).min(issue.unfunded());
        ledger.receive(Pool::Residents, Outside::Households, own);
        ledger.fund_issue(Pool::Residents, issue, own);
        return 1;
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
        return 0;
    }
    // A provision point (Oliver, Marwell & Teixeira 1985): once enough give, the givers
    // cover the residents' share among themselves.
    let pledged = share_of(issue.cost, issue.resident_share as f64).min(issue.unfunded());
    ledger.receive(Pool::Residents, Outside::Households, pledged);
    ledger.fund_issue(Pool::Residents, issue, pledged);
    issue.participated = true;
    (givers * issue.households as f64).round() as u32
}

/// One local enterprise (a property company for a building's issue, else a business) is
/// asked for the issue's enterprise share; it pays from its own resources with probability
/// `enterprise_base_response` × 2 × its social orientation.
fn ask_enterprise(
    issue: &mut Issue,
    s: &Scenario,
    enterprises: &mut [Enterprise],
    ledger: &mut Ledger,
    rng: &mut Rng,
) {
    let want = (share_of(issue.cost, issue.enterprise_share as f64) - issue.funding.enterprise)
        .min(issue.unfunded());
    if want <= 0 {
        return;
    }
    let property = issue.scope <= Scope::Building;
    let local: Vec<usize> = enterprises
        .iter()
        .enumerate()
        .filter(|(_, en)| {
            en.community == issue.community && en.property == property && en.resources > 0
        })
        .map(|(k, _)| k)
        .collect();
    if local.is_empty() {
        return;
    }
    let k = local[rng::index(rng, local.len())];
    let en = &mut enterprises[k];
    let p = (s.issues.enterprise_base_response * 2.0 * en.orientation).min(1.0);
    if rng::unit_f64(rng) < p {
        ledger.agent_fund_issue(Pool::Enterprises, &mut en.resources, issue, want);
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
            super::new_budget_year(&mut e.world, &e.scenario.clone());
            super::run(&mut e);
            e.world.issues[k].funding.resident
        };
        // Unconditional 0.17 + 0.5 × trust: 0.17 < 0.3 at trust 0, 0.67 at trust 1.
        assert_eq!(pledged(0.0), 0);
        assert!(pledged(1.0) > 0);
    }

    /// Money leaves the pools only as what the issues receive, and the ledger identity
    /// holds; public money covers at most the domain's public share.
    #[test]
    fn public_money_moves_from_pools_to_issues_within_the_public_share() {
        let mut e = quiet_engine();
        let k = push_issue(&mut e, "maintenance", Scope::Building, 0);
        let j = push_issue(&mut e, "elevator_retrofit", Scope::Building, 1);
        for i in [k, j] {
            e.world.issues[i].stage = Stage::Funding;
            e.world.issues[i].resident_share = 0.0;
            e.world.issues[i].enterprise_share = 0.0;
        }
        e.world.ledger.start_tick();
        super::new_budget_year(&mut e.world, &e.scenario.clone());
        let before: i64 = e
            .world
            .ledger
            .pools()
            .map(|p| e.world.ledger.balance(p))
            .sum();
        super::run(&mut e);
        let after: i64 = e
            .world
            .ledger
            .pools()
            .map(|p| e.world.ledger.balance(p))
            .sum();
        let funded: i64 = [k, j]
            .iter()
            .map(|&i| e.world.issues[i].funding.total())
            .sum();
        assert!(funded > 0);
        assert_eq!(before - after, funded, "to the cent");
        e.world.ledger.check_identity().unwrap();
        assert_eq!(e.world.issues[k].stage, Stage::Working);
        let elevator = &e.world.issues[j];
        assert_eq!(
            elevator.stage,
            Stage::Funding,
            "the rest must come from others"
        );
        let cap = (elevator.cost as f64 * elevator.public_share as f64).round() as i64;
        assert!(elevator.funding.public > 0 && elevator.funding.public <= cap);
    }
}
