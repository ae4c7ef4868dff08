//! The verification (docking) suite: parts of the model reproduce published results
//! (Axtell, Axelrod, Epstein & Cohen 1996, *Comput. Math. Organ. Theory* 1:123).
//!
//! Every case runs through the engine's own code: the cascade and bounded-confidence
//! kernels in [`crate::submodels`], the generators in [`crate::network::generators`] and
//! the statistics in [`crate::stats`], with the governance mechanisms off.
//!
//! A case is one file exposing a `pub const CASE: Case`; adding one is that file plus its
//! module name in the `cases!` list below. Runs are spread over rayon one replicate at a
//! time and each replicate draws from its own stream `(seed, Verify, case tag, run)`, so the
//! numbers do not depend on the thread count.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::{Error, Result};

macro_rules! cases {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*
        /// Every case of the suite, in the order the table prints them.
        pub const CASES: &[&Case] = &[$(&$module::CASE),*];
    };
}

cases!(
    watts,
    granovetter,
    deffuant,
    ws,
    ba,
    gini,
    ci_coverage,
    ishigami,
    community,
    factorial
);

/// A parameter a case accepts on the command line as `--name value`.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Flag name without the dashes.
    pub name: &'static str,
    /// Placeholder shown in help, e.g. `N` or `FILE`.
    pub value_name: &'static str,
    /// Default value, if the flag may be left out.
    pub default: Option<&'static str>,
    /// One line of help.
    pub help: &'static str,
}

/// One verification case.
#[derive(Debug)]
pub struct Case {
    /// Name on the command line (`cogov verify NAME`).
    pub name: &'static str,
    /// One line saying what it checks.
    pub about: &'static str,
    /// The published source of the expected values (authors, year, venue).
    pub source: &'static str,
    /// The flags accepted when the case is run alone.
    pub params: &'static [Param],
    /// Replicates per point by default (chosen to keep the whole suite under a minute).
    pub default_runs: usize,
    /// Runs the suite's points of this case.
    pub suite: fn(seed: u64, runs: usize) -> Result<Report>,
    /// Runs one point at the given parameters.
    pub probe: fn(params: &Params, seed: u64, runs: usize) -> Result<Report>,
}

/// The case named `name`, if any.
pub fn find(name: &str) -> Option<&'static Case> {
    CASES.iter().copied().find(|c| c.name == name)
}

/// Parameter values given on the command line, by flag name (defaults already filled in).
#[derive(Debug, Clone, Default)]
pub struct Params(pub BTreeMap<String, String>);

impl Params {
    /// The raw value of `--name`, if given or defaulted.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    fn parsed<T: std::str::FromStr>(&self, name: &str, what: &str) -> Result<T> {
        let raw = self
            .raw(name)
            .ok_or_else(|| Error::input(format!("--{name} is required")))?;
        raw.trim()
            .parse()
            .map_err(|_| Error::input(format!("--{name} {raw:?} is not {what}")))
    }

    /// `--name` as a number.
    pub fn f64(&self, name: &str) -> Result<f64> {
        let v: f64 = self.parsed(name, "a number")?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(Error::input(format!("--{name} must be a finite number")))
        }
    }

    /// `--name` as a non-negative whole number.
    pub fn u32(&self, name: &str) -> Result<u32> {
        self.parsed(name, "a non-negative whole number")
    }
}

/// Errors unless `ok`, with a message naming the flag and what it allows.
pub fn require(ok: bool, flag: &str, allowed: &str, got: impl std::fmt::Display) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::input(format!(
            "--{flag} must be {allowed} (got {got})"
        )))
    }
}

/// One row of the table: an expected value against the obtained one.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Check {
    /// The point's parameters, e.g. `z=4, φ=0.18`.
    pub parameters: String,
    /// The expected value or property.
    pub expected: String,
    /// What the run gave (with its standard error where it has one).
    pub obtained: String,
    /// The tolerance the comparison allows.
    pub tolerance: String,
    /// Whether the obtained value is within tolerance.
    pub pass: bool,
}

/// The statistics of one parameter point over its replicates.
#[derive(Debug, Clone)]
pub struct Point {
    /// Parameter values.
    pub params: Map<String, Value>,
    /// Number of replicates.
    pub runs: usize,
    /// Summary statistics; each `x` has its standard error as `x_se` where it is random.
    pub stats: Map<String, Value>,
}

