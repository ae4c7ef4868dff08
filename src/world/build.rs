//! Building a world from a scenario and a seed: the hierarchy, the residents' columns, the
//! institutions and the tie network of MODEL.md §2 and §9.

use rand_distr::{Distribution, LogNormal};

use crate::network::{Edge, Network, TieKind, generators};
use crate::rng::{self, Purpose, Rng, poisson as draw_poisson};
use crate::scenario::Scenario;
use crate::world::institutions::{Capacities, Credits, Enterprise, NONE, SocialWorkers};
use crate::world::money::{Ledger, Outside, Pool, cents};
use crate::world::places::Places;
use crate::world::residents::{Age, Residents, role};
use crate::world::services::{Hall, ServiceHalls};
use crate::world::{
    Arrangements, Capital, Contacts, InstitutionNodes, PlaceStats, World, organisations,
};

/// Splits `total` into `parts` integer shares proportional to `weights` (largest remainder),
/// each at least `min`.
fn apportion(total: u32, weights: &[f64], min: u32) -> Vec<u32> {
    let parts = weights.len() as u32;
    let spare = total.saturating_sub(min.saturating_mul(parts));
    let wsum: f64 = weights.iter().sum::<f64>().max(1e-12);
    let raw: Vec<f64> = weights.iter().map(|w| spare as f64 * w / wsum).collect();
    let mut out: Vec<u32> = raw.iter().map(|r| min + r.floor() as u32).collect();
    let placed: u64 = out.iter().map(|&x| x as u64).sum();
    let mut left = (total as u64).saturating_sub(placed);
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (raw[b] - raw[b].floor())
            .total_cmp(&(raw[a] - raw[a].floor()))
            .then(a.cmp(&b))
    });
    for &k in order.iter().cycle().take(weights.len() * 2) {
        if left == 0 {
            break;
        }
        out[k] += 1;
        left -= 1;
    }
    out
}

