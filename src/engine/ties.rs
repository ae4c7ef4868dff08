//! The tie network over time (MODEL.md §2, 重塑社区联结). A tie is used when its two ends act
//! together (a forum, a patrol, co-funding one issue, an online thread: the phases and
//! mechanisms mark those uses as they happen), when both belong to the same living
//! organisation, and in everyday life: at each rebuild, a tie counts as used in the past
//! period with the probability that its ends met at least once at their daily contact rate
//! (`contact_bonding`, `contact_bridging`, `contact_linking`). A tie left unused for
//! `idle_days` decays with `decay_probability` at a rebuild; household ties never do.
//!
//! Everyday encounters form new ties the way the network was first drawn (building mates,
//! grid members, the community committee or party branch) at the rate that replaces
//! everyday decay, times `encounter_scale`: with no joint activity the drawn network is
//! the equilibrium, so the baseline's social capital settles where it starts. Joint
//! activity forms and keeps ties beyond it: that is what the capital indices measure.

use rayon::prelude::*;

use crate::network::{Edge, TieKind};
use crate::rng::{self, Purpose, Rng};
use crate::scenario::Scenario;
use crate::world::institutions::NONE;
use crate::world::organisations::kind_between;
use crate::world::residents::role;
use crate::world::{Capital, World};

/// Mean lifetime, in rebuild periods, of a tie whose only use is everyday contact at daily
/// rate `contact`: at each rebuild it was used in the past period with probability
/// q = 1 − (1 − contact)^period; once unused for `idle_days` it decays with
/// `decay_probability` at each rebuild. The Markov chain of periods since last use
/// (k = ⌈idle_days / period⌉ states before the tie is eligible to decay) solved in closed
/// form, so its cost does not grow with `idle_days` or with how slowly it would converge:
/// with a = 1 − q and r = 1 / (1 − a(1 − d)), the lifetime from last use is
/// S / (1 − qS), S = (1 − a^(k−1)) / q + a^(k−1) r.
pub fn everyday_lifetime(s: &Scenario, contact: f64) -> f64 {
    let n = &s.network;
    let period = n.rebuild_period.max(1);
    let k = n.idle_days.div_ceil(period).max(1);
    let q = 1.0 - (1.0 - contact).powi(period as i32);
    let d = n.decay_probability;
    if d <= 0.0 || q >= 1.0 {
        return f64::INFINITY;
    }
    let a = 1.0 - q;
    let r = 1.0 / (1.0 - a * (1.0 - d));
    let ak = a.powi(k as i32 - 1);
    // Periods before the tie is eligible (a geometric sum; k − 1 of them when q = 0).
    let before = if q > 0.0 {
        (1.0 - ak) / q
    } else {
        (k - 1) as f64
    };
    let total = before + ak * r;
    // 1 − qS = a^(k−1) (1 − qr) > 0 for d > 0, q < 1; it underflows when the tie is all but
    // sure to be used before it can decay.
    let left = ak * (1.0 - q * r);
    if left > 0.0 {
        total / left
    } else {
        f64::INFINITY
    }
}

/// Everyday decay per rebuild of a tie kind at equilibrium: 1 / its mean lifetime.
fn everyday_decay(s: &Scenario, contact: f64) -> f64 {
    let life = everyday_lifetime(s, contact);
    if life.is_finite() && life > 0.0 {
        1.0 / life
    } else {
        0.0
    }
}

