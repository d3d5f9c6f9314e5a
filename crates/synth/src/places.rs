//! Addresses, postcodes, phone numbers and email addresses. Streets are a pure function of the seed
//! and a street number, so the population needs no table of streets in memory at any size.

/// Postcode areas with a town for each (a selection of the real ones).
const AREAS: &[(&str, &str)] = &[
    ("AB", "Aberdeen"),
    ("B", "Birmingham"),
    ("BA", "Bath"),
    ("BB", "Blackburn"),
    ("BD", "Bradford"),
    ("BH", "Bournemouth"),
    ("BL", "Bolton"),
    ("BN", "Brighton"),
    ("BR", "Bromley"),
    ("BS", "Bristol"),
    ("CA", "Carlisle"),
    ("CB", "Cambridge"),
    ("CF", "Cardiff"),
    ("CH", "Chester"),
    ("CM", "Chelmsford"),
    ("CO", "Colchester"),
    ("CR", "Croydon"),
    ("CT", "Canterbury"),
    ("CV", "Coventry"),
    ("CW", "Crewe"),
    ("DE", "Derby"),
    ("DH", "Durham"),
    ("DL", "Darlington"),
    ("DN", "Doncaster"),
    ("DY", "Dudley"),
    ("E", "London"),
    ("EC", "London"),
    ("EX", "Exeter"),
    ("GL", "Gloucester"),
    ("GU", "Guildford"),
    ("HA", "Harrow"),
    ("HD", "Huddersfield"),
    ("HG", "Harrogate"),
    ("HP", "Hemel Hempstead"),
    ("HU", "Hull"),
    ("HX", "Halifax"),
    ("IP", "Ipswich"),
    ("LA", "Lancaster"),
    ("LE", "Leicester"),
    ("LL", "Llandudno"),
    ("LN", "Lincoln"),
    ("LS", "Leeds"),
    ("LU", "Luton"),
    ("M", "Manchester"),
    ("ME", "Rochester"),
    ("MK", "Milton Keynes"),
    ("N", "London"),
    ("NE", "Newcastle"),
    ("NG", "Nottingham"),
    ("NN", "Northampton"),
    ("NP", "Newport"),
    ("NR", "Norwich"),
    ("NW", "London"),
    ("OL", "Oldham"),
    ("OX", "Oxford"),
    ("PE", "Peterborough"),
    ("PL", "Plymouth"),
    ("PO", "Portsmouth"),
    ("PR", "Preston"),
    ("RG", "Reading"),
    ("RM", "Romford"),
    ("S", "Sheffield"),
    ("SA", "Swansea"),
    ("SE", "London"),
    ("SK", "Stockport"),
    ("SL", "Slough"),
    ("SN", "Swindon"),
    ("SO", "Southampton"),
    ("SR", "Sunderland"),
    ("SS", "Southend"),
    ("ST", "Stoke"),
    ("SW", "London"),
    ("SY", "Shrewsbury"),
    ("TA", "Taunton"),
    ("TN", "Tonbridge"),
    ("TQ", "Torquay"),
    ("TS", "Middlesbrough"),
    ("TW", "Twickenham"),
    ("UB", "Southall"),
    ("W", "London"),
    ("WA", "Warrington"),
    ("WD", "Watford"),
    ("WF", "Wakefield"),
    ("WN", "Wigan"),
    ("WR", "Worcester"),
    ("WS", "Walsall"),
    ("WV", "Wolverhampton"),
    ("YO", "York"),
];

const STREET_BASES: &[&str] = &[
    "High",
    "Church",
    "Station",
    "Victoria",
    "Park",
    "Mill",
    "London",
    "Manor",
    "Queens",
    "Kings",
    "Green",
    "School",
    "North",
    "South",
    "West",
    "New",
    "Chapel",
    "Albert",
    "Alexandra",
    "York",
    "Grange",
    "Main",
    "Springfield",
    "Windsor",
    "Richmond",
    "Oak",
    "Elm",
    "Ash",
    "Beech",
    "Cedar",
    "Willow",
    "Meadow",
    "Orchard",
    "Forest",
    "Hill",
    "Brook",
    "River",
    "Bridge",
    "Castle",
    "Abbey",
    "Market",
    "Cross",
    "Well",
    "Garden",
    "Field",
    "Farm",
    "Moor",
    "Heath",
    "Common",
    "Wood",
    "Lime",
    "Rose",
    "Holly",
    "Maple",
    "Poplar",
    "Cherry",
    "Hawthorn",
    "Sycamore",
    "Chestnut",
    "Linden",
    "Stanley",
    "Nelson",
    "Wellington",
    "Milton",
    "Cromwell",
    "Shakespeare",
    "Darwin",
    "Newton",
    "Byron",
    "Tennyson",
    "Dickens",
    "Kingsway",
    "Broad",
    "Long",
    "Short",
    "Cliff",
    "Sea",
    "Harbour",
    "Canal",
    "Railway",
    "Coronation",
    "Jubilee",
    "Regent",
];
const STREET_TYPES: &[&str] = &[
    "Street", "Road", "Lane", "Avenue", "Close", "Drive", "Way", "Crescent", "Gardens", "Grove", "Terrace",
    "Place", "Court", "Square", "Hill", "Rise", "View", "Walk",
];
const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
const DOMAINS: &[&str] = &[
    "gmail.com",
    "hotmail.co.uk",
    "yahoo.co.uk",
    "outlook.com",
    "btinternet.com",
    "icloud.com",
    "live.co.uk",
    "sky.com",
];