/// Builds the world for `s` and `seed`.
pub fn build(s: &Scenario, seed: u64) -> World {
    let mut rng = rng::stream(seed, Purpose::World, 0, 0);
    let w = &s.world;
    let nc = w.communities as usize;

    // Community sizes vary (lognormal weights); grids are spread in proportion.
    let cv = w.community_size_cv;
    let weights: Vec<f64> = if cv > 0.0 {
        let sigma = (1.0 + cv * cv).ln().sqrt();
        let ln = LogNormal::new(-sigma * sigma / 2.0, sigma).ok();
        (0..nc)
            .map(|_| ln.map(|d| d.sample(&mut rng)).unwrap_or(1.0))
            .collect()
    } else {
        vec![1.0; nc]
    };
    let community_residents = apportion(
        w.residents,
        &weights,
        w.grids.div_ceil(w.communities).max(1),
    );
    let community_grids = apportion(w.grids, &weights, 1);
    let community_street: Vec<u32> = (0..w.communities)
        .map(|c| (c as u64 * w.streets as u64 / w.communities as u64) as u32)
        .collect();

    let mut r = Residents::with_capacity(w.residents as usize);
    let mut p = Places::default();
    p.households.starts.push(0);
    p.buildings.starts.push(0);
    p.grids.starts.push(0);
    p.communities.starts.push(0);
    p.grid_buildings.push(0);
    let hs_extra = (w.household_size_mean - 1.0).max(0.0);
    let per_building = w.households_per_building;
    let elder_dist = w.elder_share;
    let young = w.young_share;
    let engagement_by_age = [
        s.init.engagement_young,
        s.init.engagement_middle,
        s.init.engagement_elder,
    ];
    let mut grid_id = 0u32;
    for c in 0..nc {
        // Validation keeps communities within the 16-bit column (limits::COMMUNITIES).
        let c16 = u16::try_from(c).expect("more communities than a u16 holds; not validated");
        let grids = community_grids[c];
        let per_grid = apportion(community_residents[c], &vec![1.0; grids as usize], 1);
        for &grid_size in &per_grid {
            let mut placed = 0u32;
            let mut households_in_building = 0u32;
            let mut building_target = draw_poisson(per_building, &mut rng).max(1) as u32;
            while placed < grid_size {
                let size = (1 + draw_poisson(hs_extra, &mut rng) as u32).min(grid_size - placed);
                let household = p.households.len() as u32;
                let building = p.buildings.len() as u32;
                let mut has_elder = false;
                for _ in 0..size {
                    let u = rng::unit_f64(&mut rng);
                    let age = if u < young {
                        Age::Young
                    } else if u < 1.0 - elder_dist {
                        Age::Middle
                    } else {
                        Age::Elder
                    };
                    has_elder |= age == Age::Elder;
                    let rest = engagement_by_age[age as usize].sample_unit(&mut rng);
                    r.household.push(household);
                    r.building.push(building);
                    r.grid.push(grid_id);
                    r.community.push(c16);
                    r.age.push(age as u8);
                    let mut roles = 0u8;
                    if rng::unit_f64(&mut rng) < w.party_share {
                        roles |= role::PARTY;
                    }
                    if rng::unit_f64(&mut rng) < w.online_share {
                        roles |= role::ONLINE;
                    }
                    r.roles.push(roles);
                    r.threshold.push(w.threshold.sample_unit(&mut rng));
                    r.engagement.push(rest);
                    r.engagement_rest.push(rest);
                    r.trust_institutional
                        .push(s.init.trust_institutional.sample_unit(&mut rng));
                    r.trust_neighbour
                        .push(s.init.trust_neighbour.sample_unit(&mut rng));
                    r.grievance.push(s.init.grievance.sample_unit(&mut rng));
                    r.satisfaction
                        .push(s.init.satisfaction.sample_unit(&mut rng));
                    r.expectation.push(s.init.expectation.sample_unit(&mut rng));
                    r.active
                        .push(rng::unit_f64(&mut rng) < s.init.seed_active_share);
                    r.organisation.push(u32::MAX);
                }
                placed += size;
                p.households.starts.push(r.building.len() as u32);
                p.household_building.push(building);
                if has_elder {
                    p.elder_households.push(household);
                }
                households_in_building += 1;
                if households_in_building >= building_target || placed == grid_size {
                    p.buildings.starts.push(r.building.len() as u32);
                    p.building_grid.push(grid_id);
                    p.building_households.push(households_in_building);
                    households_in_building = 0;
                    building_target = draw_poisson(per_building, &mut rng).max(1) as u32;
                }
            }
            p.grids.starts.push(r.building.len() as u32);
            p.grid_buildings.push(p.buildings.len() as u32);
            p.grid_community.push(c as u32);
            grid_id += 1;
        }
        p.communities.starts.push(r.building.len() as u32);
    }
    p.community_street = community_street.clone();
    p.streets.starts.push(0);
    for st in 0..w.streets {
        let last = community_street
            .iter()
            .rposition(|&x| x == st)
            .map(|c| p.communities.starts[c + 1])
            .unwrap_or(*p.streets.starts.last().unwrap_or(&0));
        p.streets.starts.push(last);
    }
    p.community_has_complex = (0..nc)
        .map(|c| {
            (c as u64 * w.service_complexes as u64 / nc as u64)
                != ((c as u64 + 1) * w.service_complexes as u64 / nc as u64)
        })
        .collect();

    let n = r.building.len() as u32;
    let mut nodes = InstitutionNodes {
        party: n,
        ..Default::default()
    };
    // Node ids are u32; validation bounds each count (limits.rs), and the sums are checked
    // so that nothing wraps into a wrong id.
    let next = |base: u32, count: u32| {
        base.checked_add(count)
            .expect("institutional node ids exceed u32; the scenario was not validated")
    };
    nodes.grid_leader = next(nodes.party, w.communities);
    nodes.committee = next(nodes.grid_leader, w.grids);
    nodes.social_worker = next(nodes.committee, w.communities);
    nodes.end = next(nodes.social_worker, w.social_workers);

    let network = build_network(s, seed, &r, &p, &nodes);
    let nb = p.buildings.len();
    let ns = w.streets as usize;
    let capacities = capacities(s, &p);
    let services = ServiceHalls {
        halls: (0..ns)
            .map(|st| {
                let capacity = s.services.counter_capacity_per_10k * p.streets.size(st) as f64;
                Hall::new(capacity / 1e4, false)
            })
            .collect(),
        community_hall: p.community_street.clone(),
    };
    let mut world = World {
        tick: 0,
        network,
        nodes,
        organisations: Vec::new(),
        social_workers: SocialWorkers::default(),
        enterprises: Vec::new(),
        ledger: Ledger::new(ns, nc),
        credits: Credits {
            community: vec![0.0; nc],
            street: vec![0.0; ns],
            platform: vec![0.0; ns],
            department: vec![0.0; w.departments as usize],
        },
        capacities,
        issues: Vec::new(),
        services,
        arrangements: Arrangements::default(),
        contacts: Contacts {
            mobilisation: vec![0.0; nb],
            trust: vec![0.0; nb],
            online_call: 0.0,
            party_duty: 0.0,
        },
        new_ties: Vec::new(),
        stats: PlaceStats {
            buildings: vec![Default::default(); nb],
            grievance_online_community: vec![0.0; nc],
            online_community: vec![0; nc],
            satisfaction_community: vec![0.0; nc],
        },
        performance: vec![0.6; nc],
        sentiment: vec![0.0; nc],
        capital: Capital::default(),
        residents: r,
        places: p,
    };
    let mut org_rng = rng::stream(seed, Purpose::Organisations, u64::MAX, 0);
    let org_domains = organisations::serviceable_domains(s.domains.values());
    for k in 0..w.organisations {
        let c = k % w.communities;
        let domain = if org_domains.is_empty() {
            0
        } else {
            org_domains[rng::index(&mut org_rng, org_domains.len())]
        };
        let id = organisations::found(&mut world, s, c, domain, &mut org_rng);
        let o = &mut world.organisations[id as usize];
        world.ledger.agent_receive(
            Pool::Organisations,
            &mut o.funds,
            Outside::Founders,
            cents(s.organisations.initial_funds),
        );
    }
    // Social workers: a share at their community's station, the rest with an organisation
    // of their community (round robin), or at the station where there is none.
    let o = &s.organisations;
    for k in 0..w.social_workers {
        let c = k % w.communities;
        let at_station = rng::unit_f64(&mut org_rng) < o.station_share;
        let orgs: Vec<u32> = (0..world.organisations.len() as u32)
            .filter(|&j| world.organisations[j as usize].community == c)
            .collect();
        let org = if at_station || orgs.is_empty() {
            NONE
        } else {
            orgs[(k / w.communities) as usize % orgs.len()]
        };
        let sw = &mut world.social_workers;
        sw.community.push(c);
        sw.organisation.push(org);
        sw.skill
            .push(o.social_worker_skill.sample_unit(&mut org_rng));
        sw.cases.push(0);
    }
    for k in 0..(w.property_companies as u64 + w.businesses as u64) {
        let property = k < w.property_companies as u64;
        world.enterprises.push(Enterprise {
            community: (rng::index(&mut org_rng, nc)) as u32,
            property,
            resources: 0,
            orientation: s
                .enterprises
                .social_orientation
                .sample(&mut org_rng)
                .clamp(0.0, 1.0),
        });
    }
    // Ties among organisation members join the network before the first tick.
    world.add_new_ties();
    world
}

