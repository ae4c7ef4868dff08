//! `[linkage] ties` and `action` remove exactly the two ingredients issue 14 names: the
//! bridging and linking ties mechanisms form (when the reform starts and every day after),
//! and the mobilisation pressure they add beyond residents' own thresholds. Each check also
//! runs with the ingredient on, so that it can fail.

use std::sync::Arc;

use super::{Engine, SCHEDULE};
use crate::network::{Edge, TieKind};
use crate::observer::Observer;
use crate::scenario::{Mechanisms, Scenario};

const WARMUP: u32 = 5;

fn engine(ties: bool, action: bool) -> Engine {
    let mut s = Scenario::default();
    s.world.residents = 3000;
    s.world.streets = 1;
    s.world.communities = 2;
    s.world.grids = 6;
    s.world.organisations = 4;
    s.world.service_complexes = 1;
    s.init.warmup = WARMUP;
    s.mechanisms = Mechanisms::all(true);
    s.linkage.ties = ties;
    s.linkage.action = action;
    crate::mechanisms::engine(Arc::new(s), 11)
}

/// Bridging and linking ties among `ties`.
fn linkage_ties(ties: &[Edge]) -> usize {
    ties.iter().filter(|t| t.kind != TieKind::Bonding).count()
}

/// Bridging and linking ties in the network.
fn network_linkage_ties(e: &Engine) -> usize {
    e.world
        .network
        .kinds()
        .iter()
        .filter(|&&k| k != TieKind::Bonding)
        .count()
}

/// Bridging and linking ties the reform's start adds to the network (other queued ties
/// set aside).
fn ties_at_start(ties: bool) -> usize {
    let mut e = engine(ties, true);
    let mut obs = Observer::new(1, WARMUP);
    while e.world.tick < WARMUP {
        e.step(&mut obs);
    }
    e.world.new_ties.clear();
    let before = network_linkage_ties(&e);
    e.start_mechanisms();
    network_linkage_ties(&e) - before
}

/// Over 40 recorded days, the bridging and linking ties the mechanisms queue and the
/// largest mobilisation pressure they leave, when they act once more in every phase after
/// each day.
fn daily(ties: bool, action: bool) -> (usize, f32) {
    let mut e = engine(ties, action);
    let mut obs = Observer::new(1, WARMUP);
    let (mut added, mut pressure) = (0, 0.0f32);
    for _ in 0..WARMUP + 40 {
        e.step(&mut obs);
        if e.world.tick <= WARMUP {
            continue;
        }
        for &(phase, _) in SCHEDULE {
            let before = e.world.new_ties.len();
            e.mechanisms_act(phase);
            added += linkage_ties(&e.world.new_ties[before..]);
            let c = &e.world.contacts;
            let most = c.mobilisation.iter().copied().fold(0.0f32, f32::max);
            pressure = pressure.max(most).max(c.online_call).max(c.party_duty);
        }
    }
    (added, pressure)
}

#[test]
fn ties_off_removes_the_bridging_and_linking_ties_mechanisms_form() {
    assert!(ties_at_start(true) > 0, "the reform's start forms ties");
    assert_eq!(ties_at_start(false), 0);
    let (on, _) = daily(true, true);
    let (off, pressure) = daily(false, true);
    assert!(on > 0, "mechanisms form ties day by day");
    assert_eq!(off, 0);
    assert!(pressure > 0.0, "ties off leaves mobilisation alone");
}

#[test]
fn action_off_removes_the_mobilisation_mechanisms_add() {
    let (ties, on) = daily(true, true);
    let (ties_off_action, off) = daily(true, false);
    assert!(on > 0.0, "mechanisms mobilise residents");
    assert_eq!(off, 0.0);
    assert!(
        ties > 0 && ties_off_action > 0,
        "action off leaves ties alone"
    );
}
