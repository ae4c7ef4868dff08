//! Scenarios: TOML files read into typed, validated, immutable parameters.
//!
//! Loading runs in three steps. (1) The file is deserialised as written, so syntax errors,
//! unknown keys and wrong types are reported with file, line:column and key path.
//! (2) It is merged onto the defaults (tables key by key), so a file states only what
//! differs. (3) The resolved scenario is validated against the schema's bounds and the
//! cross-field rules. A [`Scenario`] that exists is valid.

pub mod change;
pub mod dist;
pub mod experiment;
pub mod limits;
pub mod locate;
pub mod mechanisms;
pub mod output;
pub mod overrides;
pub mod renamed;
pub mod schema;
pub mod sections;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::error::{Error, Location, Result};
use crate::section;
use experiment::{Experiment, Policy, SweepSpec};
pub use mechanisms::Mechanisms;
use schema::{Node, Param, Section};
pub use sections::*;

section! {
    /// A whole scenario: the world, the rules, the mechanisms, and the experiment.
    pub struct Scenario {
        /// Name; outputs go to `results/<name>/`.
        pub name: String = "unnamed".into(), "", Any;
        /// The question the scenario asks.
        pub description: String = String::new(), "", Any;
        /// Seed of a single run (`cogov run`); experiments derive theirs from `experiment.seed`.
        pub seed: u64 = 20_180_101, "seed", Any;
        /// Horizon: 1,095 days (three years) by default, as in the model specification.
        pub ticks: u32 = 1095, "days", Range(1.0, limits::TICKS);
        /// Structure and population.
        pub world: World = World::default(), "", Any;
        /// Initial states.
        pub init: Init = Init::default(), "", Any;
        /// The tie network.
        pub network: NetworkParams = NetworkParams::default(), "", Any;
        /// Resident behaviour.
        pub residents: Residents = Residents::default(), "", Any;
        /// Government nodes.
        pub government: Government = Government::default(), "", Any;
        /// Issue handling.
        pub issues: IssueRules = IssueRules::default(), "", Any;
        /// Issue domains by name.
        pub domains: BTreeMap<String, Domain> = default_domains(), "", Any;
        /// Scheduled projects.
        pub projects: Vec<Project> = Vec::new(), "", Any;
        /// Exogenous shocks.
        pub shocks: Vec<Shock> = Vec::new(), "", Any;
        /// Social organisations.
        pub organisations: Organisations = Organisations::default(), "", Any;
        /// Enterprises.
        pub enterprises: Enterprises = Enterprises::default(), "", Any;
        /// Routine services.
        pub services: Services = Services::default(), "", Any;
        /// Elder care.
        pub care: Care = Care::default(), "", Any;
        /// The linkage mechanisms (联动机制), each with an `enabled` switch.
        pub mechanisms: Mechanisms = Mechanisms::default(), "", Any;
        /// Ties × action: switches over every mechanism's ties and mobilisation.
        pub linkage: Linkage = Linkage::default(), "", Any;
        /// Replicates, seeds, baseline and design of an experiment.
        pub experiment: Experiment = Experiment::default(), "", Any;
        /// Policies compared in an experiment.
        pub policy: Vec<Policy> = Vec::new(), "", Any;
        /// Steering: settings applied at the start of a recorded day (`cogov serve` writes
        /// them; `cogov run` and `cogov experiment` apply them).
        pub change: Vec<change::Change> = Vec::new(), "", Any;
        /// Swept parameters: dotted path → values.
        pub sweep: BTreeMap<String, SweepSpec> = BTreeMap::new(), "", Any;
        /// Optional record files: issues.csv, panel.csv.
        pub output: output::Output = output::Output::default(), "", Any;
        /// Figures: metrics, size, formats and policies shown.
        pub plot: crate::plot::PlotConfig = crate::plot::PlotConfig::default(), "", Any;
        /// Global sensitivity analysis: parameter ranges, design size and metrics, run by
        /// `[experiment] design = "morris"` or `"sobol"`.
        pub sensitivity: Option<crate::sensitivity::SensitivityConfig> = None, "", Any;
        /// ABC calibration (`cogov calibrate`): targets, priors, draws.
        pub calibration: Option<crate::sensitivity::CalibrationConfig> = None, "", Any;
    }
}

impl Node for Vec<Policy> {
    fn visit_node(&self, _: &Self, _: &str, _: schema::Meta, _: &mut Vec<Param>) {}
}

