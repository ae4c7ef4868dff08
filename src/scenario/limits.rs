//! The limits of a scenario: the upper bounds the schema gives every number, and the
//! cross-field rules, all in this one file. Together they make every scenario that
//! validates run in bounded time and memory (the memory a run needs is then estimated by
//! [`crate::footprint`] and compared with the machine's).
//!
//! A parameter's own range is written where it is declared (`section!`, with a constant
//! from here when the limit has a reason shared by several parameters). A limit that
//! depends on other parameters (at most the residents, at most what the structure holds)
//! is a [`Rule`] in [`RULES`]: its key path pattern, what is allowed (the ODD's parameter
//! table shows it next to the parameter's own range) and its check.

use crate::scenario::Scenario;
use crate::scenario::schema::num;

/// Most residents of a world.
pub const RESIDENTS: f64 = 50_000_000.0;
/// Most days a run simulates, warm-up included: ties remember the day they were last used
/// in 16 bits (`Network::last_used`), and every day count (durations, patience, delays) is
/// a day of this horizon.
pub const TICKS: f64 = 65_000.0;
/// Most communities: a resident's community is a 16-bit column.
pub const COMMUNITIES: f64 = 65_535.0;
/// Most streets, departments or service complexes: far more than any district has.
pub const OFFICES: f64 = 65_535.0;
/// Most issue domains (a domain index is 16-bit; each domain is scanned every day).
pub const DOMAINS: usize = 1_000;
/// Most expected issues per location (household, building, grid or community) and year,
/// shocks included: about one a day.
pub const RATE: f64 = 365.0;
/// Most yuan any amount of money may be: a trillion, far above a district's budget, so
/// sums of money stay exact to the fen.
pub const YUAN: f64 = 1e12;
/// Most members an organisation, forum, or volunteer group may have.
pub const MEMBERS: f64 = 10_000.0;
/// Most cases a day one handler or organisation may take on.
pub const CAPACITY: f64 = 1_000_000.0;
/// Largest daily hazard: at 100 the event is certain within the day.
pub const HAZARD: f64 = 100.0;
/// Largest multiplier, factor or ratio between two quantities of the same kind.
pub const RATIO: f64 = 10_000.0;
/// Most entries of a list of the scenario (projects, shocks).
pub const LIST: usize = 10_000;
/// Most runs an experiment or calibration may plan, even with `--force` (its plan is held
/// in memory).
pub const RUNS: f64 = 100_000_000.0;
/// Most switches of a two-level factorial (levels are held as the bits of a `u64`).
pub const SWITCHES: f64 = 40.0;
/// Most parameters a sensitivity design may vary (Sobol' sequences give 2 × 128 dimensions).
pub const DESIGN_PARAMETERS: usize = 128;

/// Which part of a scenario a rule belongs to: what a single run needs (also checked for
/// every policy and sweep point), or the experiment around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The model: checked for every run.
    Model,
    /// Policies, sweeps, designs and calibration.
    Experiment,
}

/// A limit that depends on more than one parameter.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Key path of the parameter reported, `*` standing for a map key or list index
    /// (`domains.*.department`, `projects[*].communities`).
    pub path: &'static str,
    /// What is allowed, as the message and the ODD say it.
    pub allowed: &'static str,
    /// Model or experiment.
    pub part: Part,
    /// The other keys whose values the limit involves (a message explains the ones the
    /// file does not set).
    pub involves: &'static [&'static str],
    /// Finds the violations: `(key path, what is wrong)`.
    check: fn(&Scenario) -> Vec<(String, String)>,
}

impl Rule {
    /// Whether the rule concerns the parameter at `path` (patterns match any key or index).
    pub fn applies_to(&self, path: &str) -> bool {
        pattern_matches(self.path, path)
    }
}

fn one(path: &str, what: String) -> Vec<(String, String)> {
    vec![(path.to_string(), what)]
}

fn when(bad: bool, path: &str, what: impl FnOnce() -> String) -> Vec<(String, String)> {
    if bad { one(path, what()) } else { Vec::new() }
}

