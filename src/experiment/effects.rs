//! Effects of a two-level factorial: main effects and interactions with 95% CIs paired by
//! seed and their shares of variance (`effects.csv`), and Shapley values (`attribution.csv`,
//! full designs).
//!
//! Every quantity is a fixed linear combination of the cell values, so it is computed within
//! each replicate (all cells of a replicate share its seed: common random numbers) and the
//! replicates' values give the mean and a Student-t interval. The cells are streamed one at
//! a time into per-replicate sums, so memory grows with effects × replicates × outcomes,
//! never with the number of cells or runs.

use std::path::Path;

use crate::error::Result;
use crate::experiment::factorial::{Design, FactorialPlan, word_text, words_up_to};
use crate::output::{self, num, opt};
use crate::stats;

/// A mean over replicates with its Student-t 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Replicates used.
    pub n: usize,
    /// Mean over replicates (NaN when `n` is 0).
    pub estimate: f64,
    /// Lower end of the 95% interval (None when `n` < 2).
    pub ci95_low: Option<f64>,
    /// Upper end.
    pub ci95_high: Option<f64>,
}

impl Interval {
    fn of(x: &[f64]) -> Interval {
        let s = stats::summarize(x);
        Interval {
            n: s.n,
            estimate: s.mean,
            ci95_low: s.ci95_low,
            ci95_high: s.ci95_high,
        }
    }

    /// Whether the interval exists and leaves out zero.
    pub fn excludes_zero(&self) -> bool {
        match (self.ci95_low, self.ci95_high) {
            (Some(lo), Some(hi)) => lo > 0.0 || hi < 0.0,
            _ => false,
        }
    }
}

/// One effect of one outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effect {
    /// The effect's switches as a mask.
    pub word: u64,
    /// Estimate and interval.
    pub value: Interval,
    /// Share of the outcome's total sum of squares (None when the outcome does not vary).
    pub variance_share: Option<f64>,
}

/// Everything estimated from a factorial.
#[derive(Debug, Clone)]
pub struct Estimates {
    /// Effects per outcome, in the order of [`words_up_to`].
    pub effects: Vec<Vec<Effect>>,
    /// Shapley value per outcome and switch (full designs only).
    pub shapley: Option<Vec<Vec<Interval>>>,
}

/// The finite difference an effect of order `j` stands for, from its contrast sum Σ ±y over
/// `cells` cells: 2^j / cells × Σ ±y (see the header of effects.csv).
fn scale(order: u32, cells: usize) -> f64 {
    2f64.powi(order as i32) / cells as f64
}

/// Shapley weight |S|!(k − |S| − 1)!/k! = 1 / (k · C(k − 1, |S|)).
fn shapley_weight(k: usize, s: usize) -> f64 {
    let mut c = 1.0f64;
    for i in 0..s {
        c = c * (k - 1 - i) as f64 / (i + 1) as f64;
    }
    1.0 / (k as f64 * c)
}

