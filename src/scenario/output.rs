//! `[output]`: optional records below the district, for analyses the daily metrics cannot
//! serve (event histories of issues, panel models of residents). They do not change the
//! run: the panel's sample comes from its own seeded stream.

use crate::scenario::limits::{RESIDENTS, TICKS};
use crate::section;

section! {
    /// `[output]`: which optional record files a run writes.
    pub struct Output {
        /// Write `issues.csv`: one row per issue closed after the warm-up or open at the end,
        /// with its domain, place, severity, complexity and the tick of each stage change.
        pub issues: bool = false, "", Any;
        /// Write `panel.csv`: the state of a fixed random sample of residents every few days,
        /// e.g. `panel = { sample = 500, every = 7 }`.
        pub panel: Option<Panel> = None, "", Any;
    }
}

section! {
    /// `[output] panel`: the resident panel.
    pub struct Panel {
        /// Residents in the sample, drawn once per run (without replacement).
        pub sample: u32 = 100, "count", Range(1.0, RESIDENTS);
        /// Days between observations: days 0, every, 2 × every, ... after the warm-up.
        pub every: u32 = 7, "days", Range(1.0, TICKS);
    }
}

impl Output {
    /// Whether a run keeps a record: the records follow the run from its first day, the
    /// warm-up's included, so such a run cannot go on from a copy made during its warm-up.
    pub fn keeps_records(&self) -> bool {
        self.issues || self.panel.is_some()
    }
}
