//! Plausible callers: UK names weighted roughly by frequency, dates of birth, fictional phone
//! numbers (Ofcom's drama ranges), reserved email domains and Greater Manchester postcodes.

use rand::{Rng, RngExt};

const GIVEN: &[(&str, u32)] = &[
    ("Oliver", 30),
    ("Jack", 28),
    ("Harry", 26),
    ("George", 25),
    ("Noah", 22),
    ("Charlie", 22),
    ("Jacob", 20),
    ("Thomas", 24),
    ("James", 30),
    ("William", 22),
    ("Daniel", 20),
    ("Michael", 24),
    ("David", 26),
    ("John", 24),
    ("Paul", 18),
    ("Mark", 16),
    ("Andrew", 16),
    ("Mohammed", 18),
    ("Ahmed", 8),
    ("Ryan", 12),
    ("Liam", 12),
    ("Connor", 8),
    ("Kieran", 6),
    ("Tariq", 4),
    ("Wojciech", 3),
    ("Olivia", 30),
    ("Amelia", 28),
    ("Isla", 20),
    ("Ava", 22),
    ("Emily", 26),
    ("Sophie", 22),
    ("Grace", 18),
    ("Jessica", 20),
    ("Sarah", 24),
    ("Emma", 22),
    ("Laura", 18),
    ("Rebecca", 16),
    ("Hannah", 16),
    ("Chloe", 18),
    ("Megan", 14),
    ("Lauren", 14),
    ("Aisha", 8),
    ("Fatima", 8),
    ("Priya", 6),
    ("Zainab", 4),
    ("Margaret", 10),
    ("Patricia", 8),
    ("Susan", 10),
    ("Linda", 8),
    ("Karen", 8),
    ("Agnieszka", 3),
    ("Siobhan", 4),
    ("Niamh", 5),
    ("Bethany", 8),
    ("Kayleigh", 6),
];

const SURNAMES: &[(&str, u32)] = &[
    ("Smith", 60),
    ("Jones", 45),
    ("Williams", 38),
    ("Taylor", 35),
    ("Brown", 34),
    ("Davies", 30),
    ("Evans", 26),
    ("Wilson", 24),
    ("Thomas", 22),
    ("Johnson", 22),
    ("Roberts", 21),
    ("Robinson", 18),
    ("Thompson", 18),
    ("Wright", 18),
    ("Walker", 17),
    ("White", 16),
    ("Edwards", 15),
    ("Hughes", 15),
    ("Green", 15),
    ("Hall", 14),
    ("Lewis", 14),
    ("Harris", 14),
    ("Clarke", 13),
    ("Patel", 16),
    ("Jackson", 13),
    ("Wood", 12),
    ("Turner", 12),
    ("Martin", 12),
    ("Cooper", 11),
    ("Hill", 11),
    ("Ward", 11),
    ("Morris", 10),
    ("Moore", 10),
    ("Clark", 10),
    ("Lee", 10),
    ("King", 10),
    ("Baker", 10),
    ("Harrison", 9),
    ("Morgan", 9),
    ("Allen", 9),
    ("Khan", 12),
    ("Ali", 10),
    ("Hussain", 9),
    ("Begum", 8),
    ("Shah", 6),
    ("Nowak", 3),
    ("Kowalski", 2),
    ("O'Brien", 5),
    ("Murphy", 6),
    ("Kelly", 6),
    ("McDonald", 5),
    ("Fitzgerald", 3),
    ("Okafor", 3),
    ("Mensah", 3),
    ("Nguyen", 2),
    ("Smith-Jones", 1),
    ("Ashworth", 3),
    ("Brierley", 2),
    ("Entwistle", 2),
    ("Fairclough", 2),
    ("Greenhalgh", 2),
];

const STREETS: &[&str] = &[
    "Oldham Road",
    "Stockport Road",
    "Wilmslow Road",
    "Deansgate",
    "Market Street",
    "Princess Street",
    "Hyde Road",
    "Ashton Old Road",
    "Cheetham Hill Road",
    "Bury New Road",
    "Moss Lane East",
    "Barlow Moor Road",
    "Palatine Road",
    "Kingsway",
    "Mauldeth Road",
    "Ladybarn Lane",
    "Victoria Avenue",
    "Church Lane",
    "Chapel Street",
    "Station Road",
    "Park Road",
    "Manor Drive",
    "Hawthorn Close",
    "Rochdale Road",
];

/// Greater Manchester districts with an approximate centre.
pub const DISTRICTS: &[(&str, f64, f64)] = &[
    ("M1", 53.4787, -2.2336),
    ("M4", 53.4850, -2.2280),
    ("M8", 53.5050, -2.2380),
    ("M11", 53.4800, -2.1800),
    ("M12", 53.4650, -2.2000),
    ("M13", 53.4600, -2.2200),
    ("M14", 53.4450, -2.2200),
    ("M15", 53.4650, -2.2500),
    ("M16", 53.4550, -2.2700),
    ("M18", 53.4620, -2.1750),
    ("M19", 53.4350, -2.1900),
    ("M20", 53.4200, -2.2300),
    ("M21", 53.4350, -2.2750),
    ("M22", 53.3850, -2.2600),
    ("M40", 53.5150, -2.1950),
    ("M9", 53.5200, -2.2100),
    ("OL1", 53.5450, -2.1150),
    ("BL1", 53.5850, -2.4400),
    ("SK1", 53.4100, -2.1550),
    ("WN1", 53.5480, -2.6300),
];

const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

fn weighted<'a, R: Rng + ?Sized>(rng: &mut R, items: &'a [(&'a str, u32)]) -> &'a str {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (name, w) in items {
        if pick < *w {
            return name;
        }
        pick -= w;
    }
    items[0].0
}

/// A generated person who might call.
#[derive(Debug, Clone)]
pub struct Person {
    pub given: String,
    pub surname: String,
    pub dob: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
}

/// Makes one person.
pub fn person<R: Rng + ?Sized>(rng: &mut R) -> Person {
    let given = weighted(rng, GIVEN).to_string();
    let surname = weighted(rng, SURNAMES).to_string();
    let year = rng.random_range(1938..2010);
    let dob = match rng.random_range(0..10) {
        0 => format!("{year}"),
        1 => format!("{year}-{:02}", rng.random_range(1..=12)),
        _ => format!("{year}-{:02}-{:02}", rng.random_range(1..=12), rng.random_range(1..=28)),
    };
    let (district, lat, lon) = DISTRICTS[rng.random_range(0..DISTRICTS.len())];
    let letter = |rng: &mut R| INWARD_LETTERS[rng.random_range(0..INWARD_LETTERS.len())] as char;
    let postcode = format!("{district} {}{}{}", rng.random_range(1..10), letter(rng), letter(rng));
    let phone = if rng.random_range(0..4) == 0 {
        format!("0161 496 {:04}", rng.random_range(0..1000))
    } else {
        format!("07700 900{:03}", rng.random_range(0..1000))
    };
    let domain = ["example.com", "example.org", "example.net"][rng.random_range(0..3)];
    let email = format!(
        "{}.{}{}@{domain}",
        given.to_lowercase(),
        surname.to_lowercase().replace(['\'', '-'], ""),
        rng.random_range(1..99)
    );
    let address = format!("{} {}", rng.random_range(1..240), STREETS[rng.random_range(0..STREETS.len())]);
    Person {
        given,
        surname,
        dob,
        phone,
        email,
        address,
        postcode,
        lat: lat + rng.random_range(-0.012..0.012),
        lon: lon + rng.random_range(-0.02..0.02),
    }
}
