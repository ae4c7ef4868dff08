//! Activation as a threshold cascade (Granovetter 1978, *AJS* 83:1420; Watts 2002,
//! *PNAS* 99:5766).
//!
//! A resident becomes active when its pressure reaches its threshold φ, where pressure is
//! the fraction of its resident neighbours that are active, plus outside pressure
//! (mobilisation from linkage mechanisms) plus efficacy. Updates are synchronous: every
//! resident reads the previous tick's active flags, so the result does not depend on the
//! order or the thread that updates it. Active residents lapse with a probability per tick.
//!
//! With no outside pressure, no efficacy and no lapse this is exactly Watts' model; the
//! verification suite runs it through [`neighbour_activity`] and [`next_active`]; the
//! engine's resident phase calls [`next_active`] and [`neighbour_activity_with`], of which
//! [`neighbour_activity`] is the plain form.

use crate::network::Network;

/// Active and total resident neighbours of resident `i` (ties to institutional nodes are
/// not counted: they carry mobilisation, not peer example).
#[inline]
pub fn neighbour_activity(net: &Network, i: u32, active: &[bool]) -> (u32, u32) {
    neighbour_activity_with(net, i, |j| active[j])
}

/// [`neighbour_activity`] where `peer(j)` tells whether resident neighbour `j` is active;
/// it is called once per resident neighbour, in id order, so the resident phase reads its
/// peers' other states in the same pass.
#[inline]
pub fn neighbour_activity_with(
    net: &Network,
    i: u32,
    mut peer: impl FnMut(usize) -> bool,
) -> (u32, u32) {
    let peers = net.resident_neighbours(i);
    let mut on = 0u32;
    for &j in peers {
        on += peer(j as usize) as u32;
    }
    (on, peers.len() as u32)
}

/// The fraction of active neighbours; 0 for an isolated resident.
#[inline]
pub fn active_fraction(on: u32, all: u32) -> f32 {
    if all == 0 {
        0.0
    } else {
        on as f32 / all as f32
    }
}

/// The next active flag of one resident.
///
/// * `was_active`: its flag last tick;
/// * `fraction`: the active fraction of its neighbours last tick;
/// * `outside`: mobilisation pressure from mechanisms plus efficacy;
/// * `phi`: its threshold;
/// * `lapses`: whether its lapse draw came up this tick (only read when it was active).
#[inline]
pub fn next_active(was_active: bool, fraction: f32, outside: f32, phi: f32, lapses: bool) -> bool {
    if was_active {
        !lapses
    } else {
        fraction + outside >= phi
    }
}

/// Runs a pure cascade (no outside pressure, no lapse) to its fixed point from `active`,
/// updating synchronously, and returns the number of synchronous steps taken.
/// `scratch` must have the same length as `active`.
pub fn run_to_fixed_point(
    net: &Network,
    phi: &[f32],
    active: &mut [bool],
    scratch: &mut [bool],
) -> u32 {
    let n = net.n_residents();
    let mut steps = 0;
    loop {
        let mut changed = false;
        for i in 0..n {
            let (on, all) = neighbour_activity(net, i, active);
            let next = next_active(
                active[i as usize],
                active_fraction(on, all),
                0.0,
                phi[i as usize],
                false,
            );
            changed |= next != active[i as usize];
            scratch[i as usize] = next;
        }
        if !changed {
            return steps;
        }
        active.copy_from_slice(scratch);
        steps += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{Edge, TieKind, generators};

    fn chain(n: u32) -> Network {
        let edges: Vec<Edge> = (0..n - 1)
            .map(|a| Edge {
                a,
                b: a + 1,
                kind: TieKind::Bonding,
            })
            .collect();
        Network::from_edges(n, n, edges)
    }

    #[test]
    fn cascade_runs_down_a_chain_with_low_thresholds() {
        let net = chain(10);
        let phi = vec![0.5; 10];
        let mut active = vec![false; 10];
        active[0] = true;
        let mut scratch = vec![false; 10];
        let steps = run_to_fixed_point(&net, &phi, &mut active, &mut scratch);
        assert!(active.iter().all(|&a| a));
        assert_eq!(steps, 9);
    }

    #[test]
    fn high_thresholds_block_the_cascade() {
        let net = chain(10);
        let phi = vec![0.6; 10];
        let mut active = vec![false; 10];
        active[0] = true;
        let mut scratch = vec![false; 10];
        run_to_fixed_point(&net, &phi, &mut active, &mut scratch);
        assert_eq!(active.iter().filter(|&&a| a).count(), 1);
    }

    #[test]
    fn linking_ties_do_not_count_as_peers() {
        let edges = [
            Edge {
                a: 0,
                b: 1,
                kind: TieKind::Bonding,
            },
            Edge {
                a: 0,
                b: 2,
                kind: TieKind::Linking,
            },
        ];
        let net = Network::from_edges(3, 2, edges);
        assert_eq!(neighbour_activity(&net, 0, &[false, true, true]), (1, 1));
    }

    #[test]
    fn granovetter_riot_through_the_kernel() {
        // 100 people on a complete graph, count thresholds 0..99 → all riot.
        let n = 100u32;
        let mut edges = Vec::new();
        generators::complete(n, |a, b| {
            edges.push(Edge {
                a,
                b,
                kind: TieKind::Bonding,
            })
        });
        let net = Network::from_edges(n, n, edges);
        let run = |phi: &[f32]| {
            let mut active: Vec<bool> = phi.iter().map(|&p| p <= 0.0).collect();
            let mut s = vec![false; n as usize];
            run_to_fixed_point(&net, phi, &mut active, &mut s);
            active.iter().filter(|&&a| a).count()
        };
        let mut phi: Vec<f32> = (0..n).map(|k| k as f32 / (n - 1) as f32).collect();
        assert_eq!(run(&phi), 100);
        phi[1] = 2.0 / (n - 1) as f32;
        assert_eq!(run(&phi), 1);
    }

    #[test]
    fn lapse_only_applies_to_actives() {
        assert!(!next_active(true, 1.0, 1.0, 0.0, true));
        assert!(next_active(false, 0.3, 0.0, 0.3, true));
        assert!(!next_active(false, 0.2, 0.05, 0.3, false));
    }
}
