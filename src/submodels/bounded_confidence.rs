//! Bounded-confidence opinion exchange (Deffuant, Neau, Amblard & Weisbuch 2000,
//! *Adv. Complex Syst.* 3:87).
//!
//! Two participants whose opinions differ by less than ε each move toward the other by
//! μ times the difference. A forum is a complete graph over its participants; the
//! verification suite also runs the same exchange over the edges of a network.

use crate::network::Network;
use crate::rng::{self, Rng};

/// One exchange between `i` and `j`. Returns whether they interacted (|x_i − x_j| < ε).
#[inline]
pub fn exchange(x: &mut [f64], i: usize, j: usize, eps: f64, mu: f64) -> bool {
    let d = x[j] - x[i];
    let close = d.abs() < eps;
    // Without a branch (whether two opinions are close is a coin toss to the CPU): a pair
    // too far apart moves by exactly zero, so the numbers are those of skipping it.
    let step = mu * d * f64::from(u8::from(close));
    x[i] += step;
    x[j] -= step;
    close
}

/// `pairs` random encounters among all of `x` (a complete forum).
pub fn complete_round(x: &mut [f64], pairs: usize, eps: f64, mu: f64, rng: &mut Rng) {
    let n = x.len();
    if n < 2 {
        return;
    }
    for _ in 0..pairs {
        let i = rng::index(rng, n);
        let mut j = rng::index(rng, n - 1);
        if j >= i {
            j += 1;
        }
        exchange(x, i, j, eps, mu);
    }
}

/// `pairs` random encounters along the ties of `net` (a node with no tie is skipped).
pub fn network_round(x: &mut [f64], net: &Network, pairs: usize, eps: f64, mu: f64, rng: &mut Rng) {
    let n = x.len();
    for _ in 0..pairs {
        let i = rng::index(rng, n);
        let nb = net.neighbours(i as u32);
        if nb.is_empty() {
            continue;
        }
        let j = nb[rng::index(rng, nb.len())] as usize;
        exchange(x, i, j, eps, mu);
    }
}

/// Opinion clusters: maximal runs of sorted opinions whose neighbours are less than `gap`
/// apart. Returns the cluster sizes in order of opinion.
pub fn clusters(x: &[f64], gap: f64) -> Vec<usize> {
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut sizes = Vec::new();
    let mut run = 0usize;
    for (k, v) in sorted.iter().enumerate() {
        if k > 0 && v - sorted[k - 1] >= gap {
            sizes.push(run);
            run = 0;
        }
        run += 1;
    }
    if run > 0 {
        sizes.push(run);
    }
    sizes
}

/// The share of opinions at or above one half: support for a proposal.
pub fn support_share(x: &[f64]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    x.iter().filter(|&&v| v >= 0.5).count() as f64 / x.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, stream};

    #[test]
    fn exchange_respects_the_bound() {
        let mut x = vec![0.2, 0.5];
        assert!(!exchange(&mut x, 0, 1, 0.3, 0.5));
        assert_eq!(x, vec![0.2, 0.5]);
        assert!(exchange(&mut x, 0, 1, 0.31, 0.5));
        assert!((x[0] - 0.35).abs() < 1e-12 && (x[1] - 0.35).abs() < 1e-12);
    }

    #[test]
    fn exchange_conserves_the_mean() {
        let mut r = stream(1, Purpose::Verify, 0, 0);
        let mut x: Vec<f64> = (0..200).map(|_| rng::unit_f64(&mut r)).collect();
        let before: f64 = x.iter().sum();
        complete_round(&mut x, 20_000, 0.3, 0.3, &mut r);
        let after: f64 = x.iter().sum();
        assert!((before - after).abs() < 1e-9);
    }

    #[test]
    fn wide_confidence_reaches_consensus() {
        let mut r = stream(2, Purpose::Verify, 0, 0);
        let mut x: Vec<f64> = (0..300).map(|_| rng::unit_f64(&mut r)).collect();
        complete_round(&mut x, 300 * 100, 1.0, 0.5, &mut r);
        assert_eq!(clusters(&x, 0.01).len(), 1);
    }

    #[test]
    fn clusters_split_on_gaps() {
        assert_eq!(
            clusters(&[0.1, 0.105, 0.5, 0.9, 0.905], 0.01),
            vec![2, 1, 2]
        );
        assert_eq!(support_share(&[0.1, 0.5, 0.9, 0.2]), 0.5);
    }
}