/// Every cross-field limit. A new parameter whose limit depends on another gets a line here.
pub static RULES: &[Rule] = &[
    Rule {
        path: "world.streets",
        allowed: "at most `world.communities` (each street holds at least one community)",
        part: Part::Model,
        involves: &["world.communities"],
        check: |s| {
            let w = &s.world;
            when(w.streets > w.communities, "world.streets", || {
                format!("{} streets for {} communities", w.streets, w.communities)
            })
        },
    },
    Rule {
        path: "world.communities",
        allowed: "at most `world.grids` (each community holds at least one grid)",
        part: Part::Model,
        involves: &["world.grids"],
        check: |s| {
            let w = &s.world;
            when(w.communities > w.grids, "world.communities", || {
                format!("{} communities for {} grids", w.communities, w.grids)
            })
        },
    },
    Rule {
        path: "world.grids",
        allowed: "at most `world.residents` (each grid holds at least one resident)",
        part: Part::Model,
        involves: &["world.residents"],
        check: |s| {
            let w = &s.world;
            when(w.grids > w.residents, "world.grids", || {
                format!("{} grids for {} residents", w.grids, w.residents)
            })
        },
    },
    Rule {
        path: "world.service_complexes",
        allowed: "at most `world.communities` (a community has one complex or none)",
        part: Part::Model,
        involves: &["world.communities"],
        check: |s| {
            let w = &s.world;
            when(
                w.service_complexes > w.communities,
                "world.service_complexes",
                || {
                    format!(
                        "{} complexes for {} communities",
                        w.service_complexes, w.communities
                    )
                },
            )
        },
    },
    Rule {
        path: "world.social_workers",
        allowed: "at most `world.residents`",
        part: Part::Model,
        involves: &["world.residents"],
        check: |s| {
            let w = &s.world;
            when(
                w.social_workers > w.residents,
                "world.social_workers",
                || {
                    format!(
                        "{} social workers for {} residents",
                        w.social_workers, w.residents
                    )
                },
            )
        },
    },
    Rule {
        path: "world.department_staff",
        allowed: "at most `world.residents`",
        part: Part::Model,
        involves: &["world.residents"],
        check: |s| {
            let w = &s.world;
            when(
                w.department_staff > w.residents,
                "world.department_staff",
                || format!("{} staff for {} residents", w.department_staff, w.residents),
            )
        },
    },
    Rule {
        path: "world.organisations",
        allowed: "at most `world.residents`, and `world.organisations` × `organisations.members` \
                  at most `world.residents` (a resident belongs to at most one organisation)",
        part: Part::Model,
        involves: &["world.residents", "organisations.members"],
        check: |s| {
            let (n, m, r) = (
                s.world.organisations as f64,
                s.organisations.members,
                s.world.residents as f64,
            );
            when(n > r || n * m > r, "world.organisations", || {
                format!(
                    "{n} organisations of {m} members (mean) would need {} members among {r} residents",
                    num(n * m.max(1.0))
                )
            })
        },
    },
    Rule {
        path: "world.businesses",
        allowed: "`world.property_companies` + `world.businesses` at most `world.residents`",
        part: Part::Model,
        involves: &["world.property_companies", "world.residents"],
        check: |s| {
            let w = &s.world;
            let n = w.property_companies as u64 + w.businesses as u64;
            when(n > w.residents as u64, "world.businesses", || {
                format!(
                    "{} property companies + {} businesses = {n} enterprises for {} residents",
                    w.property_companies, w.businesses, w.residents
                )
            })
        },
    },
    Rule {
        path: "organisations.members",
        allowed: "at most the mean community, `world.residents` / `world.communities` \
                  (an organisation recruits in its community)",
        part: Part::Model,
        involves: &["world.residents", "world.communities"],
        check: |s| {
            let mean = s.world.residents as f64 / s.world.communities.max(1) as f64;
            when(
                s.organisations.members > mean,
                "organisations.members",
                || {
                    format!(
                        "{} members, more than the mean community of {} residents",
                        s.organisations.members,
                        num(mean.floor())
                    )
                },
            )
        },
    },
    Rule {
        path: "output.panel.sample",
        allowed: "at most `world.residents` (drawn without replacement)",
        part: Part::Model,
        involves: &["world.residents"],
        check: |s| {
            let n = s.world.residents;
            match &s.output.panel {
                Some(p) if p.sample > n => one(
                    "output.panel.sample",
                    format!("{} residents in the panel, but the world has {n}", p.sample),
                ),
                _ => Vec::new(),
            }
        },
    },
    Rule {
        path: "mechanisms.grid.volunteers_per_grid",
        allowed: "at most the mean grid, `world.residents` / `world.grids` (volunteers are \
                  recruited among a grid's residents), when the mechanism is on",
        part: Part::Model,
        involves: &["world.residents", "world.grids"],
        check: |s| {
            let g = &s.mechanisms.grid;
            let mean = s.world.residents as f64 / s.world.grids.max(1) as f64;
            when(
                g.enabled && g.volunteers_per_grid as f64 > mean,
                "mechanisms.grid.volunteers_per_grid",
                || {
                    format!(
                        "{} volunteers, more than the mean grid of {} residents",
                        g.volunteers_per_grid,
                        num(mean.floor())
                    )
                },
            )
        },
    },
    Rule {
        path: "init.warmup",
        allowed: "`ticks` + `init.warmup` at most 65_000 days",
        part: Part::Model,
        involves: &["ticks"],
        check: |s| {
            let total = s.ticks as u64 + s.init.warmup as u64;
            when(total as f64 > TICKS, "init.warmup", || {
                format!(
                    "{} warm-up days + {} ticks = {total} days",
                    s.init.warmup, s.ticks
                )
            })
        },
    },
    Rule {
        path: "domains",
        allowed: "from 1 to 1_000 domains",
        part: Part::Model,
        involves: &[],
        check: |s| {
            let n = s.domains.len();
            when(n == 0 || n > DOMAINS, "domains", || {
                if n == 0 {
                    "no issue domain".into()
                } else {
                    format!("{n} domains")
                }
            })
        },
    },
    Rule {
        path: "domains.*.department",
        allowed: "a department index from 0 to `world.departments` − 1",
        part: Part::Model,
        involves: &["world.departments"],
        check: |s| {
            let d = s.world.departments;
            s.domains
                .iter()
                .filter(|(_, dom)| dom.department >= d && d > 0)
                .map(|(name, dom)| {
                    (
                        format!("domains.{name}.department"),
                        format!(
                            "department {} does not exist ({d} departments)",
                            dom.department
                        ),
                    )
                })
                .collect()
        },
    },
    Rule {
        path: "shocks[*].multiplier",
        allowed: "a domain's `rate` × the multipliers of its shocks in force on the same day \
                  at most 365 issues per location and year",
        part: Part::Model,
        involves: &[],
        check: shock_rates,
    },
    Rule {
        path: "shocks",
        allowed: "at most 10_000 shocks",
        part: Part::Model,
        involves: &[],
        check: |s| {
            let n = s.shocks.len();
            when(n > LIST, "shocks", || format!("{n} shocks"))
        },
    },
    Rule {
        path: "projects",
        allowed: "at most 10_000 projects",
        part: Part::Model,
        involves: &[],
        check: |s| {
            let n = s.projects.len();
            when(n > LIST, "projects", || format!("{n} projects"))
        },
    },
    Rule {
        path: "projects[*].communities",
        allowed: "at least one community index, each from 0 to `world.communities` − 1 and \
                  named once",
        part: Part::Model,
        involves: &["world.communities"],
        check: project_communities,
    },
    Rule {
        path: "sweep",
        allowed: "at most 100_000_000 runs in all (policies × sweep points × replicates), \
                  even with --force",
        part: Part::Experiment,
        involves: &["experiment.replicates", "experiment.max_runs"],
        check: |s| planned_runs_problem(s, &["factorial", "latin_hypercube"]),
    },
    Rule {
        path: "sensitivity.r",
        allowed: "a Morris design of at most 100_000_000 runs: `r` × (parameters + 1) × \
                  `experiment.replicates`",
        part: Part::Experiment,
        involves: &["experiment.replicates"],
        check: |s| planned_runs_problem(s, &["morris"]),
    },
    Rule {
        path: "sensitivity.n",
        allowed: "a Sobol' design of at most 100_000_000 runs: `n` × (parameters + 2, or \
                  2 × parameters + 2 with `second_order`) × `experiment.replicates`",
        part: Part::Experiment,
        involves: &["experiment.replicates"],
        check: |s| planned_runs_problem(s, &["sobol"]),
    },
    Rule {
        path: "sensitivity.parameters",
        allowed: "from 1 to 128 parameters",
        part: Part::Experiment,
        involves: &[],
        check: |s| {
            let Some(c) = &s.sensitivity else {
                return Vec::new();
            };
            let n = c.parameters.len();
            when(n > DESIGN_PARAMETERS, "sensitivity.parameters", || {
                format!("{n} parameters")
            })
        },
    },
    Rule {
        path: "calibration.draws",
        allowed: "`calibration.draws` × replicates (`calibration.replicates`, or \
                  `experiment.replicates` when 0) at most 100_000_000 runs",
        part: Part::Experiment,
        involves: &["calibration.replicates", "experiment.replicates"],
        check: |s| {
            let Some(c) = &s.calibration else {
                return Vec::new();
            };
            let reps = if c.replicates == 0 {
                s.experiment.replicates
            } else {
                c.replicates
            };
            let runs = (c.draws as u64).saturating_mul(reps as u64);
            when(runs as f64 > RUNS, "calibration.draws", || {
                format!("{} draws × {reps} replicates = {runs} runs", c.draws)
            })
        },
    },
];

