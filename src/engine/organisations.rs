//! Phase 8, organisations. Living organisations pay their running costs from their funds.
//! Members come and go: each member leaves with probability `member_loss` a day (twice that
//! while the organisation has no funds), and an organisation recruits a member of its
//! community with probability `recruit_probability` × (0.5 + reputation) a day, so good
//! work attracts members. An organisation with fewer than `min_members` members dissolves:
//! its members are free again, its funds return to them, its social workers go back to
//! their community's station. New grassroots organisations are founded as a Poisson
//! process per resident, with founders' money.

use super::{Engine, Phase};
use crate::network::Edge;
use crate::rng::{self, Purpose, Rng};
use crate::scenario::Scenario;
use crate::world::World;
use crate::world::institutions::NONE;
use crate::world::money::{Outside, Pool, cents};
use crate::world::organisations::{found, kind_between, pick_domain, recruit};
use crate::world::residents::role;

/// Runs the organisations phase's core rule.
pub fn run(e: &mut Engine) {
    let tick = e.world.tick;
    let mut rng = rng::stream(
        e.seed,
        Purpose::Organisations,
        tick as u64,
        Phase::Organisations as u64,
    );
    let s: &Scenario = &e.scenario;
    let o = &s.organisations;
    let w = &mut e.world;
    let cost = cents(o.running_cost);
    for k in 0..w.organisations.len() {
        if !w.organisations[k].alive {
            continue;
        }
        let org = &mut w.organisations[k];
        w.ledger.agent_pay_out(
            Pool::Organisations,
            &mut org.funds,
            Outside::RunningCosts,
            cost,
        );
        let loss = if org.funds > 0 {
            o.member_loss
        } else {
            2.0 * o.member_loss
        };
        let mut m = 0;
        while m < org.members.len() {
            if rng::unit_f64(&mut rng) < loss {
                let i = org.members.swap_remove(m) as usize;
                w.residents.organisation[i] = NONE;
                w.residents.roles[i] &= !role::ORG_MEMBER;
            } else {
                m += 1;
            }
        }
        org.members.sort_unstable();
        let p_recruit = o.recruit_probability * (0.5 + org.reputation as f64);
        if rng::unit_f64(&mut rng) < p_recruit {
            let c = org.community;
            join(w, s, c, k as u32, &mut rng);
        }
        if w.organisations[k].members.len() < o.min_members as usize {
            dissolve(w, k);
        }
    }
    let n = w.residents.len() as f64;
    let births = rng::poisson(o.birth_rate_per_100k * n / 1e5 / 365.0, &mut rng);
    for _ in 0..births {
        // A resident drawn at random founds it: communities in proportion to population.
        let founder = rng::index(&mut rng, w.residents.len());
        let c = w.residents.community[founder] as u32;
        let domain = pick_domain(s, &mut rng);
        let id = found(w, s, c, domain, &mut rng);
        let org = &mut w.organisations[id as usize];
        w.ledger.agent_receive(
            Pool::Organisations,
            &mut org.funds,
            Outside::Founders,
            cents(o.initial_funds),
        );
    }
}

/// A resident of community `c` joins organisation `org` and ties with a few members.
fn join(w: &mut World, s: &Scenario, c: u32, org: u32, rng: &mut Rng) {
    let Some(i) = recruit(w, c, org, rng) else {
        return;
    };
    let members = &w.organisations[org as usize].members;
    let ties = rng::poisson(s.network.org_member_degree, rng);
    if !members.is_empty() {
        for _ in 0..ties {
            let j = members[rng::index(rng, members.len())];
            let kind = kind_between(w, i, j);
            w.new_ties.push(Edge { a: i, b: j, kind });
        }
    }
    let members = &mut w.organisations[org as usize].members;
    let at = members.partition_point(|&m| m < i);
    members.insert(at, i);
}

/// Dissolves organisation `k` (see the module docs).
fn dissolve(w: &mut World, k: usize) {
    let org = &mut w.organisations[k];
    org.alive = false;
    for &i in &org.members {
        w.residents.organisation[i as usize] = NONE;
        w.residents.roles[i as usize] &= !role::ORG_MEMBER;
    }
    org.members.clear();
    let left = org.funds;
    w.ledger.agent_pay_out(
        Pool::Organisations,
        &mut org.funds,
        Outside::Dissolution,
        left,
    );
    for a in w.social_workers.organisation.iter_mut() {
        if *a == k as u32 {
            *a = NONE;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::testkit::quiet_engine;
    use crate::world::organisations::found;

    /// An organisation with fewer members than `min_members` dissolves, frees its members
    /// and returns its funds; one with enough members lives on.
    #[test]
    fn organisations_dissolve_below_the_minimum_membership() {
        let mut e = quiet_engine();
        let mut scenario = (*e.scenario).clone();
        scenario.organisations.recruit_probability = 0.0;
        e.scenario = std::sync::Arc::new(scenario);
        let s = e.scenario.clone();
        let mut rng = crate::rng::stream(1, crate::rng::Purpose::Organisations, 0, 0);
        let small = found(&mut e.world, &s, 0, 0, &mut rng) as usize;
        let big = found(&mut e.world, &s, 0, 0, &mut rng) as usize;
        let min = s.organisations.min_members as usize;
        e.world.organisations[small].members.truncate(min - 1);
        assert!(e.world.organisations[big].members.len() > min + 3);
        e.world.ledger.start_tick();
        super::run(&mut e);
        assert!(!e.world.organisations[small].alive);
        assert!(e.world.organisations[big].alive);
        assert!(e.world.organisations[small].members.is_empty());
        e.world.ledger.check_identity().unwrap();
    }
}
