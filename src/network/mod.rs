//! The tie network in compressed sparse row (CSR) form.
//!
//! Nodes `0..n_residents` are residents; nodes `n_residents..n_nodes` are institutional
//! nodes (party branches, grid leaders, social workers, community committees, street
//! offices). Every tie is stored in both directions, rows are sorted by target, and there
//! are no self-ties and no duplicate ties. Each stored tie has a [`TieKind`] and the tick
//! it was last used, so that unused ties can decay.
//!
//! The network changes only at a rebuild, never tie by tie: [`Network::rebuild`] drops
//! decayed ties and merges in new ones, in place, which keeps the CSR arrays dense and the
//! per-tick loops free of allocation.

pub mod generators;

use rayon::prelude::*;
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

/// A directed copy of a tie in its source's row: (target, kind, last use).
type Slot = (u32, TieKind, u16);

/// Places both directed copies of each undirected edge (self-ties dropped) in its source's
/// row by a counting sort: the row starts (one per node, and the end) and the unsorted
/// rows. `edges` is walked twice (counting, placing).
fn place(n_nodes: u32, edges: impl Iterator<Item = (Edge, u16)> + Clone) -> (Vec<u32>, Vec<Slot>) {
    let n = n_nodes as usize;
    let mut start = vec![0u32; n + 1];
    for (e, _) in edges.clone().filter(|(e, _)| e.a != e.b) {
        start[e.a as usize + 1] += 1;
        start[e.b as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut next = start[..n].to_vec();
    let mut slots = vec![(0u32, TieKind::Bonding, 0u16); start[n] as usize];
    for (e, used) in edges.filter(|(e, _)| e.a != e.b) {
        for (s, t) in [(e.a, e.b), (e.b, e.a)] {
            slots[next[s as usize] as usize] = (t, e.kind, used);
            next[s as usize] += 1;
        }
    }
    (start, slots)
}

impl Network {
    /// Builds a network over `n_nodes` nodes, of which the first `n_residents` are residents.
    ///
    /// Self-ties are dropped; a pair given twice keeps the first kind in `TieKind` order
    /// (bonding before bridging before linking). The result does not depend on the order
    /// of `edges`.
    ///
    /// The edge list is dropped as soon as its ties are placed, before the CSR arrays are
    /// made: building a world holds at most two copies of its ties, not three.
    pub fn from_edges(n_nodes: u32, n_residents: u32, edges: impl Into<Vec<Edge>>) -> Self {
        let edges = edges.into();
        let (start, slots) = place(n_nodes, edges.iter().map(|e| (*e, 0)));
        drop(edges);
        let mut net = Network {
            n_residents,
            ..Default::default()
        };
        net.fill_from(start, slots);
        net
    }

    /// Fills the CSR arrays from undirected edges with their last-used tick ([`place`],
    /// then [`Self::fill_from`]).
    #[cfg(test)]
    fn fill(&mut self, n_nodes: u32, edges: impl Iterator<Item = (Edge, u16)> + Clone) {
        let (start, slots) = place(n_nodes, edges);
        self.fill_from(start, slots);
    }

    /// Fills the CSR arrays from [`place`]'s rows: each row is sorted by (target, kind,
    /// last use) and de-duplicated, which gives the arrays a sort of all directed copies by
    /// (source, target, kind, last use) gives, in O(ties + nodes) plus small per-row sorts.
    fn fill_from(&mut self, start: Vec<u32>, mut slots: Vec<Slot>) {
        let n = start.len() - 1;
        // Rows are sorted and de-duplicated in fixed blocks of nodes (the result does not
        // depend on the thread count). A pair given twice is one tie: it keeps the lowest
        // kind and its latest use, so a tie formed again is the same tie, refreshed.
        const BLOCK: usize = 4096;
        let mut unique = vec![0u32; n]; // the de-duplicated length of each row
        let mut blocks = Vec::with_capacity(n.div_ceil(BLOCK));
        let mut rest = slots.as_mut_slice();
        for (k, lens) in unique.chunks_mut(BLOCK).enumerate() {
            let lo = k * BLOCK;
            let len = (start[lo + lens.len()] - start[lo]) as usize;
            let (block, tail) = std::mem::take(&mut rest).split_at_mut(len);
            rest = tail;
            blocks.push((lo, block, lens));
        }
        blocks.into_par_iter().for_each(|(lo, block, lens)| {
            let base = start[lo];
            for (k, len) in lens.iter_mut().enumerate() {
                let row = &mut block
                    [(start[lo + k] - base) as usize..(start[lo + k + 1] - base) as usize];
                row.sort_unstable();
                let mut m = 0;
                for x in 0..row.len() {
                    if m > 0 && row[m - 1].0 == row[x].0 {
                        row[m - 1].2 = row[m - 1].2.max(row[x].2);
                    } else {
                        row[m] = row[x];
                        m += 1;
                    }
                }
                *len = m as u32;
            }
        });
        let total = unique.iter().map(|&m| m as usize).sum();
        self.offsets.clear();
        self.offsets.reserve_exact(n + 1);
        self.offsets.push(0);
        self.targets.clear();
        self.targets.reserve_exact(total);
        self.kinds.clear();
        self.kinds.reserve_exact(total);
        self.last_used.clear();
        self.last_used.reserve_exact(total);
        for i in 0..n {
            for &(t, kind, used) in &slots[start[i] as usize..][..unique[i] as usize] {
                self.targets.push(t);
                self.kinds.push(kind);
                self.last_used.push(used);
            }
            self.offsets.push(self.targets.len() as u32);
        }
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

    /// Resident neighbours of node `i`: the front of its row, since resident ids come
    /// before institutional nodes' and rows are sorted.
    #[inline]
    pub fn resident_neighbours(&self, i: u32) -> &[u32] {
        let row = self.neighbours(i);
        let mut end = row.len();
        while end > 0 && row[end - 1] >= self.n_residents {
            end -= 1;
        }
        &row[..end]
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
    /// (with `a < b`, in row order), which returns the tie's last use to keep it (possibly
    /// refreshed) or `None` to drop it; then adds `new_edges` stamped `tick`. The result is
    /// [`Self::from_edges`]' on the kept and new ties: a tie given again keeps the lowest
    /// kind and its latest use.
    ///
    /// The kept ties are already sorted, so each row is a merge of its kept entries with
    /// its sorted new ones, in O(ties + new log new), in place: a rebuild holds the network
    /// once, not the old and the new one.
    pub fn rebuild(
        &mut self,
        mut keep: impl FnMut(u32, u32, TieKind, u16) -> Option<u16>,
        new_edges: &[Edge],
        tick: u16,
    ) {
        let n = self.n_nodes() as usize;
        // Each tie is decided once, from its lower end; the decision goes to both stored
        // directions. Row b's entries below b are the reverse ones, met in ascending order
        // of a, so a cursor per row finds them.
        let mut alive = vec![false; self.targets.len()];
        let mut reverse = self.offsets[..n].to_vec();
        for a in 0..n {
            for idx in self.row(a as u32) {
                let b = self.targets[idx] as usize;
                if b <= a {
                    continue;
                }
                let back = reverse[b] as usize;
                reverse[b] += 1;
                debug_assert_eq!(self.targets[back] as usize, a);
                if let Some(used) = keep(a as u32, b as u32, self.kinds[idx], self.last_used[idx]) {
                    alive[idx] = true;
                    alive[back] = true;
                    self.last_used[idx] = used;
                    self.last_used[back] = used;
                }
            }
        }
        drop(reverse);
        let mut added: Vec<(u32, u32, TieKind, u16)> = new_edges
            .iter()
            .filter(|e| e.a != e.b)
            .flat_map(|e| [(e.a, e.b, e.kind, tick), (e.b, e.a, e.kind, tick)])
            .collect();
        // Keys are totally ordered, so the parallel sort gives one result for any thread count.
        added.par_sort_unstable();

        // In place: first the kept entries move to the front, row by row (every entry
        // moves left), and each row's final length is counted (its kept entries plus the
        // targets new to it); then the rows, from the last, merge with their new entries
        // into their final places (every entry moves right: no row ends up shorter than
        // its kept entries, so none ends before its kept entries did).
        let mut end = Vec::with_capacity(n);
        let (mut kept, mut k, mut total) = (0usize, 0usize, 0usize);
        for a in 0..n {
            let row = self.row(a as u32);
            self.offsets[a] = kept as u32;
            let first = kept;
            for idx in row {
                if alive[idx] {
                    self.targets[kept] = self.targets[idx];
                    self.kinds[kept] = self.kinds[idx];
                    self.last_used[kept] = self.last_used[idx];
                    kept += 1;
                }
            }
            let old = &self.targets[first..kept];
            let (mut i, mut previous) = (0, None);
            let mut len = old.len();
            while let Some(&(_, t, _, _)) = added.get(k).filter(|x| x.0 as usize == a) {
                k += 1;
                if previous == Some(t) {
                    continue;
                }
                previous = Some(t);
                while i < old.len() && old[i] < t {
                    i += 1;
                }
                len += (i == old.len() || old[i] != t) as usize;
            }
            total += len;
            end.push(total as u32);
        }
        self.offsets[n] = kept as u32;
        drop(alive);
        // To the exact length: `resize` alone may double the capacity, which the allocator
        // would hold (and `footprint` would have to count).
        let extra = total.saturating_sub(self.targets.len());
        self.targets.reserve_exact(extra);
        self.kinds.reserve_exact(extra);
        self.last_used.reserve_exact(extra);
        self.targets.resize(total, 0);
        self.kinds.resize(total, TieKind::Bonding);
        self.last_used.resize(total, 0);
        let mut k = added.len();
        for a in (0..n).rev() {
            let (old_start, mut i) = (self.offsets[a] as usize, self.offsets[a + 1] as usize);
            let mut w = end[a] as usize;
            if k.checked_sub(1).is_none_or(|j| added[j].0 as usize != a) {
                // No new ties in this row (most rows): its kept entries move as they are.
                let to = w - (i - old_start);
                self.targets.copy_within(old_start..i, to);
                self.kinds.copy_within(old_start..i, to);
                self.last_used.copy_within(old_start..i, to);
                continue;
            }
            // Backwards in (target, kind, last use) order, as a sort of all of them would
            // give: a tie given again keeps its lowest kind and its latest use.
            let mut pending: Option<(u32, TieKind, u16)> = None;
            loop {
                let old = (i > old_start).then(|| {
                    (
                        self.targets[i - 1],
                        self.kinds[i - 1],
                        self.last_used[i - 1],
                    )
                });
                let new = k
                    .checked_sub(1)
                    .map(|j| added[j])
                    .filter(|x| x.0 as usize == a)
                    .map(|x| (x.1, x.2, x.3));
                let next = match (old, new) {
                    (None, None) => break,
                    (Some(o), Some(x)) if x > o => {
                        k -= 1;
                        x
                    }
                    (Some(o), _) => {
                        i -= 1;
                        o
                    }
                    (None, Some(x)) => {
                        k -= 1;
                        x
                    }
                };
                match &mut pending {
                    Some(p) if p.0 == next.0 => {
                        p.1 = next.1;
                        p.2 = p.2.max(next.2);
                    }
                    _ => {
                        if let Some((t, kind, used)) = pending.replace(next) {
                            w -= 1;
                            (self.targets[w], self.kinds[w], self.last_used[w]) = (t, kind, used);
                        }
                    }
                }
            }
            if let Some((t, kind, used)) = pending {
                w -= 1;
                (self.targets[w], self.kinds[w], self.last_used[w]) = (t, kind, used);
            }
            debug_assert_eq!(w, if a == 0 { 0 } else { end[a - 1] as usize });
        }
        self.offsets[1..].copy_from_slice(&end);
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
                // Linking ties, and only they, join a resident to an institutional node.
                let institutional = (a >= self.n_residents) != (b >= self.n_residents);
                if institutional != (self.kinds_of(a)[k] == TieKind::Linking) {
                    return Err(format!("tie {a}-{b} is {:?}", self.kinds_of(a)[k]));
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
    use proptest::prelude::*;

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
        let net = Network::from_edges(4, 3, edges);
        assert_eq!(net.n_ties(), 2);
        assert_eq!(net.neighbours(0), &[1, 3]);
        assert_eq!(net.kinds_of(0), &[TieKind::Bonding, TieKind::Linking]);
        assert_eq!(net.degree(2), 0);
        net.check_invariants().unwrap();
    }

    /// A tie to an institutional node must be Linking, and a Linking tie must reach one:
    /// the resident phase counts peers as the front of a row on this.
    #[test]
    fn linking_ties_are_exactly_the_ties_to_institutional_nodes() {
        let ok = Network::from_edges(3, 2, [e(0, 1, TieKind::Bonding), e(0, 2, TieKind::Linking)]);
        ok.check_invariants().unwrap();
        assert_eq!(ok.resident_neighbours(0), &[1]);
        let to_node = Network::from_edges(3, 2, [e(0, 2, TieKind::Bridging)]);
        assert!(to_node.check_invariants().is_err());
        let between_residents = Network::from_edges(3, 2, [e(0, 1, TieKind::Linking)]);
        assert!(between_residents.check_invariants().is_err());
    }

    #[test]
    fn rebuild_drops_and_adds() {
        let edges = [e(0, 1, TieKind::Bonding), e(1, 2, TieKind::Bridging)];
        let mut net = Network::from_edges(3, 3, edges);
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
        let mut net = Network::from_edges(3, 3, [e(0, 1, TieKind::Bridging)]);
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

    fn arb_edges(n: u32, max: usize) -> impl Strategy<Value = Vec<(u32, u32, u8, u16)>> {
        prop::collection::vec((0..n, 0..n, 0u8..2, 0u16..50), 0..max)
    }

    fn edge(a: u32, b: u32, k: u8) -> Edge {
        let kind = [TieKind::Bonding, TieKind::Bridging][k as usize];
        e(a, b, kind)
    }

    proptest! {
        /// The merging rebuild gives exactly what building from scratch gives on the kept
        /// ties (with their uses) and the new ones: same rows, kinds and last uses.
        #[test]
        fn rebuild_equals_building_from_the_kept_and_new_ties(
            old in arb_edges(40, 200),
            new in arb_edges(40, 60),
            drop_mask in prop::collection::vec(any::<bool>(), 200),
            refresh in 0u16..60,
        ) {
            let n = 40;
            let mut net = Network {
                n_residents: n,
                ..Default::default()
            };
            net.fill(n, old.iter().map(|&(a, b, k, u)| (edge(a, b, k), u)));
            let mut kept = Vec::new();
            let mut asked = 0;
            let new_edges: Vec<Edge> = new.iter().map(|&(a, b, k, _)| edge(a, b, k)).collect();
            let mut expected = net.clone();
            net.rebuild(
                |a, b, kind, used| {
                    asked += 1;
                    let keep = !drop_mask[asked % drop_mask.len()];
                    let used = if asked % 3 == 0 { used.max(refresh) } else { used };
                    keep.then(|| {
                        kept.push((Edge { a, b, kind }, used));
                        used
                    })
                },
                &new_edges,
                refresh,
            );
            kept.extend(new_edges.iter().map(|&e| (e, refresh)));
            expected.fill(n, kept.iter().copied());
            prop_assert_eq!(&net.offsets, &expected.offsets);
            prop_assert_eq!(&net.targets, &expected.targets);
            prop_assert_eq!(&net.kinds, &expected.kinds);
            prop_assert_eq!(&net.last_used, &expected.last_used);
            prop_assert!(net.check_invariants().is_ok());
        }
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
        let mut net = Network::from_edges(4, 4, edges);
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
