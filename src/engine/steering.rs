//! Steering: a scenario's `[[change]]` entries applied at the start of their recorded day,
//! before the tick's first phase.
//!
//! A change replaces the engine's scenario; what the engine derived from the old one is
//! derived again (the domains). Mechanisms whose section is unchanged keep
//! their state. One switched on sets up as at the reform's start; one whose parameters
//! changed while running is rebuilt and sets up again (a relaunch: `grid` tops its
//! volunteers up to the new number, `party_masses` mobilises its members again); one
//! switched off stops acting, and what it built in the world (roles, ties) stays. Before
//! the reform starts (the warm-up and day 0) no mechanism has set up yet, so a change only
//! decides which mechanisms the reform starts with.

use std::sync::Arc;

use super::{DomainSpec, Engine, Mechanism, residents};
use crate::rng::{self, Purpose};
use crate::scenario::Scenario;
use crate::scenario::change::Change;
use crate::scenario::mechanisms::KEYS;
use crate::world::places::Scope;

/// Applies the changes due at the start of the engine's current tick, if any.
pub(super) fn apply_due(e: &mut Engine) {
    let s = &e.scenario;
    if s.change.is_empty() {
        return;
    }
    let Some(day) = e.world.tick.checked_sub(s.init.warmup) else {
        return;
    };
    let mut due = s.change.iter().filter(|c| c.day == day).peekable();
    if due.peek().is_none() {
        return;
    }
    let mut next = (**s).clone();
    for c in due {
        // Loading validated every state the changes lead to: failing here is a bug.
        next = next
            .with_change(&c.set)
            .unwrap_or_else(|err| panic!("a validated change of day {day} did not apply: {err}"));
    }
    replace_scenario(e, Arc::new(next));
}

/// Replaces the changes still to come, as a live session does when the user steers: the
/// engine keeps its current settings, and from its current tick on applies the changes of
/// `changes` that fall due (those of earlier days are not applied again).
pub fn schedule(e: &mut Engine, changes: Vec<Change>) {
    let mut s = (*e.scenario).clone();
    s.change = changes;
    e.scenario = Arc::new(s);
}

/// The domains of a scenario as the phases use them, in index order.
pub fn domain_specs(s: &Scenario) -> Vec<DomainSpec> {
    s.domains
        .iter()
        .map(|(name, d)| DomainSpec {
            name: name.clone(),
            params: d.clone(),
            scope: Scope::from_name(&d.scope),
        })
        .collect()
}

/// Makes `next` the engine's scenario from now on (see the module docs). `next` must have
/// the same world as the current one.
pub fn replace_scenario(e: &mut Engine, next: Arc<Scenario>) {
    let old = std::mem::replace(&mut e.scenario, next);
    e.domains = domain_specs(&e.scenario);

    let section = |s: &Scenario| toml::Table::try_from(&s.mechanisms).unwrap_or_default();
    let (before, after) = (section(&old), section(&e.scenario));
    let started = e.world.tick > e.scenario.init.warmup;
    let mut running: Vec<Option<Box<dyn Mechanism>>> = (0..KEYS.len()).map(|_| None).collect();
    for (index, m) in std::mem::take(&mut e.mechanisms) {
        running[index] = Some(m);
    }
    let mut set_up = Vec::new();
    for (index, fresh) in (e.build)(&e.scenario.mechanisms) {
        let key = KEYS[index];
        match running[index].take() {
            Some(kept) if before.get(key) == after.get(key) => e.mechanisms.push((index, kept)),
            _ => {
                e.mechanisms.push((index, fresh));
                set_up.push(e.mechanisms.len() - 1);
            }
        }
    }
    if !started || set_up.is_empty() {
        return;
    }
    let mut mechs = std::mem::take(&mut e.mechanisms);
    let tick = e.world.tick as u64;
    for k in set_up {
        let (index, m) = &mut mechs[k];
        let mut rng = rng::stream(e.seed, Purpose::Steering, tick, *index as u64);
        m.init(&mut e.ctx(&mut rng));
    }
    e.mechanisms = mechs;
    e.world.add_new_ties();
    residents::refresh_stats(e);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::observer::Observer;

    fn small(ticks: u32, changes: Vec<Change>) -> Arc<Scenario> {
        let mut s = Scenario {
            ticks,
            change: changes,
            ..crate::engine::testkit::small_world(2_000)
        };
        s.init.warmup = 5;
        assert!(s.problems().is_empty(), "{:?}", s.problems());
        Arc::new(s)
    }

    fn set(pairs: &[(&str, toml::Value)]) -> BTreeMap<String, toml::Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn run(s: Arc<Scenario>) -> (Engine, Observer) {
        let mut e = crate::mechanisms::engine(s.clone(), 11);
        let mut o = Observer::new(1, s.init.warmup);
        for _ in 0..s.ticks + s.init.warmup {
            e.step(&mut o);
        }
        (e, o)
    }

    #[test]
    fn a_change_switches_a_mechanism_on_from_its_day() {
        let on = set(&[("mechanisms.grid.enabled", toml::Value::Boolean(true))]);
        let steered = small(
            20,
            vec![Change {
                day: 8,
                note: String::new(),
                set: on,
            }],
        );
        let (e, o) = run(steered);
        let (_, plain) = run(small(20, Vec::new()));
        assert!(e.scenario.mechanisms.grid.enabled);
        assert_eq!(e.mechanisms.len(), 1);
        // Identical before the change, different after it.
        assert_eq!(o.rows[..8], plain.rows[..8]);
        assert_ne!(o.rows[8..], plain.rows[8..]);
    }

    #[test]
    fn unchanged_mechanisms_keep_their_state_and_changed_ones_are_rebuilt() {
        let mut s = (*small(20, Vec::new())).clone();
        s.mechanisms.grid.enabled = true;
        s.mechanisms.online.enabled = true;
        s.change = vec![Change {
            day: 3,
            note: String::new(),
            set: set(&[(
                "mechanisms.grid.volunteers_per_grid",
                toml::Value::Integer(12),
            )]),
        }];
        let s = Arc::new(s);
        let mut e = crate::mechanisms::engine(s.clone(), 3);
        let mut o = Observer::new(1, s.init.warmup);
        for _ in 0..s.init.warmup + 3 {
            e.step(&mut o);
        }
        let volunteers = |e: &Engine| {
            e.world
                .residents
                .roles
                .iter()
                .filter(|&&r| r & crate::world::residents::role::GRID_VOLUNTEER != 0)
                .count()
        };
        let before = volunteers(&e);
        assert!(before > 0 && before <= 8 * 6);
        e.step(&mut o);
        // The relaunch tops volunteers up to 12 per grid rather than recruiting 12 more.
        let after = volunteers(&e);
        assert!(after > before && after <= 12 * 6, "{before} -> {after}");
        assert_eq!(e.mechanisms.len(), 2);
    }

    #[test]
    fn changes_before_the_reform_only_choose_what_it_starts_with() {
        let on = set(&[("mechanisms.grid.enabled", toml::Value::Boolean(true))]);
        let steered = small(
            10,
            vec![Change {
                day: 0,
                note: String::new(),
                set: on,
            }],
        );
        let mut from_start = (*small(10, Vec::new())).clone();
        from_start.mechanisms.grid.enabled = true;
        let (_, a) = run(steered);
        let (_, b) = run(Arc::new(from_start));
        assert_eq!(a.rows, b.rows);
    }
}