impl Node for Vec<change::Change> {
    fn visit_node(&self, _: &Self, _: &str, _: schema::Meta, _: &mut Vec<Param>) {}
}

impl Node for crate::plot::PlotConfig {
    fn visit_node(&self, _: &Self, _: &str, _: schema::Meta, _: &mut Vec<Param>) {}
}

impl Node for SweepSpec {
    fn visit_node(&self, _: &Self, _: &str, _: schema::Meta, _: &mut Vec<Param>) {}
}

impl Default for SweepSpec {
    fn default() -> Self {
        SweepSpec::Values(Vec::new())
    }
}

/// A problem found in a scenario: the key path and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Dotted key path.
    pub path: String,
    /// What is wrong and what is allowed.
    pub message: String,
    /// Other keys whose values the problem involves (e.g. the level above).
    pub others: Vec<String>,
}

impl Problem {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            message: message.into(),
            others: Vec::new(),
        }
    }

    fn involving(mut self, other: &str) -> Self {
        self.others.push(other.to_string());
        self
    }

    fn from_limit((path, message, involves): limits::Found) -> Self {
        involves
            .iter()
            .fold(Problem::new(path, message), |p, k| p.involving(k))
    }
}

/// Where a scenario came from, for error messages.
#[derive(Debug, Clone)]
struct Source<'a> {
    file: &'a str,
    text: &'a str,
}

