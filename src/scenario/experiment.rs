//! The experiment part of a scenario: replicates, policies, sweeps and designs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::scenario::limits::{RUNS, SWITCHES, TICKS};
use crate::section;

section! {
    /// `[experiment]`: how many replicates, from which master seed, against which baseline.
    pub struct Experiment {
        /// Replicates per policy and sweep point.
        pub replicates: u32 = 20, "count", Range(1.0, RUNS);
        /// Master seed; replicate r uses `rng::replicate_seed(seed, r)` under every policy
        /// and sweep point (common random numbers).
        pub seed: u64 = 1, "seed", Any;
        /// The policy others are compared with (empty: the first policy).
        pub baseline: String = String::new(), "", Any;
        /// Write every k-th tick to timeseries.csv (the last tick is always written).
        pub record_every: u32 = 1, "days", Range(1.0, TICKS);
        /// How sweep points are chosen.
        pub design: String = "factorial".into(), "", OneOf(&["factorial", "latin_hypercube", "morris", "sobol"]);
        /// Points of a Latin hypercube design.
        pub samples: u32 = 0, "count", Range(0.0, RUNS);
        /// Largest number of runs accepted without `--force`.
        pub max_runs: u32 = 100_000, "count", Range(1.0, RUNS);
        /// Switches of a two-level factorial (`design = "factorial"`): mechanism keys such
        /// as "grid", boolean parameters such as "linkage.ties", or parameters given two
        /// levels in `levels`. Empty: the cells come from `[sweep]`.
        pub switches: Vec<String> = Vec::new(), "", Any;
        /// Low and high level of switches that are not booleans: `{ "path" = [low, high] }`.
        pub levels: BTreeMap<String, Vec<toml::Value>> = BTreeMap::new(), "", Any;
        /// Least resolution of a fractional factorial (5 = V or more); 0: the full design
        /// for up to 10 switches, else the smallest resolution-V fraction.
        pub resolution: u32 = 0, "", Range(0.0, SWITCHES);
        /// Cells of a fractional factorial (a power of two); 0: as `resolution` decides.
        pub cells: u32 = 0, "count", Range(0.0, RUNS);
        /// Highest interaction order in effects.csv (main effects are order 1; a fraction
        /// allows up to ⌊(resolution − 1)/2⌋).
        pub order: u32 = 2, "", Range(1.0, SWITCHES);
    }
}

/// `[[policy]]`: a named set of parameter overrides, e.g.
/// `set = { "mechanisms.online.enabled" = true }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Name used in the outputs.
    pub name: String,
    /// What the policy stands for.
    #[serde(default)]
    pub description: String,
    /// Dotted parameter path → value.
    #[serde(default)]
    pub set: BTreeMap<String, toml::Value>,
}

/// One swept parameter: a list of values, or an evenly spaced range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SweepSpec {
    /// `{ from = 0.0, to = 1.0, steps = 5 }` (steps ≥ 2 values including both ends; for a
    /// Latin hypercube only the bounds are used).
    Range {
        /// First value.
        from: f64,
        /// Last value.
        to: f64,
        /// Number of values.
        #[serde(default = "default_steps")]
        steps: u32,
    },
    /// An explicit list of values.
    Values(Vec<toml::Value>),
}

fn default_steps() -> u32 {
    5
}

impl SweepSpec {
    /// How many values a factorial sweep takes, without building them.
    pub fn len(&self) -> usize {
        match self {
            SweepSpec::Values(v) => v.len(),
            SweepSpec::Range { steps, .. } => *steps as usize,
        }
    }

    /// Whether the sweep takes no value at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values of a factorial sweep.
    pub fn values(&self) -> Vec<toml::Value> {
        match *self {
            SweepSpec::Values(ref v) => v.clone(),
            SweepSpec::Range { from, to, steps } => match steps {
                0 => Vec::new(),
                1 => vec![toml::Value::Float(from)],
                _ => (0..steps)
                    .map(|i| toml::Value::Float(from + (to - from) * i as f64 / (steps - 1) as f64))
                    .collect(),
            },
        }
    }
}
