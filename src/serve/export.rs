//! From exploration to experiment: a session's setup as a scenario file.
//!
//! The file states what differs from the documented defaults: the explored configuration
//! with its `[[change]]` timeline, the session's master seed, and an `[experiment]` with
//! that seed and the replicates plus `[[policy]]` entries: `reference`, `explored`, and one
//! `after_day_<d>` per change day holding the settings in force after that day's changes
//! from day 0. `cogov experiment FILE` reproduces every replicate of both arms and asks what
//! the changes would have done from the start; `cogov run FILE --seed S` reproduces the
//! explored arm's replicate with seed S (the header lists them: replicate seeds are 64-bit,
//! more than a TOML integer holds, so they go on the command line).

use std::collections::BTreeMap;

use super::setup::{Reference, Setup};
use crate::error::{Error, Result};
use crate::scenario::experiment::Policy;
use crate::scenario::{Scenario, model_leaf_paths};

/// The scenario the export writes, and its text.
pub fn export(setup: &Setup, days_done: u32) -> Result<(Scenario, String)> {
    let explored = setup.explored()?;
    let mut s = explored.clone();
    s.name = format!("{}_live", setup.loaded.name);
    s.seed = setup.seed;
    s.experiment.seed = setup.seed;
    s.experiment.replicates = setup.replicates;
    s.experiment.design = "factorial".into();
    s.experiment.samples = 0;
    s.experiment.record_every = s.experiment.record_every.min(s.ticks).max(1);
    s.sweep.clear();
    s.sensitivity = None;
    s.calibration = None;

    let mut base = explored.clone();
    base.change.clear();
    let mut policies = Vec::new();
    if let Some(reference) = setup.reference()? {
        let mut set = difference(&base, &reference);
        set.insert("change".into(), changes_value(&reference)?);
        policies.push(Policy {
            name: "reference".into(),
            description: match setup.reference {
                Reference::Baseline => "Every mechanism off: the baseline.".into(),
                _ => "The scenario as loaded.".into(),
            },
            set,
        });
        s.experiment.baseline = "reference".into();
    } else {
        s.experiment.baseline = String::new();
    }
    policies.push(Policy {
        name: "explored".into(),
        description: format!(
            "The configuration explored live, with its {} change(s).",
            explored.change.len()
        ),
        set: BTreeMap::new(),
    });
    let mut state = base.clone();
    let mut days: Vec<u32> = explored.change.iter().map(|c| c.day).collect();
    days.dedup();
    for day in days {
        for c in explored.change.iter().filter(|c| c.day == day) {
            state = state.with_change(&c.set)?;
        }
        let mut set = difference(&base, &state);
        set.insert("change".into(), toml::Value::Array(Vec::new()));
        policies.push(Policy {
            name: format!("after_day_{day}"),
            description: format!(
                "The settings in force after the changes of day {day}, from day 0."
            ),
            set,
        });
    }
    s.policy = policies;
    let names: Vec<&str> = s.policy.iter().map(|p| p.name.as_str()).collect();
    s.plot.policies.retain(|p| names.contains(&p.as_str()));

    let text = format!("{}{}", header(setup, &s, days_done), minimal_toml(&s)?);
    // The file must load back to exactly this scenario, or it would not reproduce the run.
    let again = Scenario::from_toml(&text, "(export)")?;
    if again != s {
        return Err(Error::input(
            "internal error: the exported scenario does not load back to itself; please report this bug",
        ));
    }
    Ok((s, text))
}

fn header(setup: &Setup, s: &Scenario, days_done: u32) -> String {
    let arms = if setup.reference == Reference::None {
        "the explored arm"
    } else {
        "both arms"
    };
    let seeds: Vec<String> = setup
        .seeds()
        .iter()
        .enumerate()
        .map(|(r, seed)| format!("#   replicate {r}: cogov run FILE --seed {seed}\n"))
        .collect();
    format!(
        "# Exported by `cogov serve` (cogov {}) from \"{}\" after {days_done} of {} recorded days.\n\
         #\n\
         # `cogov experiment FILE` reproduces {arms} byte for byte: {} replicates, [experiment]\n\
         # seed = {} (common random numbers); the policies after_day_<d> hold the settings in\n\
         # force after day d's changes from day 0. `cogov run` reproduces a replicate of the\n\
         # explored arm with its seed:\n\
         {}\
         # Every other parameter takes its documented default (`cogov check FILE` prints all).\n\n",
        env!("CARGO_PKG_VERSION"),
        setup.label.replace(['\n', '\r'], " "),
        s.ticks,
        setup.replicates,
        setup.seed,
        seeds.concat(),
    )
}

/// The model parameters whose values differ from `from` to `to`, as policy settings.
fn difference(from: &Scenario, to: &Scenario) -> BTreeMap<String, toml::Value> {
    let (a, b) = (from.to_table(), to.to_table());
    let mut out = BTreeMap::new();
    for path in model_leaf_paths(&b) {
        let (x, y) = (
            crate::scenario::overrides::get(&a, &path),
            crate::scenario::overrides::get(&b, &path),
        );
        if x != y
            && let Some(y) = y
        {
            out.insert(path, y.clone());
        }
    }
    out
}

