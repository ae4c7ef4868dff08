//! Mechanisms are independent processes (MODEL.md §10, rule 1): no mechanism reads another
//! mechanism's switch or parameters, writes a tally or a metric, or creates money. A
//! mechanism sees the scenario through its context, so these tests read every mechanism's
//! source (its own code, not its unit tests) and fail when it reaches past the world.

use cogov::scenario::mechanisms::KEYS;

/// Each mechanism's own code (its unit tests may set up scenarios freely).
fn sources() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/mechanisms");
    KEYS.iter()
        .map(|key| {
            let path = format!("{dir}/{key}.rs");
            let file = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let src = file
                .split("#[cfg(test)]")
                .next()
                .unwrap_or_default()
                .to_string();
            (path, src)
        })
        .collect()
}

#[test]
fn no_mechanism_reads_another() {
    for ((path, src), key) in sources().iter().zip(KEYS) {
        assert!(
            !src.contains("scenario.mechanisms") && !src.contains(".mechanisms."),
            "{path} reads the scenario's mechanism switches"
        );
        for other in KEYS.iter().filter(|o| *o != key) {
            for pattern in [
                format!("mechanisms::{other}"),
                format!("mechanisms.{other}"),
                format!("{other}::"),
            ] {
                assert!(
                    !src.contains(&pattern),
                    "{path} refers to another mechanism: `{pattern}`"
                );
            }
        }
    }
}

/// Outcomes emerge: a mechanism may report events through the record's methods (a
/// detection, a forum, a proposal), but never touch a tally or a metric.
#[test]
fn no_mechanism_writes_a_tally_or_a_metric() {
    for (path, src) in sources() {
        for pattern in ["tally", "metrics::", "cumulative", "Observer"] {
            assert!(
                !src.contains(pattern),
                "{path} reaches an outcome: `{pattern}`"
            );
        }
    }
}

/// No mechanism creates money: money enters a pool from outside only for the foundations'
/// endowment, a parameter of government–society linkage; everything else moves between
/// pools or from agents' own resources.
#[test]
fn no_mechanism_creates_money() {
    for (path, src) in sources() {
        for (k, _) in src.match_indices("ledger.receive(") {
            let call = &src[k..src[k..].find(';').map_or(src.len(), |e| k + e)];
            assert!(
                call.contains("Outside::Endowment"),
                "{path} brings money in from outside: `{call}`"
            );
        }
        assert!(
            !src.contains("agent_receive("),
            "{path} pays an agent from outside"
        );
    }
}

#[test]
fn every_registered_mechanism_has_its_file_and_rule() {
    let rules = cogov::mechanisms::rules();
    assert_eq!(rules.len(), KEYS.len());
    for r in rules {
        assert!(
            r.rule.starts_with("# "),
            "{}: the module doc opens with a title",
            r.key
        );
        assert!(
            r.rule.len() > 300,
            "{}: the module doc states the rule",
            r.key
        );
    }
}
