//! Real-world damage to a person's details: typos, nicknames, swapped names, missing fields,
//! wrong or transposed dates of birth, and the many ways the same value is written.

use crate::names::nickname;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// How often each kind of damage happens, per record (probabilities 0..=1).
#[derive(Debug, Clone, PartialEq)]
pub struct Corruption {
    /// A typo in the given name.
    pub given_typo: f64,
    /// A nickname instead of the formal given name (when the name has one).
    pub nickname: f64,
    /// Only the initial of the given name.
    pub initial_only: f64,
    /// Given name missing.
    pub given_missing: f64,
    /// A typo in the surname.
    pub surname_typo: f64,
    /// Surname missing.
    pub surname_missing: f64,
    /// Given name and surname swapped.
    pub swapped: f64,
    /// Date of birth missing.
    pub dob_missing: f64,
    /// Only the year (or month and year) of birth.
    pub dob_partial: f64,
    /// Day and month transposed.
    pub dob_transposed: f64,
    /// One of day, month or year wrong.
    pub dob_one_wrong: f64,
    /// Year out by one.
    pub dob_year_off: f64,
    /// Postcode missing.
    pub postcode_missing: f64,
    /// A typo in the postcode.
    pub postcode_typo: f64,
    /// Address missing.
    pub address_missing: f64,
    /// A typo in the street name.
    pub address_typo: f64,
    /// Record gives a previous address (for people who moved).
    pub old_address: f64,
    /// A digit wrong in the phone number.
    pub phone_typo: f64,
    /// A typo in the email.
    pub email_typo: f64,
    /// Record carries a located point (e.g. AML from a 999 call).
    pub located: f64,
}

impl Default for Corruption {
    fn default() -> Self {
        Self {
            given_typo: 0.07,
            nickname: 0.10,
            initial_only: 0.02,
            given_missing: 0.02,
            surname_typo: 0.07,
            surname_missing: 0.02,
            swapped: 0.02,
            dob_missing: 0.10,
            dob_partial: 0.04,
            dob_transposed: 0.03,
            dob_one_wrong: 0.03,
            dob_year_off: 0.02,
            postcode_missing: 0.15,
            postcode_typo: 0.03,
            address_missing: 0.20,
            address_typo: 0.05,
            old_address: 0.35,
            phone_typo: 0.02,
            email_typo: 0.03,
            located: 0.2,
        }
    }
}

/// True with probability `p`.
pub fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random_range(0.0..1.0) < p
}

/// One typo: a letter substituted, dropped, doubled or two neighbours swapped.
pub fn typo(s: &str, rng: &mut ChaCha8Rng) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 2 {
        return s.to_string();
    }
    let i = rng.random_range(1..c.len());
    match rng.random_range(0..4) {
        0 => c[i] = (b'a' + rng.random_range(0..26u8)) as char,
        1 => {
            c.remove(i);
        }
        2 => c.insert(i, c[i]),
        _ => c.swap(i - 1, i),
    }
    c.into_iter().collect()
}

/// Writes a name in one of the usual cases.
pub fn case(s: &str, rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..10) {
        0 | 1 => s.to_uppercase(),
        2 => s.to_lowercase(),
        _ => s.to_string(),
    }
}

/// A given name as written on one record.
pub fn given(formal: &str, c: &Corruption, rng: &mut ChaCha8Rng) -> String {
    if chance(rng, c.given_missing) {
        return String::new();
    }
    let mut name = formal.to_string();
    if chance(rng, c.nickname)
        && let Some(nicks) = nickname(formal)
    {
        name = nicks[rng.random_range(0..nicks.len())].to_string();
    }
    if chance(rng, c.initial_only) {
        name = name.chars().take(1).collect();
    } else if chance(rng, c.given_typo) {
        name = typo(&name, rng);
    }
    case(&name, rng)
}

/// A surname as written on one record (double-barrelled names often lose a part).
pub fn surname(real: &str, c: &Corruption, rng: &mut ChaCha8Rng) -> String {
    if chance(rng, c.surname_missing) {
        return String::new();
    }
    let mut name = real.to_string();
    if let Some((a, b)) = real.split_once('-') {
        match rng.random_range(0..10) {
            0 | 1 => name = a.to_string(),
            2 | 3 => name = b.to_string(),
            4 => name = format!("{a} {b}"),
            _ => {}
        }
    }
    if chance(rng, c.surname_typo) {
        name = typo(&name, rng);
    }
    case(&name, rng)
}

/// A date of birth as written on one record.
pub fn dob(y: u16, m: u8, d: u8, c: &Corruption, rng: &mut ChaCha8Rng) -> String {
    if chance(rng, c.dob_missing) {
        return String::new();
    }
    if chance(rng, c.dob_partial) {
        return if rng.random_bool(0.5) { format!("{y}") } else { format!("{m:02}/{y}") };
    }
    let (mut y, mut m, mut d) = (y, m, d);
    let r = rng.random_range(0.0..1.0);
    if r < c.dob_transposed && d <= 12 {
        std::mem::swap(&mut m, &mut d);
    } else if r < c.dob_transposed + c.dob_one_wrong {
        match rng.random_range(0..3) {
            0 => d = 1 + (d + rng.random_range(0..27u8)) % 28,
            1 => m = 1 + (m + rng.random_range(0..11u8)) % 12,
            _ => y = y.saturating_sub(rng.random_range(2..11u16)),
        }
    } else if r < c.dob_transposed + c.dob_one_wrong + c.dob_year_off {
        y = if rng.random_bool(0.5) { y + 1 } else { y - 1 };
    }
    let d = d.min(days_in_month(y, m));
    if rng.random_bool(0.6) { format!("{y:04}-{m:02}-{d:02}") } else { format!("{d:02}/{m:02}/{y:04}") }
}

/// Days in month `m` of year `y`.
pub fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn typo_changes_little() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..100 {
            let t = typo("margaret", &mut rng);
            assert!(t.len().abs_diff(8) <= 1);
        }
        assert_eq!(typo("a", &mut rng), "a");
    }

    #[test]
    fn dates_stay_real() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let c = Corruption { dob_one_wrong: 0.5, dob_transposed: 0.3, ..Corruption::default() };
        for _ in 0..1000 {
            let s = dob(1980, 2, 12, &c, &mut rng);
            assert!(s.is_empty() || s.len() >= 4);
        }
    }
}
