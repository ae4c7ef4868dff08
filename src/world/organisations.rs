//! Founding organisations: shared by the world's build, the organisations phase and the
//! mechanisms that incubate or fund new ones.

use crate::network::{Edge, TieKind};
use crate::rng::{self, Rng};
use crate::scenario::{Domain, Scenario};
use crate::world::World;
use crate::world::institutions::{NONE, Organisation};
use crate::world::residents::role;

/// The domains organisations can serve: those with arrivals that are not top-down projects.
pub fn serviceable_domains<'a>(domains: impl Iterator<Item = &'a Domain>) -> Vec<u16> {
    domains
        .enumerate()
        .filter(|(_, d)| d.rate > 0.0 && !d.top_down)
        .map(|(k, _)| k as u16)
        .collect()
}

/// A serviceable domain drawn uniformly (0 when there is none).
pub fn pick_domain(s: &Scenario, rng: &mut Rng) -> u16 {
    let candidates = serviceable_domains(s.domains.values());
    if candidates.is_empty() {
        0
    } else {
        candidates[rng::index(rng, candidates.len())]
    }
}

/// Founds an organisation with no funds in community `c`: recruits about
/// `organisations.members` members among residents of the community who belong to none
/// (a draw weighted toward engagement) and ties them to each other. Its funds come from
/// whoever founds it, through the ledger. Returns its index.
pub fn found(w: &mut World, s: &Scenario, c: u32, domain: u16, rng: &mut Rng) -> u32 {
    let o = &s.organisations;
    let id = w.organisations.len() as u32;
    let want = rng::poisson(o.members, rng) as u32;
    let mut members: Vec<u32> = Vec::with_capacity(want as usize);
    for _ in 0..want {
        if let Some(i) = recruit(w, c, id, rng) {
            members.push(i);
        }
    }
    let deg = s.network.org_member_degree;
    if members.len() > 1 {
        for &a in &members {
            for _ in 0..rng::poisson(deg / 2.0, rng) {
                let b = members[rng::index(rng, members.len())];
                if a != b {
                    w.new_ties.push(Edge {
                        a,
                        b,
                        kind: kind_between(w, a, b),
                    });
                }
            }
        }
    }
    w.organisations.push(Organisation {
        community: c,
        domain,
        professionalism: o.professionalism.sample_unit(rng),
        paid_capacity: 0.0,
        funds: 0,
        reputation: 0.5,
        members: {
            members.sort_unstable();
            members
        },
        alive: true,
        credit: 0.0,
    });
    id
}

/// Recruits one resident of community `c` who belongs to no organisation into `org`: a few
/// draws, each accepted with probability 2 × engagement (engaged residents join first).
/// Returns the recruit, if one was found.
pub fn recruit(w: &mut World, c: u32, org: u32, rng: &mut Rng) -> Option<u32> {
    let range = w.places.communities.residents(c as usize);
    let len = (range.end - range.start) as usize;
    if len == 0 {
        return None;
    }
    for _ in 0..20 {
        let i = range.start + rng::index(rng, len) as u32;
        let iu = i as usize;
        if w.residents.organisation[iu] == NONE
            && rng::unit_f32(rng) < w.residents.engagement[iu] * 2.0
        {
            w.residents.organisation[iu] = org;
            w.residents.roles[iu] |= role::ORG_MEMBER;
            return Some(i);
        }
    }
    None
}

/// Bonding within a building, bridging across buildings.
pub fn kind_between(w: &World, a: u32, b: u32) -> TieKind {
    if w.residents.building[a as usize] == w.residents.building[b as usize] {
        TieKind::Bonding
    } else {
        TieKind::Bridging
    }
}
