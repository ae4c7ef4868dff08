//! Two-level factorial designs over switches (`[experiment] switches = [...]`): the full
//! 2^k design, or a regular fraction 2^(k−p) of stated resolution (Box, Hunter & Hunter
//! 2005, *Statistics for Experimenters*, ch. 6; Wu & Hamada 2009, *Experiments*, ch. 5).
//!
//! A design has `2^m` cells. The first `m` switches (the base factors) run through all
//! their combinations, the first switch slowest; each further switch is set by a generator,
//! a product of base factors in ±1 coding (`F = ABCD`). The generators' words and all their
//! products form the defining relation; the shortest word's length is the resolution, and
//! an effect is aliased with its product with every word. Resolution ≥ 5 (V) keeps main
//! effects and two-factor interactions apart from each other.
//!
//! Generators are found by a depth-first search over the columns of GF(2)^m in ascending
//! order: a column may join when it is not the sum of R − 2 or fewer columns already
//! chosen, which is exactly "no word shorter than R". The search is exhaustive (within a
//! node budget), so "no design" means none exists with that many cells.
//!
//! The factorial is one more way of producing the plan's cells ([`crate::experiment::Plan`]):
//! each cell is a sweep point whose columns are the switches' parameter paths, so
//! streaming, resume, shards and merge are those of every experiment.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use crate::error::{Error, Result};
use crate::experiment::design::value_field;
use crate::scenario::mechanisms::KEYS;
use crate::scenario::{Problem, Scenario, model_leaf_paths, overrides};

/// Switches a full design takes by default (more get a resolution-V fraction).
pub const MAX_FULL: usize = 10;
/// Most switches a factorial accepts ([`crate::scenario::limits::SWITCHES`]).
pub const MAX_SWITCHES: usize = crate::scenario::limits::SWITCHES as usize;
/// Lowest resolution of a fractional design: V, so that two-factor interactions are aliased
/// neither with each other nor with main effects.
pub const MIN_RESOLUTION: u32 = 5;
/// Work (additions to the reach table) the generator search does before giving up, shared
/// by the sizes one request tries. A step costs more the more cells, so the budget counts
/// additions, not steps: about 0.2 s on one core.
const SEARCH_WORK: u64 = 1 << 28;
/// Most entries of the reach table the search allocates (64 MiB).
const SEARCH_TABLE: usize = 1 << 24;

/// A regular two-level design: `k` switches in `2^m` cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Design {
    /// Number of switches.
    pub k: usize,
    /// Number of base factors: the design has `2^m` cells.
    pub m: usize,
    /// Generator of switch `m + t`: a mask over the base factors (bit `i` = switch `i`).
    pub generators: Vec<u64>,
}

impl Design {
    /// The full 2^k design.
    pub fn full(k: usize) -> Design {
        Design {
            k,
            m: k,
            generators: Vec::new(),
        }
    }

    /// Whether every combination of levels is a cell.
    pub fn is_full(&self) -> bool {
        self.m == self.k
    }

    /// Number of cells, `2^m`.
    pub fn cells(&self) -> usize {
        1usize << self.m
    }

    /// The levels of cell `c` as a mask: bit `i` set when switch `i` is at its high level.
    pub fn levels(&self, c: usize) -> u64 {
        let mut x = 0u64;
        for i in 0..self.m {
            if (c >> (self.m - 1 - i)) & 1 == 1 {
                x |= 1 << i;
            }
        }
        for (t, &g) in self.generators.iter().enumerate() {
            // ±1 product of the generator's base factors: high when an even number is low.
            if (g & !x).count_ones() % 2 == 0 {
                x |= 1 << (self.m + t);
            }
        }
        x
    }

    /// The words of the defining relation (every non-empty product of the generators' words),
    /// as masks over the switches, sorted by length and then by mask. Empty for a full design.
    pub fn defining_words(&self) -> Vec<u64> {
        let base: Vec<u64> = self
            .generators
            .iter()
            .enumerate()
            .map(|(t, &g)| g | 1 << (self.m + t))
            .collect();
        let mut words: Vec<u64> = (1u64..1 << base.len())
            .map(|s| {
                base.iter()
                    .enumerate()
                    .filter(|(j, _)| s >> j & 1 == 1)
                    .fold(0, |w, (_, &b)| w ^ b)
            })
            .collect();
        words.sort_by_key(|w| (w.count_ones(), *w));
        words
    }

