//! A stable-toolchain complement to `fuzz/`: the scenario files in `scenarios/` and
//! `tests/bad_inputs/`, mutated at random (cut, duplicated, or spliced with TOML-ish
//! fragments), never make `Scenario::from_toml` panic, and any scenario it accepts loads
//! again from its resolved TOML. Seeded: the same inputs every run.

use cogov::scenario::Scenario;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const FRAGMENTS: &[&str] = &[
    "\n[world]\n",
    "\n[[policy]]\nname = \"p\"\n",
    "nan",
    "inf",
    "-inf",
    "0",
    "-1",
    "4294967296",
    "1e308",
    "\"",
    "[",
    "]",
    "{",
    "}",
    "=",
    ".",
    ",",
    "\n",
    "\"beta(0, 0)\"",
    "\"uniform(1, 0)\"",
    "\"normal(0.5, -1)\"",
    "departments = 0",
    "communities = 0",
    "residents = 1",
    "ticks = 0",
    "steps = 0",
    "steps = 4000000000",
    "replicates = 0",
    "\n[sweep]\n\"world.party_share\" = [",
    "\n[domains.x]\n",
    "\n[[projects]]\n",
    "\n[[shocks]]\n",
    "\n[mechanisms.grid]\nenabled = true\n",
    "period = 0",
    "é",
    "\u{0}",
];

fn seeds() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["scenarios", "tests/bad_inputs"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        out.extend(files.iter().map(|p| std::fs::read_to_string(p).unwrap()));
    }
    out
}

#[derive(Debug, Clone)]
enum Edit {
    Cut(usize, usize),
    Insert(usize, usize),
    Duplicate(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(a, n)| Edit::Cut(a, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, f)| Edit::Insert(a, f)),
        (any::<usize>(), 0usize..80).prop_map(|(a, n)| Edit::Duplicate(a, n)),
    ];
    proptest::collection::vec(edit, 1..6)
}

fn boundary(s: &str, at: usize) -> usize {
    let mut i = at % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut s = text.to_string();
    for e in edits {
        match *e {
            Edit::Cut(a, n) => {
                let a = boundary(&s, a);
                let b = boundary(&s, (a + n).min(s.len()));
                s.replace_range(a..b.max(a), "");
            }
            Edit::Insert(a, f) => {
                let a = boundary(&s, a);
                s.insert_str(a, FRAGMENTS[f % FRAGMENTS.len()]);
            }
            Edit::Duplicate(a, n) => {
                let a = boundary(&s, a);
                let b = boundary(&s, (a + n).min(s.len())).max(a);
                let piece = s[a..b].to_string();
                s.insert_str(b, &piece);
            }
        }
    }
    s
}

#[test]
fn mutated_scenarios_never_panic_the_parser() {
    let seeds = seeds();
    let config = Config {
        cases: 1500,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    runner
        .run(&(any::<usize>(), edits()), |(k, e)| {
            let text = apply(&seeds[k % seeds.len()], &e);
            if let Ok(s) = Scenario::from_toml(&text, "mutated.toml") {
                let again = Scenario::from_toml(&s.to_toml(), "resolved.toml");
                prop_assert!(again.is_ok(), "{text}\n---\n{again:?}");
            }
            Ok(())
        })
        .unwrap();
}
