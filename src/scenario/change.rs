//! `[[change]]`: a run steered while it runs. Each change sets model parameters at the start
//! of a recorded day (day 0 is the first day after the warm-up, the `tick` column of
//! `timeseries.csv`), as moving a control in `cogov serve` does. `cogov run` and
//! `cogov experiment` apply the same changes through the engine, so a steered run is
//! reproduced from its file.
//!
//! A change may set any model parameter the engine reads while it runs; parameters read
//! only when the world is built, or that define the run itself, are refused with the
//! reason. Changes are validated in file order, each on the configuration the earlier
//! ones left, so every state the run passes through is a valid scenario.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Problem, Scenario, Source, overrides};
use crate::error::{Error, Result};

/// `[[change]]`: settings applied at the start of recorded day `day`, e.g.
/// `day = 120` and `set = { "mechanisms.grid.enabled" = true }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// Recorded day at whose start the settings apply (0 is the first day after the
    /// warm-up).
    pub day: u32,
    /// What the change stands for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Dotted parameter path → value.
    #[serde(default)]
    pub set: BTreeMap<String, toml::Value>,
}

/// Parameters a change cannot set, by path prefix, with the reason.
const FIXED: &[(&str, &str)] = &[
    ("name", "it names the scenario"),
    ("description", "it describes the scenario"),
    ("seed", "the seed is fixed for the whole run"),
    ("ticks", "the horizon is fixed for the whole run"),
    (
        "world.",
        "the world's structure and population are fixed when it is built",
    ),
    ("init.", "initial states are drawn when the world is built"),
    (
        "network.building_degree",
        "the initial network is drawn when the world is built",
    ),
    (
        "network.grid_ring_degree",
        "the initial network is drawn when the world is built",
    ),
    (
        "network.grid_rewire",
        "the initial network is drawn when the world is built",
    ),
    (
        "network.initial_linking_share",
        "the initial network is drawn when the world is built",
    ),
    (
        "issues.high_complexity",
        "it defines the metric high_complexity_resolution_rate for the whole run",
    ),
    (
        "projects",
        "the project schedule is set for the whole run; state it in the scenario",
    ),
    (
        "shocks",
        "the shock schedule is set for the whole run; state it in the scenario",
    ),
    ("experiment", "it configures experiments, not the model"),
    ("policy", "it configures experiments, not the model"),
    ("sweep", "it configures experiments, not the model"),
    ("plot", "it configures figures, not the model"),
    ("sensitivity", "it configures experiments, not the model"),
    ("calibration", "it configures calibration, not the model"),
    ("change", "changes cannot change changes"),
];

/// Why `path` cannot be set by a change (None when it can).
pub fn fixed_reason(path: &str) -> Option<&'static str> {
    FIXED
        .iter()
        .find(|(prefix, _)| {
            path == prefix.trim_end_matches('.')
                || path.starts_with(prefix)
                    && (prefix.ends_with('.') || path[prefix.len()..].starts_with(['.', '[']))
        })
        .map(|(_, why)| *why)
}

/// The model parameters a change may set, in schema order.
pub fn steerable_paths(s: &Scenario) -> Vec<String> {
    overrides::leaf_paths(&s.to_table())
        .into_iter()
        .filter(|p| fixed_reason(p).is_none())
        .collect()
}

impl Scenario {
    /// This scenario with `set` applied, as a change applies it at run time: the paths
    /// must exist and the types fit; the bounds were checked when the scenario was loaded
    /// ([`problems`] checks every state a file's changes lead to).
    pub fn with_change(&self, set: &BTreeMap<String, toml::Value>) -> Result<Scenario> {
        let mut table = self.to_table();
        for (path, value) in set {
            if let Some(why) = fixed_reason(path) {
                return Err(Error::input(format!(
                    "\"{path}\" cannot change during a run: {why}"
                )));
            }
            overrides::set_path(&mut table, path, value.clone()).map_err(Error::input)?;
        }
        Scenario::from_table(
            table,
            &Source {
                file: "(change)",
                text: "",
            },
        )
    }
}

