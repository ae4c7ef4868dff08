//! The command-line interface: one module per subcommand, each with its clap `Args` and a
//! `run` function. `main.rs` only dispatches and maps errors to exit codes.

pub mod calibrate;
pub mod check;
pub mod completions;
pub mod experiment;
pub mod merge;
pub mod odd;
pub mod plot;
pub mod run;
pub mod screen;
pub mod serve;
pub mod validate;
pub mod verify;

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar with an ETA on stderr, hidden when stderr is not a terminal.
pub fn progress_bar(len: u64, unit: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        let template =
            format!("{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {unit} (ETA {{eta}})");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

/// Seconds between progress lines when stderr is not a terminal (unless the environment
/// variable `COGOV_PROGRESS_SECONDS` says otherwise).
pub const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// The interval between progress lines: `COGOV_PROGRESS_SECONDS` (0: every update), else
/// [`PROGRESS_EVERY`].
pub fn progress_every() -> Duration {
    std::env::var("COGOV_PROGRESS_SECONDS")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(PROGRESS_EVERY, Duration::from_secs_f64)
}

/// Progress of long work on stderr: a bar on a terminal; otherwise (a batch job's log) a
/// line such as `runs 40/120, 33%, 31 s elapsed, eta 39 s` once the work has run for
/// [`progress_every`], then at that interval, and a last line at the end (work shorter than
/// the interval prints nothing). Safe to update from worker threads.
pub struct Progress {
    bar: Option<ProgressBar>,
    unit: String,
    every: Duration,
    state: Mutex<LineState>,
}

struct LineState {
    start: Instant,
    last: Instant,
    printed: bool,
    done: u64,
    total: u64,
    finished: bool,
}

impl Progress {
    /// Progress over `total` units named `unit` (the total may be set later).
    pub fn new(total: u64, unit: &str) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        Progress {
            bar: terminal.then(|| progress_bar(total, unit)),
            unit: unit.to_string(),
            every: progress_every(),
            state: Mutex::new(LineState {
                start: Instant::now(),
                last: Instant::now(),
                printed: false,
                done: 0,
                total,
                finished: false,
            }),
        }
    }

    /// Sets the total (units of the whole job).
    pub fn set_total(&self, total: u64) {
        if let Some(b) = &self.bar {
            b.set_length(total);
        }
        if let Ok(mut s) = self.state.lock() {
            s.total = total;
        }
    }

    /// Reports `done` units finished.
    pub fn set(&self, done: u64) {
        if let Some(b) = &self.bar {
            b.set_position(done);
            return;
        }
        let Ok(mut s) = self.state.lock() else {
            return;
        };
        s.done = s.done.max(done);
        let now = Instant::now();
        if now.duration_since(s.last) >= self.every {
            s.last = now;
            s.printed = true;
            eprintln!("{}", line(&self.unit, &s, now));
        }
    }

    /// Ends the progress: clears the bar, or prints the final line.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
            return;
        }
        if let Ok(mut s) = self.state.lock()
            && !s.finished
            && s.printed
        {
            s.finished = true;
            eprintln!("{}", line(&self.unit, &s, Instant::now()));
        }
    }
}

fn line(unit: &str, s: &LineState, now: Instant) -> String {
    let elapsed = now.duration_since(s.start).as_secs_f64();
    let pct = if s.total > 0 {
        100.0 * s.done as f64 / s.total as f64
    } else {
        0.0
    };
    let eta = if s.done > 0 && s.done < s.total {
        format!(
            ", eta {:.0} s",
            elapsed / s.done as f64 * (s.total - s.done) as f64
        )
    } else {
        String::new()
    };
    format!(
        "{unit} {}/{}, {pct:.0}%, {elapsed:.0} s elapsed{eta}",
        s.done, s.total
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines_say_done_total_percent_and_eta() {
        let start = Instant::now();
        let s = LineState {
            start,
            last: start,
            printed: true,
            done: 40,
            total: 120,
            finished: false,
        };
        let l = line("runs", &s, start + Duration::from_secs(20));
        assert_eq!(l, "runs 40/120, 33%, 20 s elapsed, eta 40 s");
    }
}