/// Estimates effects up to `order` and, for a full design, Shapley values, from the values
/// `load(cell)` gives: one row per replicate (in replicate order), one column per outcome.
/// Replicate `r` of every cell must share a seed. A replicate with a non-finite value of an
/// outcome in any cell is left out of that outcome.
pub fn estimate(
    design: &Design,
    order: usize,
    outcomes: usize,
    replicates: usize,
    load: &dyn Fn(usize) -> Result<Vec<Vec<f64>>>,
) -> Result<Estimates> {
    let words = words_up_to(design.k, order);
    let (nw, k) = (words.len(), design.k);
    let full = design.is_full();
    let idx = |o: usize, r: usize| o * replicates + r;
    let mut contrast = vec![0.0f64; outcomes * replicates * nw];
    let mut shap = vec![0.0f64; if full { outcomes * replicates * k } else { 0 }];
    let mut valid = vec![true; outcomes * replicates];
    // Sums of y − shift and (y − shift)² for the total sum of squares, shifted by the first
    // value seen so that large outcomes do not lose their variance to rounding.
    let mut shift = vec![f64::NAN; outcomes];
    let mut s1 = vec![0.0f64; outcomes * replicates];
    let mut s2 = vec![0.0f64; outcomes * replicates];
    let weights: Vec<f64> = (0..k).map(|s| shapley_weight(k, s)).collect();
    let mut signs = vec![0.0f64; nw];
    let mut coef = vec![0.0f64; k];
    for c in 0..design.cells() {
        let x = design.levels(c);
        for (s, &w) in signs.iter_mut().zip(&words) {
            *s = if (w & !x).count_ones() % 2 == 0 {
                1.0
            } else {
                -1.0
            };
        }
        if full {
            let on = x.count_ones() as usize;
            for (i, cf) in coef.iter_mut().enumerate() {
                *cf = if x >> i & 1 == 1 {
                    weights[on - 1]
                } else {
                    -weights[on]
                };
            }
        }
        let rows = load(c)?;
        for (r, row) in rows.iter().enumerate().take(replicates) {
            for (o, first) in shift.iter_mut().enumerate() {
                let y = row.get(o).copied().unwrap_or(f64::NAN);
                let at = idx(o, r);
                if !y.is_finite() {
                    valid[at] = false;
                    continue;
                }
                if first.is_nan() {
                    *first = y;
                }
                let d = y - *first;
                s1[at] += d;
                s2[at] += d * d;
                let acc = &mut contrast[at * nw..(at + 1) * nw];
                for (a, s) in acc.iter_mut().zip(&signs) {
                    *a += s * y;
                }
                if full {
                    let acc = &mut shap[at * k..(at + 1) * k];
                    for (a, cf) in acc.iter_mut().zip(&coef) {
                        *a += cf * y;
                    }
                }
            }
        }
        // Fewer rows than replicates: the missing replicates have no value.
        for r in rows.len()..replicates {
            for o in 0..outcomes {
                valid[idx(o, r)] = false;
            }
        }
    }
    let cells = design.cells();
    let mut effects = Vec::with_capacity(outcomes);
    let mut shapley = full.then(|| Vec::with_capacity(outcomes));
    for o in 0..outcomes {
        let reps: Vec<usize> = (0..replicates).filter(|&r| valid[idx(o, r)]).collect();
        let runs = (reps.len() * cells) as f64;
        let (t1, t2) = reps.iter().fold((0.0, 0.0), |(a, b), &r| {
            (a + s1[idx(o, r)], b + s2[idx(o, r)])
        });
        let ss_total = if runs > 0.0 { t2 - t1 * t1 / runs } else { 0.0 };
        let row: Vec<Effect> = words
            .iter()
            .enumerate()
            .map(|(j, &w)| {
                let f = scale(w.count_ones(), cells);
                let per: Vec<f64> = reps
                    .iter()
                    .map(|&r| contrast[idx(o, r) * nw + j] * f)
                    .collect();
                let value = Interval::of(&per);
                // Regression coefficient in ±1 coding: effect / 2^order.
                let beta = value.estimate / 2f64.powi(w.count_ones() as i32);
                let variance_share = (ss_total > 0.0 && value.n > 0)
                    .then(|| (runs * beta * beta / ss_total).min(1.0));
                Effect {
                    word: w,
                    value,
                    variance_share,
                }
            })
            .collect();
        effects.push(row);
        if let Some(sh) = &mut shapley {
            sh.push(
                (0..k)
                    .map(|i| {
                        let per: Vec<f64> = reps.iter().map(|&r| shap[idx(o, r) * k + i]).collect();
                        Interval::of(&per)
                    })
                    .collect(),
            );
        }
    }
    Ok(Estimates { effects, shapley })
}