    /// Resolution: the length of the shortest defining word (None for a full design, whose
    /// resolution is unbounded).
    pub fn resolution(&self) -> Option<u32> {
        self.defining_words().first().map(|w| w.count_ones())
    }

    /// Word length pattern `(A_1, …, A_k)`: how many defining words have each length.
    pub fn word_length_pattern(&self) -> Vec<usize> {
        let mut a = vec![0; self.k];
        for w in self.defining_words() {
            a[w.count_ones() as usize - 1] += 1;
        }
        a
    }

    /// The effects aliased with `word` (its product with each defining word), shortest first.
    pub fn aliases(&self, word: u64) -> Vec<u64> {
        let mut a: Vec<u64> = self.defining_words().iter().map(|d| d ^ word).collect();
        a.sort_by_key(|w| (w.count_ones(), *w));
        a
    }

    /// The highest interaction order whose effects are aliased with no effect of that order
    /// or lower: ⌊(R − 1)/2⌋, or `k` for a full design.
    pub fn clear_order(&self) -> usize {
        match self.resolution() {
            None => self.k,
            Some(r) => ((r as usize).saturating_sub(1) / 2).min(self.k),
        }
    }

    /// The generators written as `F = ABCD`, with switches named by `labels`.
    pub fn generator_text(&self, labels: &[String]) -> Vec<String> {
        self.generators
            .iter()
            .enumerate()
            .map(|(t, &g)| format!("{} = {}", labels[self.m + t], word_text(g, labels)))
            .collect()
    }
}

/// An effect's name: its switches' labels joined by `:` (`grid:online`).
pub fn word_text(word: u64, labels: &[String]) -> String {
    (0..labels.len())
        .filter(|i| word >> i & 1 == 1)
        .map(|i| labels[i].as_str())
        .collect::<Vec<_>>()
        .join(":")
}

/// Every effect up to interaction order `order` over `k` switches: main effects first, then
/// two-factor interactions, and so on; within an order in lexicographic order of switches.
pub fn words_up_to(k: usize, order: usize) -> Vec<u64> {
    let mut out = Vec::new();
    for j in 1..=order.min(k) {
        let mut combo: Vec<usize> = (0..j).collect();
        loop {
            out.push(combo.iter().fold(0u64, |w, &i| w | 1 << i));
            // Next combination in lexicographic order.
            let Some(pos) = (0..j).rev().find(|&p| combo[p] < k - j + p) else {
                break;
            };
            combo[pos] += 1;
            for q in pos + 1..j {
                combo[q] = combo[q - 1] + 1;
            }
        }
    }
    out
}

fn binomial(n: usize, r: usize) -> u128 {
    if r > n {
        return 0;
    }
    (0..r).fold(1u128, |acc, i| acc * (n - i) as u128 / (i + 1) as u128)
}

/// Rao's bound: the fewest cells any two-level design of `k` switches and resolution `r`
/// (an orthogonal array of strength r − 1) can have.
pub fn rao_bound(k: usize, r: u32) -> u128 {
    let s = r.saturating_sub(1) as usize;
    let u = s / 2;
    let mut n: u128 = (0..=u).map(|i| binomial(k, i)).sum();
    if s % 2 == 1 && k > 0 {
        n += binomial(k - 1, u);
    }
    n
}

/// Outcome of the generator search for one number of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// A design was found.
    Found(Design),
    /// The search was exhaustive: no regular design exists.
    None,
    /// The node budget ran out first.
    GaveUp,
}

/// Searches for a regular design of `k` switches in `2^m` cells with resolution ≥ `r`.
pub fn search(k: usize, m: usize, r: u32) -> Search {
    search_within(k, m, r, &mut { SEARCH_WORK })
}

