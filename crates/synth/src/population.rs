//! The population: households of people, each person with several records. Generated in chunks
//! from one seeded ChaCha stream, shuffled within each chunk (so a person's records are not
//! adjacent), and streamed: ten million records never sit in memory at once.

use crate::corrupt::{self, Corruption, chance, days_in_month};
use crate::names::NameTable;
use crate::places::{self, format_phone};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;
use std::sync::Arc;

/// One synthetic record with its ground truth (`person_id`).
#[derive(Debug, Clone, PartialEq)]
pub struct SynthRecord {
    /// Position in the stream, from 0.
    pub record_id: u64,
    /// The true person behind the record (the ground truth for evaluation).
    pub person_id: u64,
    /// Given name as written (may be a nickname, typo, initial or empty).
    pub given_name: String,
    /// Surname as written.
    pub surname: String,
    /// Date of birth as written (ISO, British, partial or empty).
    pub dob: String,
    /// Postcode as written.
    pub postcode: String,
    /// First address line and town.
    pub address: String,
    /// Phone number as written.
    pub phone: String,
    /// Email address.
    pub email: String,
    /// Latitude of a located contact.
    pub lat: Option<f64>,
    /// Longitude of a located contact.
    pub lon: Option<f64>,
}

/// Column names of [`SynthRecord::to_fields`], for CSV headers.
pub const COLUMNS: [&str; 11] = [
    "record_id",
    "person_id",
    "given_name",
    "surname",
    "dob",
    "postcode",
    "address",
    "phone",
    "email",
    "lat",
    "lon",
];

impl SynthRecord {
    /// The record as text fields in [`COLUMNS`] order.
    pub fn to_fields(&self) -> [String; 11] {
        let opt = |v: Option<f64>| v.map(|x| format!("{x:.6}")).unwrap_or_default();
        [
            self.record_id.to_string(),
            self.person_id.to_string(),
            self.given_name.clone(),
            self.surname.clone(),
            self.dob.clone(),
            self.postcode.clone(),
            self.address.clone(),
            self.phone.clone(),
            self.email.clone(),
            opt(self.lat),
            opt(self.lon),
        ]
    }
}

/// A deterministic synthetic population: same seed and size, same records, on any machine.
#[derive(Debug, Clone)]
pub struct Population {
    seed: u64,
    records: u64,
    corruption: Corruption,
    tables: Arc<Tables>,
}

#[derive(Debug)]
struct Tables {
    surnames: NameTable,
    female: NameTable,
    male: NameTable,
}

impl Population {
    /// A population of exactly `records` records from `seed`, with default corruption rates.
    pub fn new(seed: u64, records: u64) -> Self {
        let tables = Tables {
            surnames: NameTable::surnames(),
            female: NameTable::given(true),
            male: NameTable::given(false),
        };
        Self { seed, records, corruption: Corruption::default(), tables: Arc::new(tables) }
    }

    /// The same population shape with other corruption rates.
    pub fn with_corruption(mut self, corruption: Corruption) -> Self {
        self.corruption = corruption;
        self
    }

    /// Number of records the stream yields.
    pub fn len(&self) -> u64 {
        self.records
    }

    /// True for a population of no records.
    pub fn is_empty(&self) -> bool {
        self.records == 0
    }

    /// The records, streamed.
    pub fn records(&self) -> Records {
        Records {
            pop: self.clone(),
            rng: ChaCha8Rng::seed_from_u64(self.seed),
            buffer: VecDeque::new(),
            emitted: 0,
            generated: 0,
            next_person: 0,
            streets: (self.records / 25).max(50),
        }
    }
}

impl IntoIterator for &Population {
    type Item = SynthRecord;
    type IntoIter = Records;

    fn into_iter(self) -> Records {
        self.records()
    }
}

/// The streaming iterator over a [`Population`].
#[derive(Debug)]
pub struct Records {
    pop: Population,
    rng: ChaCha8Rng,
    buffer: VecDeque<SynthRecord>,
    emitted: u64,
    generated: u64,
    next_person: u64,
    streets: u64,
}

struct Person {
    id: u64,
    given: String,
    surname: String,
    dob: (u16, u8, u8),
    addresses: Vec<(u64, u32)>,
    mobile: Option<String>,
    landline: Option<String>,
    email: Option<String>,
    records: u32,
}