/// A broken limit: the key path reported, the message, and the other keys involved.
pub type Found = (String, String, &'static [&'static str]);

/// The problems every rule of `part` finds, in rule order.
pub fn problems(s: &Scenario, part: Part) -> Vec<Found> {
    let mut out = Vec::new();
    for rule in RULES.iter().filter(|r| r.part == part) {
        for (path, what) in (rule.check)(s) {
            out.push((
                path,
                format!("{what}; allowed: {}", rule.allowed),
                rule.involves,
            ));
        }
    }
    out
}

/// What is allowed for the parameter at `path`: its own range and every rule about it, as
/// the ODD's parameter table shows it.
pub fn allowed(path: &str, own: &str) -> String {
    let mut text = own.to_string();
    for rule in RULES.iter().filter(|r| r.applies_to(path)) {
        text.push_str("; ");
        text.push_str(rule.allowed);
    }
    text
}

/// Whether `path` matches `pattern`, where `*` in the pattern stands for one map key
/// (between dots) or one list index (between brackets).
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let Some(star) = pattern.find('*') else {
        return pattern == path;
    };
    let (head, tail) = (&pattern[..star], &pattern[star + 1..]);
    let Some(rest) = path.strip_prefix(head) else {
        return false;
    };
    // The key runs up to the next separator of the pattern's tail.
    let end = match tail.chars().next() {
        Some(c) => rest.find(c),
        None => Some(rest.len()),
    };
    match end {
        Some(end) if end > 0 => pattern_matches(tail, &rest[end..]),
        _ => false,
    }
}

