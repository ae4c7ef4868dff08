//! Residents' opinions on the issues that affect them (MODEL.md §10, rule 7). Each resident
//! affected by a contested issue, an issue needing consent or a top-down project holds an
//! opinion in [0, 1] on it, drawn when the issue arises and kept until it closes. Opinions
//! move by bounded confidence (Deffuant et al. 2000) in two ways: everyday talk between
//! tied residents affected by the same issue, and forums, whose participants exchange with
//! a wider bound when a facilitator sits in. Consent counts households: a household agrees
//! when the mean opinion of its affected members is at least 0.5.

use std::ops::Range;

use crate::issues::Issue;
use crate::network::Network;
use crate::rng::{self, Rng};
use crate::submodels::bounded_confidence;
use crate::world::places::Places;

/// One round of everyday talk on `issue`: about `p_talk` × affected residents each meet a
/// random tied resident affected by the same issue and exchange with bound `eps`, rate
/// `mu`. Returns the number of conversations.
pub fn talk(
    issue: &mut Issue,
    net: &Network,
    p_talk: f64,
    eps: f64,
    mu: f64,
    rng: &mut Rng,
) -> u64 {
    let range = issue.residents.clone();
    let Some(op) = issue.opinions.as_deref_mut() else {
        return 0;
    };
    let n = op.len();
    if n < 2 {
        return 0;
    }
    let talks = rng::poisson(p_talk * n as f64, rng);
    let mut held = 0;
    for _ in 0..talks {
        let i = range.start + rng::index(rng, n) as u32;
        let Some(j) = tied_within(net, i, &range, rng) else {
            continue;
        };
        let (a, b) = ((i - range.start) as usize, (j - range.start) as usize);
        let d = op[b] - op[a];
        if (d.abs() as f64) < eps {
            op[a] += mu as f32 * d;
            op[b] -= mu as f32 * d;
        }
        held += 1;
    }
    held
}

/// A random neighbour of `i` inside `range`, if it has one.
fn tied_within(net: &Network, i: u32, range: &Range<u32>, rng: &mut Rng) -> Option<u32> {
    let nb = net.neighbours(i);
    let lo = nb.partition_point(|&j| j < range.start);
    let hi = nb.partition_point(|&j| j < range.end);
    (hi > lo).then(|| nb[lo + rng::index(rng, hi - lo)])
}

/// Share of the issue's households that agree (mean opinion of their affected members ≥
/// 0.5); `None` when the issue carries no opinions.
pub fn household_agreement(issue: &Issue, places: &Places) -> Option<f64> {
    let op = issue.opinions.as_deref()?;
    let households = places.households_in(issue.residents.clone());
    let (mut agree, mut counted) = (0u32, 0u32);
    for h in households {
        let r = places.households.residents(h as usize);
        let lo = r.start.max(issue.residents.start);
        let hi = r.end.min(issue.residents.end);
        if hi <= lo {
            continue;
        }
        let s: f32 = (lo..hi)
            .map(|i| op[(i - issue.residents.start) as usize])
            .sum();
        agree += (s / (hi - lo) as f32 >= 0.5) as u32;
        counted += 1;
    }
    Some(if counted == 0 {
        0.0
    } else {
        agree as f64 / counted as f64
    })
}

