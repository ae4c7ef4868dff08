//! The tie network in compressed sparse row (CSR) form.
//!
//! Nodes `0..n_residents` are residents; nodes `n_residents..n_nodes` are institutional
//! nodes (party branches, grid leaders, social workers, community committees, street
//! offices). Every tie is stored in both directions, rows are sorted by target, and there
//! are no self-ties and no duplicate ties. Each stored tie has a [`TieKind`] and the tick
//! it was last used, so that unused ties can decay.
//!
//! The network is rebuilt, never edited in place: [`Network::rebuild`] drops decayed ties
//! and adds new ones in one pass, which keeps the CSR arrays dense and the per-tick loops
//! free of allocation.

pub mod generators;

use rayon::slice::ParallelSliceMut;
use serde::Serialize;

/// The three kinds of tie that social-capital research separates (Putnam 2000; Woolcock 2001).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[repr(u8)]
pub enum TieKind {
    /// Within a household or building (邻里, 楼组).
    Bonding = 0,
    /// Across buildings or communities: organisations, forums, online groups.
    Bridging = 1,
    /// From a resident to an institutional node (party, grid, social worker, committee).
    Linking = 2,
}

/// An undirected tie as generators and formation events produce it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edge {
    /// One end.
    pub a: u32,
    /// The other end.
    pub b: u32,
    /// Its kind.
    pub kind: TieKind,
}

/// A symmetric tie network in CSR form. See the module docs for its invariants.
#[derive(Debug, Clone, Default)]
pub struct Network {
    n_residents: u32,
    offsets: Vec<u32>,
    targets: Vec<u32>,
    kinds: Vec<TieKind>,
    last_used: Vec<u16>,
}

impl Network {
    /// Builds a network over `n_nodes` nodes, of which the first `n_residents` are residents.
    ///
    /// Self-ties are dropped; a pair given twice keeps the first kind in `TieKind` order
    /// (bonding before bridging before linking). The result does not depend on the order
    /// of `edges`.
    pub fn from_edges(n_nodes: u32, n_residents: u32, edges: &[Edge]) -> Self {
        let mut net = Network {
            n_residents,
            ..Default::default()
        };
        net.fill(n_nodes, edges.iter().map(|e| (*e, 0)));
        net
    }

    /// Fills the CSR arrays from undirected edges with their last-used tick.
    fn fill(&mut self, n_nodes: u32, edges: impl Iterator<Item = (Edge, u16)>) {
        // Directed copies, sorted by (source, target, kind): the first of a pair's
        // duplicates then carries the lowest kind.
        let mut directed: Vec<(u32, u32, TieKind, u16)> = Vec::new();
        for (e, used) in edges {
            if e.a == e.b {
                continue;
            }
            directed.push((e.a, e.b, e.kind, used));
            directed.push((e.b, e.a, e.kind, used));
        }
        // Keys are totally ordered, so the parallel sort gives one result for any thread count.
        directed.par_sort_unstable();
        // A pair given twice is one tie: it keeps the lowest kind and its latest use, so a
        // tie formed again is the same tie, refreshed.
        directed.dedup_by(|later, kept| {
            let same = later.0 == kept.0 && later.1 == kept.1;
            if same {
                kept.3 = kept.3.max(later.3);
            }
            same
        });
        self.offsets.clear();
        self.offsets.resize(n_nodes as usize + 1, 0);
        for &(s, ..) in &directed {
            self.offsets[s as usize + 1] += 1;
        }
        for i in 0..n_nodes as usize {
            self.offsets[i + 1] += self.offsets[i];
        }
        self.targets = directed.iter().map(|d| d.1).collect();
        self.kinds = directed.iter().map(|d| d.2).collect();
        self.last_used = directed.iter().map(|d| d.3).collect();
    }

    /// Number of nodes, residents and institutional nodes together.
    pub fn n_nodes(&self) -> u32 {
        (self.offsets.len().saturating_sub(1)) as u32
    }

    /// Number of resident nodes (the first ids).
    pub fn n_residents(&self) -> u32 {
        self.n_residents
    }

    /// Number of undirected ties.
    pub fn n_ties(&self) -> usize {
        self.targets.len() / 2
    }

