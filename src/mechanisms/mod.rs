//! The linkage mechanisms (联动机制) of MODEL.md §5, as processes in the world.
//!
//! Each mechanism is one file: its rule in the module doc comment (the ODD reuses that
//! text) and an implementation of [`Mechanism`]; its parameters are a section of
//! `crate::scenario::mechanisms` under `[mechanisms.<key>]`. A mechanism acts at the start
//! of the phases it names. It changes only the world's agents and structures (who is
//! active or present, ties, routes and handlers, capacity from staff or volunteers it
//! adds, skill of agents it brings, information, money moved from a named pool, opinions),
//! never a tally or an outcome (MODEL.md §10, rule 1), and it never reads another
//! mechanism's switch or parameters: mechanisms meet only in the world.
//!
//! Adding a mechanism: add its section to `scenario/mechanisms.rs`, write
//! `src/mechanisms/<key>.rs` like the others and add one line to `registry!` below.

use std::sync::Arc;

use crate::engine::{Engine, Mechanism, Phase};
use crate::scenario::Scenario;
use crate::scenario::mechanisms::Mechanisms;

/// A mechanism's documentation for the ODD.
#[derive(Debug, Clone)]
pub struct RuleDoc {
    /// Scenario key.
    pub key: &'static str,
    /// The module doc comment: title and rule.
    pub rule: String,
    /// Phases it acts in.
    pub phases: &'static [Phase],
}

/// The `//!` lines at the top of a source file, joined.
pub fn module_doc(source: &str) -> String {
    source
        .lines()
        .take_while(|l| l.starts_with("//!") || l.trim().is_empty())
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

macro_rules! registry {
    ($($key:ident;)*) => {
        $(pub mod $key;)*

        /// The enabled mechanisms with their registry index.
        pub fn build(cfg: &Mechanisms) -> Vec<(usize, Box<dyn Mechanism>)> {
            let mut out: Vec<(usize, Box<dyn Mechanism>)> = Vec::new();
            let mut _index = 0usize;
            $(
                if cfg.$key.enabled {
                    out.push((_index, Box::new($key::new(&cfg.$key))));
                }
                _index += 1;
            )*
            out
        }

        /// Every mechanism's rule, from its module doc comment.
        pub fn rules() -> Vec<RuleDoc> {
            let d = Mechanisms::default();
            vec![$(RuleDoc {
                key: stringify!($key),
                rule: module_doc(include_str!(concat!(stringify!($key), ".rs"))),
                phases: $key::new(&d.$key).phases(),
            }),*]
        }

        /// Keys of the mechanisms with an implementation, in registry order.
        pub const IMPLEMENTED: &[&str] = &[$(stringify!($key)),*];
    };
}

registry! {
    party_masses;
    grid;
    platforms;
    three_society;
    government_society;
    family_community;
    government_enterprise;
    online;
    deliberation;
    service_complex;
}

/// The engine for `scenario` and `seed` with the scenario's enabled mechanisms.
pub fn engine(scenario: Arc<Scenario>, seed: u64) -> Engine {
    Engine::new(scenario, seed, build)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_parameter_section_has_its_process() {
        assert_eq!(super::IMPLEMENTED, crate::scenario::mechanisms::KEYS);
    }
}
