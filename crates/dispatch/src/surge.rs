//! A generated surge day with ground truth, for measuring the duplicate ranking: a road collision
//! with twenty calls from around it, a fight half a kilometre away with its own calls, eighty other
//! open incidents scattered over a Greater Manchester-sized area with their follow-up calls, and
//! forty calls about new things that match nothing. Deterministic by seed. Also random units for
//! the recommender's tests and benchmark.

use crate::duplicates::{DuplicateParams, OpenIncident, Report, suggest};
use crate::hint::category_hint;
use crate::recommend::Candidate;
use chrono::{DateTime, Duration, Utc};
use fc_domain::GeoPoint;
use fc_domain::incident::CategoryList;
use fc_domain::unit::{Skill, UnitType};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Centre of the generated area (central Manchester).
pub const CENTRE: (f64, f64) = (53.48, -2.24);

/// A generated call with the incident it is truly about (`None`: something new).
#[derive(Debug, Clone)]
pub struct Call {
    /// What the ranking sees.
    pub report: Report,
    /// What the caller said.
    pub narrative: String,
    /// The incident it truly belongs to.
    pub truth: Option<String>,
}

/// A surge day: open incidents and the calls arriving.
#[derive(Debug, Clone)]
pub struct SurgeDay {
    /// Incidents open when the calls arrive.
    pub incidents: Vec<OpenIncident>,
    /// The calls.
    pub calls: Vec<Call>,
}

const COLLISION_WORDS: &[&str] = &[
    "There's been a crash on the main road, two cars",
    "Car has overturned, driver looks injured",
    "Collision at the junction, someone is trapped",
    "A pedestrian hit by a car outside the shops",
    "Big crash, glass everywhere, a man is lying in the road",
    "RTC, van into a car, people out of their cars",
    "Someone knocked down by a car, ambulance needed",
    "Loud bang, cars everywhere and a woman is hurt",
];
const FIGHT_WORDS: &[&str] = &[
    "Fight outside the pub, men punching each other",
    "Big fight in the street, one man glassed",
    "A man has been attacked outside the bar",
    "Group fighting, someone punched to the ground",
];
const GENERIC: &[&str] = &[
    "Calling about what is happening outside",
    "Please send someone, it's chaos here",
    "Ringing back about earlier",
];

fn offset(rng: &mut ChaCha8Rng, from: (f64, f64), max_m: f64) -> GeoPoint {
    let d = rng.random_range(0.0..max_m);
    let a = rng.random_range(0.0..std::f64::consts::TAU);
    let lat = from.0 + d * a.sin() / 111_320.0;
    let lon = from.1 + d * a.cos() / (111_320.0 * from.0.to_radians().cos());
    GeoPoint::parse(lat, lon, Some(rng.random_range(5.0..60.0))).unwrap_or(GeoPoint {
        lat: from.0,
        lon: from.1,
        radius_m: None,
    })
}

fn anywhere(rng: &mut ChaCha8Rng) -> (f64, f64) {
    (CENTRE.0 + rng.random_range(-0.12..0.12), CENTRE.1 + rng.random_range(-0.25..0.25))
}

fn words_for(rng: &mut ChaCha8Rng, category: &str, list: &CategoryList) -> String {
    let keywords = list.get(category).map(|c| c.keywords.clone()).unwrap_or_default();
    if keywords.is_empty() || rng.random_range(0..100) < 15 {
        return GENERIC[rng.random_range(0..GENERIC.len())].to_string();
    }
    format!("Caller reports {} nearby", keywords[rng.random_range(0..keywords.len())].trim())
}

fn call(
    at: DateTime<Utc>,
    location: GeoPoint,
    narrative: String,
    truth: Option<String>,
    list: &CategoryList,
) -> Call {
    let category_hint = category_hint(&narrative, list);
    Call { report: Report { location: Some(location), at, category_hint }, narrative, truth }
}