/// Handlers' daily capacities from the per-resident rates and where the residents live.
fn capacities(s: &Scenario, p: &Places) -> Capacities {
    let g = &s.government;
    let per = |rate: f64, residents: u32| rate * residents as f64 / 1e4;
    let n = p.communities.starts.last().copied().unwrap_or(0);
    let departments = s.world.departments.max(1) as usize;
    Capacities {
        community: (0..p.communities.len())
            .map(|c| per(g.community_capacity_per_10k, p.communities.size(c)))
            .collect(),
        street: (0..p.streets.len())
            .map(|st| per(g.street_capacity_per_10k, p.streets.size(st)))
            .collect(),
        platform: vec![0.0; p.streets.len()],
        department: vec![per(g.department_capacity_per_10k, n) / departments as f64; departments],
        platform_staff: vec![0; p.streets.len()],
    }
}

/// The tie network of MODEL.md §2: households complete, random ties within buildings, a
/// Watts–Strogatz layer within each grid, and linking ties to institutional nodes.
fn build_network(
    s: &Scenario,
    seed: u64,
    r: &Residents,
    p: &Places,
    nodes: &InstitutionNodes,
) -> Network {
    let mut rng: Rng = rng::stream(seed, Purpose::Network, 0, 0);
    let ns = &s.network;
    let n = r.building.len() as u32;
    let mut edges: Vec<Edge> = Vec::with_capacity(
        (n as f64 * (ns.building_degree + ns.grid_ring_degree as f64 + 2.0) / 2.0) as usize,
    );
    let kind_of = |a: u32, b: u32| {
        if r.building[a as usize] == r.building[b as usize] {
            TieKind::Bonding
        } else {
            TieKind::Bridging
        }
    };
    for h in 0..p.households.len() {
        let range = p.households.residents(h);
        for a in range.clone() {
            for b in a + 1..range.end {
                edges.push(Edge {
                    a,
                    b,
                    kind: TieKind::Bonding,
                });
            }
        }
    }
    for b in 0..p.buildings.len() {
        let range = p.buildings.residents(b);
        let size = (range.end - range.start) as usize;
        if size < 2 {
            continue;
        }
        for a in range.clone() {
            for _ in 0..draw_poisson(ns.building_degree / 2.0, &mut rng) {
                let other = range.start + rng::index(&mut rng, size) as u32;
                if other != a {
                    edges.push(Edge {
                        a,
                        b: other,
                        kind: TieKind::Bonding,
                    });
                }
            }
        }
    }
    let mut order: Vec<u32> = Vec::new();
    for g in 0..p.grids.len() {
        let range = p.grids.residents(g);
        order.clear();
        order.extend(range.clone());
        // Shuffle so that the ring crosses buildings (Fisher–Yates).
        for k in (1..order.len()).rev() {
            let j = rng::index(&mut rng, k + 1);
            order.swap(k, j);
        }
        generators::watts_strogatz(
            order.len() as u32,
            ns.grid_ring_degree,
            ns.grid_rewire,
            &mut rng,
            |a, b| {
                let (a, b) = (order[a as usize], order[b as usize]);
                edges.push(Edge {
                    a,
                    b,
                    kind: kind_of(a, b),
                });
            },
        );
    }
    for i in 0..n {
        let iu = i as usize;
        let c = r.community[iu] as u32;
        if r.roles[iu] & role::PARTY != 0 {
            edges.push(Edge {
                a: i,
                b: nodes.party + c,
                kind: TieKind::Linking,
            });
        } else if rng::unit_f64(&mut rng) < ns.initial_linking_share {
            edges.push(Edge {
                a: i,
                b: nodes.committee + c,
                kind: TieKind::Linking,
            });
        }
    }
    Network::from_edges(nodes.end, n, edges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Scenario {
        let mut s = Scenario::default();
        s.world.residents = 3000;
        s.world.streets = 2;
        s.world.communities = 4;
        s.world.grids = 8;
        s.world.organisations = 8;
        s.world.social_workers = 4;
        s.world.service_complexes = 1;
        s
    }

    #[test]
    fn hierarchy_is_contiguous_and_complete() {
        let s = small();
        let w = build(&s, 7);
        let p = &w.places;
        assert_eq!(w.n_residents(), 3000);
        assert_eq!(p.communities.len(), 4);
        assert_eq!(p.grids.len(), 8);
        assert_eq!(*p.buildings.starts.last().unwrap(), 3000);
        assert_eq!(*p.households.starts.last().unwrap(), 3000);
        assert_eq!(*p.streets.starts.last().unwrap(), 3000);
        for k in 0..p.buildings.len() {
            let range = p.buildings.residents(k);
            assert!(range.end > range.start);
            assert!(
                range
                    .clone()
                    .all(|i| w.residents.building[i as usize] == k as u32)
            );
        }
        for g in 0..p.grids.len() {
            let first_b = p.grid_buildings[g] as usize;
            assert_eq!(p.buildings.starts[first_b], p.grids.starts[g]);
        }
        w.network.check_invariants().unwrap();
    }

    #[test]
    fn same_seed_same_world_different_seed_differs() {
        let s = small();
        let (a, b, c) = (build(&s, 1), build(&s, 1), build(&s, 2));
        assert_eq!(a.residents.threshold, b.residents.threshold);
        assert_eq!(a.network.targets(), b.network.targets());
        assert_ne!(a.residents.threshold, c.residents.threshold);
    }

    #[test]
    fn mean_degree_near_eight() {
        let s = small();
        let w = build(&s, 3);
        let n = w.n_residents() as u32;
        let resident_ties: usize = (0..n)
            .map(|i| w.network.neighbours(i).iter().filter(|&&j| j < n).count())
            .sum();
        let z = resident_ties as f64 / n as f64;
        assert!((6.0..11.0).contains(&z), "mean resident degree {z}");
    }

    #[test]
    fn apportion_sums_and_respects_minimum() {
        let v = apportion(100, &[1.0, 2.0, 3.0, 0.0], 5);
        assert_eq!(v.iter().sum::<u32>(), 100);
        assert!(v.iter().all(|&x| x >= 5));
    }
}
