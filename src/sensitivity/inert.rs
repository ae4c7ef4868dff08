//! The inert-parameter screen (MODEL.md §10, rule 5: every parameter acts). Each numeric
//! model parameter of a scenario is perturbed in turn (up by half, or by a quarter of its
//! range, within its bounds; down when up is not allowed) and the model is run with the
//! same seed; a parameter whose perturbation leaves every output byte-identical is inert.
//! A short allow-list says why some may be: they act only in parts of the world a given
//! scenario does not have.

use rayon::prelude::*;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::run::{RunOutput, simulate};
use crate::scenario::schema::{Bounds, Param};
use crate::scenario::{Scenario, model_leaf_paths};

/// Parameters that may be inert in a scenario, with the reason (`*` stands for one
/// path segment).
pub const ALLOWED: &[(&str, &str)] = &[
    (
        "government.coordination_delay",
        "with platforms on, only departments without sunk staff wait the silo delay; the default domains have none",
    ),
    (
        "world.departments",
        "departments beyond the domains' responsible ones receive no work",
    ),
    (
        "world.platform_departments",
        "the default domains' departments are all among the first ten",
    ),
    (
        "domains.*.department",
        "with platforms on, every default department's staff sit on the platforms, so departments are interchangeable",
    ),
    (
        "domains.renovation.rate",
        "renovations come only as scheduled projects (rate 0 by default)",
    ),
    (
        "domains.renovation.enterprise_share",
        "the screen has one renovation; the share acts when a business answers its request",
    ),
    (
        "domains.*.support",
        "only contested issues carry opinions (residents.opinion_contention); this domain's are not contested",
    ),
    (
        "residents.opinion_contention",
        "no default domain's contention lies between 0.15 and 0.5, so moving the threshold there changes no issue",
    ),
    (
        "domains.neighbour_dispute.*_share",
        "neighbour disputes cost nothing, so no one is asked to pay",
    ),
    (
        "mechanisms.three_society.incubation_funds",
        "incubations are rare in the screen's world (about 0.4 a year)",
    ),
    (
        "mechanisms.government_society.foundation_endowment_per_resident",
        "binds only when matched grants exhaust it",
    ),
    (
        "mechanisms.government_society.social_cover_share",
        "with budgets to spare, it only changes whose money pays",
    ),
    (
        "issues.critical_mass",
        "co-funders are 0.17 + 0.5 × a building's mean neighbour trust of the affected (defaults), above 0.375 wherever that trust exceeds 0.41, as in the screen's buildings; it binds in low-trust buildings",
    ),
    (
        "organisations.birth_rate_per_100k",
        "about 0.24 organisations are born a year in the screen's 12,000-resident world, so a run of two years may see none either way; it acts in larger worlds",
    ),
    (
        "mechanisms.deliberation.early_warning",
        "in the screen, would-be petitioners never reach 3% of a contested issue's affected where no other moment calls a forum (any threshold from 0.03 to 1 gives the same run, 0.025 does not): at the default 0.04 the trigger is silent; it acts where petitions brew",
    ),
    (
        "mechanisms.deliberation.hot_topic",
        "online sentiment seldom comes near the threshold in the screen; it acts where sentiment runs high",
    ),
];

/// Whether `path` matches an allow-list pattern (`*` matches one segment, or the start of
/// one in `*_share`).
fn matches(pattern: &str, path: &str) -> bool {
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('.').collect(), path.split('.').collect());
    p.len() == q.len()
        && p.iter().zip(&q).all(|(a, b)| match a.strip_prefix('*') {
            Some(tail) => b.ends_with(tail),
            None => a == b,
        })
}

/// Why `path` may be inert, if it is on the allow-list.
pub fn allowed(path: &str) -> Option<&'static str> {
    ALLOWED
        .iter()
        .find(|(p, _)| matches(p, path))
        .map(|(_, why)| *why)
}

/// The result for one parameter.
#[derive(Debug, Clone)]
pub struct Screened {
    /// Dotted path.
    pub path: String,
    /// The value it was run at.
    pub value: f64,
    /// The perturbed values tried (up, then down when up changed nothing).
    pub perturbed: Vec<f64>,
    /// Whether any output changed.
    pub acts: bool,
    /// Why it may be inert, when it is on the allow-list.
    pub allowed: Option<&'static str>,
}

