//! Granovetter's (1978) riot: count thresholds on a complete graph, through the engine's
//! cascade kernel. A count threshold k among n people is the fraction k/(n − 1).

use serde_json::json;

use super::{Case, Param, Params, Point, Report};
use crate::network::{Edge, Network, TieKind, generators};
use crate::submodels::activation;
use crate::{Error, Result};

/// The case.
pub const CASE: Case = Case {
    name: "granovetter",
    about: "Riot with count thresholds 0..99: all act; move the threshold-1 person to 2: one acts",
    source: "Granovetter 1978, Am. J. Sociol. 83:1420",
    params: &[
        Param {
            name: "thresholds",
            value_name: "FILE",
            default: None,
            help: "File with one count threshold per line",
        },
        Param { name: "uniform", value_name: "N", default: None, help: "N people with thresholds 0..N-1" },
    ],
    default_runs: 1,
    suite,
    probe,
};

/// How many act at the fixed point, run through [`activation::run_to_fixed_point`] on the
/// complete graph: those with count threshold 0 start, the rest follow.
pub fn riot(thresholds: &[u32]) -> usize {
    let n = thresholds.len() as u32;
    let mut edges = Vec::with_capacity((n as usize * n.saturating_sub(1) as usize) / 2);
    generators::complete(n, |a, b| edges.push(Edge { a, b, kind: TieKind::Bonding }));
    let net = Network::from_edges(n, n, edges);
    let denom = n.saturating_sub(1).max(1) as f32;
    let phi: Vec<f32> = thresholds.iter().map(|&k| k as f32 / denom).collect();
    let mut active: Vec<bool> = thresholds.iter().map(|&k| k == 0).collect();
    let mut scratch = vec![false; n as usize];
    activation::run_to_fixed_point(&net, &phi, &mut active, &mut scratch);
    active.iter().filter(|&&a| a).count()
}

/// Granovetter's equilibrium: the first c with c = #{thresholds ≤ c}, iterated from
/// c = #{thresholds = 0}.
pub fn equilibrium(thresholds: &[u32]) -> usize {
    let mut c = thresholds.iter().filter(|&&k| k == 0).count();
    loop {
        let next = thresholds.iter().filter(|&&k| k as usize <= c).count();
        if next == c {
            return c;
        }
        c = next;
    }
}

fn point(rep: &mut Report, label: &str, thresholds: &[u32], expected: Option<usize>) {
    let got = riot(thresholds);
    let eq = equilibrium(thresholds);
    let expected = expected.unwrap_or(eq);
    rep.check(
        format!("{label}, n={}", thresholds.len()),
        format!("{expected} act"),
        format!("{got} act"),
        "exact",
        got == expected && eq == expected,
    );
    let mut p = Point::new(json!({"people": thresholds.len(), "thresholds": label}), 1);
    p.stat("acting", got as f64).stat("expected", expected as f64);
    rep.points.push(p);
}

fn suite(seed: u64, _runs: usize) -> Result<Report> {
    let mut rep = Report::new(&CASE, seed);
    let mut t: Vec<u32> = (0..100).collect();
    point(&mut rep, "thresholds 0..99", &t, Some(100));
    t[1] = 2;
    point(&mut rep, "0..99 with 1→2", &t, Some(1));
    Ok(rep)
}

/// The largest population a probe may ask for (the complete graph has n(n−1)/2 ties).
const MAX_PEOPLE: usize = 5_000;

fn probe(params: &Params, seed: u64, _runs: usize) -> Result<Report> {
    let (thresholds, label) = match (params.raw("thresholds"), params.raw("uniform")) {
        (Some(_), Some(_)) => {
            return Err(Error::input("give either --thresholds FILE or --uniform N, not both"));
        }
        (Some(path), None) => (read_thresholds(path)?, format!("thresholds from {path}")),
        (None, u) => {
            let n = match u {
                Some(_) => params.u32("uniform")?,
                None => 100,
            };
            super::require(
                (1..=MAX_PEOPLE as u32).contains(&n),
                "uniform",
                &format!("a whole number from 1 to {MAX_PEOPLE}"),
                n,
            )?;
            ((0..n).collect(), format!("thresholds 0..{}", n - 1))
        }
    };
    let mut rep = Report::new(&CASE, seed);
    point(&mut rep, &label, &thresholds, None);
    Ok(rep)
}

/// Reads one non-negative whole-number threshold per line (blank lines and `#` comments
/// are skipped).
pub fn read_thresholds(path: &str) -> Result<Vec<u32>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::input(format!("--thresholds {path}: {e}")))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let s = line.split('#').next().unwrap_or("").trim();
        if s.is_empty() {
            continue;
        }
        let k: u32 = s.parse().map_err(|_| {
            Error::input(format!(
                "{path}:{}: {s:?} is not a count threshold (a non-negative whole number)",
                i + 1
            ))
        })?;
        out.push(k);
    }
    if out.is_empty() || out.len() > MAX_PEOPLE {
        return Err(Error::input(format!(
            "{path}: needs from 1 to {MAX_PEOPLE} thresholds, found {}",
            out.len()
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_and_equilibrium_agree() {
        let mut t: Vec<u32> = (0..100).collect();
        assert_eq!((riot(&t), equilibrium(&t)), (100, 100));
        t[1] = 2;
        assert_eq!((riot(&t), equilibrium(&t)), (1, 1));
        let t = [0, 0, 2, 5, 3, 9];
        assert_eq!(riot(&t), equilibrium(&t));
    }
}