fn changes_value(s: &Scenario) -> Result<toml::Value> {
    toml::Value::try_from(&s.change).map_err(|e| Error::input(e.to_string()))
}

/// The scenario as TOML, stating only what differs from the defaults.
pub fn minimal_toml(s: &Scenario) -> Result<String> {
    let full = s.to_table();
    let defaults = Scenario::default().to_table();
    let diff = table_difference(&full, &defaults);
    toml::to_string(&diff).map_err(|e| Error::input(e.to_string()))
}

fn table_difference(full: &toml::Table, defaults: &toml::Table) -> toml::Table {
    let mut out = toml::Table::new();
    for (k, v) in full {
        match (v, defaults.get(k)) {
            (toml::Value::Table(t), Some(toml::Value::Table(d))) => {
                let sub = table_difference(t, d);
                if !sub.is_empty() {
                    out.insert(k.clone(), toml::Value::Table(sub));
                }
            }
            (v, Some(d)) if v == d => {}
            (v, _) => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;
    use crate::scenario::change::Change;

    fn setup() -> Setup {
        let s = Scenario::from_toml(
            "name = \"t\"\nticks = 30\n[world]\nresidents = 1000\nstreets = 1\ncommunities = 2\ngrids = 4\nservice_complexes = 1\norganisations = 6\nsocial_workers = 4\nbusinesses = 6\nproperty_companies = 2\ndepartment_staff = 10\n[mechanisms.grid]\nenabled = true\n[experiment]\nreplicates = 20\n[[policy]]\nname = \"a\"\n[sweep]\n\"world.party_share\" = [0.1, 0.2]\n",
            "t.toml",
        )
        .unwrap();
        let mut s = Setup::new("t.toml".into(), s);
        s.replicates = 3;
        s.seed = 99;
        s.settings.insert(
            "mechanisms.online.enabled".into(),
            toml::Value::Boolean(true),
        );
        s.with_change(Change {
            day: 4,
            note: String::new(),
            set: [(
                "mechanisms.grid.patrol_detection".to_string(),
                toml::Value::Float(0.3),
            )]
            .into(),
        })
    }

    #[test]
    fn the_export_loads_back_with_both_arms_and_the_history() {
        let (s, text) = export(&setup(), 10).unwrap();
        assert!(text.starts_with("# Exported by `cogov serve`"));
        assert!(
            text.contains("[[change]]") && text.contains("[[policy]]"),
            "{text}"
        );
        assert_eq!(s.seed, 99);
        assert!(text.contains(&format!("--seed {}", rng::replicate_seed(99, 2))));
        assert_eq!(s.experiment.seed, 99);
        assert_eq!(s.experiment.replicates, 3);
        assert!(s.sweep.is_empty());
        let names: Vec<&str> = s.policy.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["reference", "explored", "after_day_4"]);
        assert_eq!(s.experiment.baseline, "reference");
        // The reference policy turns both mechanisms off and drops the changes.
        let r = &s.policy[0].set;
        assert_eq!(r["mechanisms.grid.enabled"], toml::Value::Boolean(false));
        assert_eq!(r["mechanisms.online.enabled"], toml::Value::Boolean(false));
        assert_eq!(r["change"], toml::Value::Array(Vec::new()));
        let after = &s.policy[2].set;
        assert_eq!(
            after["mechanisms.grid.patrol_detection"],
            toml::Value::Float(0.3)
        );
        assert!(!after.contains_key("mechanisms.online.enabled"));
        // Every policy makes a valid scenario.
        for p in &s.policy {
            s.with_overrides(&p.set).unwrap();
        }
        assert!(s.problems().is_empty(), "{:?}", s.problems());
    }

    #[test]
    fn a_loaded_timeline_goes_to_the_reference_policy() {
        let loaded = Scenario::from_toml(
            "ticks = 30\n[world]\nresidents = 1000\nstreets = 1\ncommunities = 2\ngrids = 4\nservice_complexes = 1\norganisations = 6\nsocial_workers = 4\nbusinesses = 6\nproperty_companies = 2\ndepartment_staff = 10\n[[change]]\nday = 3\nset = { \"mechanisms.online.enabled\" = true }\n",
            "t.toml",
        )
        .unwrap();
        let mut s = Setup::new("t.toml".into(), loaded);
        s.reference = Reference::Loaded;
        s.settings
            .insert("mechanisms.grid.enabled".into(), toml::Value::Boolean(true));
        let (e, text) = export(&s, 0).unwrap();
        assert_eq!(e.change.len(), 1);
        let reference = e.with_overrides(&e.policy[0].set).unwrap();
        assert_eq!(reference.change, e.change);
        assert!(!reference.mechanisms.grid.enabled);
        assert!(
            Scenario::from_toml(&text, "x")
                .unwrap()
                .problems()
                .is_empty()
        );
    }

    #[test]
    fn minimal_toml_states_only_differences() {
        let text = minimal_toml(&Scenario::default()).unwrap();
        assert!(
            text.trim().is_empty() || !text.contains("residents"),
            "{text}"
        );
        let mut s = Scenario::default();
        s.world.residents = 1234;
        s.world.organisations = 20;
        let text = minimal_toml(&s).unwrap();
        assert!(text.contains("residents = 1234"));
        assert_eq!(Scenario::from_toml(&text, "x").unwrap(), s);
    }
}
