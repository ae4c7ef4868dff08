//! Barabási–Albert (1999) preferential attachment from the engine's generator: the degree
//! distribution follows the exact finite-k law pₖ = 2m(m+1)/(k(k+1)(k+2)) (Dorogovtsev,
//! Mendes & Samukhin 2000; Bollobás et al. 2001), tested by Pearson's chi-square over
//! binned degrees.

use serde_json::json;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::{Case, Param, Params, Point, Report, replicates, require};
use crate::Result;
use crate::network::{Edge, Network, TieKind, generators};
use crate::rng::{self, Purpose};

/// The case.
pub const CASE: Case = Case {
    name: "ba",
    about: "Barabási–Albert degree distribution against pₖ = 2m(m+1)/(k(k+1)(k+2)) (chi-square)",
    source: "Barabási & Albert 1999, Science 286:509; Dorogovtsev, Mendes & Samukhin 2000, PRL 85:4633",
    params: &[
        Param { name: "n", value_name: "N", default: Some("10000"), help: "Number of nodes" },
        Param { name: "m", value_name: "M", default: Some("3"), help: "Ties per new node" },
    ],
    default_runs: 40,
    suite,
    probe,
};

/// Stream tag of this case.
const TAG: u64 = 5;
/// A degree bin is closed into the tail once its expected share falls below this.
const MIN_TAIL: f64 = 0.01;
/// The fit is rejected when the chi-square p-value is below this.
const ALPHA: f64 = 0.001;

/// The limiting degree law of preferential attachment.
pub fn p_k(m: u32, k: u32) -> f64 {
    if k < m {
        return 0.0;
    }
    let (m, k) = (m as f64, k as f64);
    2.0 * m * (m + 1.0) / (k * (k + 1.0) * (k + 2.0))
}

/// Its complementary distribution P(K ≥ k) = m(m+1)/(k(k+1)) for k ≥ m.
pub fn ccdf(m: u32, k: u32) -> f64 {
    if k <= m {
        return 1.0;
    }
    let (m, k) = (m as f64, k as f64);
    m * (m + 1.0) / (k * (k + 1.0))
}

/// Degrees of the nodes m..n of replicate `run` (the m starting nodes are not part of the
/// limiting law).
pub fn degrees(n: u32, m: u32, seed: u64, run: u64) -> Vec<u32> {
    let mut rng = rng::stream(seed, Purpose::Verify, TAG, run);
    let mut edges = Vec::new();
    generators::barabasi_albert(n, m, &mut rng, |a, b| edges.push(Edge { a, b, kind: TieKind::Bonding }));
    let net = Network::from_edges(n, n, edges);
    (m..n).map(|i| net.degree(i) as u32).collect()
}

/// The degree bins: single degrees m, m+1, … while the law's tail beyond stays above
/// [`MIN_TAIL`], then one tail bin. Returns the first degree of each bin.
fn bins(m: u32) -> Vec<u32> {
    let mut b = vec![m];
    let mut k = m + 1;
    while ccdf(m, k + 1) >= MIN_TAIL {
        b.push(k);
        k += 1;
    }
    b.push(k); // the tail bin [k, ∞)
    b
}

