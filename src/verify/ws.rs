//! Watts–Strogatz (1998) small worlds from the engine's generator: exact clustering of the
//! ring lattice, and path length falling long before clustering as rewiring rises.

use std::collections::VecDeque;

use serde_json::json;

use super::{Case, MeanSe, Param, Params, Point, Report, replicates, require};
use crate::Result;
use crate::network::{Edge, Network, TieKind, generators};
use crate::rng::{self, Purpose};

/// The case.
pub const CASE: Case = Case {
    name: "ws",
    about: "Watts–Strogatz: lattice clustering 3(k−2)/(4(k−1)); path length falls before clustering",
    source: "Watts & Strogatz 1998, Nature 393:440; Barrat & Weigt 2000, Eur. Phys. J. B 13:547",
    params: &[
        Param { name: "n", value_name: "N", default: Some("1000"), help: "Number of nodes" },
        Param { name: "k", value_name: "K", default: Some("10"), help: "Lattice degree (even)" },
        Param { name: "p", value_name: "P", default: Some("0.01"), help: "Rewiring probability in [0, 1]" },
    ],
    default_runs: 20,
    suite,
    probe,
};

/// Stream tag of this case.
const TAG: u64 = 4;

/// A Watts–Strogatz graph from the engine's generator, replicate `run` of `seed`.
pub fn graph(n: u32, k: u32, p: f64, seed: u64, run: u64) -> Network {
    let mut rng = rng::stream(seed, Purpose::Verify, TAG, run);
    let mut edges = Vec::new();
    generators::watts_strogatz(n, k, p, &mut rng, |a, b| edges.push(Edge { a, b, kind: TieKind::Bonding }));
    Network::from_edges(n, n, edges)
}

/// Mean local clustering coefficient (Watts & Strogatz 1998): the mean over nodes of the
/// share of a node's neighbour pairs that are tied; nodes with fewer than two neighbours
/// count as 0.
pub fn clustering(net: &Network) -> f64 {
    let n = net.n_nodes();
    if n == 0 {
        return 0.0;
    }
    let mut total = 0.0;
    for i in 0..n {
        let nb = net.neighbours(i);
        let d = nb.len();
        if d < 2 {
            continue;
        }
        // Ties among neighbours by merging sorted rows; each counted twice.
        let mut links = 0usize;
        for &j in nb {
            links += sorted_overlap(nb, net.neighbours(j));
        }
        total += links as f64 / (d * (d - 1)) as f64;
    }
    total / n as f64
}

fn sorted_overlap(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut c) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                c += 1;
                i += 1;
                j += 1;
            }
        }
    }
    c
}

/// Mean shortest-path length over all ordered pairs that are connected (breadth-first
/// search from every node).
pub fn path_length(net: &Network) -> f64 {
    let n = net.n_nodes() as usize;
    let mut dist = vec![u32::MAX; n];
    let mut queue = VecDeque::with_capacity(n);
    let (mut sum, mut pairs) = (0u64, 0u64);
    for s in 0..n {
        dist.iter_mut().for_each(|d| *d = u32::MAX);
        dist[s] = 0;
        queue.push_back(s as u32);
        while let Some(u) = queue.pop_front() {
            let du = dist[u as usize];
            for &v in net.neighbours(u) {
                if dist[v as usize] == u32::MAX {
                    dist[v as usize] = du + 1;
                    sum += du as u64 + 1;
                    pairs += 1;
                    queue.push_back(v);
                }
            }
        }
    }
    if pairs == 0 { f64::NAN } else { sum as f64 / pairs as f64 }
}

