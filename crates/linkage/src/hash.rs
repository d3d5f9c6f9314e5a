//! Fast, deterministic hashing for blocking keys and compact field fingerprints.
//!
//! Keys are hashed once with FNV-1a and then used as `u64`s, so maps over them need no second
//! hash: [`IdentityBuild`] passes the key through (after a cheap mix). Never use these hashes for
//! anything security-related; they only group records.

use std::hash::{BuildHasherDefault, Hasher};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over bytes, seeded so different key kinds never collide by construction.
pub fn fnv64(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET ^ seed.wrapping_mul(FNV_PRIME);
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    mix(h)
}

/// Combines hashes of several parts into one key (order matters).
pub fn combine(parts: &[u64]) -> u64 {
    let mut h = FNV_OFFSET;
    for &p in parts {
        h = mix(h ^ p).wrapping_mul(FNV_PRIME);
    }
    mix(h)
}

/// A final avalanche (splitmix64) so low bits are usable as bucket indices.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A hasher for keys that are already well-mixed `u64` hashes.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only reached for non-u64 keys; fall back to FNV so it stays correct.
        self.0 = fnv64(self.0, bytes);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = mix(u64::from(n));
    }
}

/// `BuildHasher` for maps keyed by pre-hashed `u64`s.
pub type IdentityBuild = BuildHasherDefault<IdentityHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_separate_kinds() {
        assert_ne!(fnv64(1, b"smith"), fnv64(2, b"smith"));
        assert_eq!(fnv64(1, b"smith"), fnv64(1, b"smith"));
        assert_ne!(combine(&[1, 2]), combine(&[2, 1]));
    }
}