/// Values away from `v` within `bounds`: up by half (from zero: 0.25, or 1 for integers),
/// then down by half, each only where allowed.
pub fn perturbations(v: f64, bounds: Bounds, integer: bool) -> Vec<f64> {
    let step = if integer {
        (v * 0.5).round().max(1.0)
    } else if v == 0.0 {
        0.25
    } else {
        v.abs() * 0.5
    };
    let (mut up, mut down) = (v + step, v - step);
    if bounds == Bounds::Unit && !integer {
        // Shares move by half of their distance to the nearer end, so they stay inside.
        up = v + 0.5 * (1.0 - v).min(step);
        down = v - 0.5 * v.min(step);
    }
    [up, down]
        .into_iter()
        .filter(|&x| x != v && bounds.check_number(x).is_none())
        .collect()
}

/// Every numeric model parameter of `s`, with its perturbed values.
pub fn candidates(s: &Scenario) -> Vec<(Param, Vec<f64>)> {
    let leaves = model_leaf_paths(&s.to_table());
    s.params()
        .into_iter()
        .filter(|p| leaves.contains(&p.path))
        .filter_map(|p| {
            let (v, integer) = match p.value {
                toml::Value::Float(f) => (f, false),
                toml::Value::Integer(i) => (i as f64, true),
                _ => return None,
            };
            let xs = perturbations(v, p.meta.bounds, integer);
            (!xs.is_empty()).then_some((p, xs))
        })
        .collect()
}

/// Runs `s` once and with each parameter perturbed, on `jobs` threads (results do not
/// depend on the thread count). Scenarios a perturbation makes invalid (a cross-field rule)
/// are skipped.
pub fn screen(s: &Scenario, jobs: usize) -> crate::Result<Vec<Screened>> {
    let cancel = AtomicBool::new(false);
    let base = simulate(Arc::new(s.clone()), s.seed, 1, &cancel, |_| {});
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| crate::Error::input(e.to_string()))?;
    let cands = candidates(s);
    let run_with = |p: &Param, x: f64| -> Option<bool> {
        let value = if matches!(p.value, toml::Value::Integer(_)) {
            toml::Value::Integer(x as i64)
        } else {
            toml::Value::Float(x)
        };
        let set = [(p.path.clone(), value)].into_iter().collect();
        let changed = s.with_overrides(&set).ok()?;
        let run = simulate(Arc::new(changed), s.seed, 1, &cancel, |_| {});
        Some(!same(&base, &run))
    };
    let out = pool.install(|| {
        cands
            .par_iter()
            .filter_map(|(p, xs)| {
                let value = match p.value {
                    toml::Value::Float(f) => f,
                    toml::Value::Integer(i) => i as f64,
                    _ => 0.0,
                };
                // Up first; down only when up changed nothing.
                let mut tried = Vec::new();
                let mut acts = false;
                for &x in xs {
                    tried.push(x);
                    if run_with(p, x)? {
                        acts = true;
                        break;
                    }
                }
                Some(Screened {
                    path: p.path.clone(),
                    value,
                    perturbed: tried,
                    acts,
                    allowed: allowed(&p.path),
                })
            })
            .collect::<Vec<_>>()
    });
    Ok(out)
}

fn same(a: &RunOutput, b: &RunOutput) -> bool {
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    a.summary.len() == b.summary.len()
        && bits(&a.summary) == bits(&b.summary)
        && a.rows.len() == b.rows.len()
        && a.rows
            .iter()
            .zip(&b.rows)
            .all(|((ta, ra), (tb, rb))| ta == tb && bits(ra) == bits(rb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list_patterns_match_one_segment() {
        assert!(allowed("domains.maintenance.support").is_some());
        assert!(allowed("domains.neighbour_dispute.public_share").is_some());
        assert!(allowed("domains.maintenance.public_share").is_none());
        assert!(allowed("domains.maintenance.rate").is_none());
    }

    #[test]
    fn perturbations_stay_within_bounds_and_move() {
        let p = perturbations(0.3, Bounds::Unit, false);
        assert!(
            p.len() == 2 && (p[0] - 0.375).abs() < 1e-12 && (p[1] - 0.225).abs() < 1e-12,
            "{p:?}"
        );
        assert_eq!(perturbations(1.0, Bounds::Unit, false), vec![0.75]);
        assert_eq!(
            perturbations(2.0, Bounds::Range(1.0, 2.5), false),
            vec![1.0]
        );
        assert_eq!(
            perturbations(4.0, Bounds::AtLeast(1.0), true),
            vec![6.0, 2.0]
        );
        assert_eq!(perturbations(0.0, Bounds::AtLeast(0.0), true), vec![1.0]);
        assert!(perturbations(1.0, Bounds::Range(1.0, 1.0), false).is_empty());
    }
}