fn factor_lines(plan: &FactorialPlan, replicates: u32) -> Vec<String> {
    let d = &plan.design;
    let labels = plan.labels();
    let switches: Vec<String> = plan
        .factors
        .iter()
        .map(|f| {
            let name = if f.label == f.path {
                f.label.clone()
            } else {
                format!("{} = {}", f.label, f.path)
            };
            format!("{name} (low {}, high {})", f.low, f.high)
        })
        .collect();
    let design = if d.is_full() {
        format!("full 2^{} factorial, {} cells", d.k, d.cells())
    } else {
        format!(
            "regular 2^({}-{}) fraction, {} cells, resolution {}, generators {}, word length pattern (A3, A4, ...) = ({})",
            d.k,
            d.k - d.m,
            d.cells(),
            d.resolution().unwrap_or_default(),
            d.generator_text(&labels).join(", "),
            d.word_length_pattern()
                .iter()
                .skip(2)
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    vec![
        format!(
            "Design: {design}; {replicates} replicates per cell, replicate r using the same seed in every cell (common random numbers)."
        ),
        format!("Switches: {}.", switches.join("; ")),
    ]
}

fn comment(w: &mut dyn std::io::Write, lines: &[String]) -> std::io::Result<()> {
    for l in lines {
        writeln!(w, "# {l}")?;
    }
    Ok(())
}

fn write_table(
    path: &Path,
    lines: &[String],
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    output::write_atomic(path, |w| {
        comment(w, lines)?;
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(header).map_err(std::io::Error::other)?;
        for row in rows {
            csv.write_record(&row).map_err(std::io::Error::other)?;
        }
        csv.flush()
    })
}

fn interval_fields(v: &Interval) -> [String; 4] {
    [
        v.n.to_string(),
        if v.n == 0 {
            "NA".into()
        } else {
            num(v.estimate)
        },
        opt(v.ci95_low),
        opt(v.ci95_high),
    ]
}

/// Writes `effects.csv`: a header comment saying what the numbers mean, then
/// `outcome,effect,order,n,estimate,ci95_low,ci95_high,variance_share,aliases`.
pub fn write_effects(
    path: &Path,
    plan: &FactorialPlan,
    replicates: u32,
    outcomes: &[String],
    est: &Estimates,
) -> Result<()> {
    let labels = plan.labels();
    let d = &plan.design;
    let mut lines = vec![
        "effects.csv: what each switch, and each combination of switches, does to each outcome (a summary column of runs.csv).".to_string(),
    ];
    lines.extend(factor_lines(plan, replicates));
    lines.extend([
        "effect \"a\" (order 1): main effect, the mean change in the outcome when switch a goes from its low level (off) to its high level (on), averaged over every setting of the other switches.".to_string(),
        "effect \"a:b\" (order 2): interaction, how much switching b on changes a's effect: (y[a on, b on] - y[a off, b on]) - (y[a on, b off] - y[a off, b off]), averaged over the other switches. Positive: together they do more than the sum of each alone (synergy); negative: less (redundancy or interference). Order j: the same difference of differences over j switches. The classical factorial effect (Box, Hunter & Hunter 2005) is this divided by 2^(order-1).".to_string(),
        "estimate: mean over replicates of the effect computed within each replicate; ci95_low, ci95_high: Student-t 95% interval over replicates (paired by seed, so the noise all cells share cancels); n: replicates used (a replicate with a missing value in any cell is left out).".to_string(),
        "variance_share: share of the outcome's total sum of squares over all runs that the effect explains, N x (estimate / 2^order)^2 over the total (N runs); in a full design all effects of all orders and the replicate noise add up to 1.".to_string(),
        if d.is_full() {
            "aliases: empty (a full design aliases nothing).".to_string()
        } else {
            "aliases: the effects of order 3 or less that share this effect's column in the fraction, so the estimate is their sum with it (a resolution-V fraction keeps main effects and two-factor interactions clear of each other).".to_string()
        },
    ]);
    let rows = outcomes.iter().enumerate().flat_map(|(o, name)| {
        let labels = &labels;
        est.effects[o].iter().map(move |e| {
            let aliases = if d.is_full() {
                String::new()
            } else {
                d.aliases(e.word)
                    .into_iter()
                    .filter(|a| a.count_ones() <= 3)
                    .map(|a| word_text(a, labels))
                    .collect::<Vec<_>>()
                    .join(";")
            };
            let mut row = vec![
                name.clone(),
                word_text(e.word, labels),
                e.word.count_ones().to_string(),
            ];
            row.extend(interval_fields(&e.value));
            row.push(opt(e.variance_share));
            row.push(aliases);
            row
        })
    });
    write_table(
        path,
        &lines,
        &[
            "outcome",
            "effect",
            "order",
            "n",
            "estimate",
            "ci95_low",
            "ci95_high",
            "variance_share",
            "aliases",
        ],
        rows,
    )
}

/// Writes `attribution.csv` (full designs): a header comment, then
/// `outcome,switch,n,shapley,ci95_low,ci95_high`. Does nothing without Shapley values.
pub fn write_attribution(
    path: &Path,
    plan: &FactorialPlan,
    replicates: u32,
    outcomes: &[String],
    est: &Estimates,
) -> Result<()> {
    let Some(sh) = &est.shapley else {
        return Ok(());
    };
    let labels = plan.labels();
    let mut lines = vec![
        "attribution.csv: each switch's share of what the switches together do to each outcome."
            .to_string(),
    ];
    lines.extend(factor_lines(plan, replicates));
    lines.extend([
        "shapley: the switch's Shapley value (Shapley 1953): its marginal contribution v(S + i) - v(S) averaged over all k! orders in which the switches can be turned on one by one from the baseline with all off, where v(S) is the outcome in the cell with the switches of S on (high level) and the others off (low level). Computed exactly from the full factorial: sum over S not containing i of |S|!(k-|S|-1)!/k! x (v(S + i) - v(S)).".to_string(),
        "The values of one outcome add up to v(all on) - v(all off): the whole difference is shared out, each interaction split equally among the switches in it. A switch that matters only together with others gets its share of that joint effect.".to_string(),
        "n, ci95_low, ci95_high: the value is computed within each replicate (the same seed in every cell) and averaged; the interval is Student-t 95% over replicates (paired by seed); n counts replicates without a missing value in any cell.".to_string(),
    ]);
    let rows = outcomes.iter().enumerate().flat_map(|(o, name)| {
        let labels = &labels;
        sh[o].iter().enumerate().map(move |(i, v)| {
            let mut row = vec![name.clone(), labels[i].clone()];
            row.extend(interval_fields(v));
            row
        })
    });
    write_table(
        path,
        &lines,
        &["outcome", "switch", "n", "shapley", "ci95_low", "ci95_high"],
        rows,
    )
}

/// The files [`write_outputs`] may write (CSV in either output format).
pub const FILES: [&str; 2] = ["effects.csv", "attribution.csv"];

/// Estimates every summary column's effects from the cells `load` reads (one policy, cell by
/// cell) and writes `effects.csv` and, for a full design, `attribution.csv` into `out`.
pub fn write_outputs(
    out: &Path,
    plan: &FactorialPlan,
    replicates: u32,
    load: &dyn Fn(usize) -> Result<Vec<Vec<f64>>>,
) -> Result<()> {
    let outcomes = crate::metrics::summary_columns();
    let est = estimate(
        &plan.design,
        plan.order,
        outcomes.len(),
        replicates as usize,
        load,
    )?;
    write_effects(&out.join("effects.csv"), plan, replicates, &outcomes, &est)?;
    if est.shapley.is_some() {
        write_attribution(
            &out.join("attribution.csv"),
            plan,
            replicates,
            &outcomes,
            &est,
        )
    } else {
        crate::outdir::remove_stale(out, &["attribution.csv"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::factorial::{Search, search};

    /// y = 1 + 2·a + 0.5·b − c + 3·a·b in 0/1 coding, plus a replicate term that every cell
    /// shares and a small cell term.
    fn value(x: u64, r: usize, c: usize) -> f64 {
        let z = |i: u32| (x >> i & 1) as f64;
        let shared = [0.7, -1.3, 2.1, 0.2][r];
        let own = ((c * 7 + r * 13) % 5) as f64 * 1e-3;
        1.0 + 2.0 * z(0) + 0.5 * z(1) - z(2) + 3.0 * z(0) * z(1) + shared + own
    }

    fn run(d: &Design, order: usize) -> Estimates {
        let load = |c: usize| -> Result<Vec<Vec<f64>>> {
            let x = d.levels(c);
            Ok((0..4).map(|r| vec![value(x, r, c), 5.0]).collect())
        };
        estimate(d, order, 2, 4, &load).unwrap()
    }

    #[test]
    fn effects_and_shapley_of_a_known_model() {
        let d = Design::full(4);
        let e = run(&d, 2);
        let get = |w: u64| e.effects[0].iter().find(|x| x.word == w).unwrap().value;
        // Main effect of a averages its effect over b: 2 + 3/2.
        assert!((get(0b0001).estimate - 3.5).abs() < 0.01);
        assert!((get(0b0010).estimate - 2.0).abs() < 0.01);
        assert!((get(0b0100).estimate + 1.0).abs() < 0.01);
        assert!(get(0b1000).estimate.abs() < 0.01);
        // The interaction is the difference of differences, 3.
        let ab = get(0b0011);
        assert!((ab.estimate - 3.0).abs() < 0.01 && ab.excludes_zero());
        assert!(get(0b0101).estimate.abs() < 0.01);
        // The shared replicate term cancels: intervals are narrow.
        assert!(ab.ci95_high.unwrap() - ab.ci95_low.unwrap() < 0.02);
        let sh = e.shapley.as_ref().unwrap();
        // Shapley splits the interaction equally: a = 2 + 1.5, b = 0.5 + 1.5.
        let phi: Vec<f64> = sh[0].iter().map(|v| v.estimate).collect();
        assert!((phi[0] - 3.5).abs() < 0.01 && (phi[1] - 2.0).abs() < 0.01);
        assert!((phi[2] + 1.0).abs() < 0.01 && phi[3].abs() < 0.01);
        // Efficiency: they add up to all on − all off.
        let total = value(0b1111, 0, 15) - value(0, 0, 0);
        let per0: f64 = (0..4)
            .map(|i| {
                let load = |c: usize| -> Result<Vec<Vec<f64>>> {
                    Ok(vec![vec![value(d.levels(c), 0, c)]])
                };
                estimate(&d, 1, 1, 1, &load).unwrap().shapley.unwrap()[0][i].estimate
            })
            .sum();
        assert!((per0 - total).abs() < 1e-12);
        // Shares of variance: the constant outcome has none; the rest of the variance is
        // the replicates' shared term, so the effects explain most but not all of it.
        assert!(e.effects[1].iter().all(|x| x.variance_share.is_none()));
        let sum: f64 = e.effects[0].iter().filter_map(|x| x.variance_share).sum();
        assert!(sum < 0.9 && sum > 0.7, "{sum}");
    }

    #[test]
    fn all_orders_of_a_full_design_explain_all_variance_between_cells() {
        let d = Design::full(3);
        let load = |c: usize| -> Result<Vec<Vec<f64>>> {
            let y = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0][c];
            Ok(vec![vec![y], vec![y + 1.0]])
        };
        let e = estimate(&d, 3, 1, 2, &load).unwrap();
        let between: f64 = e.effects[0].iter().filter_map(|x| x.variance_share).sum();
        // Replicates differ by a constant: all variance is between cells, except the
        // replicate shift, whose share is 16·0.25 / total.
        let ys = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let all: Vec<f64> = ys.iter().chain(ys.iter()).copied().collect::<Vec<_>>();
        let all: Vec<f64> = all
            .iter()
            .enumerate()
            .map(|(i, y)| if i >= 8 { y + 1.0 } else { *y })
            .collect();
        let m = all.iter().sum::<f64>() / 16.0;
        let total: f64 = all.iter().map(|y| (y - m) * (y - m)).sum();
        assert!((between - (total - 4.0) / total).abs() < 1e-12, "{between}");
    }

    #[test]
    fn missing_values_drop_the_replicate() {
        let d = Design::full(2);
        let load = |c: usize| -> Result<Vec<Vec<f64>>> {
            let bad = if c == 3 { f64::NAN } else { 1.0 };
            Ok(vec![vec![c as f64], vec![bad], vec![c as f64 + 0.5]])
        };
        let e = estimate(&d, 2, 1, 3, &load).unwrap();
        assert!(e.effects[0].iter().all(|x| x.value.n == 2));
    }

    #[test]
    fn a_fraction_estimates_main_effects_and_two_factor_interactions() {
        let Search::Found(d) = search(6, 5, 5) else {
            panic!()
        };
        // y = Σ main + one interaction, no higher order: a resolution-VI/V fraction is exact.
        let load = |c: usize| -> Result<Vec<Vec<f64>>> {
            let x = d.levels(c);
            let z = |i: u32| (x >> i & 1) as f64;
            let y = 2.0 * z(0) - z(3) + 0.5 * z(5) + 1.5 * z(1) * z(4);
            Ok(vec![vec![y], vec![y + 3.0]])
        };
        let e = estimate(&d, 2, 1, 2, &load).unwrap();
        assert!(e.shapley.is_none());
        for x in &e.effects[0] {
            let truth = match x.word {
                0b000001 => 2.0,
                0b001000 => -1.0,
                0b100000 => 0.5,
                0b000010 | 0b010000 => 0.75,
                0b010010 => 1.5,
                _ => 0.0,
            };
            assert!((x.value.estimate - truth).abs() < 1e-9, "{:b}", x.word);
        }
    }
}