/// The day-by-day product of the multipliers of a domain's shocks, at its largest, must keep
/// the domain's rate within [`RATE`].
fn shock_rates(s: &Scenario) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, d) in &s.domains {
        if d.rate <= 0.0 {
            continue;
        }
        if let Some(peak) = peak_shock(s, name)
            && d.rate * peak.multiplier > RATE * (1.0 + 1e-9)
        {
            out.push((
                format!("shocks[{}].multiplier", peak.shock),
                format!(
                    "on day {}, with this and the other shocks in force, domain \"{name}\" has {} issues per location and year (its rate {} × the multipliers)",
                    peak.day,
                    num((d.rate * peak.multiplier).round()),
                    d.rate
                ),
            ));
        }
    }
    out
}

/// The largest product of a domain's shock multipliers on any one day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeakShock {
    /// The product of the multipliers in force that day.
    pub multiplier: f64,
    /// The first day it is reached (counted from the end of the warm-up).
    pub day: u64,
    /// The shock with the largest multiplier in force that day.
    pub shock: usize,
}

/// The day on which the shocks of domain `name` multiply its rate most, if it has shocks.
/// A sweep over start and end days in order, so linear in the number of shocks after
/// sorting.
pub fn peak_shock(s: &Scenario, name: &str) -> Option<PeakShock> {
    // (day, starts?, shock index): a shock is in force on days start..=end.
    let mut events: Vec<(u64, bool, usize)> = Vec::new();
    for (k, sh) in s.shocks.iter().enumerate() {
        if sh.domain == name && sh.end >= sh.start {
            events.push((sh.start as u64, true, k));
            events.push((sh.end as u64 + 1, false, k));
        }
    }
    // Ends before starts on the same day: a shock ending on day t − 1 is not in force on t.
    // The product is read once all of a day's events are in.
    events.sort_by_key(|&(day, start, k)| (day, start, k));
    let (mut log_sum, mut zeros) = (0.0f64, 0usize);
    // Shocks in force by multiplier (bits of a non-negative float order like the float).
    let mut in_force = std::collections::BTreeSet::new();
    let mut peak: Option<PeakShock> = None;
    for (i, &(day, start, k)) in events.iter().enumerate() {
        let m = s.shocks[k].multiplier;
        match (start, m > 0.0) {
            (true, true) => log_sum += m.ln(),
            (true, false) => zeros += 1,
            (false, true) => log_sum -= m.ln(),
            (false, false) => zeros -= 1,
        }
        if start {
            in_force.insert((m.to_bits(), k));
        } else {
            in_force.remove(&(m.to_bits(), k));
        }
        let day_done = events.get(i + 1).is_none_or(|next| next.0 != day);
        if day_done && let Some(&(_, top)) = in_force.last() {
            let multiplier = if zeros > 0 { 0.0 } else { log_sum.exp() };
            if peak.is_none_or(|p| multiplier > p.multiplier * (1.0 + 1e-12)) {
                peak = Some(PeakShock {
                    multiplier,
                    day,
                    shock: top,
                });
            }
        }
    }
    peak
}

