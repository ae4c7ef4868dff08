//! Every parameter acts (MODEL.md §10, rule 5): `cogov screen` perturbs each numeric
//! parameter of the all-on small world in `scenarios/screen.toml` (same seed) and fails
//! when one leaves every output unchanged and is not on the allow-list
//! (`sensitivity::inert::ALLOWED`, each entry with its reason).

mod common;

use common::cogov;

#[test]
fn every_parameter_of_the_all_on_world_acts() {
    let out = cogov(&["screen", "scenarios/screen.toml", "-j", "2"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or_default();
    assert!(
        out.status.success() && last.ends_with(", 0 inert and not allowed"),
        "{last}\n{}\n{}",
        text.lines()
            .filter(|l| l.ends_with("INERT"))
            .collect::<Vec<_>>()
            .join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    // The screen covers the model: a few hundred parameters, nearly all of them acting.
    let screened: usize = last.split_whitespace().next().unwrap().parse().unwrap();
    assert!(screened > 200, "{last}");
}
