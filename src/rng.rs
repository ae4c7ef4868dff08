//! Seeded random streams. Every random draw in cogov comes from a stream made here.
//!
//! A stream is named by `(seed, purpose, a, b)`: the run's seed, what the stream is for,
//! and up to two indices (a tick, a chunk, a replicate). The name is hashed with
//! SplitMix64 into a 256-bit ChaCha8 key, so streams are independent of each other and of
//! the order in which they are made. This is the one documented function from a seed to
//! randomness: nothing in the crate uses thread-local or OS randomness.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The generator used everywhere: ChaCha with 8 rounds (fast, portable, reproducible).
pub type Rng = ChaCha8Rng;

/// What a stream is for. Adding a purpose never changes the numbers of another one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Building the world: hierarchy, resident attributes.
    World = 1,
    /// Building the tie network.
    Network = 2,
    /// Issue arrivals and scheduled projects.
    Arrivals = 3,
    /// Issue-level draws in detection, routing, deliberation, implementation.
    Issues = 4,
    /// The resident update of one chunk in one tick (`a` = tick, `b` = chunk).
    Residents = 5,
    /// Tie formation and decay.
    Ties = 6,
    /// Organisations and enterprises.
    Organisations = 7,
    /// Complaints and petitions.
    Complaints = 8,
    /// A linkage mechanism (`a` = tick, `b` = the mechanism's index in the registry).
    Mechanism = 9,
    /// Experiment designs and replicate seeds.
    Experiment = 10,
    /// Verification cases.
    Verify = 11,
    /// Sensitivity analysis and calibration.
    Sensitivity = 12,
    /// Output records (the resident panel's sample); never read by the model.
    Records = 13,
    /// Bootstrap intervals drawn in figures; never read by the model.
    Figures = 14,
    /// A mechanism set up again by a `[[change]]` (`a` = tick, `b` = its registry index).
    Steering = 15,
}

/// SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
pub const fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream named `(seed, purpose, a, b)`.
pub fn stream(seed: u64, purpose: Purpose, a: u64, b: u64) -> Rng {
    let mut key = [0u8; 32];
    let mut h = splitmix64(seed);
    for (i, word) in [purpose as u64, a, b, 0x636F_676F_7600_0000]
        .into_iter()
        .enumerate()
    {
        h = splitmix64(h ^ word);
        key[i * 8..i * 8 + 8].copy_from_slice(&h.to_le_bytes());
    }
    Rng::from_seed(key)
}

/// The seed of replicate `r` under master seed `master`: `splitmix64(splitmix64(master) ^ r)`.
///
/// Every policy and sweep point uses the same replicate seeds (common random numbers), so
/// differences between policies are paired.
pub const fn replicate_seed(master: u64, replicate: u64) -> u64 {
    splitmix64(splitmix64(master) ^ replicate)
}

/// A Poisson count with mean `lambda` (0 for a non-positive or non-finite mean).
pub fn poisson(lambda: f64, rng: &mut Rng) -> u64 {
    Poisson::new(lambda).sample(rng)
}

/// [`poisson`] with its mean fixed, for drawing many counts: the distribution's set-up
/// (an `exp` for small means) is done once. Draws the same numbers as [`poisson`].
#[derive(Debug, Clone, Copy)]
pub struct Poisson(Option<rand_distr::Poisson<f64>>);

impl Poisson {
    /// Counts with mean `lambda` (always 0 for a mean the distribution refuses: not
    /// positive, not finite, or past its largest).
    pub fn new(lambda: f64) -> Poisson {
        Poisson(rand_distr::Poisson::new(lambda).ok())
    }

    /// One count.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> u64 {
        use rand_distr::Distribution;
        self.0.map_or(0, |p| p.sample(rng) as u64)
    }
}

/// `x` rounded to a whole number at random, up with probability equal to its fractional
/// part, so the expected count is `x` however small (a world of any size gets its share).
pub fn round_random(x: f64, rng: &mut Rng) -> u64 {
    if !x.is_finite() || x <= 0.0 {
        return 0;
    }
    let whole = x.floor();
    whole as u64 + u64::from(unit_f64(rng) < x - whole)
}

/// A uniform draw in [0, 1) as `f32`, from 24 random bits (exact, no rounding to 1.0).
#[inline]
pub fn unit_f32(rng: &mut Rng) -> f32 {
    use rand::Rng as _;
    (rng.next_u32() >> 8) as f32 * (1.0 / (1u32 << 24) as f32)
}

/// A uniform draw in [0, 1) as `f64`, from 53 random bits.
#[inline]
pub fn unit_f64(rng: &mut Rng) -> f64 {
    use rand::Rng as _;
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform index in `0..n` (Lemire's multiply-shift; bias below 2^-32 for n < 2^32).
#[inline]
pub fn index(rng: &mut Rng, n: usize) -> usize {
    use rand::Rng as _;
    debug_assert!(n > 0 && n <= u32::MAX as usize);
    ((rng.next_u32() as u64 * n as u64) >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng as _;

    #[test]
    fn same_name_same_numbers() {
        let mut a = stream(7, Purpose::Residents, 3, 4);
        let mut b = stream(7, Purpose::Residents, 3, 4);
        assert_eq!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn a_fixed_poisson_draws_what_a_fresh_distribution_draws() {
        use rand_distr::Distribution;
        for lambda in [
            -1.0,
            0.0,
            f64::NAN,
            f64::INFINITY,
            1e-9,
            0.3,
            2.5,
            11.9,
            12.1,
            400.0,
        ] {
            let fixed = Poisson::new(lambda);
            let (mut a, mut b) = (
                stream(1, Purpose::Ties, 0, 0),
                stream(1, Purpose::Ties, 0, 0),
            );
            for _ in 0..200 {
                // Built for every draw, as before the fixed form existed.
                let fresh = rand_distr::Poisson::new(lambda)
                    .ok()
                    .filter(|_| lambda > 0.0 && lambda.is_finite())
                    .map_or(0, |p| p.sample(&mut b) as u64);
                assert_eq!(fixed.sample(&mut a), fresh, "mean {lambda}");
            }
        }
        let mut r = stream(2, Purpose::Ties, 0, 0);
        let mean = (0..20_000)
            .map(|_| Poisson::new(2.5).sample(&mut r))
            .sum::<u64>() as f64
            / 2e4;
        assert!((mean - 2.5).abs() < 0.05, "mean {mean}");
    }

    #[test]
    fn different_names_differ() {
        let first = |p, x, y| stream(7, p, x, y).next_u64();
        let base = first(Purpose::Residents, 3, 4);
        assert_ne!(base, first(Purpose::Residents, 4, 3));
        assert_ne!(base, first(Purpose::Ties, 3, 4));
        assert_ne!(base, stream(8, Purpose::Residents, 3, 4).next_u64());
    }

    #[test]
    fn unit_draws_stay_in_range() {
        let mut r = stream(1, Purpose::World, 0, 0);
        for _ in 0..10_000 {
            let x = unit_f32(&mut r);
            assert!((0.0..1.0).contains(&x));
            let y = unit_f64(&mut r);
            assert!((0.0..1.0).contains(&y));
            assert!(index(&mut r, 7) < 7);
        }
    }

    #[test]
    fn replicate_seeds_are_distinct() {
        let seeds: std::collections::HashSet<u64> =
            (0..1000).map(|r| replicate_seed(42, r)).collect();
        assert_eq!(seeds.len(), 1000);
    }
}