fn project_communities(s: &Scenario) -> Vec<(String, String)> {
    let n = s.world.communities;
    let mut out = Vec::new();
    let mut seen = vec![false; (n as usize).min(COMMUNITIES as usize)];
    for (k, p) in s.projects.iter().enumerate() {
        let path = format!("projects[{k}].communities");
        if p.communities.is_empty() {
            out.push((path, "a project needs at least one community".to_string()));
            continue;
        }
        seen.iter_mut().for_each(|x| *x = false);
        for &c in &p.communities {
            match seen.get_mut(c as usize) {
                None if n > 0 => {
                    out.push((
                        path.clone(),
                        format!("community {c} does not exist ({n} communities)"),
                    ));
                    break;
                }
                None => break,
                Some(true) => {
                    out.push((path.clone(), format!("community {c} is named twice")));
                    break;
                }
                Some(x) => *x = true,
            }
        }
    }
    out
}

/// Runs an experiment plans, counted without building anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedRuns {
    /// Policies (1 when none is given: the scenario as written).
    pub policies: u64,
    /// Sweep or design points (1 without a sweep).
    pub points: u64,
    /// Replicates per policy and point.
    pub replicates: u64,
    /// All runs (saturating at `u64::MAX`).
    pub total: u64,
}

impl Scenario {
    /// The runs `cogov experiment` would plan, counted from the sizes alone (Morris `r`,
    /// Sobol' `n`, Latin hypercube samples, sweep lengths), so that a huge design is
    /// refused before anything is allocated.
    pub fn planned_runs(&self) -> PlannedRuns {
        let e = &self.experiment;
        let policies = self.policy.len().max(1) as u64;
        let points = match e.design.as_str() {
            "latin_hypercube" => e.samples as u64,
            "factorial" if !e.switches.is_empty() => crate::experiment::factorial::planned_cells(e),
            design @ ("morris" | "sobol") => self
                .sensitivity
                .as_ref()
                .map_or(0, |c| c.design_points(design == "sobol")),
            _ => self
                .sweep
                .values()
                .fold(1u64, |n, spec| n.saturating_mul(spec.len() as u64)),
        };
        let replicates = e.replicates as u64;
        PlannedRuns {
            policies,
            points,
            replicates,
            total: policies.saturating_mul(points).saturating_mul(replicates),
        }
    }
}

