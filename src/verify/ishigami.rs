//! Sobol' indices and Morris screening of the Ishigami function, through the same design,
//! sampling and estimator code the ABM's `design = "sobol"` / `"morris"` experiments use
//! ([`crate::sensitivity::ishigami`]).

use serde_json::json;

use super::{Case, Param, Params, Point, Report, require};
use crate::Result;
use crate::sensitivity::ishigami::{self, TOLERANCE};

/// The case.
pub const CASE: Case = Case {
    name: "ishigami",
    about: "Sobol' S1, ST, S2 of the Ishigami function within ±0.02 of the analytic values; Morris: x3's σ > |μ|",
    source: "Ishigami & Homma 1990, Proc. ISUMA 398; Saltelli et al. 2008, GSA: The Primer",
    params: &[Param {
        name: "n",
        value_name: "N",
        default: Some("8192"),
        help: "Sobol' base sample size, a power of two (N(2k + 2) = 8N evaluations)",
    }],
    default_runs: 1,
    suite,
    probe,
};

/// Morris trajectories and levels.
const MORRIS_R: usize = 50;
const MORRIS_LEVELS: usize = 4;

fn run(n: usize, seed: u64) -> Result<Report> {
    let mut rep = Report::new(&CASE, seed);
    let sobol = ishigami::run_sobol(n, seed)?;
    let mut p = Point::new(json!({"method": "sobol", "n": n}), 1);
    for c in &sobol.indices {
        let name = format!("{}_{}", c.index, c.parameter.replace(':', "_"));
        p.stat(&name, c.estimate);
        if let Some((lo, hi)) = c.ci95 {
            p.stat(&format!("{name}_ci95_low"), lo);
            p.stat(&format!("{name}_ci95_high"), hi);
        }
        rep.check(
            format!("{} {}, N={n}", c.index, c.parameter),
            format!("{:.4}", c.analytic),
            match c.ci95 {
                Some((lo, hi)) => format!("{:.4} [{lo:.4}, {hi:.4}]", c.estimate),
                None => format!("{:.4}", c.estimate),
            },
            format!("±{TOLERANCE}"),
            c.abs_error <= TOLERANCE,
        );
    }
    p.stat("evaluations", sobol.evaluations as f64);
    rep.points.push(p);
    let morris = ishigami::run_morris(MORRIS_R, MORRIS_LEVELS, seed)?;
    let mut p = Point::new(
        json!({"method": "morris", "r": MORRIS_R, "levels": MORRIS_LEVELS}),
        1,
    );
    for m in &morris.parameters {
        p.stat(&format!("mu_{}", m.parameter), m.mu);
        p.stat(&format!("mu_star_{}", m.parameter), m.mu_star);
        p.stat(&format!("sigma_{}", m.parameter), m.sigma);
    }
    if let Some(x3) = morris.parameters.get(2) {
        rep.check(
            format!("Morris x3, r={MORRIS_R}, p={MORRIS_LEVELS}"),
            "σ > |μ| (acts through x1·x3)",
            format!("σ = {:.4}, μ = {:.4}", x3.sigma, x3.mu),
            "strict",
            morris.pass,
        );
    }
    rep.points.push(p);
    Ok(rep)
}

fn suite(seed: u64, _runs: usize) -> Result<Report> {
    run(1 << 13, seed)
}

fn probe(params: &Params, seed: u64, _runs: usize) -> Result<Report> {
    let n = params.u32("n")? as usize;
    require(
        n >= 2 && n.is_power_of_two(),
        "n",
        "a power of two ≥ 2",
        n,
    )?;
    run(n, seed)
}
