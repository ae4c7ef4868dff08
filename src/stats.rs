//! Statistics shared by the observer, experiments, verification and figures.
//!
//! Confidence intervals use Student's t; paired contrasts use the differences of runs that
//! share a replicate seed (common random numbers).

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Mean, standard deviation and 95% confidence interval of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Sample size.
    pub n: usize,
    /// Arithmetic mean (NaN for an empty sample).
    pub mean: f64,
    /// Sample standard deviation with n − 1 (None when n < 2).
    pub sd: Option<f64>,
    /// Lower end of the Student-t 95% interval for the mean (None when n < 2).
    pub ci95_low: Option<f64>,
    /// Upper end of the Student-t 95% interval for the mean (None when n < 2).
    pub ci95_high: Option<f64>,
}

/// The two-sided 95% Student-t critical value with `df` degrees of freedom.
pub fn t_critical_95(df: usize) -> f64 {
    // Live views summarise thousands of small samples a second: the usual sample sizes are
    // computed once (the same numbers).
    const CACHED: usize = 128;
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    if df < CACHED {
        return TABLE.get_or_init(|| (0..CACHED).map(t_quantile).collect())[df];
    }
    t_quantile(df)
}

fn t_quantile(df: usize) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(f64::NAN)
}

/// Arithmetic mean; NaN for an empty slice.
pub fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        f64::NAN
    } else {
        x.iter().sum::<f64>() / x.len() as f64
    }
}

/// Sample standard deviation (n − 1); None when fewer than two values.
pub fn sd(x: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let m = mean(x);
    let ss: f64 = x.iter().map(|v| (v - m) * (v - m)).sum();
    Some((ss / (x.len() - 1) as f64).sqrt())
}

/// Summarises a sample with a Student-t 95% interval.
pub fn summarize(x: &[f64]) -> Summary {
    let n = x.len();
    let m = mean(x);
    let s = sd(x);
    let half = s.map(|s| t_critical_95(n - 1) * s / (n as f64).sqrt());
    Summary {
        n,
        mean: m,
        sd: s,
        ci95_low: half.map(|h| m - h),
        ci95_high: half.map(|h| m + h),
    }
}

/// A paired comparison of a policy against the baseline over the same replicate seeds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contrast {
    /// Number of pairs.
    pub n: usize,
    /// Mean of (policy − baseline).
    pub mean_diff: f64,
    /// Student-t 95% interval of the mean paired difference.
    pub ci95_low: Option<f64>,
    /// Upper end of that interval.
    pub ci95_high: Option<f64>,
    /// Cohen's d: mean difference over the pooled standard deviation
    /// √((s_policy² + s_baseline²)/2). None when it is undefined (n < 2 or both constant).
    pub cohens_d: Option<f64>,
    /// Vargha & Delaney's (2000) A12: P(policy > baseline) + ½ P(equal), over all pairs.
    pub a12: f64,
}

/// Compares `policy` with `baseline`, pairing values by position.
///
/// # Panics
/// If the two slices differ in length (a caller bug, not user input).
pub fn paired_contrast(policy: &[f64], baseline: &[f64]) -> Contrast {
    assert_eq!(
        policy.len(),
        baseline.len(),
        "paired samples must have equal length"
    );
    let diffs: Vec<f64> = policy.iter().zip(baseline).map(|(p, b)| p - b).collect();
    let s = summarize(&diffs);
    let pooled = match (sd(policy), sd(baseline)) {
        (Some(a), Some(b)) => Some(((a * a + b * b) / 2.0).sqrt()),
        _ => None,
    };
    let cohens_d = pooled.filter(|&p| p > 0.0).map(|p| s.mean / p);
    Contrast {
        n: s.n,
        mean_diff: s.mean,
        ci95_low: s.ci95_low,
        ci95_high: s.ci95_high,
        cohens_d,
        a12: vargha_delaney_a12(policy, baseline),
    }
}

/// Vargha–Delaney A12: the probability that a value from `x` exceeds one from `y`, ties
/// counting one half. 0.5 for empty inputs.
pub fn vargha_delaney_a12(x: &[f64], y: &[f64]) -> f64 {
    if x.is_empty() || y.is_empty() {
        return 0.5;
    }
    let mut score = 0.0;
    for a in x {
        for b in y {
            score += if a > b {
                1.0
            } else if a == b {
                0.5
            } else {
                0.0
            };
        }
    }
    score / (x.len() * y.len()) as f64
}

/// Gini coefficient G = ΣᵢΣⱼ|xᵢ − xⱼ| / (2n²μ), computed in O(n log n) from the sorted
/// values. 0 for an empty sample or a zero mean.
pub fn gini(x: &[f64]) -> f64 {
    let n = x.len();
    let total: f64 = x.iter().sum();
    if n == 0 || total == 0.0 {
        return 0.0;
    }
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, v)| (i as f64 + 1.0) * v)
        .sum();
    (2.0 * weighted) / (n as f64 * total) - (n as f64 + 1.0) / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_critical_matches_tables() {
        assert!((t_critical_95(1) - 12.706).abs() < 1e-3);
        assert!((t_critical_95(19) - 2.093).abs() < 1e-3);
        assert!((t_critical_95(1000) - 1.962).abs() < 1e-3);
    }

    #[test]
    fn summary_of_known_sample() {
        let s = summarize(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(s.mean, 2.5);
        assert!((s.sd.unwrap() - 1.290_994).abs() < 1e-6);
        let half = 3.182_446 * 1.290_994 / 2.0;
        assert!((s.ci95_low.unwrap() - (2.5 - half)).abs() < 1e-5);
        assert_eq!(summarize(&[3.0]).sd, None);
    }

    #[test]
    fn gini_known_values() {
        assert_eq!(gini(&[1.0, 1.0, 1.0]), 0.0);
        // One holder of everything among n: (n-1)/n.
        assert!((gini(&[0.0, 0.0, 0.0, 4.0]) - 0.75).abs() < 1e-12);
        // Brute force agrees.
        let x = [0.3, 0.9, 0.1, 0.4, 0.4];
        let n = x.len() as f64;
        let mu = x.iter().sum::<f64>() / n;
        let brute: f64 = x
            .iter()
            .flat_map(|a| x.iter().map(move |b| (a - b).abs()))
            .sum::<f64>()
            / (2.0 * n * n * mu);
        assert!((gini(&x) - brute).abs() < 1e-12);
    }

    #[test]
    fn a12_and_contrast() {
        assert_eq!(vargha_delaney_a12(&[2.0, 3.0], &[1.0, 1.0]), 1.0);
        assert_eq!(vargha_delaney_a12(&[1.0], &[1.0]), 0.5);
        let c = paired_contrast(&[2.0, 3.0, 4.0], &[1.0, 2.0, 3.5]);
        assert!((c.mean_diff - (2.5 / 3.0)).abs() < 1e-12);
        assert!(c.ci95_low.unwrap() < c.mean_diff && c.mean_diff < c.ci95_high.unwrap());
        assert!(c.cohens_d.unwrap() > 0.0);
    }
}