/// Rebuilds the network at `tick` (see the module docs).
pub fn rebuild(w: &mut World, s: &Scenario, seed: u64, tick: u32) {
    let mut rng = rng::stream(seed, Purpose::Ties, tick as u64, 0);
    encounters(w, s, &mut rng);
    let n = &s.network;
    let period = n.rebuild_period.max(1);
    let met = |c: f64| 1.0 - (1.0 - c).powi(period as i32);
    let (met_bonding, met_bridging, met_linking) = (
        met(n.contact_bonding),
        met(n.contact_bridging),
        met(n.contact_linking),
    );
    let (idle, decay) = (n.idle_days, n.decay_probability);
    let r = &w.residents;
    let nres = r.len() as u32;
    let orgs = &w.organisations;
    let stamp = tick.min(u16::MAX as u32) as u16;
    let new_ties = std::mem::take(&mut w.new_ties);
    w.network.rebuild(
        |a, b, kind, used| {
            if b < nres && r.household[a as usize] == r.household[b as usize] {
                return Some(used);
            }
            let org = r.organisation[a as usize];
            let co_members = b < nres
                && org != NONE
                && org == r.organisation[b as usize]
                && orgs[org as usize].alive;
            let p_met = match kind {
                _ if b >= nres => met_linking,
                TieKind::Bonding => met_bonding,
                _ => met_bridging,
            };
            let used = if co_members || rng::unit_f64(&mut rng) < p_met {
                stamp
            } else {
                used
            };
            let idle_now = tick >= used as u32 + idle;
            (!(idle_now && rng::unit_f64(&mut rng) < decay)).then_some(used)
        },
        &new_ties,
        stamp,
    );
    w.new_ties = new_ties;
    w.new_ties.clear();
    w.capital = capital(w);
}

/// Everyday encounters: new ties drawn like the first network's, at the rate that replaces
/// everyday decay (the drawn ties over their mean lifetime; times `encounter_scale`).
fn encounters(w: &mut World, s: &Scenario, rng: &mut Rng) {
    let n = &s.network;
    let scale = n.encounter_scale;
    let building =
        rng::Poisson::new(n.building_degree / 2.0 * everyday_decay(s, n.contact_bonding) * scale);
    let grid = rng::Poisson::new(
        n.grid_ring_degree as f64 / 2.0 * everyday_decay(s, n.contact_bridging) * scale,
    );
    let linking = everyday_decay(s, n.contact_linking) * scale;
    let r = &w.residents;
    let p = &w.places;
    let nodes = w.nodes;
    for i in 0..r.len() as u32 {
        let iu = i as usize;
        let b = p.buildings.residents(r.building[iu] as usize);
        for _ in 0..building.sample(rng) {
            let j = b.start + rng::index(rng, b.len()) as u32;
            if j != i {
                w.new_ties.push(Edge {
                    a: i,
                    b: j,
                    kind: TieKind::Bonding,
                });
            }
        }
        let g = p.grids.residents(r.grid[iu] as usize);
        for _ in 0..grid.sample(rng) {
            let j = g.start + rng::index(rng, g.len()) as u32;
            if j != i {
                let kind = kind_between(w, i, j);
                w.new_ties.push(Edge { a: i, b: j, kind });
            }
        }
        let c = r.community[iu] as u32;
        let party = r.roles[iu] & role::PARTY != 0;
        let share = if party { 1.0 } else { n.initial_linking_share };
        if rng::unit_f64(rng) < linking * share {
            let node = if party {
                nodes.party + c
            } else {
                nodes.committee + c
            };
            w.new_ties.push(Edge {
                a: i,
                b: node,
                kind: TieKind::Linking,
            });
        }
    }
}