impl Scenario {
    /// Loads, resolves and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Scenario {
            message: format!("{file}: cannot read scenario file: {e}"),
            at: Location {
                file: file.clone(),
                ..Location::default()
            },
        })?;
        Scenario::from_toml(&text, &file)
    }

    /// Resolves and validates scenario text; `file` names it in messages.
    pub fn from_toml(text: &str, file: &str) -> Result<Scenario> {
        let src = Source { file, text };
        parse_as_written(&src)?;
        let user: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| syntax_error(&src, &e))?;
        let mut merged = Scenario::default().to_table();
        // Lists of tables replace the default list; tables merge key by key.
        overrides::deep_merge(&mut merged, &user);
        let scenario = Scenario::from_table(merged, &src)?;
        let mut problems = scenario.problems();
        if problems.is_empty() {
            return Ok(scenario);
        }
        // Only the first problems are reported: explain those (each walks the schema).
        for p in problems.iter_mut().take(REPORTED) {
            explain_inherited(p, &user, &scenario);
        }
        Err(report(&src, &problems))
    }

    /// The scenario as a TOML table (every parameter, resolved).
    pub fn to_table(&self) -> toml::Table {
        toml::Table::try_from(self).unwrap_or_default()
    }

    /// The resolved scenario as TOML text, as `cogov check` prints it.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    fn from_table(table: toml::Table, src: &Source<'_>) -> Result<Scenario> {
        let value = toml::Value::Table(table);
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let at = locate_key(src, &path);
            Error::Scenario {
                message: format!("{}: `{path}`: {}", place(&at), e.inner()),
                at,
            }
        })
    }

    /// Every parameter with its value, default, unit, bounds and meaning.
    pub fn params(&self) -> Vec<Param> {
        let mut out = Vec::new();
        self.params_under(&Scenario::default(), "", &mut out);
        out
    }

    /// This scenario with dotted-path overrides applied, validated again.
    pub fn with_overrides(&self, set: &BTreeMap<String, toml::Value>) -> Result<Scenario> {
        let mut table = self.to_table();
        for (path, value) in set {
            overrides::set_path(&mut table, path, value.clone()).map_err(|message| {
                Error::Scenario {
                    message,
                    at: Location {
                        file: "(overrides)".into(),
                        key_path: Some(path.clone()),
                        ..Location::default()
                    },
                }
            })?;
        }
        let src = Source {
            file: "(overrides)",
            text: "",
        };
        let s = Scenario::from_table(table, &src)?;
        let problems = s.model_problems();
        if problems.is_empty() {
            Ok(s)
        } else {
            Err(report(&src, &problems))
        }
    }

    /// Checks the whole scenario (model, experiment and figure settings) as loading does;
    /// problems are located in `text`, the file `file` it came from.
    pub fn check(&self, file: &str, text: &str) -> Result<()> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(report(&Source { file, text }, &problems))
        }
    }

    /// Every problem with the whole scenario (model and experiment parts).
    pub fn problems(&self) -> Vec<Problem> {
        let mut p = self.model_problems();
        p.extend(self.experiment_problems());
        // Figures are drawn after the runs: check their settings before any run starts.
        if let Err(e) = self.plot.validate() {
            let msg = e.to_string();
            let key = msg
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .find(|w| w.starts_with("plot.") && w.len() > 5)
                .unwrap_or("plot")
                .to_string();
            p.push(Problem::new(key, msg));
        }
        p
    }

    /// Problems with the model's parameters (what a single run needs): each parameter's
    /// own range, the model's cross-field limits ([`limits::RULES`]), and what the model
    /// needs to make sense (shares that add up, names that exist).
    pub fn model_problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        for param in self.params() {
            if !is_experiment_path(&param.path) {
                check_bounds(&param, &mut out);
            }
        }
        out.extend(
            limits::problems(self, limits::Part::Model)
                .into_iter()
                .map(Problem::from_limit),
        );
        let w = &self.world;
        let age = w.young_share + w.middle_share + w.elder_share;
        if (age - 1.0).abs() > 1e-6 {
            out.push(Problem::new(
                "world.young_share",
                format!("age shares young_share + middle_share + elder_share sum to {age}; they must sum to 1"),
            ));
        }
        let i = &self.issues;
        if i.conditional_cooperators + i.free_riders > 1.0 + 1e-9 {
            out.push(Problem::new(
                "issues.free_riders",
                "conditional_cooperators + free_riders must not exceed 1 (the rest are unconditional cooperators)",
            ));
        }
        if self.government.community_max_complexity > self.government.street_max_complexity {
            out.push(Problem::new(
                "government.community_max_complexity",
                "must not exceed government.street_max_complexity",
            ));
        }
        let domain_names: BTreeSet<&str> = self.domains.keys().map(String::as_str).collect();
        // Named once, at most 20 of them: a message per bad entry stays short.
        let known = {
            let mut names: Vec<&str> = domain_names.iter().copied().take(20).collect();
            if domain_names.len() > 20 {
                names.push("...");
            }
            names.join(", ")
        };
        let domain_list = || known.clone();
        for (k, p) in self.projects.iter().enumerate() {
            if !domain_names.contains(p.domain.as_str()) {
                out.push(Problem::new(
                    format!("projects[{k}].domain"),
                    format!("unknown domain \"{}\"; known: {}", p.domain, domain_list()),
                ));
            }
        }
        for (k, s) in self.shocks.iter().enumerate() {
            if !domain_names.contains(s.domain.as_str()) {
                out.push(Problem::new(
                    format!("shocks[{k}].domain"),
                    format!("unknown domain \"{}\"; known: {}", s.domain, domain_list()),
                ));
            }
            if s.end < s.start {
                out.push(Problem::new(
                    format!("shocks[{k}].end"),
                    "end must not be before start",
                ));
            }
        }
        out.extend(self.mechanisms.problems(self));
        out.extend(change::problems(self));
        out
    }

    /// Problems with the experiment part: policies, baseline, sweeps, designs and
    /// calibration. Linear in the number of policies, sweep keys and design parameters.
    pub fn experiment_problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        for param in self.params() {
            if is_experiment_path(&param.path) {
                check_bounds(&param, &mut out);
            }
        }
        out.extend(
            limits::problems(self, limits::Part::Experiment)
                .into_iter()
                .map(Problem::from_limit),
        );
        let e = &self.experiment;
        if e.record_every > self.ticks && self.ticks > 0 {
            out.push(Problem::new(
                "experiment.record_every",
                format!(
                    "{} is greater than the horizon of {} ticks; allowed 1 to {}",
                    e.record_every, self.ticks, self.ticks
                ),
            ));
        }
        // One table, one index of its leaves and one of the parameters' own ranges for
        // every policy, sweep key and design parameter.
        let table = self.to_table();
        let leaves = overrides::Leaves::of(&table);
        let ranges: HashMap<String, schema::Bounds> = self
            .params()
            .into_iter()
            .map(|p| (p.path, p.meta.bounds))
            .collect();
        let mut seen = BTreeSet::new();
        for (k, p) in self.policy.iter().enumerate() {
            if p.name.trim().is_empty() {
                out.push(Problem::new(
                    format!("policy[{k}].name"),
                    "a policy needs a non-empty name",
                ));
            }
            if !seen.insert(p.name.as_str()) {
                out.push(Problem::new(
                    format!("policy[{k}].name"),
                    format!(
                        "duplicate policy name \"{}\"; policy names must be unique",
                        p.name
                    ),
                ));
            }
            for (path, value) in &p.set {
                let bad = leaves
                    .check(&table, path, value)
                    .err()
                    .or_else(|| value_out_of_range(&ranges, path, value));
                if let Some(msg) = bad {
                    out.push(Problem::new(format!("policy[{k}].set"), msg));
                }
            }
        }
        if !e.baseline.is_empty() && !self.policy.iter().any(|p| p.name == e.baseline) {
            let names: Vec<&str> = self.policy.iter().map(|p| p.name.as_str()).collect();
            out.push(Problem::new(
                "experiment.baseline",
                format!(
                    "baseline \"{}\" is not a policy; policies: {}",
                    e.baseline,
                    if names.is_empty() {
                        "(none)".into()
                    } else {
                        names.join(", ")
                    }
                ),
            ));
        }
        for (path, spec) in &self.sweep {
            if path.starts_with("sweep.") || path.starts_with("policy") || !leaves.contains(path) {
                out.push(Problem::new(format!("sweep.{path}"), leaves.unknown(path)));
            }
            if spec.is_empty() {
                out.push(Problem::new(
                    format!("sweep.{path}"),
                    "expands to 0 values, so the experiment would have 0 runs; allowed: at least one value (steps ≥ 1)",
                ));
            }
            if let SweepSpec::Range { from, to, .. } = spec
                && (!from.is_finite() || !to.is_finite())
            {
                out.push(Problem::new(
                    format!("sweep.{path}"),
                    "from and to must be finite numbers",
                ));
            }
            // Every value of a list, or both ends of a range (the values lie between).
            let ends = match spec {
                SweepSpec::Range { from, to, .. } => {
                    vec![toml::Value::Float(*from), toml::Value::Float(*to)]
                }
                SweepSpec::Values(v) => v.clone(),
            };
            if let Some(msg) = ends
                .iter()
                .find_map(|v| value_out_of_range(&ranges, path, v))
            {
                out.push(Problem::new(format!("sweep.{path}"), msg));
            }
        }
        out.extend(self.sensitivity_problems(&leaves, &table, &ranges));
        out.extend(crate::experiment::factorial::problems(self));
        out
    }

    /// Problems with the `[sensitivity]` and `[calibration]` sections (and their link to
    /// `experiment.design`).
    fn sensitivity_problems(
        &self,
        leaves: &overrides::Leaves,
        table: &toml::Table,
        ranges: &HashMap<String, schema::Bounds>,
    ) -> Vec<Problem> {
        let mut out = Vec::new();
        let design = self.experiment.design.as_str();
        let gsa = matches!(design, "morris" | "sobol");
        if gsa && self.sensitivity.is_none() {
            out.push(Problem::new(
                "experiment.design",
                format!("design \"{design}\" needs a [sensitivity] section with `parameters = {{ \"path\" = [low, high] }}`"),
            ));
        }
        if gsa && self.policy.len() > 1 {
            out.push(Problem::new(
                "policy",
                format!("design \"{design}\" runs a single policy ({} given); put fixed settings in one [[policy]] or in the scenario", self.policy.len()),
            ));
        }
        if gsa && !self.sweep.is_empty() {
            out.push(Problem::new(
                "sweep",
                format!("design \"{design}\" takes its points from [sensitivity].parameters; remove [sweep]"),
            ));
        }
        if let Some(c) = &self.sensitivity {
            if c.parameters.is_empty() {
                out.push(Problem::new(
                    "sensitivity.parameters",
                    "no parameters; give at least one `\"path\" = [low, high]`",
                ));
            }
            for (path, &[low, high]) in &c.parameters {
                let key = format!("sensitivity.parameters.{path}");
                if let Err(msg) = numeric_parameter(leaves, table, path) {
                    out.push(Problem::new(key.clone(), msg));
                }
                if let Some(msg) = [low, high]
                    .iter()
                    .find_map(|&v| value_out_of_range(ranges, path, &toml::Value::Float(v)))
                {
                    out.push(Problem::new(key.clone(), msg));
                }
                if !low.is_finite() || !high.is_finite() || low >= high {
                    out.push(Problem::new(
                        key,
                        format!("the range [{low}, {high}] needs finite bounds with low < high"),
                    ));
                }
            }
            let method = if design == "sobol" {
                crate::sensitivity::Method::Sobol
            } else if design == "morris" {
                crate::sensitivity::Method::Morris
            } else {
                c.method
            };
            if method == crate::sensitivity::Method::Sobol && (c.n < 2 || !c.n.is_power_of_two()) {
                out.push(Problem::new(
                    "sensitivity.n",
                    format!("{} is not a power of two; allowed: 2, 4, 8, ..., e.g. 64 or 256 (Sobol' sequences need N = 2^m)", c.n),
                ));
            }
            if method == crate::sensitivity::Method::Morris && c.levels % 2 == 1 {
                out.push(Problem::new(
                    "sensitivity.levels",
                    format!("{} levels; allowed: an even number ≥ 2, e.g. 4", c.levels),
                ));
            }
            for (i, m) in c.metrics.iter().enumerate() {
                if let Some(msg) = unknown_metric(m) {
                    out.push(Problem::new(format!("sensitivity.metrics[{i}]"), msg));
                }
            }
        }
        if let Some(c) = &self.calibration {
            if c.targets.is_empty() {
                out.push(Problem::new(
                    "calibration.targets",
                    "no targets; give at least one `metric = { observed = .., tolerance = .. }`",
                ));
            }
            for (m, t) in &c.targets {
                let key = format!("calibration.targets.{m}");
                if let Some(msg) = unknown_metric(m) {
                    out.push(Problem::new(key.clone(), msg));
                }
                if let Err(e) = crate::sensitivity::abc::Target::new(m, t.observed, t.tolerance) {
                    out.push(Problem::new(key, e.to_string()));
                }
            }
            if c.priors.is_empty() {
                out.push(Problem::new(
                    "calibration.priors",
                    "no priors; give at least one `\"path\" = { low = .., high = .. }`",
                ));
            }
            for (path, p) in &c.priors {
                let key = format!("calibration.priors.{path}");
                if let Err(msg) = numeric_parameter(leaves, table, path) {
                    out.push(Problem::new(key.clone(), msg));
                }
                if let Some(msg) = [p.low, p.high]
                    .iter()
                    .flatten()
                    .find_map(|&v| value_out_of_range(ranges, path, &toml::Value::Float(v)))
                {
                    out.push(Problem::new(key.clone(), msg));
                }
                if let Err(e) = p.prior(path) {
                    out.push(Problem::new(key, e.to_string()));
                }
            }
            if c.draws == 0 {
                out.push(Problem::new("calibration.draws", "needs at least 1 draw"));
            }
            if let Err(e) = crate::sensitivity::abc::check_quantile(c.acceptance_quantile) {
                out.push(Problem::new(
                    "calibration.acceptance_quantile",
                    e.to_string(),
                ));
            }
        }
        out
    }
}