/// [`search`] drawing on the work budget `work`.
fn search_within(k: usize, m: usize, r: u32, work: &mut u64) -> Search {
    if m >= k {
        return Search::Found(Design::full(k));
    }
    if (1u128 << m) < rao_bound(k, r) {
        return Search::None;
    }
    let d = (r as usize).saturating_sub(2);
    let Some(size) = 1usize
        .checked_shl(m as u32)
        .filter(|&size| (d + 1).saturating_mul(size) <= SEARCH_TABLE)
    else {
        return Search::GaveUp;
    };
    let step = (d * size) as u64;
    let spend = |work: &mut u64| {
        let left = work.checked_sub(step);
        *work = left.unwrap_or(0);
        left.is_some()
    };
    // reach[j][x]: how many sets of at most j chosen columns sum to x.
    let mut reach = vec![vec![0u32; size]; d + 1];
    for row in reach.iter_mut() {
        row[0] = 1;
    }
    let add = |reach: &mut Vec<Vec<u32>>, v: usize| {
        for j in (1..=d).rev() {
            let (lo, hi) = reach.split_at_mut(j);
            let (prev, cur) = (&lo[j - 1], &mut hi[0]);
            for x in 0..size {
                cur[x] += prev[x ^ v];
            }
        }
    };
    let remove = |reach: &mut Vec<Vec<u32>>, v: usize| {
        for j in 1..=d {
            let (lo, hi) = reach.split_at_mut(j);
            let (prev, cur) = (&lo[j - 1], &mut hi[0]);
            for x in 0..size {
                cur[x] -= prev[x ^ v];
            }
        }
    };
    for i in 0..m {
        if !spend(work) {
            return Search::GaveUp;
        }
        add(&mut reach, 1 << i);
    }
    let need = k - m;
    let mut chosen: Vec<usize> = Vec::with_capacity(need);
    // Depth-first over ascending columns: `next[depth]` is the next candidate to try.
    let mut next = vec![0usize; need + 1];
    next[0] = 1;
    let mut depth = 0;
    loop {
        if depth == need {
            return Search::Found(Design {
                k,
                m,
                generators: chosen.iter().map(|&c| c as u64).collect(),
            });
        }
        let mut found = None;
        let mut v = next[depth];
        // Enough columns must remain for the switches still to place.
        while v + (need - depth - 1) < size {
            if reach[d][v] == 0 {
                found = Some(v);
                break;
            }
            v += 1;
        }
        match found {
            Some(v) => {
                if !spend(work) {
                    return Search::GaveUp;
                }
                next[depth] = v + 1;
                add(&mut reach, v);
                chosen.push(v);
                depth += 1;
                next[depth] = v + 1;
            }
            None => {
                if depth == 0 {
                    return Search::None;
                }
                depth -= 1;
                let v = chosen.pop().unwrap_or_default();
                if !spend(work) {
                    return Search::GaveUp;
                }
                remove(&mut reach, v);
            }
        }
    }
}

/// The design an experiment asks for: `resolution` 0 and `cells` 0 give the full design for
/// up to [`MAX_FULL`] switches and the smallest resolution-V fraction above; `cells` fixes
/// the size, `resolution` the least resolution. `Err` says what is allowed.
///
/// Answers are kept for the life of the process: validation, the run count and the plan
/// each ask for the same design, and one search can take a fifth of a second. The keys are
/// bounded by validation (at most 40 switches, resolution up to 40, cells 0 or a power of
/// two up to 2^40), so the memo is too.
pub fn choose(k: usize, resolution: u32, cells: u64) -> std::result::Result<Design, String> {
    type Memo = HashMap<(usize, u32, u64), std::result::Result<Design, String>>;
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    let memo = MEMO.get_or_init(Mutex::default);
    let key = (k, resolution, cells);
    if let Some(answer) = memo.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return answer.clone();
    }
    // Searched outside the lock: two threads asking at once both search, and agree.
    let answer = choose_uncached(k, resolution, cells);
    memo.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, answer.clone());
    answer
}

fn choose_uncached(k: usize, resolution: u32, cells: u64) -> std::result::Result<Design, String> {
    if resolution == 0 && cells == 0 && k <= MAX_FULL {
        return Ok(Design::full(k));
    }
    let r = if resolution == 0 {
        MIN_RESOLUTION
    } else {
        resolution
    };
    if cells != 0 {
        let m = cells.trailing_zeros() as usize;
        return match search(k, m, r) {
            Search::Found(d) => Ok(d),
            other => {
                let least = smallest(k, r, m + 1);
                let why = if other == Search::GaveUp {
                    format!(
                        "the search for a design of resolution {r} with {cells} cells gave up (it ran out of its work budget)"
                    )
                } else {
                    format!(
                        "no regular design of {k} switches in {cells} cells has resolution {r} or more{}",
                        if (cells as u128) < rao_bound(k, r) {
                            format!(
                                " (any such design needs at least {} cells)",
                                rao_bound(k, r)
                            )
                        } else {
                            String::new()
                        }
                    )
                };
                Err(match least {
                    Some(d) => format!(
                        "{why}; allowed: cells = {} or more (a power of two up to {})",
                        d.cells(),
                        full_cells_text(k)
                    ),
                    None => format!(
                        "{why}; allowed: more cells or a lower resolution (at least {MIN_RESOLUTION})"
                    ),
                })
            }
        };
    }
    let m0 = (0..=k)
        .find(|&m| (1u128 << m) >= rao_bound(k, r))
        .unwrap_or(k);
    smallest(k, r, m0).ok_or_else(|| {
        format!("the search for a design of {k} switches with resolution {r} gave up; give experiment.cells")
    })
}

