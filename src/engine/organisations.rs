//! Phase 8, organisations and enterprises. Living organisations pay their running costs;
//! idle ones lose members; one with no funds and fewer than `min_members` members dies.
//! New grassroots organisations are born as a Poisson process. Enterprises' resources for
//! community work renew at the start of each year.

use super::{DomainSpec, Engine, Phase};
use crate::engine::arrivals::draw_poisson;
use crate::network::{Edge, TieKind};
use crate::rng::{self, Purpose, Rng};
use crate::scenario::Scenario;
use crate::world::World;
use crate::world::institutions::Organisation;
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
    for org in e.world.organisations.iter_mut().filter(|o| o.alive) {
        org.funds = (org.funds - o.running_cost).max(0.0);
        org.idle_days += 1;
        if org.idle_days > 30
            && org.members > 0
            && rng::unit_f64(&mut rng) < o.member_loss * org.members as f64
        {
            org.members -= 1;
        }
        if org.funds <= 0.0 && org.members < o.min_members {
            org.alive = false;
        }
    }
    let births = draw_poisson(o.birth_rate / 365.0, &mut rng);
    for _ in 0..births {
        let c = rng::index(&mut rng, e.world.places.communities.len()) as u32;
        let domain = pick_domain_of(&e.domains, &mut rng);
        let funds = o.initial_funds;
        found_organisation(&mut e.world, s, c, domain, funds, &mut rng);
    }
    if tick > 0 && tick % super::resourcing::YEAR == 0 {
        let renew = s.enterprises.resources;
        e.world
            .enterprises
            .iter_mut()
            .for_each(|en| en.resources = renew);
    }
}

/// A domain that organisations can serve: one with arrivals, not a top-down project.
pub fn pick_domain_of(domains: &[DomainSpec], rng: &mut Rng) -> u16 {
    let candidates: Vec<u16> = domains
        .iter()
        .enumerate()
        .filter(|(_, d)| d.params.rate > 0.0 && !d.params.top_down)
        .map(|(k, _)| k as u16)
        .collect();
    if candidates.is_empty() {
        0
    } else {
        candidates[rng::index(rng, candidates.len())]
    }
}

/// Founds an organisation in community `c`: recruits members among residents of the
/// community who belong to none (engaged residents first, by a draw weighted toward
/// engagement) and ties them to each other. Returns its index.
pub fn found_organisation(
    w: &mut World,
    s: &Scenario,
    c: u32,
    domain: u16,
    funds: f64,
    rng: &mut Rng,
) -> u32 {
    let o = &s.organisations;
    let id = w.organisations.len() as u32;
    let want = u32::try_from(draw_poisson(o.members, rng)).unwrap_or(u32::MAX);
    let range = w.places.communities.residents(c as usize);
    let len = (range.end - range.start) as usize;
    let mut members: Vec<u32> = Vec::with_capacity((want as usize).min(len));
    let mut tries = 0u32;
    while (members.len() as u32) < want && tries < want.saturating_mul(20) && len > 0 {
        tries += 1;
        let i = range.start + rng::index(rng, len) as u32;
        let iu = i as usize;
        if w.residents.organisation[iu] == u32::MAX
            && rng::unit_f32(rng) < w.residents.engagement[iu] * 2.0
        {
            w.residents.organisation[iu] = id;
            w.residents.roles[iu] |= role::ORG_MEMBER;
            members.push(i);
        }
    }
    let deg = s.network.org_member_degree;
    if members.len() > 1 {
        for &a in &members {
            for _ in 0..draw_poisson(deg / 2.0, rng) {
                let b = members[rng::index(rng, members.len())];
                if a != b {
                    let kind =
                        if w.residents.building[a as usize] == w.residents.building[b as usize] {
                            TieKind::Bonding
                        } else {
                            TieKind::Bridging
                        };
                    w.new_ties.push(Edge { a, b, kind });
                }
            }
        }
    }
    w.organisations.push(Organisation {
        community: c,
        domain,
        capacity: o.capacity,
        professionalism: o.professionalism.sample(rng).clamp(0.0, 1.0),
        funds,
        reputation: 0.5,
        members: members.len() as u32,
        alive: true,
        credit: 0.0,
        idle_days: 0,
    });
    id
}

#[cfg(test)]
mod tests {
    use crate::engine::testkit::quiet_engine;
    use crate::world::institutions::Organisation;

    /// An organisation dies when it has no funds and fewer than `min_members` members; funds
    /// or members keep it alive.
    #[test]
    fn organisations_die_without_funds_and_members() {
        let mut e = quiet_engine();
        let min = e.scenario.organisations.min_members;
        let org = |funds: f64, members: u32| Organisation {
            community: 0,
            domain: 0,
            capacity: 0.1,
            professionalism: 0.5,
            funds,
            reputation: 0.5,
            members,
            alive: true,
            credit: 0.0,
            idle_days: 0,
        };
        e.world.organisations = vec![org(0.0, min - 1), org(1e6, 0), org(0.0, min + 5)];
        super::run(&mut e);
        let alive: Vec<bool> = e
            .world
            .organisations
            .iter()
            .take(3)
            .map(|o| o.alive)
            .collect();
        assert_eq!(alive, vec![false, true, true]);
    }
}