/// Whether a key path belongs to the experiment part (checked once per experiment, not for
/// every policy and sweep point).
fn is_experiment_path(path: &str) -> bool {
    ["experiment.", "sensitivity.", "calibration."]
        .iter()
        .any(|p| path.starts_with(p))
}

/// The model-parameter leaves a design or prior may vary (not the experiment machinery).
pub fn model_leaf_paths(table: &toml::Table) -> Vec<String> {
    overrides::leaf_paths(table)
        .into_iter()
        .filter(|p| {
            let head = p.split(['.', '[']).next().unwrap_or(p);
            !MODEL_EXCLUDED.contains(&head)
        })
        .collect()
}

/// Top-level keys that are not model parameters.
const MODEL_EXCLUDED: [&str; 9] = [
    "change",
    "output",
    "experiment",
    "policy",
    "sweep",
    "plot",
    "sensitivity",
    "calibration",
    "seed",
];

/// Checks that `path` names a numeric model parameter (float or integer).
fn numeric_parameter(
    leaves: &overrides::Leaves,
    table: &toml::Table,
    path: &str,
) -> std::result::Result<(), String> {
    let head = path.split(['.', '[']).next().unwrap_or(path);
    if !leaves.contains(path) || MODEL_EXCLUDED.contains(&head) {
        return Err(overrides::unknown_path(path, &model_leaf_paths(table)));
    }
    match overrides::get(table, path) {
        Some(toml::Value::Float(_) | toml::Value::Integer(_)) => Ok(()),
        Some(v) => Err(format!(
            "\"{path}\" is a {}; only numeric parameters can be varied",
            v.type_str()
        )),
        None => Err(format!("no parameter \"{path}\"")),
    }
}