const CHUNK: usize = 8_192;

impl Records {
    fn dob(&mut self, year: u16) -> (u16, u8, u8) {
        let m = self.rng.random_range(1..=12u8);
        let d = self.rng.random_range(1..=days_in_month(year, m));
        (year, m, d)
    }

    fn record_count(&mut self) -> u32 {
        match self.rng.random_range(0..100) {
            0..=39 => 1,
            40..=64 => 2,
            65..=79 => 3,
            80..=87 => 4,
            88..=97 => self.rng.random_range(5..=9),
            _ => self.rng.random_range(10..=30),
        }
    }

    fn household(&mut self) -> Vec<Person> {
        let rng = &mut self.rng;
        let street = rng.random_range(0..self.streets);
        let house = rng.random_range(1..=120u32);
        let landline = chance(rng, 0.3).then(|| places::landline(rng.random()));
        let t = Arc::clone(&self.pop.tables);
        let mut family = t.surnames.sample(rng).to_string();
        if chance(rng, 0.015) {
            family = format!("{family}-{}", t.surnames.sample(rng));
        }
        let adults = if chance(rng, 0.4) { 1 } else { 2 };
        let children = match rng.random_range(0..10) {
            0..=5 => 0,
            6 | 7 => 1,
            8 => 2,
            _ => 3,
        };
        let first_year = rng.random_range(1935..=2004u16);
        let twins = children >= 2 && chance(rng, 0.05);
        let mut people = Vec::new();
        let mut child_dob = None;
        for i in 0..adults + children {
            let female = self.rng.random_bool(0.5);
            let table = if female { &t.female } else { &t.male };
            let mut given = table.sample(&mut self.rng).to_string();
            let year = if i < adults {
                (first_year as i32 + self.rng.random_range(-5..=5)).clamp(1930, 2006) as u16
            } else {
                (first_year + self.rng.random_range(20..=40)).min(2024)
            };
            let mut dob = self.dob(year);
            if i >= adults && twins && i < adults + 2 {
                // Twins: same birthday, same surname and address, different given names.
                if let Some(d) = child_dob {
                    dob = d;
                    while people.iter().any(|p: &Person| p.given == given) {
                        given = table.sample(&mut self.rng).to_string();
                    }
                } else {
                    child_dob = Some(dob);
                }
            }
            let surname = if i == 1 && self.rng.random_bool(0.25) {
                t.surnames.sample(&mut self.rng).to_string()
            } else {
                family.clone()
            };
            let mut addresses = vec![(street, house)];
            if self.rng.random_bool(0.25) {
                for _ in 0..self.rng.random_range(1..=2) {
                    addresses
                        .push((self.rng.random_range(0..self.streets), self.rng.random_range(1..=120u32)));
                }
            }
            let mobile =
                (year < 2012 && self.rng.random_bool(0.85)).then(|| places::mobile(self.rng.random()));
            let email = self.rng.random_bool(0.6).then(|| places::email(&given, &surname, self.rng.random()));
            let id = self.next_person;
            self.next_person += 1;
            let records = self.record_count();
            people.push(Person {
                id,
                given,
                surname,
                dob,
                addresses,
                mobile,
                landline: landline.clone(),
                email,
                records,
            });
        }
        people
    }