fn full_cells_text(k: usize) -> String {
    if k < 64 {
        (1u64 << k).to_string()
    } else {
        format!("2^{k}")
    }
}

/// The smallest design of resolution ≥ `r` with at least `2^m0` cells, if the search finds one.
fn smallest(k: usize, r: u32, m0: usize) -> Option<Design> {
    let mut work = SEARCH_WORK;
    (m0..=k).find_map(|m| match search_within(k, m, r, &mut work) {
        Search::Found(d) => Some(d),
        _ => None,
    })
}

/// Cells of the design `[experiment]` asks for, found without building anything else (0
/// when no design can be found; the scenario's problems say why).
pub fn planned_cells(e: &crate::scenario::experiment::Experiment) -> u64 {
    let k = e.switches.len();
    if k > MAX_SWITCHES {
        return 0;
    }
    if e.cells != 0 {
        return e.cells as u64;
    }
    choose(k, e.resolution, 0).map_or(0, |d| d.cells() as u64)
}

/// One switch of a factorial: its label, parameter path and two levels.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// Short name in effects.csv and attribution.csv (a mechanism's key, else the path's last
    /// segment, or the whole path when two would share it).
    pub label: String,
    /// The parameter's dotted path (the column in runs.csv).
    pub path: String,
    /// Low level (off; the baseline of attribution).
    pub low: toml::Value,
    /// High level (on).
    pub high: toml::Value,
}

/// A factorial experiment's design, switches and the interaction order reported.
#[derive(Debug, Clone)]
pub struct FactorialPlan {
    /// The design.
    pub design: Design,
    /// Switches in the design's order.
    pub factors: Vec<Factor>,
    /// Highest interaction order in effects.csv.
    pub order: usize,
}

impl FactorialPlan {
    /// The plan of `s`, or the first problem as an input error.
    pub fn new(s: &Scenario) -> Result<FactorialPlan> {
        let (plan, problems) = resolve(s);
        match (plan, problems.first()) {
            (Some(p), None) => Ok(p),
            (_, Some(p)) => Err(Error::input(format!("{}: {}", p.path, p.message))),
            (None, None) => Err(Error::input("experiment.switches: no switches")),
        }
    }

    /// Labels of the switches.
    pub fn labels(&self) -> Vec<String> {
        self.factors.iter().map(|f| f.label.clone()).collect()
    }

    /// Parameter paths of the switches (the sweep columns).
    pub fn paths(&self) -> Vec<String> {
        self.factors.iter().map(|f| f.path.clone()).collect()
    }