/// Why `name` is not a known metric or summary column (None when it is one).
pub fn unknown_metric(name: &str) -> Option<String> {
    if crate::sensitivity::metric_column(name).is_some() {
        return None;
    }
    let columns = crate::metrics::summary_columns();
    let near = overrides::nearest(name, &columns, 3);
    Some(format!(
        "unknown metric \"{name}\"; use a summary column such as {} or a metric name (its `_final` value)",
        near.join(", ")
    ))
}

/// Why a policy, sweep or design would set the parameter at `path` to `value` outside its
/// own range (`None` when inside, not a number, or not a parameter).
fn value_out_of_range(
    ranges: &HashMap<String, schema::Bounds>,
    path: &str,
    value: &toml::Value,
) -> Option<String> {
    let v = match value {
        toml::Value::Float(f) => *f,
        toml::Value::Integer(i) => *i as f64,
        _ => return None,
    };
    let bounds = ranges.get(path)?;
    let what = bounds.check_number(v)?;
    Some(format!(
        "\"{path}\" = {v}: {what}; allowed: {}",
        bounds.describe()
    ))
}

fn check_bounds(param: &Param, out: &mut Vec<Problem>) {
    use schema::Bounds;
    let bad = match (&param.value, param.meta.bounds) {
        (toml::Value::String(s), Bounds::OneOf(opts)) if !opts.contains(&s.as_str()) => {
            Some(format!("\"{s}\" is not allowed"))
        }
        (toml::Value::Float(f), b) => b.check_number(*f),
        (toml::Value::Integer(i), b) => b.check_number(*i as f64),
        _ => None,
    };
    if let Some(what) = bad {
        out.push(Problem::new(
            &param.path,
            format!("{what}; allowed: {}", param.meta.bounds.describe()),
        ));
    }
}

