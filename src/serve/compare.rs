//! The live paired comparison: for each recorded day, each arm's mean over its replicates
//! with a Student-t 95% interval, and the mean paired difference (explored − reference,
//! replicate by replicate: the arms share seeds) with its interval, from `crate::stats`.

use crate::metrics::{N_METRICS, Row};
use crate::snapshot::N_PLACE_METRICS;
use crate::stats;

/// Numbers per metric in a day's summary: explored mean, low, high; reference mean, low,
/// high; difference mean, low, high. A missing number (no interval with one replicate, no
/// reference arm) is NaN, sent as `null`.
pub const PER_METRIC: usize = 9;

/// Numbers per place metric in a community's daily summary: explored mean, low, high;
/// reference mean, low, high.
pub const PER_PLACE_METRIC: usize = 6;

fn push_summary(out: &mut Vec<f32>, x: &[f64]) {
    let s = stats::summarize(x);
    out.push(s.mean as f32);
    out.push(s.ci95_low.unwrap_or(f64::NAN) as f32);
    out.push(s.ci95_high.unwrap_or(f64::NAN) as f32);
}

/// One day's summary of every metric: `explored` and `reference` hold the replicates' rows
/// in replicate order (`reference` empty when there is no reference arm).
pub fn day(explored: &[&Row], reference: &[&Row]) -> Vec<f32> {
    let mut out = Vec::with_capacity(N_METRICS * PER_METRIC);
    let paired = !reference.is_empty() && reference.len() == explored.len();
    let mut x = vec![0.0; explored.len()];
    let mut y = vec![0.0; reference.len()];
    for m in 0..N_METRICS {
        for (v, row) in x.iter_mut().zip(explored) {
            *v = row[m];
        }
        push_summary(&mut out, &x);
        if paired {
            for (v, row) in y.iter_mut().zip(reference) {
                *v = row[m];
            }
            push_summary(&mut out, &y);
            let c = stats::paired_contrast(&x, &y);
            out.push(c.mean_diff as f32);
            out.push(c.ci95_low.unwrap_or(f64::NAN) as f32);
            out.push(c.ci95_high.unwrap_or(f64::NAN) as f32);
        } else {
            out.extend([f32::NAN; 6]);
        }
    }
    out
}

/// One day's summary of every community and place metric, from each world's community
/// values (`explored[r][c][k]`), laid out community by community.
pub fn communities(
    explored: &[&[[f64; N_PLACE_METRICS]]],
    reference: &[&[[f64; N_PLACE_METRICS]]],
) -> Vec<f32> {
    let nc = explored.first().map_or(0, |w| w.len());
    let mut out = Vec::with_capacity(nc * N_PLACE_METRICS * PER_PLACE_METRIC);
    let mut x = vec![0.0; explored.len()];
    let mut y = vec![0.0; reference.len()];
    for c in 0..nc {
        for k in 0..N_PLACE_METRICS {
            for (v, w) in x.iter_mut().zip(explored) {
                *v = w[c][k];
            }
            push_summary(&mut out, &x);
            if reference.is_empty() {
                out.extend([f32::NAN; 3]);
            } else {
                for (v, w) in y.iter_mut().zip(reference) {
                    *v = w[c][k];
                }
                push_summary(&mut out, &y);
            }
        }
    }
    out
}

/// The mean over worlds of per-place rows (`worlds[r][place][k]`).
pub fn place_means(worlds: &[&[[f64; N_PLACE_METRICS]]]) -> Vec<[f32; N_PLACE_METRICS]> {
    let n = worlds.first().map_or(0, |w| w.len());
    (0..n)
        .map(|p| {
            let mut row = [0.0f32; N_PLACE_METRICS];
            for (k, v) in row.iter_mut().enumerate() {
                let sum: f64 = worlds.iter().map(|w| w[p][k]).sum();
                *v = (sum / worlds.len().max(1) as f64) as f32;
            }
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_summary_holds_means_intervals_and_paired_differences() {
        let mut rows_x = [[0.0; N_METRICS]; 3];
        let mut rows_y = [[0.0; N_METRICS]; 3];
        for r in 0..3 {
            rows_x[r][0] = [1.0, 2.0, 4.0][r];
            rows_y[r][0] = [0.5, 1.5, 3.0][r];
        }
        let x: Vec<&Row> = rows_x.iter().collect();
        let y: Vec<&Row> = rows_y.iter().collect();
        let d = day(&x, &y);
        assert_eq!(d.len(), N_METRICS * PER_METRIC);
        assert!((d[0] - 7.0 / 3.0).abs() < 1e-6);
        assert!(d[1] < d[0] && d[0] < d[2]);
        let c = stats::paired_contrast(&[1.0, 2.0, 4.0], &[0.5, 1.5, 3.0]);
        assert!((d[6] as f64 - c.mean_diff).abs() < 1e-6);
        assert!((d[7] as f64 - c.ci95_low.unwrap()).abs() < 1e-5);
        // A metric constant across replicates has a zero-width interval.
        assert_eq!(d[PER_METRIC], 0.0);
        // Without a reference the reference and difference are missing.
        let alone = day(&x, &[]);
        assert!(alone[3].is_nan() && alone[6].is_nan() && !alone[0].is_nan());
        // One replicate: a mean and no interval.
        let one = day(&x[..1], &y[..1]);
        assert_eq!(one[0], 1.0);
        assert!(one[1].is_nan() && one[7].is_nan());
    }

    #[test]
    fn community_summaries_and_place_means() {
        let a = vec![[1.0; N_PLACE_METRICS], [3.0; N_PLACE_METRICS]];
        let b = vec![[3.0; N_PLACE_METRICS], [5.0; N_PLACE_METRICS]];
        let worlds: Vec<&[[f64; N_PLACE_METRICS]]> = vec![&a, &b];
        let s = communities(&worlds, &worlds);
        assert_eq!(s.len(), 2 * N_PLACE_METRICS * PER_PLACE_METRIC);
        assert_eq!(s[0], 2.0);
        assert_eq!(s[N_PLACE_METRICS * PER_PLACE_METRIC], 4.0);
        let m = place_means(&worlds);
        assert_eq!(m[1][0], 4.0);
    }
}
