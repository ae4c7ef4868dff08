//! Feeds arbitrary bytes to the scenario parser and validator: it must return Ok or an
//! input error, never panic. A valid scenario must also survive the resolved round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = cogov::scenario::Scenario::from_toml(text, "fuzz.toml") {
        let again = cogov::scenario::Scenario::from_toml(&s.to_toml(), "resolved.toml");
        assert!(again.is_ok(), "resolved scenario does not load again: {again:?}");
        let _ = cogov::world::build::estimate_bytes(&s);
    }
});