impl Point {
    /// A point with the given parameters and no statistics yet.
    pub fn new(params: Value, runs: usize) -> Self {
        let params = match params {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        Point {
            params,
            runs,
            stats: Map::new(),
        }
    }

    /// Adds a statistic (NaN becomes JSON null).
    pub fn stat(&mut self, name: &str, value: f64) -> &mut Self {
        self.stats.insert(name.to_string(), json!(finite(value)));
        self
    }

    /// Adds the mean of `x` as `name` and its standard error as `name_se`.
    pub fn mean_se(&mut self, name: &str, x: &[f64]) -> MeanSe {
        let m = mean_se(x);
        self.stat(name, m.mean);
        self.stat(&format!("{name}_se"), m.se);
        m
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// A mean with its standard error.
#[derive(Debug, Clone, Copy)]
pub struct MeanSe {
    /// The mean (NaN for no values).
    pub mean: f64,
    /// Its standard error s/√n (0 for one value, NaN for none).
    pub se: f64,
}

/// Mean and standard error of `x`, from [`crate::stats::summarize`].
pub fn mean_se(x: &[f64]) -> MeanSe {
    let s = crate::stats::summarize(x);
    let se = match (s.sd, x.len()) {
        (_, 0) => f64::NAN,
        (Some(sd), n) => sd / (n as f64).sqrt(),
        (None, _) => 0.0,
    };
    MeanSe { mean: s.mean, se }
}

impl std::fmt::Display for MeanSe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.4} ± {:.4}", self.mean, self.se)
    }
}

/// A case's outcome: its points and its checks.
#[derive(Debug, Clone)]
pub struct Report {
    /// The case's name.
    pub case: &'static str,
    /// Its published source.
    pub source: &'static str,
    /// The master seed used.
    pub seed: u64,
    /// Statistics per parameter point.
    pub points: Vec<Point>,
    /// The comparisons with expected values.
    pub checks: Vec<Check>,
}

impl Report {
    /// An empty report for `case`.
    pub fn new(case: &Case, seed: u64) -> Self {
        Report {
            case: case.name,
            source: case.source,
            seed,
            points: Vec::new(),
            checks: Vec::new(),
        }
    }

    /// Adds a check.
    pub fn check(
        &mut self,
        parameters: impl Into<String>,
        expected: impl Into<String>,
        obtained: impl Into<String>,
        tolerance: impl Into<String>,
        pass: bool,
    ) {
        self.checks.push(Check {
            parameters: parameters.into(),
            expected: expected.into(),
            obtained: obtained.into(),
            tolerance: tolerance.into(),
            pass,
        });
    }

    /// Whether every check passed.
    pub fn pass(&self) -> bool {
        self.checks.iter().all(|c| c.pass)
    }

    /// One JSON object: case, source, seed, pass, checks and points. With a single point
    /// (a probe) its parameters, runs and statistics are also copied to the top level.
    pub fn to_json(&self) -> Value {
        let points: Vec<Value> = self
            .points
            .iter()
            .map(|p| {
                let mut o = Map::new();
                o.insert("params".into(), Value::Object(p.params.clone()));
                o.insert("runs".into(), json!(p.runs));
                o.extend(p.stats.clone());
                Value::Object(o)
            })
            .collect();
        let mut o = Map::new();
        o.insert("case".into(), json!(self.case));
        o.insert("source".into(), json!(self.source));
        o.insert("seed".into(), json!(self.seed));
        o.insert("pass".into(), json!(self.pass()));
        if let [Value::Object(only)] = points.as_slice() {
            o.extend(only.clone());
        }
        o.insert("checks".into(), json!(self.checks));
        o.insert("points".into(), Value::Array(points));
        Value::Object(o)
    }
}

/// Runs `f(run)` for `run` in `0..runs` over rayon, one replicate per task, and returns the
/// results in run order (so the output does not depend on the thread count).
pub fn replicates<T: Send>(runs: usize, f: impl Fn(u64) -> T + Sync) -> Vec<T> {
    (0..runs)
        .into_par_iter()
        .with_max_len(1)
        .map(|r| f(r as u64))
        .collect()
}

/// Runs the whole suite, each case with `runs` replicates (or its own default).
pub fn run_suite(seed: u64, runs: Option<usize>) -> Result<Vec<Report>> {
    CASES
        .iter()
        .map(|c| (c.suite)(seed, runs.unwrap_or(c.default_runs)))
        .collect()
}

/// Widest line of the table printed by `cogov verify`, in characters.
pub const TABLE_WIDTH: usize = 100;

/// Words of `text` wrapped into lines of at most `width` characters (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            lines.push(word[..width].iter().collect());
            word.drain(..width);
        }
        let word: String = word.into_iter().collect();
        let len = cur.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(&word);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// A plain-text table no wider than `max` characters: columns too wide for it are wrapped