/// Problems with a scenario's `[[change]]` entries: the day within the horizon and in
/// order, each path settable, and every configuration they lead to valid.
pub fn problems(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut table = s.to_table();
    table.remove("change");
    let mut last_day = 0;
    for (k, c) in s.change.iter().enumerate() {
        let at = |field: &str| format!("change[{k}].{field}");
        if c.day >= s.ticks {
            out.push(Problem::new(
                at("day"),
                format!(
                    "day {} is not within the horizon of {} days; allowed: 0 to {}",
                    c.day,
                    s.ticks,
                    s.ticks.saturating_sub(1)
                ),
            ));
        }
        if c.day < last_day {
            out.push(Problem::new(
                at("day"),
                format!(
                    "day {} comes after a change on day {last_day}; list changes in order of day",
                    c.day
                ),
            ));
        }
        last_day = last_day.max(c.day);
        if c.set.is_empty() {
            out.push(Problem::new(
                at("set"),
                "a change needs at least one setting, e.g. set = { \"mechanisms.grid.enabled\" = true }",
            ));
            continue;
        }
        let mut ok = true;
        for (path, value) in &c.set {
            let problem = match fixed_reason(path) {
                Some(why) => Some(format!("\"{path}\" cannot change during a run: {why}")),
                None => overrides::set_path(&mut table, path, value.clone()).err(),
            };
            if let Some(msg) = problem {
                out.push(Problem::new(at("set"), msg));
                ok = false;
            }
        }
        if !ok {
            continue;
        }
        let src = Source {
            file: "(change)",
            text: "",
        };
        match Scenario::from_table(table.clone(), &src) {
            Err(e) => out.push(Problem::new(at("set"), e.to_string())),
            Ok(state) => {
                for p in state.model_problems() {
                    out.push(Problem::new(
                        at("set"),
                        format!("after this change, `{}`: {}", p.path, p.message),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Scenario::from_toml(text, "s.toml").unwrap_err().to_string()
    }

    #[test]
    fn fixed_paths_are_recognised_by_prefix_and_whole_key() {
        assert!(fixed_reason("world.residents").is_some());
        assert!(fixed_reason("seed").is_some());
        assert!(fixed_reason("projects").is_some());
        assert!(fixed_reason("network.grid_rewire").is_some());
        assert!(fixed_reason("network.decay_probability").is_none());
        assert!(fixed_reason("mechanisms.grid.enabled").is_none());
        assert!(fixed_reason("seeds").is_none());
        let paths = steerable_paths(&Scenario::default());
        assert!(
            paths
                .iter()
                .any(|p| p == "mechanisms.online.responsiveness")
        );
        assert!(!paths.iter().any(|p| p.starts_with("world.")));
    }

    #[test]
    fn valid_changes_load_and_apply() {
        let s = Scenario::from_toml(
            "ticks = 100\n[[change]]\nday = 10\nset = { \"mechanisms.grid.enabled\" = true }\n[[change]]\nday = 10\nnote = \"stronger patrols\"\nset = { \"mechanisms.grid.patrol_detection\" = 0.2 }\n",
            "s.toml",
        )
        .unwrap();
        assert_eq!(s.change.len(), 2);
        assert!(!s.mechanisms.grid.enabled);
        let t = s.with_change(&s.change[0].set).unwrap();
        assert!(t.mechanisms.grid.enabled);
        assert_eq!(t.change, s.change);
        let again = Scenario::from_toml(&s.to_toml(), "s.toml").unwrap();
        assert_eq!(again, s);
    }

    #[test]
    fn bad_changes_are_located_and_explained() {
        let e = err(
            "ticks = 100\n[[change]]\nday = 100\nset = { \"mechanisms.grid.enabld\" = true }\n",
        );
        assert!(
            e.contains("s.toml:3:7") && e.contains("horizon of 100 days"),
            "{e}"
        );
        assert!(e.contains("mechanisms.grid.enabled"), "{e}");
        let e = err("[[change]]\nday = 5\nset = { \"world.residents\" = 10 }\n");
        assert!(
            e.contains("s.toml:3:7") && e.contains("fixed when it is built"),
            "{e}"
        );
        let e = err(
            "[[change]]\nday = 5\nset = { \"mechanisms.grid.enabled\" = true }\n[[change]]\nday = 2\nset = { \"mechanisms.grid.enabled\" = false }\n",
        );
        assert!(
            e.contains("change[1].day") && e.contains("in order of day"),
            "{e}"
        );
        let e =
            err("[[change]]\nday = 5\nset = { \"government.community_max_complexity\" = 1.0 }\n");
        assert!(
            e.contains("after this change") && e.contains("street_max_complexity"),
            "{e}"
        );
        let e = err("[[change]]\nday = 5\nset = { \"residents.lapse_probability\" = 2.0 }\n");
        assert!(e.contains("out of range"), "{e}");
        let e = err("[[change]]\nday = 5\n");
        assert!(e.contains("at least one setting"), "{e}");
        let e = err("[[change]]\nset = { \"mechanisms.grid.enabled\" = true }\n");
        assert!(e.contains("day"), "{e}");
    }
}
