//! Random secrets for sessions, CSRF tokens and API tokens: 256 bits from the OS-seeded CSPRNG.

use rand::RngExt;

/// A new secret, hex-encoded, with a prefix saying what it is (so a leaked one is recognisable).
pub fn new_secret(prefix: &str) -> String {
    let bytes: [u8; 32] = rand::rng().random();
    format!("{prefix}{}", hex::encode(bytes))
}

/// Compares secrets in constant time.
pub fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
