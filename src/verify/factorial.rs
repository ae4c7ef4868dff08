//! Factorial effects, interactions and Shapley values of a synthetic model with known
//! terms, through the design generator ([`crate::experiment::factorial`]) and the
//! estimators ([`crate::experiment::effects::estimate`]) that `design = "factorial"`
//! experiments use on the ABM.
//!
//! The model, in ±1 coding of six switches (off = −1, on = +1):
//! `y = 10 + Σ β_i x_i + β_01 x_0 x_1 + u_r + e`, with one interaction, a replicate term
//! `u_r ~ N(0, 1)` every cell shares (common random numbers) and cell noise `e ~ N(0, 0.1²)`.
//! A term β_W on j switches is an effect of 2^j β_W (a difference of differences); the
//! Shapley values are recomputed by brute force over all 6! orders. A resolution-V fraction
//! of eight switches recovers main effects and two-factor interactions, and a three-factor
//! term moves exactly the two-factor interaction the design's alias structure names.

use rand_distr::{Distribution, Normal};
use serde_json::json;

use super::{Case, Params, Point, Report};
use crate::Result;
use crate::experiment::effects::{Estimates, estimate};
use crate::experiment::factorial::{Design, Search, search, words_up_to};
use crate::rng::{self, Purpose};

/// The case.
pub const CASE: Case = Case {
    name: "factorial",
    about: "factorial main effects, interactions (CI paired by seed) and Shapley values of a model with known terms; resolution-V fraction and its aliases",
    source: "Box, Hunter & Hunter 2005, Statistics for Experimenters, 2nd ed., ch. 5-6 (Wiley); Shapley 1953, Contrib. Theory of Games II:307",
    params: &[],
    default_runs: 10,
    suite,
    probe,
};

/// Stream tag of this case.
const TAG: u64 = 9;
/// Largest accepted absolute error of an effect or Shapley value.
const TOLERANCE: f64 = 0.05;
/// Cell noise standard deviation.
const NOISE: f64 = 0.1;

/// A model: terms `(word, β)` in ±1 coding.
struct Model {
    terms: Vec<(u64, f64)>,
}

impl Model {
    fn at(&self, x: u64) -> f64 {
        10.0 + self
            .terms
            .iter()
            .map(|&(w, b)| if (w & !x).count_ones() % 2 == 0 { b } else { -b })
            .sum::<f64>()
    }

    /// The effect (difference of differences) of `word`: 2^j β.
    fn effect(&self, word: u64) -> f64 {
        self.terms
            .iter()
            .filter(|t| t.0 == word)
            .map(|t| t.1 * 2f64.powi(word.count_ones() as i32))
            .sum()
    }

    /// Shapley value of switch `i` over `k` switches by brute force over every order.
    fn shapley(&self, k: usize, i: usize) -> f64 {
        let mut perm: Vec<usize> = (0..k).collect();
        let (mut sum, mut count) = (0.0, 0u64);
        loop {
            let before = perm
                .iter()
                .take_while(|&&p| p != i)
                .fold(0u64, |s, &p| s | 1 << p);
            sum += self.at(before | 1 << i) - self.at(before);
            count += 1;
            if !next_permutation(&mut perm) {
                break;
            }
        }
        sum / count as f64
    }
}

/// Advances to the next permutation in lexicographic order; false after the last.
fn next_permutation(p: &mut [usize]) -> bool {
    let Some(i) = (1..p.len()).rev().find(|&i| p[i - 1] < p[i]) else {
        return false;
    };
    let j = (i..p.len()).rev().find(|&j| p[j] > p[i - 1]).unwrap_or(i);
    p.swap(i - 1, j);
    p[i..].reverse();
    true
}

/// Noise of one experiment: the replicate terms every cell shares, and the cell noise.
struct Noise {
    seed: u64,
    part: u64,
    shared: Vec<f64>,
    cell: Normal<f64>,
}

impl Noise {
    fn new(runs: usize, seed: u64, part: u64) -> Result<Noise> {
        let err = |e: rand_distr::NormalError| crate::Error::input(e.to_string());
        let unit = Normal::new(0.0, 1.0).map_err(err)?;
        let shared = (0..runs)
            .map(|r| {
                let mut rng = rng::stream(seed, Purpose::Verify, TAG, part << 32 | r as u64);
                unit.sample(&mut rng)
            })
            .collect();
        Ok(Noise {
            seed,
            part,
            shared,
            cell: Normal::new(0.0, NOISE).map_err(err)?,
        })
    }