/// Whether the user's table sets dotted `path`.
fn sets(user: &toml::Table, path: &str) -> bool {
    let mut cur = user;
    let segments: Vec<&str> = path.split('.').collect();
    let mut keys = segments.iter().copied().enumerate().peekable();
    while let Some((i, k)) = keys.next() {
        // A quoted dotted key (`"world.residents" = ..` under `[sweep]`) holds the rest.
        if i + 1 < segments.len() && cur.contains_key(&segments[i..].join(".")) {
            return true;
        }
        match cur.get(k) {
            None => return false,
            Some(_) if keys.peek().is_none() => return true,
            Some(toml::Value::Table(t)) => cur = t,
            Some(_) => return false,
        }
    }
    false
}

/// When a problem's key (or a key it involves) is not in the file, says that its value is
/// the inherited default and how to override it: a small world often cannot hold defaults
/// made for the whole district.
fn explain_inherited(p: &mut Problem, user: &toml::Table, s: &Scenario) {
    let params = s.params();
    let mut notes = Vec::new();
    for path in std::iter::once(&p.path).chain(&p.others) {
        if sets(user, path) {
            continue;
        }
        let Some(param) = params.iter().find(|q| &q.path == path) else {
            continue;
        };
        let (section, key) = path.rsplit_once('.').unwrap_or(("", path));
        let place = if section.is_empty() {
            "at the top of the file".to_string()
        } else {
            format!("under [{section}]")
        };
        notes.push(format!(
            "`{path}` is not set in this file, so it takes its default {}; set `{key} = ...` {place} to override it",
            param.default
        ));
    }
    if !notes.is_empty() {
        p.message = format!("{} ({})", p.message, notes.join("; "));
    }
}

