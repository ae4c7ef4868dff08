//! Intervals for the bands and whiskers of figures that respect a metric's range: a share
//! never gets a band outside [0, 1], a count never one below zero.
//!
//! The interval is the Student-t 95% CI of the mean across replicates where it lies inside
//! the metric's range. Where it would leave the range (skewed values near a bound, e.g. a
//! daily count that is mostly zero), the percentile-bootstrap 95% CI of the mean is used
//! instead (Efron & Tibshirani 1993, ch. 13): its ends are means of resampled values, so
//! they stay inside the range. Resamples come from a seeded stream named by the point, so a
//! figure is the same whatever the thread count.

use crate::rng::{self, Purpose};
use crate::stats::summarize;

/// Bootstrap resamples per interval.
pub const RESAMPLES: usize = 2000;

/// A mean with its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Mean of the finite values (NaN when none).
    pub mean: f64,
    /// Lower end (NaN when there is no interval: fewer than two values).
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Whether the bootstrap replaced the t interval here.
    pub bootstrap: bool,
}

/// The mean and 95% interval of `values` (non-finite ones left out) within `range`; `key`
/// names the point's resampling stream.
pub fn band(values: &[f64], range: (f64, f64), key: (u64, u64)) -> Band {
    let x: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let s = summarize(&x);
    let (Some(lo), Some(hi)) = (s.ci95_low, s.ci95_high) else {
        return Band {
            mean: s.mean,
            lo: f64::NAN,
            hi: f64::NAN,
            bootstrap: false,
        };
    };
    // A small tolerance: a t interval of values all at a bound ends at the bound, up to
    // rounding.
    let eps = 1e-12 * (1.0 + s.mean.abs());
    if lo >= range.0 - eps && hi <= range.1 + eps {
        return Band {
            mean: s.mean,
            lo: lo.max(range.0),
            hi: hi.min(range.1),
            bootstrap: false,
        };
    }
    let (lo, hi) = bootstrap_ci(&x, key);
    Band {
        mean: s.mean,
        lo,
        hi,
        bootstrap: true,
    }
}

/// Percentile-bootstrap 95% CI of the mean of `x` (at least two values).
pub fn bootstrap_ci(x: &[f64], key: (u64, u64)) -> (f64, f64) {
    let n = x.len();
    let mut rng = rng::stream(0x0F16_0BAD, Purpose::Figures, key.0, key.1);
    let mut means = Vec::with_capacity(RESAMPLES);
    for _ in 0..RESAMPLES {
        let mut sum = 0.0;
        for _ in 0..n {
            sum += x[rng::index(&mut rng, n)];
        }
        means.push(sum / n as f64);
    }
    means.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (RESAMPLES - 1) as f64 * p;
        let (a, b) = (h.floor() as usize, h.ceil() as usize);
        means[a] + (h - a as f64) * (means[b] - means[a])
    };
    (q(0.025), q(0.975))
}

/// The caption's sentence on intervals, for a figure whose bands were drawn with `bands`.
pub fn caption(range: (f64, f64), any_bootstrap: bool) -> String {
    let r = describe_range(range);
    if any_bootstrap {
        format!(
            "bands: Student-t 95% CI of the mean across replicates, and where that interval would leave the metric's range {r}, a percentile-bootstrap 95% CI ({RESAMPLES} resamples), which stays inside it"
        )
    } else {
        "bands: Student-t 95% CI of the mean across replicates".to_string()
    }
}

/// A range as the caption writes it: `[0, 1]`, `[0, ∞)`.
pub fn describe_range(r: (f64, f64)) -> String {
    let end = |x: f64| {
        if x.is_infinite() {
            if x > 0.0 {
                "∞".to_string()
            } else {
                "−∞".to_string()
            }
        } else {
            format!("{x}")
        }
    };
    format!(
        "{}{}, {}{}",
        if r.0.is_infinite() { "(" } else { "[" },
        end(r.0),
        end(r.1),
        if r.1.is_infinite() { ")" } else { "]" }
    )
}

/// The axis range for data spanning `lo..hi` padded by `frac`, kept inside `range`.
pub fn axis(lo: f64, hi: f64, frac: f64, range: (f64, f64)) -> std::ops::Range<f64> {
    let p = super::chart::padded(lo, hi, frac);
    let (a, b) = (p.start.max(range.0), p.end.min(range.1));
    if b > a { a..b } else { p }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_near_zero_gets_a_bootstrap_band_above_zero() {
        // Mostly zero: the t interval's lower end is below zero.
        let x = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0];
        let t = summarize(&x);
        assert!(t.ci95_low.unwrap() < 0.0);
        let b = band(&x, (0.0, f64::INFINITY), (1, 2));
        assert!(b.bootstrap && b.lo >= 0.0 && b.hi > b.lo, "{b:?}");
        assert_eq!(b, band(&x, (0.0, f64::INFINITY), (1, 2)), "seeded");
    }

    #[test]
    fn a_share_inside_its_range_keeps_the_t_interval() {
        let x = [0.4, 0.5, 0.45, 0.55];
        let b = band(&x, (0.0, 1.0), (0, 0));
        let t = summarize(&x);
        assert!(!b.bootstrap);
        assert_eq!((b.lo, b.hi), (t.ci95_low.unwrap(), t.ci95_high.unwrap()));
        let near_one = [1.0, 1.0, 1.0, 0.9];
        let b = band(&near_one, (0.0, 1.0), (0, 0));
        assert!(b.bootstrap && b.hi <= 1.0, "{b:?}");
        assert!(band(&[0.3], (0.0, 1.0), (0, 0)).lo.is_nan());
    }

    #[test]
    fn axes_stay_in_range() {
        assert_eq!(axis(0.0, 10.0, 0.05, (0.0, f64::INFINITY)).start, 0.0);
        assert_eq!(axis(0.2, 1.0, 0.05, (0.0, 1.0)).end, 1.0);
        assert_eq!(describe_range((0.0, f64::INFINITY)), "[0, ∞)");
    }
}
