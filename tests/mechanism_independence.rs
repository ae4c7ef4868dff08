//! Mechanisms are independent: no mechanism reads another mechanism's switch or
//! parameters. A mechanism sees the scenario through its context, so this test reads every
//! mechanism's source and fails if it reaches into `scenario.mechanisms` or names another
//! mechanism's module. (Interactions must emerge through the world's state and levers.)

use cogov::mechanisms::KEYS;

#[test]
fn no_mechanism_reads_another() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/mechanisms");
    for key in KEYS {
        let path = format!("{dir}/{key}.rs");
        let file = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        // The mechanism's own code: its unit tests may set up scenarios freely.
        let src = file.split("#[cfg(test)]").next().unwrap_or_default();
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
            r.rule.len() > 200,
            "{}: the module doc states the rule",
            r.key
        );
        assert!(
            !r.phases.is_empty(),
            "{}: acts in at least one phase",
            r.key
        );
    }
}