/// Deserialises the file as written, for span-accurate syntax, key and type errors.
fn parse_as_written(src: &Source<'_>) -> Result<()> {
    let de = toml::Deserializer::parse(src.text).map_err(|e| syntax_error(src, &e))?;
    match serde_path_to_error::deserialize::<_, Scenario>(de) {
        Ok(_) => Ok(()),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let mut at = locate_key(src, &path);
            if let Some(s) = inner.span() {
                let (l, c) = locate::line_col(src.text, s.start);
                (at.line, at.column) = (Some(l), Some(c));
            }
            let msg = plain_types(inner.message().trim());
            if let Some((old, new)) = old_key(&path, &msg) {
                let at = Location {
                    key_path: Some(old.clone()),
                    ..at
                };
                return Err(Error::Scenario {
                    message: format!("{}: `{old}`: {new}", place(&at)),
                    at,
                });
            }
            let hint = did_you_mean(&path, &msg);
            Err(Error::Scenario {
                message: format!("{}: `{path}`: {msg}{hint}", place(&at)),
                at,
            })
        }
    }
}

/// Names serde's Rust types in words a scenario author knows.
fn plain_types(msg: &str) -> String {
    let mut m = msg.to_string();
    for (rust, plain) in [
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u64", "expected a whole number ≥ 0"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
    ] {
        if m.ends_with(rust) {
            m = format!("{}{plain}", &m[..m.len() - rust.len()]);
        }
    }
    m
}

/// For an unknown key that an earlier model had: its full path and what replaced it.
fn old_key(path: &str, msg: &str) -> Option<(String, &'static str)> {
    let rest = msg.strip_prefix("unknown field `")?;
    let bad = &rest[..rest.find('`')?];
    let full = if path.ends_with(bad) {
        path.to_string()
    } else {
        schema::join(path, bad)
    };
    renamed::replacement(&full).map(|new| (full, new))
}