pub(crate) fn mix(seed: u64, n: u64) -> u64 {
    let mut z = seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A street: its name, town, postcode (one unit per street, as for most short streets) and the
/// approximate location of its middle.
#[derive(Debug, Clone, PartialEq)]
pub struct Street {
    /// e.g. "Station Road".
    pub name: String,
    /// Post town.
    pub town: &'static str,
    /// Valid, normalised postcode, e.g. "LS12 4AB".
    pub postcode: String,
    /// Latitude of the street.
    pub lat: f64,
    /// Longitude of the street.
    pub lon: f64,
}

/// Street number `k` of the population seeded `seed`.
pub fn street(seed: u64, k: u64) -> Street {
    let h = mix(seed ^ 0x57ee7, k);
    let area_i = (h % AREAS.len() as u64) as usize;
    let (area, town) = AREAS[area_i];
    let h2 = mix(h, 1);
    let district = 1 + h2 % 30;
    let sector = (h2 >> 8) % 10;
    let l1 = INWARD_LETTERS[((h2 >> 16) % INWARD_LETTERS.len() as u64) as usize] as char;
    let l2 = INWARD_LETTERS[((h2 >> 24) % INWARD_LETTERS.len() as u64) as usize] as char;
    let base = STREET_BASES[((h2 >> 32) % STREET_BASES.len() as u64) as usize];
    let kind = STREET_TYPES[((h2 >> 40) % STREET_TYPES.len() as u64) as usize];
    // Areas sit on a rough grid over Great Britain; districts and streets scatter around them.
    let lat =
        50.5 + (area_i % 10) as f64 * 0.45 + (district as f64) * 0.004 + ((h >> 20) % 1000) as f64 * 1e-5;
    let lon = -4.5 + (area_i / 10) as f64 * 0.6 + (sector as f64) * 0.006 + ((h >> 30) % 1000) as f64 * 1e-5;
    Street {
        name: format!("{base} {kind}"),
        town,
        postcode: format!("{area}{district} {sector}{l1}{l2}"),
        lat,
        lon,
    }
}

/// A UK mobile number as 11 digits ("07...").
pub fn mobile(h: u64) -> String {
    format!("07{}{:08}", 4 + h % 6, (h >> 8) % 100_000_000)
}

/// A UK landline number as 11 digits ("01..." or "02...").
pub fn landline(h: u64) -> String {
    if h.is_multiple_of(4) {
        format!("020{:08}", (h >> 8) % 100_000_000)
    } else {
        format!("01{:03}{:06}", 100 + (h >> 4) % 900, (h >> 16) % 1_000_000)
    }
}

/// Writes an 11-digit national number the way people do.
pub fn format_phone(national: &str, style: u64) -> String {
    let (a, b) = national.split_at(5.min(national.len()));
    let rest = national.get(1..).unwrap_or("");
    match style % 5 {
        0 => national.to_string(),
        1 => format!("{a} {b}"),
        2 => format!("+44 {}", rest),
        3 => format!("+44{rest}"),
        _ => format!("({a}) {b}"),
    }
}

/// An email address built from a name.
pub fn email(given: &str, surname: &str, h: u64) -> String {
    let clean =
        |s: &str| s.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase();
    let (g, s) = (clean(given), clean(surname));
    let domain = DOMAINS[(h % DOMAINS.len() as u64) as usize];
    let n = (h >> 8) % 100;
    match (h >> 16) % 5 {
        0 => format!("{g}.{s}@{domain}"),
        1 => format!("{g}{s}{n}@{domain}"),
        2 => format!("{}{s}@{domain}", g.chars().next().unwrap_or('x')),
        3 => format!("{g}_{s}{n}@{domain}"),
        _ => format!("{s}.{g}{n}@{domain}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streets_are_deterministic_and_valid() {
        assert_eq!(street(1, 5), street(1, 5));
        assert_ne!(street(1, 5), street(2, 5));
        for k in 0..1000 {
            let s = street(9, k);
            let compact: String = s.postcode.chars().filter(|c| !c.is_whitespace()).collect();
            assert!((5..=7).contains(&compact.len()), "{}", s.postcode);
        }
        assert_eq!(mobile(12345).len(), 11);
        assert_eq!(landline(12345).len(), 11);
        assert_eq!(landline(4).len(), 11);
    }
}