/// A forum on `issue` among its affected residents in `pool` (a sub-range of the issue's
/// residents: one building's, for a building meeting): `size` participants drawn from the
/// pool (recorded in `seats`, sorted and distinct) exchange opinions by bounded confidence
/// for `rounds` encounters each; a facilitator, when one sits in, argues for the workable
/// compromise `facilitator` each round and moves every participant within the bound
/// toward it (a stubborn agent). New opinions persist. `scratch` is reused.
#[allow(clippy::too_many_arguments)]
pub fn forum(
    issue: &mut Issue,
    pool: Range<u32>,
    size: usize,
    eps: f64,
    mu: f64,
    rounds: usize,
    facilitator: Option<f32>,
    seats: &mut Vec<u32>,
    scratch: &mut Vec<f64>,
    rng: &mut Rng,
) {
    seats.clear();
    let start = issue.residents.start;
    let n = (pool.end - pool.start) as usize;
    let Some(op) = issue.opinions.as_deref_mut() else {
        return;
    };
    if n == 0 {
        return;
    }
    let want = size.min(n);
    for _ in 0..want * 3 {
        if seats.len() >= want {
            break;
        }
        let i = pool.start + rng::index(rng, n) as u32;
        if let Err(at) = seats.binary_search(&i) {
            seats.insert(at, i);
        }
    }
    scratch.clear();
    scratch.extend(seats.iter().map(|&i| op[(i - start) as usize] as f64));
    for _ in 0..rounds {
        bounded_confidence::complete_round(scratch, seats.len(), eps, mu, rng);
        if let Some(f) = facilitator {
            let f = f as f64;
            for x in scratch.iter_mut() {
                if (f - *x).abs() < eps {
                    *x += mu * (f - *x);
                }
            }
        }
    }
    for (&i, &x) in seats.iter().zip(scratch.iter()) {
        op[(i - start) as usize] = x.clamp(0.0, 1.0) as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testkit::{push_issue, quiet_engine};
    use crate::world::places::Scope;

    /// Consent counts households, and opinions persist: a forum's result stays on the
    /// issue and changes the next count.
    #[test]
    fn forums_change_persistent_opinions_and_consent_counts_households() {
        let mut e = quiet_engine();
        let k = push_issue(&mut e, "elevator_retrofit", Scope::Building, 0);
        let places = e.world.places.clone();
        let issue = &mut e.world.issues[k];
        let n = issue.residents.len();
        // Half strongly against, half mildly for.
        let ops: Vec<f32> = (0..n).map(|i| if i % 2 == 0 { 0.2 } else { 0.6 }).collect();
        let ops_before = ops.clone();
        issue.opinions = Some(ops.into_boxed_slice());
        let before = household_agreement(issue, &places).unwrap();
        let mut rng = rng::stream(3, rng::Purpose::Issues, 0, 0);
        let (mut seats, mut scratch) = (Vec::new(), Vec::new());
        let pool = issue.residents.clone();
        forum(
            issue,
            pool,
            n,
            0.5,
            0.5,
            20,
            None,
            &mut seats,
            &mut scratch,
            &mut rng,
        );
        let after = issue.opinions.as_deref().unwrap().to_vec();
        let start = issue.residents.start;
        for (k, (&x, &was)) in after.iter().zip(&ops_before).enumerate() {
            if seats.binary_search(&(start + k as u32)).is_ok() {
                assert!(
                    (0.3..0.5).contains(&x),
                    "a participant's opinion moved: {x}"
                );
            } else {
                assert_eq!(x, was, "someone who did not sit kept their opinion");
            }
        }
        assert!(seats.len() > n / 2);
        assert_ne!(household_agreement(issue, &places).unwrap(), before);
    }

    /// Everyday talk moves only opinions of tied residents within the bound.
    #[test]
    fn talk_needs_ties_and_a_close_enough_opinion() {
        let mut e = quiet_engine();
        let k = push_issue(&mut e, "parking_public_space", Scope::Grid, 0);
        let issue = &mut e.world.issues[k];
        let n = issue.residents.len();
        issue.opinions = Some(vec![0.0; n].into_boxed_slice());
        issue.opinions.as_deref_mut().unwrap()[0] = 1.0;
        let mut rng = rng::stream(3, rng::Purpose::Issues, 0, 0);
        let held = talk(issue, &e.world.network, 1.0, 0.5, 0.5, &mut rng);
        assert!(held > 0);
        let op = issue.opinions.as_deref().unwrap();
        assert_eq!(op[0], 1.0, "a distant opinion does not move");
        assert!(op.iter().skip(1).all(|&x| x == 0.0));
    }

    /// A facilitator pulls participants within the bound toward the compromise; without
    /// one, exchange only averages.
    #[test]
    fn a_facilitator_moves_a_forum_toward_the_compromise() {
        let mut e = quiet_engine();
        let k = push_issue(&mut e, "elevator_retrofit", Scope::Building, 0);
        let issue = &mut e.world.issues[k];
        let n = issue.residents.len();
        let mean = |i: &Issue| i.support().unwrap();
        let mut rng = rng::stream(4, rng::Purpose::Issues, 0, 0);
        let (mut seats, mut scratch) = (Vec::new(), Vec::new());
        let pool = issue.residents.clone();
        issue.opinions = Some(vec![0.45; n].into_boxed_slice());
        forum(
            issue,
            pool.clone(),
            n,
            0.3,
            0.3,
            10,
            None,
            &mut seats,
            &mut scratch,
            &mut rng,
        );
        assert!((mean(issue) - 0.45).abs() < 1e-4);
        forum(
            issue,
            pool,
            n,
            0.3,
            0.3,
            10,
            Some(0.65),
            &mut seats,
            &mut scratch,
            &mut rng,
        );
        assert!(mean(issue) > 0.55, "{}", mean(issue));
    }
}