    /// The index range of node `i`'s row in [`Self::targets`] and [`Self::kinds`].
    #[inline]
    pub fn row(&self, i: u32) -> std::ops::Range<usize> {
        self.offsets[i as usize] as usize..self.offsets[i as usize + 1] as usize
    }

    /// Neighbours of node `i`, sorted.
    #[inline]
    pub fn neighbours(&self, i: u32) -> &[u32] {
        &self.targets[self.row(i)]
    }

    /// Kinds of node `i`'s ties, parallel to [`Self::neighbours`].
    #[inline]
    pub fn kinds_of(&self, i: u32) -> &[TieKind] {
        &self.kinds[self.row(i)]
    }

    /// Degree of node `i`.
    #[inline]
    pub fn degree(&self, i: u32) -> usize {
        self.row(i).len()
    }

    /// All stored (directed) targets; with [`Self::row`] this is the raw CSR.
    pub fn targets(&self) -> &[u32] {
        &self.targets
    }

    /// All stored (directed) tie kinds.
    pub fn kinds(&self) -> &[TieKind] {
        &self.kinds
    }

    /// The tick at which each stored tie was last used.
    pub fn last_used(&self) -> &[u16] {
        &self.last_used
    }

    /// Whether `a` and `b` are tied.
    pub fn has_tie(&self, a: u32, b: u32) -> bool {
        self.neighbours(a).binary_search(&b).is_ok()
    }

    /// Marks the tie between `a` and `b` (both directions) as used at `tick`, if it exists.
    pub fn touch(&mut self, a: u32, b: u32, tick: u16) -> bool {
        let (ra, rb) = (self.row(a), self.row(b));
        match (
            self.targets[ra.clone()].binary_search(&b),
            self.targets[rb.clone()].binary_search(&a),
        ) {
            (Ok(i), Ok(j)) => {
                self.last_used[ra.start + i] = tick;
                self.last_used[rb.start + j] = tick;
                true
            }
            _ => false,
        }
    }

    /// Marks every tie between two residents of `range` as used at `tick`: people acting
    /// together on one issue (a building's co-funders, a forum's affected) use their ties.
    pub fn touch_within(&mut self, range: std::ops::Range<u32>, tick: u16) {
        for a in range.clone() {
            let row = self.row(a);
            let t = &self.targets[row.clone()];
            let lo = t.partition_point(|&b| b < range.start);
            let hi = t.partition_point(|&b| b < range.end);
            self.last_used[row.start + lo..row.start + hi].fill(tick);
        }
    }

    /// Marks every tie among `members` (sorted, distinct) as used at `tick`.
    pub fn touch_among(&mut self, members: &[u32], tick: u16) {
        for &a in members {
            let row = self.row(a);
            for idx in row {
                if members.binary_search(&self.targets[idx]).is_ok() {
                    self.last_used[idx] = tick;
                }
            }
        }
    }

    /// Rebuilds the network: asks `keep(a, b, kind, last_used)` once per undirected tie
    /// (with `a < b`), which returns the tie's last use to keep it (possibly refreshed) or
    /// `None` to drop it; then adds `new_edges` stamped `tick`.
    pub fn rebuild(
        &mut self,
        mut keep: impl FnMut(u32, u32, TieKind, u16) -> Option<u16>,
        new_edges: &[Edge],
        tick: u16,
    ) {
        let n_nodes = self.n_nodes();
        let mut kept: Vec<(Edge, u16)> = Vec::with_capacity(self.n_ties() + new_edges.len());
        for a in 0..n_nodes {
            for idx in self.row(a) {
                let b = self.targets[idx];
                if a < b
                    && let Some(used) = keep(a, b, self.kinds[idx], self.last_used[idx])
                {
                    kept.push((
                        Edge {
                            a,
                            b,
                            kind: self.kinds[idx],
                        },
                        used,
                    ));
                }
            }
        }
        kept.extend(new_edges.iter().map(|e| (*e, tick)));
        self.fill(n_nodes, kept.into_iter());
    }