    /// The observed value of replicate `r` in cell `c` (levels `x`).
    fn observe(&self, model: &Model, x: u64, c: usize, r: usize) -> f64 {
        let name = (self.part << 32 | r as u64) << 16 | (c as u64 + 1);
        let mut rng = rng::stream(self.seed, Purpose::Verify, TAG, name);
        model.at(x) + self.shared[r] + self.cell.sample(&mut rng)
    }
}

/// Runs the model over `design` with `runs` replicates and estimates through the
/// experiments' estimator.
fn estimate_model(
    model: &Model,
    design: &Design,
    order: usize,
    noise: &Noise,
) -> Result<Estimates> {
    let runs = noise.shared.len();
    let load = |c: usize| -> Result<Vec<Vec<f64>>> {
        let x = design.levels(c);
        Ok((0..runs)
            .map(|r| vec![noise.observe(model, x, c, r)])
            .collect())
    };
    estimate(design, order, 1, runs, &load)
}

fn run(seed: u64, runs: usize) -> Result<Report> {
    let mut rep = Report::new(&CASE, seed);
    // Full 2^6.
    let k = 6;
    let mut terms: Vec<(u64, f64)> = [1.0, -0.5, 0.25, 0.0, 0.75, -0.2]
        .iter()
        .enumerate()
        .map(|(i, &b)| (1u64 << i, b))
        .collect();
    terms.push((0b11, 0.4));
    let model = Model { terms };
    let design = Design::full(k);
    let noise = Noise::new(runs, seed, 0)?;
    let est = estimate_model(&model, &design, 2, &noise)?;
    let mut p = Point::new(json!({"design": "full 2^6", "replicates": runs}), runs);
    let mut worst = [0.0f64; 2];
    for e in &est.effects[0] {
        let err = (e.value.estimate - model.effect(e.word)).abs();
        let o = e.word.count_ones() as usize - 1;
        worst[o] = worst[o].max(err);
        p.stat(&format!("effect_{:06b}", e.word), e.value.estimate);
    }
    for (o, what) in ["main effects", "two-factor interactions"].iter().enumerate() {
        rep.check(
            format!("full 2^6, runs={runs}: {what}"),
            "2^j β of each term, 0 elsewhere",
            format!("largest error {:.4}", worst[o]),
            format!("±{TOLERANCE}"),
            worst[o] <= TOLERANCE,
        );
    }
    let ab = est.effects[0]
        .iter()
        .find(|e| e.word == 0b11)
        .map(|e| e.value);
    if let Some(ab) = ab {
        let (lo, hi) = (
            ab.ci95_low.unwrap_or(f64::NAN),
            ab.ci95_high.unwrap_or(f64::NAN),
        );
        rep.check(
            format!("full 2^6, runs={runs}: interaction x0:x1 (CI paired by seed)"),
            format!("{:.4}, CI excludes 0", model.effect(0b11)),
            format!("{:.4} [{lo:.4}, {hi:.4}]", ab.estimate),
            format!("±{TOLERANCE}"),
            ab.excludes_zero() && (ab.estimate - model.effect(0b11)).abs() <= TOLERANCE,
        );
    }
    if let Some(sh) = &est.shapley {
        let truth: Vec<f64> = (0..k).map(|i| model.shapley(k, i)).collect();
        let worst = sh[0]
            .iter()
            .zip(&truth)
            .map(|(v, t)| (v.estimate - t).abs())
            .fold(0.0, f64::max);
        for (i, v) in sh[0].iter().enumerate() {
            p.stat(&format!("shapley_x{i}"), v.estimate);
        }
        rep.check(
            format!("full 2^6, runs={runs}: Shapley values"),
            "brute force over all 720 orders",
            format!("largest error {worst:.4}"),
            format!("±{TOLERANCE}"),
            worst <= TOLERANCE,
        );
        // Efficiency holds exactly for the observed means, noise included.
        let sum: f64 = sh[0].iter().map(|v| v.estimate).sum();
        let (all, none) = (design.cells() - 1, 0);
        let total = (0..runs)
            .map(|r| {
                noise.observe(&model, design.levels(all), all, r)
                    - noise.observe(&model, design.levels(none), none, r)
            })
            .sum::<f64>()
            / runs as f64;
        rep.check(
            format!("full 2^6, runs={runs}: Shapley efficiency"),
            format!("sum = mean y(all on) − mean y(all off) = {total:.4}"),
            format!("{sum:.4}"),
            "±1e-9",
            (sum - total).abs() <= 1e-9,
        );
    }
    rep.points.push(p);

    // A resolution-V fraction of eight switches in 64 cells.
    let Search::Found(frac) = search(8, 6, 5) else {
        rep.check("2^(8-2)", "a resolution-V design", "none found", "", false);
        return Ok(rep);
    };
    let res = frac.resolution().unwrap_or(0);
    rep.check(
        "2^(8-2) fraction",
        "resolution ≥ 5 (word length pattern A3 = A4 = 0)",
        format!(
            "resolution {res}, pattern {:?}",
            &frac.word_length_pattern()[2..]
        ),
        "exact",
        res >= 5,
    );
    let mut terms: Vec<(u64, f64)> = (0..8).map(|i| (1u64 << i, 0.3 * (i as f64 - 3.5))).collect();
    terms.push((0b1001_0000, -0.6));
    let model = Model {
        terms: terms.clone(),
    };
    let noise = Noise::new(runs, seed, 1)?;
    let est = estimate_model(&model, &frac, 2, &noise)?;
    let worst = est.effects[0]
        .iter()
        .map(|e| (e.value.estimate - model.effect(e.word)).abs())
        .fold(0.0, f64::max);
    rep.check(
        format!("2^(8-2), runs={runs}: main effects and two-factor interactions"),
        "2^j β of each term, 0 elsewhere",
        format!("largest error {worst:.4}"),
        format!("±{TOLERANCE}"),
        worst <= TOLERANCE,
    );
    // A three-factor term shifts the two-factor interaction aliased with it by its effect
    // on that column: 4γ.
    let target = words_up_to(8, 2)
        .into_iter()
        .filter(|w| w.count_ones() == 2)
        .find_map(|w| {
            frac.aliases(w)
                .into_iter()
                .find(|a| a.count_ones() == 3)
                .map(|a| (w, a))
        });
    if let Some((w2, w3)) = target {
        let gamma = 0.5;
        let mut with = terms;
        with.push((w3, gamma));
        let model3 = Model { terms: with };
        let est3 = estimate_model(&model3, &frac, 2, &noise)?;
        let shift = |e: &Estimates| {
            e.effects[0]
                .iter()
                .find(|x| x.word == w2)
                .map_or(f64::NAN, |x| x.value.estimate)
        };
        let moved = shift(&est3) - shift(&est);
        let others = est3.effects[0]
            .iter()
            .zip(&est.effects[0])
            .filter(|(a, _)| a.word != w2)
            .map(|(a, b)| (a.value.estimate - b.value.estimate).abs())
            .fold(0.0, f64::max);
        rep.check(
            format!("2^(8-2): a three-factor term on {w3:08b}"),
            format!("moves its alias {w2:08b} by 4γ = {:.4}, nothing else", 4.0 * gamma),
            format!("{moved:.4}; others at most {others:.4}"),
            "±1e-9",
            (moved - 4.0 * gamma).abs() <= 1e-9 && others <= 1e-9,
        );
    }
    Ok(rep)
}

fn suite(seed: u64, runs: usize) -> Result<Report> {
    run(seed, runs.max(2))
}

fn probe(_: &Params, seed: u64, runs: usize) -> Result<Report> {
    if runs < 2 {
        return Err(crate::Error::input(
            "--runs must be at least 2 (intervals need two replicates)",
        ));
    }
    run(seed, runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_passes() {
        let rep = run(2026, 10).unwrap();
        for c in &rep.checks {
            assert!(c.pass, "{c:?}");
        }
        assert_eq!(rep.checks.len(), 8);
    }

    #[test]
    fn brute_force_helpers() {
        // y = 10 + x0 + 0.5·x0·x1: v(∅) = 9.5, v{0} = 10.5, v{1} = 8.5, v{0,1} = 11.5.
        let m = Model {
            terms: vec![(0b01, 1.0), (0b11, 0.5)],
        };
        assert!((m.shapley(2, 0) - 2.0).abs() < 1e-12);
        assert!(m.shapley(2, 1).abs() < 1e-12);
        assert!((m.effect(0b11) - 2.0).abs() < 1e-12);
        let mut p = vec![0, 1, 2];
        let mut n = 1;
        while next_permutation(&mut p) {
            n += 1;
        }
        assert_eq!(n, 6);
    }
}
