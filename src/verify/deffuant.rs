//! Deffuant et al. (2000) bounded confidence, through the engine's deliberation kernel
//! ([`bounded_confidence::complete_round`] and [`bounded_confidence::network_round`]).

use serde_json::json;

use super::{Case, MeanSe, Param, Params, Point, Report, replicates, require};
use crate::network::{Edge, Network, TieKind, generators};
use crate::rng::{self, Purpose};
use crate::submodels::bounded_confidence;
use crate::{Error, Result};

/// The case.
pub const CASE: Case = Case {
    name: "deffuant",
    about: "Bounded confidence: about ⌊1/(2ε)⌋ major clusters; consensus for ε ≥ 1/2 on graphs too",
    source: "Deffuant, Neau, Amblard & Weisbuch 2000, Adv. Complex Syst. 3:87; Fortunato 2004, IJMPC 15:1301",
    params: &[
        Param { name: "n", value_name: "N", default: Some("1000"), help: "Number of agents" },
        Param { name: "eps", value_name: "EPS", default: Some("0.25"), help: "Confidence bound ε in (0, 1]" },
        Param { name: "mu", value_name: "MU", default: Some("0.5"), help: "Convergence rate μ in (0, 0.5]" },
        Param {
            name: "sweeps",
            value_name: "S",
            default: Some("400"),
            help: "Encounters per agent (n encounters per sweep)",
        },
        Param {
            name: "graph",
            value_name: "G",
            default: Some("complete"),
            help: "Who meets whom: complete, er, ws or ba",
        },
        Param {
            name: "degree",
            value_name: "K",
            default: Some("10"),
            help: "Mean degree of er, ws (k) and ba (2m)",
        },
    ],
    default_runs: 100,
    suite,
    probe,
};

/// Stream tag of this case.
const TAG: u64 = 3;
/// Opinions closer than this are in one cluster.
pub const GAP: f64 = 0.01;
/// A cluster is major when it holds at least this share of the agents.
pub const MAJOR_SHARE: f64 = 0.01;

/// Who meets whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Graph {
    /// Everyone meets everyone (Deffuant et al.'s mixing population).
    Complete,
    /// Erdős–Rényi with the given mean degree.
    Er,
    /// Watts–Strogatz with k = degree and rewiring 0.1.
    Ws,
    /// Barabási–Albert with m = degree / 2.
    Ba,
}

impl Graph {
    /// Parses `complete`, `er`, `ws` or `ba`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "complete" => Ok(Graph::Complete),
            "er" => Ok(Graph::Er),
            "ws" => Ok(Graph::Ws),
            "ba" => Ok(Graph::Ba),
            _ => Err(Error::input(format!("--graph must be complete, er, ws or ba (got {s:?})"))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Graph::Complete => "complete",
            Graph::Er => "er",
            Graph::Ws => "ws",
            Graph::Ba => "ba",
        }
    }
}

/// One run's settings.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// Agents.
    pub n: u32,
    /// Confidence bound ε.
    pub eps: f64,
    /// Convergence rate μ.
    pub mu: f64,
    /// Encounters per agent.
    pub sweeps: u32,
    /// Who meets whom.
    pub graph: Graph,
    /// Mean degree of a sparse graph.
    pub degree: u32,
}

/// Final opinions of replicate `run`: uniform start, `sweeps · n` random encounters.
pub fn run_once(s: &Setting, seed: u64, run: u64) -> Vec<f64> {
    let mut rng = rng::stream(seed, Purpose::Verify, TAG, run);
    let mut x: Vec<f64> = (0..s.n).map(|_| rng::unit_f64(&mut rng)).collect();
    let pairs = s.n as usize * s.sweeps as usize;
    if s.graph == Graph::Complete {
        bounded_confidence::complete_round(&mut x, pairs, s.eps, s.mu, &mut rng);
        return x;
    }
    let mut edges = Vec::new();
    let mut push = |a, b| edges.push(Edge { a, b, kind: TieKind::Bonding });
    match s.graph {
        Graph::Er => generators::erdos_renyi(s.n, s.degree as f64, &mut rng, &mut push),
        Graph::Ws => generators::watts_strogatz(s.n, s.degree, 0.1, &mut rng, &mut push),
        Graph::Ba => generators::barabasi_albert(s.n, (s.degree / 2).max(1), &mut rng, &mut push),
        Graph::Complete => unreachable!("handled above"),
    }
    let net = Network::from_edges(s.n, s.n, edges);
    bounded_confidence::network_round(&mut x, &net, pairs, s.eps, s.mu, &mut rng);
    x
}