fn planned_runs_problem(s: &Scenario, designs: &[&str]) -> Vec<(String, String)> {
    let design = s.experiment.design.as_str();
    if !designs.contains(&design) {
        return Vec::new();
    }
    let p = s.planned_runs();
    if p.total as f64 <= RUNS {
        return Vec::new();
    }
    // Report at the key that makes the design large: the longest sweep, or the design's size.
    let path = match design {
        "morris" => "sensitivity.r".to_string(),
        "sobol" => "sensitivity.n".to_string(),
        "latin_hypercube" => "experiment.samples".to_string(),
        _ if !s.experiment.switches.is_empty() => "experiment.switches".to_string(),
        _ => s
            .sweep
            .iter()
            .max_by_key(|(_, spec)| spec.len())
            .map_or("experiment.replicates".to_string(), |(k, _)| {
                format!("sweep.{k}")
            }),
    };
    one(
        &path,
        format!(
            "the experiment would have {} runs ({} policies × {} points × {} replicates)",
            p.total, p.policies, p.points, p.replicates
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_keys_and_indices() {
        assert!(pattern_matches("world.streets", "world.streets"));
        assert!(!pattern_matches("world.streets", "world.streetsx"));
        assert!(pattern_matches(
            "domains.*.department",
            "domains.maintenance.department"
        ));
        assert!(!pattern_matches(
            "domains.*.department",
            "domains.department"
        ));
        assert!(pattern_matches(
            "projects[*].communities",
            "projects[12].communities"
        ));
        assert!(!pattern_matches(
            "projects[*].communities",
            "projects[3].start"
        ));
    }

    #[test]
    fn every_rule_names_an_existing_parameter_or_list() {
        let mut s = Scenario::default();
        s.projects.push(Default::default());
        s.shocks.push(Default::default());
        s.sensitivity = Some(Default::default());
        s.calibration = Some(Default::default());
        s.output.panel = Some(Default::default());
        let params = s.params();
        for r in RULES {
            let known = params.iter().any(|p| r.applies_to(&p.path))
                || [
                    "domains",
                    "shocks",
                    "projects",
                    "sweep",
                    "sensitivity.parameters",
                ]
                .contains(&r.path)
                || params.iter().any(|p| {
                    p.path
                        .starts_with(&format!("{}.", r.path.replace("[*]", "[0]")))
                });
            assert!(known, "rule {} names no parameter", r.path);
        }
    }

    /// How a new parameter gets its bound: any number (count, rate, day, amount, ratio)
    /// declared without an upper bound fails here (seeds excepted).
    #[test]
    fn every_numeric_parameter_has_an_upper_bound() {
        let mut s = Scenario::default();
        s.projects.push(Default::default());
        s.shocks.push(Default::default());
        s.sensitivity = Some(Default::default());
        s.calibration = Some(Default::default());
        s.output.panel = Some(Default::default());
        let unbounded: Vec<String> = s
            .params()
            .into_iter()
            .filter(|p| matches!(p.value, toml::Value::Integer(_) | toml::Value::Float(_)))
            .filter(|p| p.meta.unit != "seed" && p.meta.bounds.upper().is_none())
            .map(|p| p.path)
            .collect();
        assert!(
            unbounded.is_empty(),
            "parameters without an upper bound (give them Range, Unit or Above; see ARCHITECTURE.md, Bounds): {unbounded:?}"
        );
    }

    #[test]
    fn default_scenario_breaks_no_rule() {
        let s = Scenario::default();
        assert!(problems(&s, Part::Model).is_empty());
        assert!(problems(&s, Part::Experiment).is_empty());
    }

    fn shocked(rate: f64, shocks: &[(u32, u32, f64)]) -> Vec<(String, String)> {
        let mut s = Scenario::default();
        s.domains.get_mut("maintenance").unwrap().rate = rate;
        for &(start, end, multiplier) in shocks {
            s.shocks.push(crate::scenario::Shock {
                domain: "maintenance".into(),
                start,
                end,
                multiplier,
            });
        }
        shock_rates(&s)
    }

    #[test]
    fn shocks_multiply_only_while_they_overlap() {
        // Two ×10 shocks at different times keep 3 × 10 = 30 ≤ 365.
        assert!(shocked(3.0, &[(0, 9, 10.0), (10, 19, 10.0)]).is_empty());
        // Overlapping, 3 × 100 = 300 is fine, a third makes 3,000.
        assert!(shocked(3.0, &[(0, 9, 10.0), (5, 19, 10.0)]).is_empty());
        let p = shocked(3.0, &[(0, 9, 10.0), (5, 19, 10.0), (9, 9, 10.0)]);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "shocks[2].multiplier");
        // A zero multiplier silences the others while it lasts, not after.
        assert!(shocked(3.0, &[(0, 9, 0.0), (0, 9, 1000.0)]).is_empty());
        assert_eq!(shocked(3.0, &[(0, 9, 0.0), (0, 10, 1000.0)]).len(), 1);
        // A shock ending the day before another starts does not overlap it.
        assert!(shocked(3.0, &[(0, 9, 100.0), (10, 19, 100.0)]).is_empty());
        // A damping shock that ends lets the others through.
        let p = shocked(0.5, &[(0, 9, 0.5), (0, 20, 1000.0)]);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "shocks[1].multiplier");
        assert!(p[0].1.contains("day 10"), "{p:?}");
    }

    #[test]
    fn project_communities_are_distinct_and_exist() {
        let mut s = Scenario::default();
        s.projects.push(crate::scenario::Project {
            communities: vec![0, 1, 1],
            ..Default::default()
        });
        let p = project_communities(&s);
        assert!(p[0].1.contains("named twice"), "{p:?}");
        s.projects[0].communities = vec![54];
        assert!(project_communities(&s)[0].1.contains("does not exist"));
        s.projects[0].communities = vec![53, 0];
        assert!(project_communities(&s).is_empty());
    }
}