    fn render(&mut self, p: &Person) -> SynthRecord {
        let c = self.pop.corruption.clone();
        let rng = &mut self.rng;
        let (mut given, mut surname) =
            (corrupt::given(&p.given, &c, rng), corrupt::surname(&p.surname, &c, rng));
        if chance(rng, c.swapped) {
            std::mem::swap(&mut given, &mut surname);
        }
        let dob = corrupt::dob(p.dob.0, p.dob.1, p.dob.2, &c, rng);
        let (street_k, house) = if p.addresses.len() > 1 && chance(rng, c.old_address) {
            p.addresses[rng.random_range(1..p.addresses.len())]
        } else {
            p.addresses[0]
        };
        let street = places::street(self.pop.seed, street_k);
        let postcode = if chance(rng, c.postcode_missing) {
            String::new()
        } else if chance(rng, c.postcode_typo) {
            corrupt::typo(&street.postcode, rng)
        } else if rng.random_bool(0.3) {
            street.postcode.to_lowercase().replace(' ', "")
        } else {
            street.postcode.clone()
        };
        let address = if chance(rng, c.address_missing) {
            String::new()
        } else {
            let name = if chance(rng, c.address_typo) {
                corrupt::typo(&street.name, rng)
            } else {
                street.name.clone()
            };
            let name = if rng.random_bool(0.2) {
                name.replace("Street", "St").replace("Road", "Rd").replace("Avenue", "Ave")
            } else {
                name
            };
            format!("{house} {name}, {}", street.town)
        };
        let phone_src = match rng.random_range(0..100) {
            0..=59 => p.mobile.as_ref().or(p.landline.as_ref()),
            60..=74 => p.landline.as_ref(),
            _ => None,
        };
        let phone = phone_src
            .map(|n| {
                let n = if chance(rng, c.phone_typo) { digit_typo(n, rng) } else { n.clone() };
                format_phone(&n, rng.random())
            })
            .unwrap_or_default();
        let email = match &p.email {
            Some(e) if rng.random_bool(0.45) => {
                if chance(rng, c.email_typo) {
                    corrupt::typo(e, rng)
                } else {
                    corrupt::case(e, rng)
                }
            }
            _ => String::new(),
        };
        let (lat, lon) = if chance(rng, c.located) {
            let (dl, dn) = if rng.random_bool(0.6) { (0.0003, 0.0005) } else { (0.05, 0.08) };
            (Some(street.lat + rng.random_range(-dl..dl)), Some(street.lon + rng.random_range(-dn..dn)))
        } else {
            (None, None)
        };
        SynthRecord {
            record_id: 0,
            person_id: p.id,
            given_name: given,
            surname,
            dob,
            postcode,
            address,
            phone,
            email,
            lat,
            lon,
        }
    }

    fn refill(&mut self) {
        let mut chunk = Vec::with_capacity(CHUNK + 64);
        while chunk.len() < CHUNK && self.generated < self.pop.records {
            for p in self.household() {
                for _ in 0..p.records {
                    if self.generated >= self.pop.records {
                        break;
                    }
                    chunk.push(self.render(&p));
                    self.generated += 1;
                }
            }
        }
        for i in (1..chunk.len()).rev() {
            let j = self.rng.random_range(0..=i);
            chunk.swap(i, j);
        }
        self.buffer.extend(chunk);
    }
}

fn digit_typo(n: &str, rng: &mut ChaCha8Rng) -> String {
    let mut b: Vec<u8> = n.bytes().collect();
    if b.len() > 3 {
        let i = rng.random_range(2..b.len());
        b[i] = b'0' + (b[i] - b'0' + rng.random_range(1..10u8)) % 10;
    }
    String::from_utf8(b).unwrap_or_else(|_| n.to_string())
}

impl Iterator for Records {
    type Item = SynthRecord;

    fn next(&mut self) -> Option<SynthRecord> {
        if self.buffer.is_empty() {
            if self.generated >= self.pop.records {
                return None;
            }
            self.refill();
        }
        let mut r = self.buffer.pop_front()?;
        r.record_id = self.emitted;
        self.emitted += 1;
        Some(r)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.pop.records - self.emitted) as usize;
        (left, Some(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_exact_size() {
        let a: Vec<SynthRecord> = Population::new(7, 5_000).records().collect();
        let b: Vec<SynthRecord> = Population::new(7, 5_000).records().collect();
        assert_eq!(a.len(), 5_000);
        assert_eq!(a, b);
        let c: Vec<SynthRecord> = Population::new(8, 5_000).records().take(10).collect();
        assert_ne!(a[..10], c[..]);
        assert!(a.iter().enumerate().all(|(i, r)| r.record_id == i as u64));
    }

    #[test]
    fn several_records_per_person_on_average() {
        let a: Vec<SynthRecord> = Population::new(1, 20_000).records().collect();
        let persons = a.iter().map(|r| r.person_id).max().unwrap_or(0) + 1;
        let per = 20_000.0 / persons as f64;
        assert!((1.8..4.0).contains(&per), "{per}");
        assert!(a.iter().filter(|r| r.dob.is_empty()).count() > 1_000);
        assert!(a.iter().filter(|r| r.lat.is_some()).count() > 2_000);
    }
}
