//! What a session runs: the scenario as loaded, the session-wide settings (world size,
//! horizon, seed, replicates, reference), the explored arm's settings chosen on reset and
//! its timeline of live changes. Every scenario a session builds comes from here, so the
//! live run, the export and `cogov run` of the export all start from the same values.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::rng;
use crate::scenario::change::{self, Change};
use crate::scenario::{Problem, Scenario};

/// What the explored arm is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// The scenario as loaded with every mechanism switched off and no changes.
    Baseline,
    /// The scenario as loaded (with its own changes, if any).
    Loaded,
    /// No reference: the explored arm alone.
    None,
}

/// Whether a setting applies to both arms (the world, the warm-up and the horizon: arms
/// run in lockstep on the same worlds); every other setting is the explored arm's.
pub fn session_wide(path: &str) -> bool {
    path == "ticks" || path == "init.warmup" || path.starts_with("world.")
}

/// A session's configuration.
#[derive(Debug, Clone)]
pub struct Setup {
    /// Where the scenario came from: a shipped name or an uploaded file's name.
    pub label: String,
    /// The scenario as loaded.
    pub loaded: Scenario,
    /// Session-wide overrides (see [`session_wide`]), both arms.
    pub world: BTreeMap<String, toml::Value>,
    /// Master seed: replicate r runs with `rng::replicate_seed(seed, r)` in both arms.
    pub seed: u64,
    /// Replicates per arm.
    pub replicates: u32,
    /// The reference arm.
    pub reference: Reference,
    /// The explored arm's settings, applied from the start.
    pub settings: BTreeMap<String, toml::Value>,
    /// The explored arm's changes (the loaded scenario's, then the live ones), by day.
    pub changes: Vec<Change>,
}

impl Setup {
    /// A session of `loaded` as it is: seed from the scenario, 5 replicates against the
    /// baseline.
    pub fn new(label: String, loaded: Scenario) -> Setup {
        Setup {
            label,
            seed: loaded.seed,
            changes: loaded.change.clone(),
            loaded,
            world: BTreeMap::new(),
            replicates: 5,
            reference: Reference::Baseline,
            settings: BTreeMap::new(),
        }
    }

    /// Sets `path` from the start: for both arms when it is session-wide, else for the
    /// explored arm.
    pub fn set(&mut self, path: String, value: toml::Value) {
        if session_wide(&path) {
            self.world.insert(path, value);
        } else {
            self.settings.insert(path, value);
        }
    }

    /// The loaded scenario with the session-wide settings.
    pub fn common(&self) -> Result<Scenario> {
        if let Some(bad) = self.world.keys().find(|k| !session_wide(k)) {
            return Err(Error::input(format!(
                "`{bad}` is not a session-wide setting; allowed: world.*, init.warmup, ticks"
            )));
        }
        self.loaded.with_overrides(&self.world)
    }

    /// The explored arm's scenario: settings from the start, then its changes.
    pub fn explored(&self) -> Result<Scenario> {
        if let Some(k) = self.settings.keys().find(|k| session_wide(k)) {
            return Err(Error::input(format!(
                "`{k}` applies to both arms; set it as a session-wide setting"
            )));
        }
        if self.seed > i64::MAX as u64 {
            return Err(Error::input(format!(
                "seed {} is larger than {}, the largest integer a scenario file can state",
                self.seed,
                i64::MAX
            )));
        }
        let mut s = self.common()?.with_overrides(&self.settings)?;
        s.change = self.changes.clone();
        check(&change::problems(&s))?;
        Ok(s)
    }

    /// The reference arm's scenario, if any.
    pub fn reference(&self) -> Result<Option<Scenario>> {
        Ok(match self.reference {
            Reference::None => None,
            Reference::Loaded => Some(self.common()?),
            Reference::Baseline => {
                let off: BTreeMap<String, toml::Value> = crate::scenario::mechanisms::KEYS
                    .iter()
                    .map(|k| {
                        (
                            format!("mechanisms.{k}.enabled"),
                            toml::Value::Boolean(false),
                        )
                    })
                    .collect();
                let mut s = self.common()?;
                s.change.clear();
                Some(s.with_overrides(&off)?)
            }
        })
    }

