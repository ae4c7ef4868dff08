//! Watts (2002) global cascades on Erdős–Rényi graphs, through the engine's cascade kernel
//! ([`activation::run_to_fixed_point`]) and ER generator.

use serde_json::json;

use super::{Case, Param, Params, Point, Report, replicates, require};
use crate::Result;
use crate::network::{Edge, Network, TieKind, generators};
use crate::rng::{self, Purpose};
use crate::submodels::activation;

/// The case.
pub const CASE: Case = Case {
    name: "watts",
    about: "Global cascades on Erdős–Rényi graphs: frequent inside the cascade window, absent outside",
    source: "Watts 2002, PNAS 99:5766",
    params: &[
        Param { name: "n", value_name: "N", default: Some("10000"), help: "Number of nodes" },
        Param { name: "z", value_name: "Z", default: Some("4"), help: "Mean degree" },
        Param { name: "phi", value_name: "PHI", default: Some("0.18"), help: "Threshold of every node" },
    ],
    default_runs: 400,
    suite,
    probe,
};

/// Stream tag of this case.
const TAG: u64 = 1;
/// A cascade is global when it reaches more than this share of the nodes (Watts 2002).
pub const GLOBAL_SHARE: f64 = 0.1;
/// Mean degrees the suite runs: outside, inside and outside the window again.
const SUITE_Z: [f64; 7] = [0.9, 2.0, 3.0, 4.0, 5.0, 8.0, 10.0];
/// Inside the window a global cascade must follow at least this share of seeds.
const FREQUENT: f64 = 0.05;

/// One cascade.
#[derive(Debug, Clone, Copy)]
pub struct Cascade {
    /// Final active share, the seed included.
    pub size: f64,
    /// Node updates done: n per synchronous sweep, the final (unchanged) sweep included.
    pub node_updates: u64,
}

/// One run of Watts' model: an ER graph with mean degree `z`, every threshold `phi`, one
/// random seed node, synchronous updates to the fixed point. Replicate `run` of `seed`.
pub fn run_once(n: u32, z: f64, phi: f32, seed: u64, run: u64) -> Cascade {
    let mut rng = rng::stream(seed, Purpose::Verify, TAG, run);
    let mut edges = Vec::with_capacity((n as f64 * z / 2.0 * 1.1) as usize + 16);
    generators::erdos_renyi(n, z, &mut rng, |a, b| edges.push(Edge { a, b, kind: TieKind::Bonding }));
    let net = Network::from_edges(n, n, edges);
    let phi = vec![phi; n as usize];
    let mut active = vec![false; n as usize];
    active[rng::index(&mut rng, n as usize)] = true;
    let mut scratch = vec![false; n as usize];
    let steps = activation::run_to_fixed_point(&net, &phi, &mut active, &mut scratch);
    let on = active.iter().filter(|&&a| a).count();
    Cascade { size: on as f64 / n as f64, node_updates: n as u64 * (steps as u64 + 1) }
}

/// The cascade window for Poisson degrees and a common threshold `phi`: the mean degrees
/// z where Watts' (2002, eq. 6) condition Σₖ k(k−1) ρₖ pₖ = z holds, with ρₖ = 1 for
/// 1 ≤ k ≤ ⌊1/φ⌋ and pₖ = e^{−z} zᵏ/k!. It reduces to z e^{−z} Σ_{j=0}^{K−2} zʲ/j! = 1 with
/// K = ⌊1/φ⌋. Returns None when there is no window (K < 2).
pub fn analytic_window(phi: f64) -> Option<(f64, f64)> {
    if !(phi > 0.0 && phi <= 1.0) {
        return None;
    }
    let kmax = (1.0 / phi + 1e-12).floor() as i32;
    if kmax < 2 {
        return None;
    }
    let g = |z: f64| {
        let (mut term, mut sum) = (1.0, 1.0);
        for j in 1..=(kmax - 2) {
            term *= z / j as f64;
            sum += term;
        }
        z * (-z).exp() * sum - 1.0
    };
    // g rises from −1 at z = 0 to its peak at the mode z = K − 1, then falls back to −1.
    let peak = (kmax - 1) as f64;
    if g(peak) <= 0.0 {
        return None;
    }
    Some((bisect(g, 0.0, peak), bisect(g, peak, peak + 100.0)))
}