    /// Checks the structural invariants: symmetric, sorted rows, no self-ties, no
    /// duplicates, matching kinds in both directions. Returns the first violation.
    pub fn check_invariants(&self) -> Result<(), String> {
        for a in 0..self.n_nodes() {
            let row = self.neighbours(a);
            for (k, &b) in row.iter().enumerate() {
                if a == b {
                    return Err(format!("self-tie at node {a}"));
                }
                if k > 0 && row[k - 1] >= b {
                    return Err(format!("row {a} not strictly sorted"));
                }
                let back = self.neighbours(b).binary_search(&a);
                match back {
                    Err(_) => return Err(format!("tie {a}->{b} has no reverse")),
                    Ok(j) => {
                        let kind_ab = self.kinds_of(a)[k];
                        let kind_ba = self.kinds_of(b)[j];
                        if kind_ab != kind_ba {
                            return Err(format!("tie {a}-{b} has kinds {kind_ab:?}/{kind_ba:?}"));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(a: u32, b: u32, kind: TieKind) -> Edge {
        Edge { a, b, kind }
    }

    #[test]
    fn builds_symmetric_dedup_without_self_ties() {
        let edges = [
            e(0, 1, TieKind::Bridging),
            e(1, 0, TieKind::Bonding),
            e(2, 2, TieKind::Bonding),
            e(3, 0, TieKind::Linking),
        ];
        let net = Network::from_edges(4, 3, &edges);
        assert_eq!(net.n_ties(), 2);
        assert_eq!(net.neighbours(0), &[1, 3]);
        assert_eq!(net.kinds_of(0), &[TieKind::Bonding, TieKind::Linking]);
        assert_eq!(net.degree(2), 0);
        net.check_invariants().unwrap();
    }

    #[test]
    fn rebuild_drops_and_adds() {
        let edges = [e(0, 1, TieKind::Bonding), e(1, 2, TieKind::Bridging)];
        let mut net = Network::from_edges(3, 3, &edges);
        assert!(net.touch(0, 1, 5));
        assert!(!net.touch(0, 2, 5));
        net.rebuild(
            |_, _, kind, used| (kind == TieKind::Bonding).then_some(used),
            &[e(2, 0, TieKind::Bridging)],
            9,
        );
        assert!(net.has_tie(0, 1) && net.has_tie(0, 2) && !net.has_tie(1, 2));
        let i = net.neighbours(0).binary_search(&1).unwrap();
        assert_eq!(net.last_used()[net.row(0).start + i], 5);
        net.check_invariants().unwrap();
    }

    /// A tie formed again is the same tie, refreshed: it keeps the latest use (before this
    /// rule a re-formed tie kept its oldest stamp and decayed although just used).
    #[test]
    fn a_reformed_tie_is_refreshed() {
        let mut net = Network::from_edges(3, 3, &[e(0, 1, TieKind::Bridging)]);
        net.rebuild(
            |_, _, _, used| Some(used),
            &[e(1, 0, TieKind::Bridging)],
            40,
        );
        let i = net.neighbours(0).binary_search(&1).unwrap();
        assert_eq!(net.n_ties(), 1);
        assert_eq!(net.last_used()[net.row(0).start + i], 40);
        let j = net.neighbours(1).binary_search(&0).unwrap();
        assert_eq!(net.last_used()[net.row(1).start + j], 40);
    }

    /// Joint activity marks exactly the ties among the people acting together.
    #[test]
    fn touching_marks_only_ties_among_the_group() {
        let edges = [
            e(0, 1, TieKind::Bonding),
            e(1, 2, TieKind::Bonding),
            e(2, 3, TieKind::Bridging),
            e(0, 3, TieKind::Bridging),
        ];
        let mut net = Network::from_edges(4, 4, &edges);
        net.touch_within(0..3, 7);
        net.touch_among(&[0, 3], 9);
        let used = |a: u32, b: u32| {
            let i = net.neighbours(a).binary_search(&b).unwrap();
            net.last_used()[net.row(a).start + i]
        };
        assert_eq!(
            (used(0, 1), used(1, 0), used(1, 2), used(2, 1)),
            (7, 7, 7, 7)
        );
        assert_eq!((used(2, 3), used(3, 2)), (0, 0));
        assert_eq!((used(0, 3), used(3, 0)), (9, 9));
    }
}
