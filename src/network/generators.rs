//! Random-graph generators. The engine's community network and the verification cases use
//! these same functions. Each emits undirected pairs over local ids `0..n` through a
//! callback, so the caller maps them to global ids and tie kinds without an extra copy.

use crate::rng::{self, Rng};

/// Erdős–Rényi G(n, p) with p = `mean_degree` / (n − 1), by geometric skipping
/// (Batagelj & Brandes 2005), O(n + m).
pub fn erdos_renyi(n: u32, mean_degree: f64, rng: &mut Rng, mut emit: impl FnMut(u32, u32)) {
    if n < 2 || mean_degree <= 0.0 {
        return;
    }
    let p = (mean_degree / (n as f64 - 1.0)).min(1.0);
    if p >= 1.0 {
        return complete(n, emit);
    }
    let log_q = (1.0 - p).ln();
    let (mut v, mut w): (i64, i64) = (1, -1);
    let n = n as i64;
    while v < n {
        let r = rng::unit_f64(rng);
        w += 1 + ((1.0 - r).ln() / log_q).floor() as i64;
        while w >= v && v < n {
            w -= v;
            v += 1;
        }
        if v < n {
            emit(v as u32, w as u32);
        }
    }
}

/// The complete graph on `n` nodes.
pub fn complete(n: u32, mut emit: impl FnMut(u32, u32)) {
    for a in 0..n {
        for b in a + 1..n {
            emit(a, b);
        }
    }
}

/// Watts–Strogatz (1998): a ring where each node ties to its `k` nearest neighbours
/// (k/2 on each side; `k` is rounded down to even), then each lattice tie (u, u+j) is
/// rewired with probability `p` to a uniformly chosen node that is neither u nor already
/// tied to u. Rewiring keeps the tie count.
pub fn watts_strogatz(n: u32, k: u32, p: f64, rng: &mut Rng, mut emit: impl FnMut(u32, u32)) {
    let half = (k / 2).min(n.saturating_sub(1) / 2);
    if n < 2 || half == 0 {
        return;
    }
    let mut adj: Vec<Vec<u32>> = vec![Vec::with_capacity(2 * half as usize); n as usize];
    for u in 0..n {
        for j in 1..=half {
            let v = (u + j) % n;
            adj[u as usize].push(v);
            adj[v as usize].push(u);
        }
    }
    if p > 0.0 {
        for j in 1..=half {
            for u in 0..n {
                let v = (u + j) % n;
                if rng::unit_f64(rng) >= p || adj[u as usize].len() as u32 >= n - 1 {
                    continue;
                }
                if !adj[u as usize].contains(&v) {
                    continue; // this lattice tie was already rewired away from v's side
                }
                let w = loop {
                    let w = rng::index(rng, n as usize) as u32;
                    if w != u && !adj[u as usize].contains(&w) {
                        break w;
                    }
                };
                adj[u as usize].retain(|&x| x != v);
                adj[v as usize].retain(|&x| x != u);
                adj[u as usize].push(w);
                adj[w as usize].push(u);
            }
        }
    }
    for (u, row) in adj.iter().enumerate() {
        for &v in row {
            if (u as u32) < v {
                emit(u as u32, v);
            }
        }
    }
}

/// Barabási–Albert (1999) preferential attachment: starts from `m` unconnected nodes; each
/// new node ties to `m` distinct existing nodes chosen with probability proportional to
/// degree (the first new node ties to all `m` starters).
pub fn barabasi_albert(n: u32, m: u32, rng: &mut Rng, mut emit: impl FnMut(u32, u32)) {
    if m == 0 || n <= m {
        return;
    }
    // Each node appears in `ends` once per tie end, so a uniform pick is degree-weighted.
    let mut ends: Vec<u32> = Vec::with_capacity(2 * (n as usize) * m as usize);
    let mut chosen: Vec<u32> = Vec::with_capacity(m as usize);
    for new in m..n {
        chosen.clear();
        if new == m {
            chosen.extend(0..m);
        } else {
            while chosen.len() < m as usize {
                let t = ends[rng::index(rng, ends.len())];
                if !chosen.contains(&t) {
                    chosen.push(t);
                }
            }
        }
        for &t in &chosen {
            emit(t, new);
            ends.push(t);
            ends.push(new);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, stream};

    fn collect(f: impl FnOnce(&mut dyn FnMut(u32, u32))) -> Vec<(u32, u32)> {
        let mut v = Vec::new();
        f(&mut |a, b| v.push((a.min(b), a.max(b))));
        v
    }

    #[test]
    fn er_mean_degree_close_to_target() {
        let mut r = stream(3, Purpose::Verify, 0, 0);
        let edges = collect(|e| erdos_renyi(20_000, 4.0, &mut r, e));
        let z = 2.0 * edges.len() as f64 / 20_000.0;
        assert!((z - 4.0).abs() < 0.1, "mean degree {z}");
        let mut sorted = edges.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), edges.len(), "duplicate pairs");
        assert!(edges.iter().all(|&(a, b)| a != b && b < 20_000));
    }

    #[test]
    fn ws_keeps_tie_count_and_has_no_duplicates() {
        let mut r = stream(3, Purpose::Verify, 1, 0);
        for p in [0.0, 0.1, 1.0] {
            let mut edges = collect(|e| watts_strogatz(500, 10, p, &mut r, e));
            assert_eq!(edges.len(), 2500);
            edges.sort_unstable();
            edges.dedup();
            assert_eq!(edges.len(), 2500, "p = {p}");
        }
    }

    #[test]
    fn ba_has_m_ties_per_new_node() {
        let mut r = stream(3, Purpose::Verify, 2, 0);
        let mut edges = collect(|e| barabasi_albert(1000, 3, &mut r, e));
        assert_eq!(edges.len(), 997 * 3);
        edges.sort_unstable();
        edges.dedup();
        assert_eq!(edges.len(), 997 * 3);
    }

    #[test]
    fn complete_graph_size() {
        assert_eq!(collect(|e| complete(10, e)).len(), 45);
    }
}
