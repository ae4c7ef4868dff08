//! Property tests: random valid scenarios within the parameter bounds (a handful of key
//! parameters and random mechanism switches, on worlds of a few hundred to ~2,000
//! residents) run 30 ticks without a panic and keep the engine's invariants after every
//! tick ([`Engine::check_invariants`](cogov::engine::Engine::check_invariants): [0, 1]
//! states, the ledger identity, issue counts, network symmetry). Seeded deterministically: the same cases every run.

use std::sync::Arc;

use cogov::observer::Observer;
use cogov::scenario::Scenario;
use cogov::scenario::mechanisms::KEYS;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

#[derive(Debug, Clone)]
struct Draw {
    residents: u32,
    communities: u32,
    party_share: f64,
    online_share: f64,
    building_degree: f64,
    rate_scale: f64,
    district_budget: f64,
    switches: Vec<bool>,
    seed: u64,
}

fn draws() -> impl Strategy<Value = Draw> {
    (
        300u32..2000,
        2u32..6,
        0.0..=1.0f64,
        0.0..=1.0f64,
        0.0..=20.0f64,
        1.0..=40.0f64,
        prop_oneof![Just(0.0), 1.0..1e5f64],
        proptest::collection::vec(any::<bool>(), KEYS.len()),
        any::<u64>(),
    )
        .prop_map(
            |(
                residents,
                communities,
                party_share,
                online_share,
                building_degree,
                rate_scale,
                district_budget,
                switches,
                seed,
            )| Draw {
                residents,
                communities,
                party_share,
                online_share,
                building_degree,
                rate_scale,
                district_budget,
                switches,
                seed,
            },
        )
}

fn scenario(d: &Draw) -> Scenario {
    let mut text = format!(
        "ticks = 30\n[world]\nresidents = {}\nstreets = 2\ncommunities = {}\ngrids = {}\n\
         departments = 6\ndepartment_staff = 10\nservice_complexes = 1\nsocial_workers = 4\n\
         organisations = 6\nproperty_companies = 2\nbusinesses = 6\nparty_share = {:?}\n\
         online_share = {:?}\n[network]\nbuilding_degree = {:?}\n[government]\n\
         district_budget_per_resident = {:?}\n",
        d.residents,
        d.communities,
        2 * d.communities,
        d.party_share,
        d.online_share,
        d.building_degree,
        d.district_budget,
    );
    for (name, dom) in cogov::scenario::default_domains() {
        text += &format!("[domains.{name}]\nrate = {:?}\n", dom.rate * d.rate_scale);
    }
    for (key, on) in KEYS.iter().zip(&d.switches) {
        text += &format!("[mechanisms.{key}]\nenabled = {on}\n");
    }
    Scenario::from_toml(&text, "proptest.toml").unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn random_valid_scenarios_keep_the_invariants() {
    let config = Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let spent = std::cell::Cell::new(0.0);
    let issues = std::cell::Cell::new(0u64);
    runner
        .run(&draws(), |d| {
            let s = Arc::new(scenario(&d));
            let mut engine = cogov::mechanisms::engine(s.clone(), d.seed);
            engine
                .check_invariants()
                .map_err(|e| TestCaseError::fail(format!("after build: {e}")))?;
            let mut observer = Observer::new(1, s.init.warmup);
            for t in 0..s.ticks {
                engine.step(&mut observer);
                engine
                    .check_invariants()
                    .map_err(|e| TestCaseError::fail(format!("after tick {t}: {e}")))?;
                spent.set(spent.get() + engine.world.ledger.flows().len() as f64);
            }
            issues.set(issues.get() + engine.record.cumulative.arisen as u64);
            Ok(())
        })
        .unwrap();
    // The cases exercise what the invariants speak about.
    assert!(spent.get() > 0.0, "no money moved in any case");
    assert!(issues.get() > 0, "no issue arose in any case");
}
