//! The linkage mechanisms (联动机制) of MODEL.md §5.
//!
//! Each mechanism is one file: its parameters (a scenario section under
//! `[mechanisms.<key>]` with an `enabled` switch), its rule in the module doc comment (the
//! ODD reuses that text), and an implementation of [`Mechanism`]. A mechanism acts at the
//! start of the phases it names, reading and changing only the world's state and the
//! levers; it never reads another mechanism's switch or parameters.
//!
//! Adding a mechanism: write `src/mechanisms/<key>.rs` like the others and add one line to
//! the `registry!` call below.

use crate::engine::{Ctx, Phase};
use crate::scenario::{Problem, Scenario};

/// A linkage mechanism.
pub trait Mechanism: Send {
    /// Phases in which it acts (at the start of each, before the core rule).
    fn phases(&self) -> &'static [Phase];
    /// Sets up after the world is built (recruit volunteers, add ties, ...).
    fn init(&mut self, _ctx: &mut Ctx<'_>) {}
    /// Acts at the start of `phase`.
    fn act(&mut self, phase: Phase, ctx: &mut Ctx<'_>);
}

/// What every mechanism's parameter section provides (besides its `enabled` field, which
/// the registry reads).
pub trait MechanismParams {
    /// Problems with parameters the mechanism cannot use (checked only when enabled).
    fn problems(&self, _s: &Scenario, _path: &str) -> Vec<Problem> {
        Vec::new()
    }
    /// The mechanism, ready to act.
    fn build(&self) -> Box<dyn Mechanism>;
}

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
    ($($key:ident => $params:ident;)*) => {
        $(pub mod $key;)*

        crate::section! {
            /// `[mechanisms]`: every mechanism's parameters, each with an `enabled` switch.
            pub struct Mechanisms {
                $(
                    #[doc = concat!("`", stringify!($key), "` (see its module).")]
                    pub $key: $key::$params = $key::$params::default(), "", Any;
                )*
            }
        }

        /// Keys of all mechanisms, in registry order.
        pub const KEYS: &[&str] = &[$(stringify!($key)),*];

        /// The enabled mechanisms with their registry index.
        pub fn build(cfg: &Mechanisms) -> Vec<(usize, Box<dyn Mechanism>)> {
            let mut out = Vec::new();
            let mut _index = 0usize;
            $(
                if cfg.$key.enabled {
                    out.push((_index, cfg.$key.build()));
                }
                _index += 1;
            )*
            out
        }

        /// Every mechanism's rule, from its module doc comment.
        pub fn rules() -> Vec<RuleDoc> {
            vec![$(RuleDoc {
                key: stringify!($key),
                rule: module_doc(include_str!(concat!(stringify!($key), ".rs"))),
                phases: $key::$params::default().build().phases(),
            }),*]
        }

        impl Mechanisms {
            /// Problems of enabled mechanisms' parameters.
            pub fn problems(&self, s: &Scenario) -> Vec<Problem> {
                let mut out = Vec::new();
                $(
                    if self.$key.enabled {
                        out.extend(self.$key.problems(s, concat!("mechanisms.", stringify!($key))));
                    }
                )*
                out
            }

            /// The same configuration with every mechanism switched on or off.
            pub fn all(on: bool) -> Mechanisms {
                let mut m = Mechanisms::default();
                $(m.$key.enabled = on;)*
                m
            }
        }
    };
}

registry! {
    party_masses => PartyMasses;
    grid => Grid;
    platforms => Platforms;
    three_society => ThreeSociety;
    government_society => GovernmentSociety;
    family_community => FamilyCommunity;
    government_enterprise => GovernmentEnterprise;
    online => Online;
    deliberation => Deliberation;
    service_complex => ServiceComplex;
}

/// A period parameter that must be at least one day when the mechanism is on.
pub(crate) fn check_period(path: &str, days: u32) -> Vec<Problem> {
    if days == 0 {
        vec![Problem { others: Vec::new(), path: path.to_string(), message: "a period of 0 days cannot be used while the mechanism is enabled; allowed: at least 1".into() }]
    } else {
        Vec::new()
    }
}