/// For an unknown key, suggests the nearest valid key at the same level.
fn did_you_mean(path: &str, msg: &str) -> String {
    let Some(rest) = msg.strip_prefix("unknown field `") else {
        return String::new();
    };
    let Some(end) = rest.find('`') else {
        return String::new();
    };
    let bad = &rest[..end];
    let parent = path.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
    let parent = if path.ends_with(bad) { parent } else { path };
    let siblings: Vec<String> = Scenario::default()
        .params()
        .into_iter()
        .filter_map(|p| {
            let rel = if parent.is_empty() || parent == "." {
                Some(p.path.as_str())
            } else {
                p.path
                    .strip_prefix(parent)
                    .and_then(|r| r.strip_prefix('.'))
            }?;
            Some(rel.split('.').next().unwrap_or(rel).to_string())
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    match overrides::nearest(bad, &siblings, 1).first() {
        Some(best) if strsim::jaro_winkler(bad, best) > 0.7 => {
            format!("\n  did you mean `{best}`?")
        }
        _ => String::new(),
    }
}

fn syntax_error(src: &Source<'_>, e: &toml::de::Error) -> Error {
    let mut at = Location {
        file: src.file.to_string(),
        ..Location::default()
    };
    if let Some(s) = e.span() {
        let (l, c) = locate::line_col(src.text, s.start);
        (at.line, at.column) = (Some(l), Some(c));
    }
    Error::Scenario {
        message: format!("{}: TOML syntax error: {}", place(&at), e.message().trim()),
        at,
    }
}

/// Where key `path` is in the source (line and column when the file states it).
fn locate_key(src: &Source<'_>, path: &str) -> Location {
    locate::location(src.file, src.text, path)
}

fn place(at: &Location) -> String {
    locate::place(at)
}

/// Problems a message lists (the rest are counted).
const REPORTED: usize = 8;

fn report(src: &Source<'_>, problems: &[Problem]) -> Error {
    const MAX: usize = REPORTED;
    let mut lines: Vec<String> = problems
        .iter()
        .take(MAX)
        .map(|p| {
            format!(
                "{}: `{}`: {}",
                place(&locate_key(src, &p.path)),
                p.path,
                p.message
            )
        })
        .collect();
    if problems.len() > MAX {
        lines.push(format!("... and {} more problems", problems.len() - MAX));
    }
    Error::Scenario {
        message: lines.join("\n"),
        at: problems
            .first()
            .map(|p| locate_key(src, &p.path))
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Scenario::from_toml(text, "s.toml").unwrap_err().to_string()
    }

    #[test]
    fn empty_file_is_the_default() {
        let s = Scenario::from_toml("", "s.toml").unwrap();
        assert_eq!(s, Scenario::default());
    }

    #[test]
    fn partial_domain_keeps_its_specific_defaults() {
        let s = Scenario::from_toml("[domains.elevator_retrofit]\nrate = 0.5\n", "s.toml").unwrap();
        let d = &s.domains["elevator_retrofit"];
        assert_eq!(d.rate, 0.5);
        assert!((d.consent_share - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.domains.len(), default_domains().len());
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        let e = err("[world]\nresidentz = 5\n");
        assert!(e.contains("s.toml:2:1"), "{e}");
        assert!(e.contains("world"), "{e}");
        assert!(e.contains("did you mean `residents`"), "{e}");
    }

    #[test]
    fn wrong_type_and_range_are_located() {
        let e = err("[world]\nresidents = \"many\"\n");
        assert!(
            e.contains("s.toml:2:13") && e.contains("world.residents"),
            "{e}"
        );
        let e = err("[world]\nparty_share = 1.5\n");
        assert!(e.contains("s.toml:2:15") && e.contains("[0, 1]"), "{e}");
    }

    #[test]
    fn errors_carry_their_location_as_data() {
        let e = Scenario::from_toml("[world]\nparty_share = 1.5\n", "s.toml").unwrap_err();
        let at = e.location().unwrap();
        assert_eq!(
            (at.file.as_str(), at.line, at.column, at.key_path.as_deref()),
            ("s.toml", Some(2), Some(15), Some("world.party_share"))
        );
        assert!(e.is_input());
        let e = Scenario::from_toml("[world\n", "s.toml").unwrap_err();
        assert_eq!(e.location().unwrap().line, Some(1));
        assert_eq!(e.location().unwrap().key_path, None);
        let mut set = BTreeMap::new();
        set.insert("world.nope".to_string(), toml::Value::Integer(1));
        let e = Scenario::default().with_overrides(&set).unwrap_err();
        assert_eq!(
            e.location().unwrap().key_path.as_deref(),
            Some("world.nope")
        );
        assert!(e.to_string().starts_with("no parameter"), "{e}");
    }

    #[test]
    fn syntax_error_is_located() {
        let e = err("[world\nresidents = 5\n");
        assert!(e.contains("s.toml:1:") && e.contains("syntax"), "{e}");
    }

    #[test]
    fn an_inherited_default_a_small_world_cannot_hold_is_named() {
        let e = err("[world]\nresidents = 600\nstreets = 1\ncommunities = 2\ngrids = 4\n");
        assert!(e.contains("`world.service_complexes`"), "{e}");
        assert!(
            e.contains("is not set in this file, so it takes its default")
                && e.contains("set `service_complexes = ...` under [world]"),
            "{e}"
        );
        // A key the file sets is not called inherited.
        let e = err(
            "[world]\nresidents = 600\nstreets = 1\ncommunities = 2\ngrids = 4\nservice_complexes = 3\n",
        );
        assert!(
            e.contains("s.toml:6:") && !e.contains("`world.service_complexes` is not set"),
            "{e}"
        );
    }

    #[test]
    fn shares_must_sum_to_one() {
        let e = err("[world]\nyoung_share = 0.5\n");
        assert!(e.contains("sum to 1"), "{e}");
    }

    #[test]
    fn experiment_errors() {
        let e = err(
            "[experiment]\nbaseline = \"none\"\n[[policy]]\nname = \"a\"\n[[policy]]\nname = \"a\"\n",
        );
        assert!(
            e.contains("duplicate policy name") && e.contains("not a policy"),
            "{e}"
        );
        let e = err("[[policy]]\nname = \"a\"\nset = { \"mechanisms.grid.enabeld\" = true }\n");
        assert!(e.contains("mechanisms.grid.enabled"), "{e}");
        let e = err("ticks = 10\n[experiment]\nrecord_every = 20\n");
        assert!(e.contains("greater than the horizon"), "{e}");
        let e = err("ticks = 0\n");
        assert!(e.contains("ticks"), "{e}");
    }

    #[test]
    fn resolved_text_round_trips() {
        let s = Scenario::default();
        let again = Scenario::from_toml(&s.to_toml(), "s.toml").unwrap();
        assert_eq!(s, again);
    }

    #[test]
    fn overrides_apply_and_validate() {
        let s = Scenario::default();
        let mut set = BTreeMap::new();
        set.insert("world.residents".to_string(), toml::Value::Integer(5000));
        assert_eq!(s.with_overrides(&set).unwrap().world.residents, 5000);
        set.insert("world.party_share".to_string(), toml::Value::Float(2.0));
        assert!(s.with_overrides(&set).is_err());
    }
}