/// Generates the surge day at `now` for `seed`.
pub fn surge_day(seed: u64, now: DateTime<Utc>, list: &CategoryList) -> SurgeDay {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let codes: Vec<String> =
        list.categories().filter(|c| !c.code.starts_with("ADM")).map(|c| c.code.clone()).collect();
    let mut incidents = Vec::new();
    let mut calls = Vec::new();
    let crash_at = anywhere(&mut rng);
    let crash_created = now - Duration::minutes(10);
    incidents.push(OpenIncident {
        reference: "COLLISION".into(),
        location: GeoPoint::parse(crash_at.0, crash_at.1, Some(25.0)).ok(),
        created_at: crash_created,
        category: "TRN-RTC-INJURY".into(),
    });
    for _ in 0..20 {
        let at = crash_created + Duration::seconds(rng.random_range(-60..25 * 60));
        let text = if rng.random_range(0..100) < 15 {
            GENERIC[rng.random_range(0..GENERIC.len())].to_string()
        } else {
            COLLISION_WORDS[rng.random_range(0..COLLISION_WORDS.len())].to_string()
        };
        calls.push(call(at, offset(&mut rng, crash_at, 350.0), text, Some("COLLISION".into()), list));
    }
    let fight_at = {
        let p = offset(&mut rng, crash_at, 1.0);
        (p.lat + 500.0 / 111_320.0, p.lon)
    };
    incidents.push(OpenIncident {
        reference: "FIGHT".into(),
        location: GeoPoint::parse(fight_at.0, fight_at.1, Some(20.0)).ok(),
        created_at: now - Duration::minutes(6),
        category: "CRM-VIOLENCE".into(),
    });
    for _ in 0..8 {
        let at = now - Duration::minutes(6) + Duration::seconds(rng.random_range(0..20 * 60));
        let text = FIGHT_WORDS[rng.random_range(0..FIGHT_WORDS.len())].to_string();
        calls.push(call(at, offset(&mut rng, fight_at, 150.0), text, Some("FIGHT".into()), list));
    }
    for i in 0..80 {
        let place = anywhere(&mut rng);
        let category = codes[rng.random_range(0..codes.len())].clone();
        let created = now - Duration::minutes(rng.random_range(0..240));
        let reference = format!("BG{i:02}");
        incidents.push(OpenIncident {
            reference: reference.clone(),
            location: GeoPoint::parse(place.0, place.1, Some(30.0)).ok(),
            created_at: created,
            category: category.clone(),
        });
        for _ in 0..rng.random_range(0..3) {
            let at = created + Duration::minutes(rng.random_range(5..120));
            let text = words_for(&mut rng, &category, list);
            calls.push(call(at, offset(&mut rng, place, 200.0), text, Some(reference.clone()), list));
        }
    }
    for _ in 0..40 {
        let place = anywhere(&mut rng);
        let category = codes[rng.random_range(0..codes.len())].clone();
        let text = words_for(&mut rng, &category, list);
        calls.push(call(now, offset(&mut rng, place, 50.0), text, None, list));
    }
    SurgeDay { incidents, calls }
}

/// Precision and recall of the suggestions at top-k on a surge day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// Calls that belong to an existing incident.
    pub duplicate_calls: usize,
    /// Of those, how many had the right incident among the suggestions.
    pub found: usize,
    /// Suggestions shown in all.
    pub shown: usize,
    /// Suggestions that were the right incident.
    pub correct: usize,
    /// found / duplicate_calls.
    pub recall: f64,
    /// correct / shown.
    pub precision: f64,
}

/// Runs the ranking over every call of `day` and measures it against the ground truth.
pub fn evaluate(day: &SurgeDay, list: &CategoryList, params: &DuplicateParams, k: usize) -> Measure {
    let (mut duplicate_calls, mut found, mut shown, mut correct) = (0, 0, 0, 0);
    for c in &day.calls {
        let s = suggest(&c.report, &day.incidents, list, params, k);
        shown += s.len();
        let hit = c.truth.as_ref().is_some_and(|t| s.iter().any(|x| &x.reference == t));
        if c.truth.is_some() {
            duplicate_calls += 1;
            found += usize::from(hit);
        }
        correct += usize::from(hit);
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    Measure {
        duplicate_calls,
        found,
        shown,
        correct,
        recall: ratio(found, duplicate_calls),
        precision: ratio(correct, shown),
    }
}

/// `n` units scattered over the area: mostly response cars, 70% available, random skills.
pub fn random_units(seed: u64, n: usize) -> Vec<Candidate> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    const TYPES: [(UnitType, u32); 6] = [
        (UnitType::Response, 50),
        (UnitType::Neighbourhood, 18),
        (UnitType::Pcso, 12),
        (UnitType::RoadsPolicing, 10),
        (UnitType::ArmedResponse, 5),
        (UnitType::Dog, 5),
    ];
    (0..n)
        .map(|i| {
            let mut pick = rng.random_range(0..100u32);
            let mut unit_type = UnitType::Response;
            for (t, w) in TYPES {
                if pick < w {
                    unit_type = t;
                    break;
                }
                pick -= w;
            }
            let skills: Vec<Skill> =
                Skill::ALL.iter().copied().filter(|_| rng.random_range(0..5) == 0).collect();
            let place = (CENTRE.0 + rng.random_range(-0.2..0.2), CENTRE.1 + rng.random_range(-0.4..0.4));
            Candidate {
                call_sign: format!("U{i}"),
                unit_type,
                skills,
                available: rng.random_range(0..10) < 7,
                position: GeoPoint::parse(place.0, place.1, None).ok(),
            }
        })
        .collect()
}
