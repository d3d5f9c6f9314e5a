//! Random variates for the simulator, from one seeded ChaCha stream.
//!
//! Written here rather than pulled from a distributions crate so the exact sequence of draws is
//! ours and stays stable across dependency upgrades: the same seed must give the same night.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded source of the few distributions the simulator needs.
pub(crate) struct Sampler {
    rng: ChaCha8Rng,
    spare_normal: Option<f64>,
}

impl Sampler {
    pub(crate) fn new(seed: u64) -> Self {
        Sampler { rng: ChaCha8Rng::seed_from_u64(seed), spare_normal: None }
    }

    /// Uniform on the open interval (0, 1): never 0, so `ln` is always finite.
    #[inline]
    pub(crate) fn uniform(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// Exponential with the given mean.
    #[inline]
    pub(crate) fn exponential(&mut self, mean: f64) -> f64 {
        -mean * self.uniform().ln()
    }

    /// Poisson count with mean `m`: exact (Knuth) below 30, normal approximation above, which is
    /// plenty for made-up history.
    pub(crate) fn poisson(&mut self, m: f64) -> f64 {
        if m <= 0.0 {
            return 0.0;
        }
        if m < 30.0 {
            let limit = (-m).exp();
            let (mut k, mut p) = (0.0, self.uniform());
            while p > limit {
                k += 1.0;
                p *= self.uniform();
            }
            return k;
        }
        (m + m.sqrt() * self.normal()).round().max(0.0)
    }

    /// Standard normal by Box-Muller, keeping the second value of each pair.
    #[inline]
    pub(crate) fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        let r = (-2.0 * self.uniform().ln()).sqrt();
        let (s, c) = (std::f64::consts::TAU * self.uniform()).sin_cos();
        self.spare_normal = Some(r * s);
        r * c
    }
}

/// A handle-time distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HandleDist {
    /// Exponential: what Erlang C and A assume; used to validate the simulator against them.
    Exponential {
        /// Mean, seconds.
        mean_secs: f64,
    },
    /// Lognormal: what real handle times look like (long right tail).
    LogNormal {
        /// Mean, seconds.
        mean_secs: f64,
        /// Standard deviation, seconds.
        sd_secs: f64,
    },
}

impl HandleDist {
    /// Mean handle time, seconds.
    pub fn mean_secs(&self) -> f64 {
        match *self {
            HandleDist::Exponential { mean_secs } | HandleDist::LogNormal { mean_secs, .. } => mean_secs,
        }
    }

    /// Prepared form with the lognormal's log-space parameters worked out once.
    pub(crate) fn prepare(&self) -> PreparedHandle {
        match *self {
            HandleDist::Exponential { mean_secs } => PreparedHandle::Exp(mean_secs),
            HandleDist::LogNormal { mean_secs, sd_secs } => {
                let s2 = (1.0 + (sd_secs / mean_secs).powi(2)).ln();
                PreparedHandle::LogNormal { mu: mean_secs.ln() - s2 / 2.0, sigma: s2.sqrt() }
            }
        }
    }
}

/// [`HandleDist`] ready to sample.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PreparedHandle {
    Exp(f64),
    LogNormal { mu: f64, sigma: f64 },
}

impl PreparedHandle {
    #[inline]
    pub(crate) fn sample(&self, s: &mut Sampler) -> f64 {
        match *self {
            PreparedHandle::Exp(mean) => s.exponential(mean),
            PreparedHandle::LogNormal { mu, sigma } => (mu + sigma * s.normal()).exp(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lognormal_has_the_asked_mean_and_sd() {
        let mut s = Sampler::new(7);
        let d = HandleDist::LogNormal { mean_secs: 240.0, sd_secs: 180.0 }.prepare();
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut s)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        assert!((mean - 240.0).abs() < 3.0, "{mean}");
        assert!((sd - 180.0).abs() < 6.0, "{sd}");
    }

    #[test]
    fn same_seed_same_draws() {
        let (mut a, mut b) = (Sampler::new(1), Sampler::new(1));
        for _ in 0..10 {
            assert_eq!(a.normal().to_bits(), b.normal().to_bits());
        }
    }
}