    /// Seeds of the replicates, the same in both arms (common random numbers).
    pub fn seeds(&self) -> Vec<u64> {
        (0..self.replicates as u64)
            .map(|r| rng::replicate_seed(self.seed, r))
            .collect()
    }

    /// Worlds the session runs at once.
    pub fn worlds(&self) -> usize {
        self.replicates as usize
            * if self.reference == Reference::None {
                1
            } else {
                2
            }
    }

    /// The timeline with `extra` inserted after every change of its day or earlier.
    pub fn with_change(&self, extra: Change) -> Setup {
        let mut next = self.clone();
        let at = next.changes.partition_point(|c| c.day <= extra.day);
        next.changes.insert(at, extra);
        next
    }
}

/// Turns problems into one input error, a line each.
fn check(problems: &[Problem]) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::input(
        problems
            .iter()
            .map(|p| format!("`{}`: {}", p.path, p.message))
            .collect::<Vec<_>>()
            .join("\n"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> Setup {
        let s = Scenario::from_toml(
            "ticks = 30\n[world]\nresidents = 1000\nstreets = 1\ncommunities = 2\ngrids = 4\nservice_complexes = 1\norganisations = 6\nsocial_workers = 4\nbusinesses = 6\nproperty_companies = 2\ndepartment_staff = 10\n[mechanisms.grid]\nenabled = true\n",
            "t.toml",
        )
        .unwrap();
        Setup::new("t".into(), s)
    }

    #[test]
    fn arms_share_the_world_and_differ_in_mechanisms() {
        let mut s = setup();
        s.world
            .insert("world.residents".into(), toml::Value::Integer(1200));
        s.settings.insert(
            "mechanisms.online.enabled".into(),
            toml::Value::Boolean(true),
        );
        let e = s.explored().unwrap();
        let b = s.reference().unwrap().unwrap();
        assert_eq!(e.world, b.world);
        assert_eq!(e.world.residents, 1200);
        assert!(e.mechanisms.online.enabled && e.mechanisms.grid.enabled);
        assert!(!b.mechanisms.online.enabled && !b.mechanisms.grid.enabled);
        s.reference = Reference::Loaded;
        let l = s.reference().unwrap().unwrap();
        assert!(l.mechanisms.grid.enabled && !l.mechanisms.online.enabled);
        assert_eq!(s.worlds(), 10);
        assert_eq!(s.seeds()[0], rng::replicate_seed(s.seed, 0));
    }

    #[test]
    fn bad_settings_are_refused_with_the_key() {
        let mut s = setup();
        s.world
            .insert("world.grids".into(), toml::Value::Integer(1));
        assert!(
            s.explored()
                .unwrap_err()
                .to_string()
                .contains("world.grids")
        );
        let mut s = setup();
        s.world.insert(
            "residents.lapse_probability".into(),
            toml::Value::Float(0.1),
        );
        assert!(s.common().is_err());
        let mut s = setup();
        s.settings.insert("ticks".into(), toml::Value::Integer(20));
        assert!(s.explored().unwrap_err().to_string().contains("both arms"));
        let mut s = setup();
        s.seed = u64::MAX;
        assert!(
            s.explored()
                .unwrap_err()
                .to_string()
                .contains("largest integer")
        );
        let s = setup().with_change(Change {
            day: 40,
            note: String::new(),
            set: [(
                "mechanisms.grid.enabled".to_string(),
                toml::Value::Boolean(false),
            )]
            .into(),
        });
        assert!(s.explored().unwrap_err().to_string().contains("horizon"));
    }
}