/// The binned fit: (statistic, degrees of freedom, p-value, largest |z| of a bin share).
fn fit(m: u32, runs_degrees: &[Vec<u32>]) -> (f64, usize, f64, f64) {
    let b = bins(m);
    let nb = b.len();
    let bin_of = |d: u32| b.iter().rposition(|&lo| d >= lo);
    // Per-run bin shares, so the standard errors come from the spread between graphs.
    let shares: Vec<Vec<f64>> = runs_degrees
        .iter()
        .map(|ds| {
            let mut c = vec![0.0; nb];
            for &d in ds {
                if let Some(i) = bin_of(d) {
                    c[i] += 1.0;
                }
            }
            c.iter().map(|v| v / ds.len() as f64).collect()
        })
        .collect();
    let total: f64 = runs_degrees.iter().map(|d| d.len() as f64).sum();
    let expected: Vec<f64> = (0..nb)
        .map(|i| if i + 1 < nb { ccdf(m, b[i]) - ccdf(m, b[i + 1]) } else { ccdf(m, b[i]) })
        .collect();
    let mut chi2 = 0.0;
    let mut max_z: f64 = 0.0;
    for i in 0..nb {
        let col: Vec<f64> = shares.iter().map(|s| s[i]).collect();
        let observed: f64 = runs_degrees
            .iter()
            .zip(&shares)
            .map(|(d, s)| s[i] * d.len() as f64)
            .sum();
        let e = expected[i] * total;
        chi2 += (observed - e).powi(2) / e;
        let ms = super::mean_se(&col);
        if ms.se > 0.0 {
            max_z = max_z.max(((ms.mean - expected[i]) / ms.se).abs());
        }
    }
    let df = nb - 1;
    let p = ChiSquared::new(df as f64).map(|c| 1.0 - c.cdf(chi2)).unwrap_or(f64::NAN);
    (chi2, df, p, max_z)
}

/// The degree distribution over `runs` graphs, with the chi-square fit.
pub fn point(n: u32, m: u32, seed: u64, runs: usize) -> (Point, f64, usize, f64) {
    let all: Vec<Vec<u32>> = replicates(runs, |r| degrees(n, m, seed, r));
    let (chi2, df, pval, max_z) = fit(m, &all);
    let mut pt = Point::new(json!({"n": n, "m": m}), runs);
    let b = bins(m);
    let mut dist = Vec::new();
    for (i, &lo) in b.iter().enumerate() {
        let shares: Vec<f64> = all
            .iter()
            .map(|ds| {
                let hit = |d: &&u32| **d >= lo && (i + 1 == b.len() || **d < b[i + 1]);
                ds.iter().filter(hit).count() as f64 / ds.len() as f64
            })
            .collect();
        let ms = super::mean_se(&shares);
        let expected = if i + 1 < b.len() { p_k(m, lo) } else { ccdf(m, lo) };
        dist.push(json!({"k": lo, "tail": i + 1 == b.len(), "share": ms.mean, "share_se": ms.se,
                         "expected": expected}));
    }
    let mean_k: Vec<f64> =
        all.iter().map(|ds| ds.iter().map(|&d| d as f64).sum::<f64>() / ds.len() as f64).collect();
    pt.mean_se("mean_degree", &mean_k);
    pt.stats.insert("degree_distribution".into(), json!(dist));
    pt.stat("chi2", chi2).stat("chi2_df", df as f64).stat("chi2_p", pval).stat("max_abs_z", max_z);
    (pt, chi2, df, pval)
}

fn suite(seed: u64, runs: usize) -> Result<Report> {
    let mut rep = Report::new(&CASE, seed);
    let (n, m) = (10_000, 3);
    let (pt, chi2, df, pval) = point(n, m, seed, runs);
    rep.check(
        format!("n={n}, m={m}, runs={runs}, k={m}..{} + tail", bins(m).last().copied().unwrap_or(m)),
        "pₖ = 2m(m+1)/(k(k+1)(k+2))",
        format!("χ² = {chi2:.1}, df = {df}, p = {pval:.3}"),
        format!("p ≥ {ALPHA}"),
        pval >= ALPHA,
    );
    rep.points.push(pt);
    Ok(rep)
}

fn probe(params: &Params, seed: u64, runs: usize) -> Result<Report> {
    let n = params.u32("n")?;
    let m = params.u32("m")?;
    require((2..=10_000_000).contains(&n), "n", "a whole number from 2 to 10000000", n)?;
    require(m >= 1 && m < n, "m", "a whole number from 1 to n − 1", m)?;
    let mut rep = Report::new(&CASE, seed);
    rep.points.push(point(n, m, seed, runs).0);
    Ok(rep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn law_sums_to_one() {
        let s: f64 = (3..100_000).map(|k| p_k(3, k)).sum();
        assert!((s - 1.0).abs() < 1e-6);
        assert!((ccdf(3, 10) - (10..100_000).map(|k| p_k(3, k)).sum::<f64>()).abs() < 1e-6);
    }
}