/// The root of `g` in [a, b], where g changes sign once.
fn bisect(g: impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let ga = g(a);
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if (g(m) > 0.0) == (ga > 0.0) {
            a = m;
        } else {
            b = m;
        }
    }
    0.5 * (a + b)
}

/// Runs `runs` cascades at one point and summarises them.
pub fn point(n: u32, z: f64, phi: f64, seed: u64, runs: usize) -> (Point, usize) {
    let sizes: Vec<f64> = replicates(runs, |r| run_once(n, z, phi as f32, seed, r).size);
    let global: Vec<f64> = sizes.iter().map(|&s| (s > GLOBAL_SHARE) as u8 as f64).collect();
    let if_global: Vec<f64> = sizes.iter().copied().filter(|&s| s > GLOBAL_SHARE).collect();
    let mut p = Point::new(json!({"n": n, "z": z, "phi": phi}), runs);
    p.mean_se("p_global", &global);
    p.mean_se("mean_size", &sizes);
    p.mean_se("mean_size_if_global", &if_global);
    p.stat("n_global", if_global.len() as f64);
    (p, if_global.len())
}

fn suite(seed: u64, runs: usize) -> Result<Report> {
    let mut rep = Report::new(&CASE, seed);
    let (n, phi) = (10_000, 0.18);
    let (lo, hi) = analytic_window(phi).unwrap_or((f64::NAN, f64::NAN));
    rep.check(
        "φ=0.18, lower edge",
        "z ≈ 1.02",
        format!("{lo:.4}"),
        "± 0.005",
        (lo - 1.02).abs() <= 0.005,
    );
    rep.check(
        "φ=0.18, upper edge",
        "z ≈ 5.76",
        format!("{hi:.4}"),
        "± 0.005",
        (hi - 5.76).abs() <= 0.005,
    );
    for z in SUITE_Z {
        let (p, n_global) = point(n, z, phi, seed, runs);
        let params = format!("n={n}, φ={phi}, z={z}, runs={runs}");
        if z > lo && z < hi {
            // Frequent: the share of global cascades exceeds FREQUENT by 3 standard errors.
            let pg = p.stats["p_global"].as_f64().unwrap_or(0.0);
            let se = p.stats["p_global_se"].as_f64().unwrap_or(f64::NAN);
            rep.check(
                params,
                format!("global cascades frequent (P > {FREQUENT})"),
                format!("P = {pg:.3} ± {se:.3}"),
                "P − 3 SE > 0.05",
                pg - 3.0 * se > FREQUENT,
            );
        } else {
            rep.check(
                params,
                "no global cascade",
                format!("{n_global} of {runs} global"),
                "0",
                n_global == 0,
            );
        }
        rep.points.push(p);
    }
    Ok(rep)
}

fn probe(params: &Params, seed: u64, runs: usize) -> Result<Report> {
    let n = params.u32("n")?;
    let z = params.f64("z")?;
    let phi = params.f64("phi")?;
    require((2..=10_000_000).contains(&n), "n", "a whole number from 2 to 10000000", n)?;
    require(z >= 0.0 && z <= (n - 1) as f64, "z", "a mean degree from 0 to n − 1", z)?;
    require((0.0..=1.0).contains(&phi), "phi", "a threshold in [0, 1]", phi)?;
    let mut rep = Report::new(&CASE, seed);
    let (mut p, _) = point(n, z, phi, seed, runs);
    match analytic_window(phi) {
        Some((lo, hi)) => {
            p.stat("window_low", lo).stat("window_high", hi);
            p.stats.insert("in_window".into(), json!(z > lo && z < hi));
        }
        None => {
            p.stats.insert("in_window".into(), json!(false));
        }
    }
    rep.points.push(p);
    Ok(rep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_edges_for_phi_018() {
        let (lo, hi) = analytic_window(0.18).unwrap();
        assert!((lo - 1.02).abs() < 0.005, "{lo}");
        assert!((hi - 5.76).abs() < 0.005, "{hi}");
        assert!(analytic_window(0.6).is_none());
    }

    #[test]
    fn runs_are_reproducible() {
        let a = run_once(2000, 3.0, 0.18, 5, 7);
        let b = run_once(2000, 3.0, 0.18, 5, 7);
        assert_eq!(a.size, b.size);
        assert!(a.node_updates >= 2000);
    }
}
