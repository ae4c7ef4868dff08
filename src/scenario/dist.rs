//! Distributions named in scenario files, such as `"beta(2, 5)"` or `"normal(0.25, 0.1)"`.
//! Draws used for [0, 1] state variables are clipped to [0, 1].

use std::fmt;
use std::str::FromStr;

use rand_distr::Distribution;

use crate::rng::{self, Rng};

/// A distribution for initial states.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Dist {
    /// Beta(a, b), a, b > 0.
    Beta(f64, f64),
    /// Normal(mean, sd), sd ≥ 0.
    Normal(f64, f64),
    /// Uniform(low, high), low ≤ high.
    Uniform(f64, f64),
    /// A constant.
    Constant(f64),
}

impl Dist {
    /// Draws one value (not clipped).
    pub fn sample(&self, rng: &mut Rng) -> f64 {
        match *self {
            Dist::Beta(a, b) => rand_distr::Beta::new(a, b)
                .map(|d| d.sample(rng))
                .unwrap_or(a / (a + b)),
            Dist::Normal(m, s) => rand_distr::Normal::new(m, s)
                .map(|d| d.sample(rng))
                .unwrap_or(m),
            Dist::Uniform(lo, hi) => lo + (hi - lo) * rng::unit_f64(rng),
            Dist::Constant(c) => c,
        }
    }

    /// Draws one value clipped to [0, 1].
    pub fn sample_unit(&self, rng: &mut Rng) -> f32 {
        self.sample(rng).clamp(0.0, 1.0) as f32
    }

    /// The distribution's mean (before clipping).
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Beta(a, b) => a / (a + b),
            Dist::Normal(m, _) => m,
            Dist::Uniform(lo, hi) => (lo + hi) / 2.0,
            Dist::Constant(c) => c,
        }
    }
}

/// Largest magnitude of a distribution parameter: far beyond any [0, 1] state's needs, and
/// small enough that sums and differences of parameters stay finite.
pub const MAX_PARAM: f64 = 1e6;

/// What the parser accepts, for error messages.
pub const ALLOWED: &str =
    "\"beta(a, b)\", \"normal(mean, sd)\", \"uniform(low, high)\" or \"constant(x)\"";

impl FromStr for Dist {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("cannot read distribution \"{s}\": expected {ALLOWED}");
        let s = s.trim();
        let open = s.find('(').ok_or_else(bad)?;
        let name = s[..open].trim().to_ascii_lowercase();
        let inner = s[open + 1..].strip_suffix(')').ok_or_else(bad)?;
        let args: Vec<f64> = inner
            .split(',')
            .map(|a| a.trim().parse::<f64>().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        if args.iter().any(|a| !a.is_finite()) {
            return Err(format!(
                "distribution \"{s}\" has a parameter that is not a finite number; allowed: finite numbers from -{MAX_PARAM} to {MAX_PARAM}"
            ));
        }
        if args.iter().any(|a| a.abs() > MAX_PARAM) {
            return Err(format!(
                "distribution \"{s}\" has a parameter out of range; allowed: finite numbers from -{MAX_PARAM} to {MAX_PARAM}"
            ));
        }
        match (name.as_str(), args.as_slice()) {
            ("beta", &[a, b]) if a > 0.0 && b > 0.0 => Ok(Dist::Beta(a, b)),
            ("beta", &[_, _]) => Err(format!("\"{s}\": beta needs a > 0 and b > 0")),
            ("normal", &[m, sd]) if sd >= 0.0 => Ok(Dist::Normal(m, sd)),
            ("normal", &[_, _]) => Err(format!("\"{s}\": normal needs sd ≥ 0")),
            ("uniform", &[lo, hi]) if lo <= hi => Ok(Dist::Uniform(lo, hi)),
            ("uniform", &[_, _]) => Err(format!("\"{s}\": uniform needs low ≤ high")),
            ("constant", &[c]) => Ok(Dist::Constant(c)),
            _ => Err(bad()),
        }
    }
}

impl TryFrom<String> for Dist {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<Dist> for String {
    fn from(d: Dist) -> String {
        d.to_string()
    }
}

impl fmt::Display for Dist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dist::Beta(a, b) => write!(f, "beta({a}, {b})"),
            Dist::Normal(m, s) => write!(f, "normal({m}, {s})"),
            Dist::Uniform(lo, hi) => write!(f, "uniform({lo}, {hi})"),
            Dist::Constant(c) => write!(f, "constant({c})"),
        }
    }
}

impl crate::scenario::schema::Node for Dist {
    fn visit_node(
        &self,
        default: &Self,
        path: &str,
        meta: crate::scenario::schema::Meta,
        out: &mut Vec<crate::scenario::schema::Param>,
    ) {
        out.push(crate::scenario::schema::Param {
            path: path.to_string(),
            value: toml::Value::String(self.to_string()),
            default: toml::Value::String(default.to_string()),
            meta,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_round_trip() {
        for s in [
            "beta(2, 5)",
            "normal(0.25, 0.1)",
            "uniform(0, 1)",
            "constant(0.5)",
        ] {
            let d: Dist = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
        }
        assert!("beta(0, 1)".parse::<Dist>().is_err());
        assert!("gamma(1, 1)".parse::<Dist>().is_err());
        assert!("normal(0.2)".parse::<Dist>().is_err());
        assert!("normal(nan, 1)".parse::<Dist>().is_err());
        assert!("uniform(-1e308, 1e308)".parse::<Dist>().is_err());
    }

    #[test]
    fn unit_samples_are_clipped() {
        let mut r = crate::rng::stream(1, crate::rng::Purpose::World, 0, 0);
        let d = Dist::Normal(0.5, 2.0);
        for _ in 0..1000 {
            let x = d.sample_unit(&mut r);
            assert!((0.0..=1.0).contains(&x));
        }
    }
}