    /// The sweep points: one per cell, each switch at its level.
    pub fn points(&self) -> Vec<Vec<toml::Value>> {
        (0..self.design.cells())
            .map(|c| {
                let x = self.design.levels(c);
                self.factors
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        if x >> i & 1 == 1 {
                            f.high.clone()
                        } else {
                            f.low.clone()
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// The design as the manifest records it.
    pub fn manifest(&self) -> serde_json::Value {
        let labels = self.labels();
        serde_json::json!({
            "switches": self.factors.iter().map(|f| serde_json::json!({
                "label": f.label, "path": f.path, "low": value_field(&f.low), "high": value_field(&f.high),
            })).collect::<Vec<_>>(),
            "cells": self.design.cells(),
            "full": self.design.is_full(),
            "generators": self.design.generator_text(&labels),
            "resolution": self.design.resolution(),
            "word_length_pattern": self.design.word_length_pattern(),
            "order": self.order,
            "outputs": "effects.csv: main effects and interactions with 95% CIs paired by seed and shares of variance; attribution.csv (full designs): Shapley values with 95% CIs",
        })
    }
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
        others: Vec::new(),
    }
}

/// Problems with a factorial over switches (nothing when `experiment.switches` is empty).
pub fn problems(s: &Scenario) -> Vec<Problem> {
    resolve(s).1
}

/// Resolves the switches, their levels and the design; problems name their key paths.
fn resolve(s: &Scenario) -> (Option<FactorialPlan>, Vec<Problem>) {
    let e = &s.experiment;
    let mut out = Vec::new();
    if e.switches.is_empty() {
        for (key, set) in [
            ("experiment.cells", e.cells != 0),
            ("experiment.resolution", e.resolution != 0),
        ] {
            if set {
                out.push(problem(
                    key,
                    "applies only to a factorial over switches; list them in experiment.switches",
                ));
            }
        }
        for key in e.levels.keys() {
            out.push(problem(
                format!("experiment.levels.{key}"),
                format!("\"{key}\" is not in experiment.switches; levels are given only for listed switches"),
            ));
        }
        return (None, out);
    }
    if e.design != "factorial" {
        out.push(problem(
            "experiment.design",
            format!(
                "\"{}\" cannot run experiment.switches; allowed: design = \"factorial\" with switches",
                e.design
            ),
        ));
    }
    if !s.sweep.is_empty() {
        out.push(problem(
            "sweep",
            "a factorial over experiment.switches takes its cells from the switches; remove [sweep] (or make the swept parameters switches with two levels)",
        ));
    }
    if s.policy.len() > 1 {
        out.push(problem(
            "policy",
            format!(
                "a factorial over experiment.switches runs a single policy ({} given); put fixed settings in one [[policy]] or in the scenario",
                s.policy.len()
            ),
        ));
    }
    let table = s.to_table();
    let leaves = model_leaf_paths(&table);
    let mechanisms = KEYS.join(", ");
    let mut factors: Vec<Factor> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, name) in e.switches.iter().enumerate() {
        let key = format!("experiment.switches[{i}]");
        let path = if KEYS.contains(&name.as_str()) {
            format!("mechanisms.{name}.enabled")
        } else {
            name.clone()
        };
        if let Some(&first) = seen.get(&path) {
            out.push(problem(
                key,
                format!(
                    "\"{name}\" repeats switch {first} (`{path}`, experiment.switches[{first}]); allowed: each switch once"
                ),
            ));
            continue;
        }
        seen.insert(path.clone(), i);
        if !leaves.iter().any(|l| l == &path) {
            out.push(problem(
                key,
                format!(
                    "\"{name}\" is not a switch: {}; allowed: a mechanism key ({mechanisms}), a boolean parameter such as linkage.ties, or a parameter given two levels in experiment.levels",
                    overrides::unknown_path(&path, &leaves)
                ),
            ));
            continue;
        }
        let value = crate::scenario::overrides::get(&table, &path).cloned();
        let given = e.levels.get(&path).or_else(|| e.levels.get(name));
        let (low, high) = match (given, &value) {
            (Some(two), _) if two.len() == 2 && two[0] != two[1] => {
                (two[0].clone(), two[1].clone())
            }
            (Some(other), _) => {
                out.push(problem(
                    format!("experiment.levels.{path}"),
                    format!(
                        "{} is not two levels; allowed: a list of two different values [low, high], e.g. [600, 1200]",
                        toml::Value::Array(other.clone())
                    ),
                ));
                continue;
            }
            (None, Some(toml::Value::Boolean(_))) => {
                (toml::Value::Boolean(false), toml::Value::Boolean(true))
            }
            (None, v) => {
                out.push(problem(
                    key,
                    format!(
                        "\"{name}\" is not a switch: `{path}` is {}; allowed: a mechanism key ({mechanisms}), a boolean parameter such as linkage.ties, or give it two levels as experiment.levels.\"{path}\" = [low, high]",
                        v.as_ref().map_or("not a boolean", kind)
                    ),
                ));
                continue;
            }
        };
        for level in [&low, &high] {
            let mut set = BTreeMap::new();
            set.insert(path.clone(), level.clone());
            if let Err(err) = s.with_overrides(&set) {
                out.push(problem(
                    format!("experiment.levels.{path}"),
                    format!("level {level} of `{path}` is not valid: {err}"),
                ));
            }
        }
        factors.push(Factor {
            label: short_label(&path),
            path,
            low,
            high,
        });
    }
    for key in e.levels.keys() {
        let listed = seen.contains_key(key)
            || (KEYS.contains(&key.as_str())
                && seen.contains_key(&format!("mechanisms.{key}.enabled")));
        if !listed {
            out.push(problem(
                format!("experiment.levels.{key}"),
                format!("\"{key}\" is not in experiment.switches; levels are given only for listed switches"),
            ));
        }
    }
    // Labels: two switches never share one.
    let labels: Vec<String> = factors.iter().map(|f| f.label.clone()).collect();
    for (i, f) in factors.iter_mut().enumerate() {
        if labels.iter().filter(|l| **l == labels[i]).count() > 1 {
            f.label = f.path.clone();
        }
    }
    let k = e.switches.len();
    if k > MAX_SWITCHES {
        out.push(problem(
            "experiment.switches",
            format!("{k} switches; allowed: at most {MAX_SWITCHES}"),
        ));
        return (None, out);
    }
    if e.resolution != 0 && e.resolution < MIN_RESOLUTION {
        out.push(problem(
            "experiment.resolution",
            format!(
                "resolution {} would alias two-factor interactions with main effects or each other; allowed: 0 (automatic) or {MIN_RESOLUTION} (V) or more",
                e.resolution
            ),
        ));
        return (None, out);
    }
    let max_cells = 1u64 << k;
    if e.cells != 0 && (!(e.cells as u64).is_power_of_two() || e.cells as u64 > max_cells) {
        out.push(problem(
            "experiment.cells",
            format!(
                "{} cells; allowed: 0 (automatic) or a power of two up to 2^{k} = {max_cells}",
                e.cells
            ),
        ));
        return (None, out);
    }
    let design = match choose(k, e.resolution, e.cells as u64) {
        Ok(d) => d,
        Err(msg) => {
            let key = if e.cells != 0 {
                "experiment.cells"
            } else {
                "experiment.resolution"
            };
            out.push(problem(key, msg));
            return (None, out);
        }
    };
    let clear = design.clear_order();
    let order = (e.order as usize).min(k);
    if order > clear {
        out.push(problem(
            "experiment.order",
            format!(
                "interactions of order {order} are aliased with each other in this resolution-{} fraction; allowed: 1 to {clear} (or a full design: cells = {max_cells})",
                design.resolution().unwrap_or_default()
            ),
        ));
    }
    if !out.is_empty() || factors.len() != k {
        return (None, out);
    }
    (
        Some(FactorialPlan {
            design,
            factors,
            order,
        }),
        out,
    )
}

/// What kind of value a parameter holds, in words.
fn kind(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::Integer(_) => "a whole number",
        toml::Value::Float(_) => "a number",
        toml::Value::String(_) => "a string",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
        _ => "not a boolean",
    }
}

/// A switch's short label: a mechanism's key, else the path's last segment.
fn short_label(path: &str) -> String {
    if let Some(key) = path
        .strip_prefix("mechanisms.")
        .and_then(|r| r.strip_suffix(".enabled"))
    {
        return key.to_string();
    }
    path.rsplit('.').next().unwrap_or(path).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(word: u64, x: u64) -> i64 {
        if (word & !x).count_ones() % 2 == 0 {
            1
        } else {
            -1
        }
    }

    /// The search stops when its work runs out, however many steps that is, and never
    /// allocates a table beyond its cap (fuzzed scenarios with twenty-odd switches kept
    /// `cogov check` busy for seconds, the fuzz target for over a minute, when the budget
    /// counted steps).
    #[test]
    fn the_search_is_bounded_by_its_work_and_table() {
        let mut work = 10_000;
        assert_eq!(search_within(17, 8, 5, &mut work), Search::GaveUp);
        assert_eq!(work, 0);
        assert_eq!(search(40, 39, 5), Search::GaveUp);
        let mut plenty = SEARCH_WORK;
        assert!(matches!(
            search_within(17, 8, 5, &mut plenty),
            Search::Found(_)
        ));
        assert!(plenty > 0);
    }

    fn all_designs() -> Vec<Design> {
        let mut v = vec![Design::full(1), Design::full(4), Design::full(10)];
        for (k, m) in [(5, 4), (6, 5), (8, 6), (10, 7), (11, 7), (12, 8), (17, 8)] {
            match search(k, m, 5) {
                Search::Found(d) => v.push(d),
                other => panic!("2^({k}-{}) res V: {other:?}", k - m),
            }
        }
        v
    }

    #[test]
    fn every_switch_is_balanced() {
        for d in all_designs() {
            for i in 0..d.k {
                let high = (0..d.cells())
                    .filter(|&c| d.levels(c) >> i & 1 == 1)
                    .count();
                assert_eq!(high * 2, d.cells(), "{d:?} switch {i}");
            }
        }
    }

    #[test]
    fn main_effects_and_two_factor_interactions_are_orthogonal() {
        for d in all_designs() {
            let words = words_up_to(d.k, 2);
            let x: Vec<u64> = (0..d.cells()).map(|c| d.levels(c)).collect();
            for (a, &wa) in words.iter().enumerate() {
                assert_eq!(x.iter().map(|&c| sign(wa, c)).sum::<i64>(), 0, "{d:?}");
                for &wb in &words[a + 1..] {
                    let dot: i64 = x.iter().map(|&c| sign(wa, c) * sign(wb, c)).sum();
                    assert_eq!(dot, 0, "{d:?}: {wa:b} · {wb:b}");
                }
            }
        }
    }

    #[test]
    fn cells_are_distinct_and_full_designs_list_every_combination() {
        for d in all_designs() {
            let mut x: Vec<u64> = (0..d.cells()).map(|c| d.levels(c)).collect();
            x.sort();
            x.dedup();
            assert_eq!(x.len(), d.cells());
        }
        let d = Design::full(3);
        // The first switch varies slowest, the last fastest.
        let x: Vec<u64> = (0..8).map(|c| d.levels(c)).collect();
        assert_eq!(x, [0b000, 0b100, 0b010, 0b110, 0b001, 0b101, 0b011, 0b111]);
    }

    #[test]
    fn the_defining_relation_holds_in_every_cell_and_sets_the_aliases() {
        for d in all_designs().into_iter().filter(|d| !d.is_full()) {
            let words = d.defining_words();
            assert_eq!(words.len(), (1 << (d.k - d.m)) - 1);
            for c in 0..d.cells() {
                let x = d.levels(c);
                for &w in &words {
                    assert_eq!(sign(w, x), 1, "{d:?}: I = {w:b} fails in cell {c}");
                }
            }
            // An effect and each of its aliases have the same column.
            for &w in &words_up_to(d.k, 2) {
                for a in d.aliases(w) {
                    for c in 0..d.cells() {
                        let x = d.levels(c);
                        assert_eq!(sign(w, x), sign(a, x));
                    }
                }
            }
            assert!(d.resolution().unwrap() >= 5, "{d:?}");
            assert!(d.word_length_pattern()[..4].iter().all(|&a| a == 0));
        }
    }

    #[test]
    fn known_fractions_have_their_textbook_alias_structure() {
        // 2^(5−1) with I = ABCDE (Box, Hunter & Hunter 2005, Table 6.8): resolution V.
        let Search::Found(d) = search(5, 4, 5) else {
            panic!()
        };
        assert_eq!(d.generators, [0b1111]);
        assert_eq!(d.word_length_pattern(), [0, 0, 0, 0, 1]);
        assert_eq!(d.resolution(), Some(5));
        // AB is aliased with CDE only.
        assert_eq!(d.aliases(0b00011), [0b11100]);
        // 2^(8−2) of resolution V exists in 64 cells; 2^(9−3) does not (the largest
        // resolution-V design in 64 runs has 8 factors), nor 2^(10−5) in 32 (Rao bound 56).
        let Search::Found(d) = search(8, 6, 5) else {
            panic!()
        };
        assert_eq!(d.resolution(), Some(5));
        assert_eq!(d.word_length_pattern().iter().sum::<usize>(), 3);
        assert_eq!(search(9, 6, 5), Search::None);
        assert_eq!(search(10, 5, 5), Search::None);
        assert_eq!(rao_bound(10, 5), 56);
        // A resolution IV fraction (2^(4−1), I = ABCD) is found when asked for IV only.
        let Search::Found(d) = search(4, 3, 4) else {
            panic!()
        };
        assert_eq!(d.resolution(), Some(4));
    }

    #[test]
    fn the_smallest_resolution_v_design_is_chosen() {
        assert_eq!(choose(10, 0, 0).unwrap(), Design::full(10));
        let d = choose(10, 5, 0).unwrap();
        assert_eq!(d.cells(), 128);
        let d = choose(11, 0, 0).unwrap();
        assert_eq!((d.cells(), d.resolution()), (128, Some(5)));
        let d = choose(12, 0, 0).unwrap();
        assert_eq!(d.cells(), 256);
        assert!(choose(12, 0, 256).is_ok());
        let e = choose(10, 5, 32).unwrap_err();
        assert!(
            e.contains("at least 56 cells") && e.contains("cells = 128"),
            "{e}"
        );
        let e = choose(9, 5, 64).unwrap_err();
        assert!(
            e.contains("no regular design") && e.contains("cells = 128"),
            "{e}"
        );
        // Asking for all the cells is the full design.
        assert_eq!(choose(6, 5, 64).unwrap(), Design::full(6));
    }

    #[test]
    fn words_are_listed_by_order_then_lexicographically() {
        let w = words_up_to(4, 2);
        assert_eq!(
            w,
            [
                0b0001, 0b0010, 0b0100, 0b1000, 0b0011, 0b0101, 0b1001, 0b0110, 0b1010, 0b1100
            ]
        );
        assert_eq!(words_up_to(10, 10).len(), 1023);
        let labels: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(word_text(0b101, &labels), "a:c");
    }

    fn scenario(extra: &str) -> std::result::Result<Scenario, String> {
        Scenario::from_toml(&format!("ticks = 5\n{extra}"), "t.toml").map_err(|e| e.to_string())
    }

    #[test]
    fn switches_resolve_to_parameters_with_two_levels() {
        let s = scenario(
            "[experiment]\nswitches = [\"grid\", \"linkage.ties\", \"residents.report_probability\"]\nlevels = { \"residents.report_probability\" = [0.1, 0.3] }\n",
        )
        .unwrap();
        let p = FactorialPlan::new(&s).unwrap();
        assert_eq!(p.labels(), ["grid", "ties", "report_probability"]);
        assert_eq!(p.paths()[0], "mechanisms.grid.enabled");
        assert_eq!(p.design, Design::full(3));
        let pts = p.points();
        assert_eq!(pts.len(), 8);
        assert_eq!(
            pts[1],
            [false.into(), false.into(), toml::Value::Float(0.3)]
        );
    }

    #[test]
    fn bad_switch_lists_are_refused_with_their_key() {
        let e = scenario("[experiment]\nswitches = [\"grid\", \"world.residents\"]\n").unwrap_err();
        assert!(
            e.contains("experiment.switches[1]")
                && e.contains("not a switch")
                && e.contains("a whole number"),
            "{e}"
        );
        let e = scenario("[experiment]\nswitches = [\"grid\", \"mechanisms.grid.enabled\"]\n")
            .unwrap_err();
        assert!(
            e.contains("experiment.switches[1]") && e.contains("repeats"),
            "{e}"
        );
        let e = scenario("[experiment]\nswitches = [\"gird\"]\n").unwrap_err();
        assert!(e.contains("not a switch") && e.contains("grid"), "{e}");
        let e = scenario(
            "[experiment]\nswitches = [\"grid\", \"online\", \"platforms\", \"deliberation\", \"party_masses\", \"three_society\"]\ncells = 16\n",
        )
        .unwrap_err();
        assert!(
            e.contains("experiment.cells") && e.contains("cells = 32"),
            "{e}"
        );
        let e = scenario("[experiment]\nswitches = [\"grid\"]\nresolution = 3\n").unwrap_err();
        assert!(e.contains("experiment.resolution"), "{e}");
        let e =
            scenario("[experiment]\nswitches = [\"grid\"]\n[sweep]\n\"world.residents\" = [600]\n")
                .unwrap_err();
        assert!(e.contains("remove [sweep]"), "{e}");
        let e = scenario("[experiment]\nlevels = { \"world.residents\" = [1, 2] }\n").unwrap_err();
        assert!(e.contains("not in experiment.switches"), "{e}");
        let e = scenario(
            "[experiment]\nswitches = [\"world.residents\"]\nlevels = { \"world.residents\" = [600, 600] }\n",
        )
        .unwrap_err();
        assert!(e.contains("two different values"), "{e}");
    }
}