/// (the widest first) onto several lines of their cell.
pub fn text_table(header: &[&str], rows: &[Vec<String>], max: usize) -> String {
    let n = header.len();
    let natural = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let mut widths: Vec<usize> = (0..n).map(natural).collect();
    let gaps = 2 * n.saturating_sub(1);
    // Shrink the widest column one character at a time until the table fits (no column
    // narrower than its header or 8 characters).
    while widths.iter().sum::<usize>() + gaps > max {
        let Some((i, _)) = widths
            .iter()
            .enumerate()
            .filter(|(i, w)| **w > header[*i].chars().count().max(8))
            .max_by_key(|(_, w)| **w)
        else {
            break;
        };
        widths[i] -= 1;
    }
    let mut out = String::new();
    let mut line = |cells: Vec<Vec<String>>| {
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            let mut s = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let text = cell.get(k).map(String::as_str).unwrap_or("");
                s.push_str(text);
                if i + 1 < n {
                    let pad = widths[i].saturating_sub(text.chars().count());
                    s.push_str(&" ".repeat(pad + 2));
                }
            }
            let _ = writeln!(out, "{}", s.trim_end());
        }
    };
    line(header.iter().map(|h| vec![h.to_string()]).collect());
    line(widths.iter().map(|w| vec!["-".repeat(*w)]).collect());
    for r in rows {
        line(r.iter().zip(&widths).map(|(c, &w)| wrap(c, w)).collect());
    }
    out
}

/// The table of checks (case, parameters, expected, obtained, tolerance, result, and a
/// reference number), then the numbered sources, all within [`TABLE_WIDTH`] columns.
pub fn table(reports: &[Report]) -> String {
    let header = [
        "case",
        "parameters",
        "expected",
        "obtained",
        "tolerance",
        "result",
        "ref",
    ];
    let mut sources: Vec<(&str, &str)> = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for r in reports {
        let k = match sources.iter().position(|(_, s)| *s == r.source) {
            Some(k) => k,
            None => {
                sources.push((r.case, r.source));
                sources.len() - 1
            }
        };
        for c in &r.checks {
            rows.push(vec![
                r.case.to_string(),
                c.parameters.clone(),
                c.expected.clone(),
                c.obtained.clone(),
                c.tolerance.clone(),
                if c.pass { "pass" } else { "FAIL" }.to_string(),
                format!("[{}]", k + 1),
            ]);
        }
    }
    let mut out = text_table(&header, &rows, TABLE_WIDTH);
    let passed = rows.iter().filter(|r| r[5] == "pass").count();
    let _ = writeln!(out, "\nSources:");
    for (k, (case, source)) in sources.iter().enumerate() {
        for (j, l) in wrap(&format!("[{}] {case}: {source}", k + 1), TABLE_WIDTH - 4)
            .iter()
            .enumerate()
        {
            let _ = writeln!(out, "{}{l}", if j == 0 { "" } else { "    " });
        }
    }
    let _ = writeln!(out, "\n{passed} of {} checks passed", rows.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_names_are_unique_and_findable() {
        for c in CASES {
            assert_eq!(find(c.name).map(|f| f.about), Some(c.about));
            assert!(!c.source.is_empty() && c.default_runs > 0);
        }
        let names: std::collections::HashSet<_> = CASES.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), CASES.len());
    }

    #[test]
    fn tables_fit_the_width_and_keep_every_word() {
        let rows = vec![vec![
            "watts".to_string(),
            "n=10000, z from 1 to 10 in steps of 0.5, phi=0.18, a long description".into(),
            "cascade window between z = 1 and z = 6 as in the published figure".into(),
            "ok".into(),
        ]];
        let t = text_table(&["case", "parameters", "expected", "result"], &rows, 60);
        assert!(t.lines().all(|l| l.chars().count() <= 60), "{t}");
        for w in rows[0].iter().flat_map(|c| c.split_whitespace()) {
            assert!(t.contains(w), "{w} lost");
        }
    }

    #[test]
    fn mean_se_of_known_sample() {
        let m = mean_se(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(m.mean, 2.5);
        assert!((m.se - 1.290_994 / 2.0).abs() < 1e-6);
        assert_eq!(mean_se(&[2.0]).se, 0.0);
    }

    #[test]
    fn replicates_keep_run_order() {
        assert_eq!(
            replicates(50, |r| r * 2),
            (0..50).map(|r| r * 2).collect::<Vec<u64>>()
        );
    }
}