/// (major clusters, all clusters) of final opinions, by [`bounded_confidence::clusters`].
pub fn cluster_counts(x: &[f64]) -> (usize, usize) {
    let sizes = bounded_confidence::clusters(x, GAP);
    let major = sizes.iter().filter(|&&c| c as f64 >= MAJOR_SHARE * x.len() as f64).count();
    (major, sizes.len())
}

/// Runs one setting `runs` times: (point, major-cluster mean, runs with one major cluster).
pub fn point(s: &Setting, seed: u64, runs: usize) -> (Point, MeanSe, usize) {
    let counts: Vec<(usize, usize)> = replicates(runs, |r| cluster_counts(&run_once(s, seed, r)));
    let major: Vec<f64> = counts.iter().map(|c| c.0 as f64).collect();
    let all: Vec<f64> = counts.iter().map(|c| c.1 as f64).collect();
    let mut p = Point::new(
        json!({"n": s.n, "eps": s.eps, "mu": s.mu, "sweeps": s.sweeps, "graph": s.graph.name(),
               "degree": s.degree}),
        runs,
    );
    let m = p.mean_se("mean_major_clusters", &major);
    p.mean_se("mean_all_clusters", &all);
    let consensus = counts.iter().filter(|c| c.0 == 1).count();
    p.stat("consensus_share", consensus as f64 / runs.max(1) as f64);
    p.stat("rule_2eps", (1.0 / (2.0 * s.eps)).floor());
    (p, m, consensus)
}

fn suite(seed: u64, runs: usize) -> Result<Report> {
    let mut rep = Report::new(&CASE, seed);
    let base = Setting { n: 1000, eps: 0.25, mu: 0.5, sweeps: 400, graph: Graph::Complete, degree: 10 };
    for eps in [0.05, 0.1, 0.25, 0.5] {
        let s = Setting { eps, ..base };
        let (p, m, _) = point(&s, seed, runs);
        let rule = (1.0 / (2.0 * eps)).floor();
        // "Close to": major clusters end up about 2.2ε apart rather than 2ε (Ben-Naim,
        // Krapivsky & Redner 2003, Physica D 183:190; Lorenz 2007, IJMPC 18:1819), so for
        // small ε the count sits about one below ⌊1/(2ε)⌋; allow 1.5 clusters plus 3 SE.
        let tol = 1.5;
        rep.check(
            format!("complete, N=1000, μ=0.5, ε={eps}, runs={runs}"),
            format!("major clusters ≈ ⌊1/(2ε)⌋ = {rule}"),
            format!("{m}"),
            format!("± {tol} (+3 SE)"),
            (m.mean - rule).abs() <= tol + 3.0 * m.se,
        );
        rep.points.push(p);
    }
    for graph in [Graph::Er, Graph::Ws, Graph::Ba] {
        let s = Setting { eps: 0.5, graph, ..base };
        let (p, m, consensus) = point(&s, seed, runs);
        rep.check(
            format!("{}, N=1000, degree 10, μ=0.5, ε=0.5, runs={runs}", graph.name()),
            "consensus (one major cluster)",
            format!("{consensus} of {runs} runs; mean {m}"),
            "every run",
            consensus == runs,
        );
        rep.points.push(p);
    }
    Ok(rep)
}

fn probe(params: &Params, seed: u64, runs: usize) -> Result<Report> {
    let s = Setting {
        n: params.u32("n")?,
        eps: params.f64("eps")?,
        mu: params.f64("mu")?,
        sweeps: params.u32("sweeps")?,
        graph: Graph::parse(params.raw("graph").unwrap_or("complete"))?,
        degree: params.u32("degree")?,
    };
    require((2..=1_000_000).contains(&s.n), "n", "a whole number from 2 to 1000000", s.n)?;
    require(s.eps > 0.0 && s.eps <= 1.0, "eps", "in (0, 1]", s.eps)?;
    require(s.mu > 0.0 && s.mu <= 0.5, "mu", "in (0, 0.5]", s.mu)?;
    require((1..=100_000).contains(&s.sweeps), "sweeps", "a whole number from 1 to 100000", s.sweeps)?;
    if s.graph != Graph::Complete {
        require(
            s.degree >= 2 && s.degree < s.n,
            "degree",
            "a whole number from 2 to n − 1 for a sparse graph",
            s.degree,
        )?;
    }
    let mut rep = Report::new(&CASE, seed);
    rep.points.push(point(&s, seed, runs).0);
    Ok(rep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_bound_gives_consensus_on_the_complete_graph() {
        let s = Setting { n: 300, eps: 0.6, mu: 0.5, sweeps: 200, graph: Graph::Complete, degree: 0 };
        assert_eq!(cluster_counts(&run_once(&s, 1, 0)).0, 1);
    }

    #[test]
    fn unknown_graph_is_an_input_error() {
        assert!(matches!(Graph::parse("lattice"), Err(Error::Input(_))));
    }
}