/// Clustering and path length over `runs` graphs.
pub fn point(n: u32, k: u32, p: f64, seed: u64, runs: usize) -> (Point, MeanSe, MeanSe) {
    let cl: Vec<(f64, f64)> = replicates(runs, |r| {
        let net = graph(n, k, p, seed, r);
        (clustering(&net), path_length(&net))
    });
    let c: Vec<f64> = cl.iter().map(|v| v.0).collect();
    let l: Vec<f64> = cl.iter().map(|v| v.1).collect();
    let mut pt = Point::new(json!({"n": n, "k": k, "p": p}), runs);
    let c = pt.mean_se("clustering", &c);
    let l = pt.mean_se("path_length", &l);
    pt.stat("clustering_lattice", lattice_clustering(k));
    (pt, c, l)
}

/// The clustering of the ring lattice, 3(k − 2)/(4(k − 1)) (Watts & Strogatz 1998).
pub fn lattice_clustering(k: u32) -> f64 {
    3.0 * (k as f64 - 2.0) / (4.0 * (k as f64 - 1.0))
}

fn suite(seed: u64, runs: usize) -> Result<Report> {
    let mut rep = Report::new(&CASE, seed);
    let (n, k) = (1000, 10);
    let c0 = lattice_clustering(k);
    let (pt, c, l0) = point(n, k, 0.0, seed, 1);
    rep.check(
        format!("n={n}, k={k}, p=0"),
        format!("C = 3(k−2)/(4(k−1)) = {c0:.4}"),
        format!("{:.6}", c.mean),
        "1e-12",
        (c.mean - c0).abs() < 1e-12,
    );
    rep.points.push(pt);
    for p in [0.001, 0.01, 0.1, 1.0] {
        let (pt, c, l) = point(n, k, p, seed, runs);
        let params = format!("n={n}, k={k}, p={p}, runs={runs}");
        if p == 0.01 {
            // The small-world regime: L has more than halved while C has kept 90%.
            let (rl, rc) = (l.mean / l0.mean, c.mean / c0);
            let (sl, sc) = (l.se / l0.mean, c.se / c0);
            rep.check(
                params.clone(),
                "small world: L/L(0) < 0.5 while C/C(0) > 0.9",
                format!("L/L(0) = {rl:.3} ± {sl:.3}, C/C(0) = {rc:.3} ± {sc:.3}"),
                "3 SE",
                rl + 3.0 * sl < 0.5 && rc - 3.0 * sc > 0.9,
            );
        }
        if p <= 0.1 {
            // Barrat & Weigt's C(p) ≈ C(0)(1 − p)³ is for the ratio of means; the mean of
            // local coefficients differs from it by O(p/k), hence the model tolerance.
            let bw = c0 * (1.0 - p).powi(3);
            let tol = 0.01;
            rep.check(
                params,
                format!("C ≈ C(0)(1−p)³ = {bw:.4}"),
                format!("{c}"),
                format!("± {tol} + 3 SE"),
                (c.mean - bw).abs() <= tol + 3.0 * c.se,
            );
        }
        rep.points.push(pt);
    }
    Ok(rep)
}

fn probe(params: &Params, seed: u64, runs: usize) -> Result<Report> {
    let n = params.u32("n")?;
    let k = params.u32("k")?;
    let p = params.f64("p")?;
    // Path length is all-pairs breadth-first search, O(n² k): cap n to keep a probe short.
    require((3..=20_000).contains(&n), "n", "a whole number from 3 to 20000", n)?;
    require(k >= 2 && k % 2 == 0 && k < n, "k", "an even whole number from 2 to n − 1", k)?;
    require((0.0..=1.0).contains(&p), "p", "a probability in [0, 1]", p)?;
    let mut rep = Report::new(&CASE, seed);
    rep.points.push(point(n, k, p, seed, runs).0);
    Ok(rep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lattice_clustering_is_exact() {
        let net = graph(200, 6, 0.0, 0, 0);
        assert!((clustering(&net) - lattice_clustering(6)).abs() < 1e-12);
    }

    #[test]
    fn path_length_of_a_ring() {
        // Ring of 6 with k = 2: distances 1,1,2,2,3 from each node → mean 9/5.
        let net = graph(6, 2, 0.0, 0, 0);
        assert!((path_length(&net) - 1.8).abs() < 1e-12);
    }
}