/// Social capital of the current network (Putnam 2000; Woolcock 2001). Composition: the
/// mean share of a resident's resident ties inside its building (bonding) and across
/// buildings (bridging), and the share of residents tied to an institutional node
/// (linking). Volume: ties of each kind per resident, and the share of residents with at
/// least one bridging tie.
pub fn capital(w: &World) -> Capital {
    let net = &w.network;
    let nres = net.n_residents();
    let building = &w.residents.building;
    // Each resident's tie counts in parallel; the sums in resident order, as one thread
    // would add them.
    let counts: Vec<[u32; 3]> = (0..nres)
        .into_par_iter()
        .map(|i| {
            let (mut same, mut cross, mut link) = (0u32, 0u32, 0u32);
            for &j in net.neighbours(i) {
                if j >= nres {
                    link += 1;
                } else if building[j as usize] == building[i as usize] {
                    same += 1;
                } else {
                    cross += 1;
                }
            }
            [same, cross, link]
        })
        .collect();
    let (mut bonding, mut bridging, mut counted, mut linked) = (0.0f64, 0.0f64, 0u64, 0u64);
    let (mut n_bond, mut n_bridge, mut n_link, mut bridged) = (0u64, 0u64, 0u64, 0u64);
    for [same, cross, link] in counts {
        if same + cross > 0 {
            bonding += same as f64 / (same + cross) as f64;
            bridging += cross as f64 / (same + cross) as f64;
            counted += 1;
        }
        linked += (link > 0) as u64;
        bridged += (cross > 0) as u64;
        n_bond += same as u64;
        n_bridge += cross as u64;
        n_link += link as u64;
    }
    let c = counted.max(1) as f64;
    let n = nres.max(1) as f64;
    Capital {
        bonding_share: bonding / c,
        bridging_share: bridging / c,
        linking_share: linked as f64 / n,
        bonding_ties: n_bond as f64 / n,
        bridging_ties: n_bridge as f64 / n,
        linking_ties: n_link as f64 / n,
        bridged_share: bridged as f64 / n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chain solved by value iteration, as it was before the closed form.
    fn lifetime_by_iteration(k: usize, q: f64, d: f64) -> f64 {
        let mut x = vec![0.0f64; k + 1];
        for _ in 0..1_000_000 {
            let mut change = 0.0f64;
            for j in (0..=k).rev() {
                let next = if j + 1 >= k {
                    (1.0 - d) * x[k]
                } else {
                    x[j + 1]
                };
                let v = 1.0 + q * x[0] + (1.0 - q) * next;
                change = change.max((v - x[j]).abs());
                x[j] = v;
            }
            if change < 1e-12 {
                break;
            }
        }
        x[0]
    }

    /// The closed form equals the chain's value iteration, including one idle period
    /// (k = 1), no everyday contact (q = 0) and near-certain decay.
    #[test]
    fn everyday_lifetime_closed_form_matches_iteration() {
        let mut s = Scenario::default();
        for (period, idle, d, contact) in [
            (30, 180, 0.3, 0.01),
            (30, 180, 0.3, 0.005),
            (1, 1, 0.5, 0.2),
            (7, 30, 0.05, 0.0),
            (10, 100, 0.99, 0.001),
            (30, 30, 0.3, 0.02),
        ] {
            s.network.rebuild_period = period;
            s.network.idle_days = idle;
            s.network.decay_probability = d;
            let k = idle.div_ceil(period).max(1) as usize;
            let q = 1.0 - (1.0f64 - contact).powi(period as i32);
            let closed = everyday_lifetime(&s, contact);
            let iterated = lifetime_by_iteration(k, q, d);
            assert!(
                (closed - iterated).abs() <= 1e-6 * iterated,
                "period {period}, idle {idle}, d {d}, contact {contact}: {closed} vs {iterated}"
            );
        }
    }

    /// The lifetime solution matches a direct simulation of the same chain.
    #[test]
    fn everyday_lifetime_matches_simulation() {
        let mut s = Scenario::default();
        s.network.contact_bridging = 0.005;
        let life = everyday_lifetime(&s, s.network.contact_bridging);
        let n = &s.network;
        let q = 1.0 - (1.0 - n.contact_bridging).powi(n.rebuild_period as i32);
        let k = n.idle_days.div_ceil(n.rebuild_period);
        let mut rng = rng::stream(9, Purpose::Ties, 0, 0);
        let runs = 20_000;
        let mut total = 0u64;
        for _ in 0..runs {
            let (mut idle, mut t) = (0u32, 0u64);
            loop {
                t += 1;
                if rng::unit_f64(&mut rng) < q {
                    idle = 0;
                } else {
                    idle += 1;
                    if idle >= k && rng::unit_f64(&mut rng) < n.decay_probability {
                        break;
                    }
                }
            }
            total += t;
        }
        let simulated = total as f64 / runs as f64;
        assert!(
            (simulated - life).abs() < 0.03 * life,
            "{simulated} vs {life}"
        );
    }
}
