//! "Probably the same incident": ranks open incidents by how likely a new contact is about one of
//! them. Three pieces of evidence multiply: how close (a Gaussian fall-off with distance, widened
//! by the location's uncertainty), how recent (an exponential fall-off with the time since the
//! incident was raised), and whether the caller's words fit the incident's category (same
//! category, same chapter, unknown, or unrelated). Multiplying means one strong mismatch (three
//! kilometres away, or a burglary when the caller describes a crash) sinks a suggestion.
//!
//! The ranking only suggests; a handler links. Measured on a generated surge day in [`crate::surge`].

use chrono::{DateTime, Utc};
use fc_domain::GeoPoint;
use fc_domain::incident::CategoryList;
use serde::Serialize;

/// What is known about the new contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Where the caller says it is happening (AML, map, geocoder).
    pub location: Option<GeoPoint>,
    /// When the contact arrived.
    pub at: DateTime<Utc>,
    /// A category hinted by the caller's words ([`crate::category_hint`]).
    pub category_hint: Option<String>,
}

/// An open incident as the ranking needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenIncident {
    /// Its reference.
    pub reference: String,
    /// Where it is.
    pub location: Option<GeoPoint>,
    /// When it was raised.
    pub created_at: DateTime<Utc>,
    /// Its opening category code.
    pub category: String,
}

/// Tuning for the ranking. The defaults were chosen on the generated surge day (see
/// docs/benchmarks/dispatch.md) and are configuration, not truth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DuplicateParams {
    /// Distance at which the location evidence has fallen to about 37%, metres.
    pub distance_scale_m: f64,
    /// Beyond this an incident is never suggested, metres.
    pub max_distance_m: f64,
    /// Time after which the recency evidence has fallen to about 37%, seconds.
    pub time_scale_s: f64,
    /// Weight when the hint names the incident's category.
    pub same_category: f64,
    /// Weight when the hint is in the same chapter (crime, transport...).
    pub same_chapter: f64,
    /// Weight when there is no hint.
    pub unknown_category: f64,
    /// Weight when the hint is in another chapter.
    pub other_chapter: f64,
    /// Weight for location when either side has no point.
    pub unknown_location: f64,
    /// Suggestions scoring below this are not shown.
    pub min_score: f64,
}

impl Default for DuplicateParams {
    fn default() -> Self {
        Self {
            distance_scale_m: 450.0,
            max_distance_m: 3_000.0,
            time_scale_s: 3.0 * 3600.0,
            same_category: 1.0,
            same_chapter: 0.6,
            unknown_category: 0.45,
            other_chapter: 0.08,
            unknown_location: 0.05,
            min_score: 0.12,
        }
    }
}

/// How the category evidence came out, for the reasons shown to the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryFit {
    /// The caller's words fit the incident's category.
    Same,
    /// Same chapter (e.g. both crime).
    SameChapter,
    /// No hint from the caller's words.
    Unknown,
    /// Unrelated.
    Different,
}

/// One suggested incident, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The incident's reference.
    pub reference: String,
    /// Combined score in 0..=1 (higher is more likely the same incident).
    pub score: f64,
    /// Distance between the contact and the incident, metres, when both have points.
    pub distance_m: Option<f64>,
    /// Minutes from the incident being raised to the contact (negative: the contact came first).
    pub minutes_after: f64,
    /// How the category evidence came out.
    pub category_fit: CategoryFit,
    /// The reasons in words, for the screen.
    pub reasons: Vec<String>,
}

fn chapter(code: &str) -> &str {
    code.split('-').next().unwrap_or(code)
}

/// Scores one incident; `None` when it can never be the same (too far away).
pub fn score(
    report: &Report,
    incident: &OpenIncident,
    categories: &CategoryList,
    p: &DuplicateParams,
) -> Option<Suggestion> {
    let mut reasons = Vec::new();
    let (distance_m, place) = match (report.location, incident.location) {
        (Some(a), Some(b)) => {
            let d = a.distance_m(&b);
            let slack = a.radius_m.unwrap_or(0.0) + b.radius_m.unwrap_or(0.0);
            let effective = (d - slack).max(0.0);
            if effective > p.max_distance_m {
                return None;
            }
            reasons.push(format!("{d:.0} m away"));
            (Some(d), (-(effective / p.distance_scale_m).powi(2)).exp())
        }
        _ => {
            reasons.push("no location to compare".into());
            (None, p.unknown_location)
        }
    };
    let seconds_after = (report.at - incident.created_at).num_seconds() as f64;
    let recency = (-(seconds_after.abs()) / p.time_scale_s).exp();
    reasons.push(format!("raised {:.0} min before this contact", seconds_after / 60.0));
    let chapter_of = |code: &str| {
        categories.get(code).map(|c| c.chapter.clone()).unwrap_or_else(|| chapter(code).to_string())
    };
    let (fit, weight) = match &report.category_hint {
        None => (CategoryFit::Unknown, p.unknown_category),
        Some(h) if *h == incident.category => (CategoryFit::Same, p.same_category),
        Some(h) if chapter_of(h) == chapter_of(&incident.category) => {
            (CategoryFit::SameChapter, p.same_chapter)
        }
        Some(_) => (CategoryFit::Different, p.other_chapter),
    };
    reasons.push(
        match fit {
            CategoryFit::Same => "the caller's words fit its category",
            CategoryFit::SameChapter => "the caller's words fit a related category",
            CategoryFit::Unknown => "no category hint from the caller's words",
            CategoryFit::Different => "the caller's words suggest something else",
        }
        .into(),
    );
    Some(Suggestion {
        reference: incident.reference.clone(),
        score: place * recency * weight,
        distance_m,
        minutes_after: seconds_after / 60.0,
        category_fit: fit,
        reasons,
    })
}

/// The `k` most likely incidents scoring at least `min_score`, best first.
pub fn suggest(
    report: &Report,
    incidents: &[OpenIncident],
    categories: &CategoryList,
    p: &DuplicateParams,
    k: usize,
) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = incidents
        .iter()
        .filter_map(|i| score(report, i, categories, p))
        .filter(|s| s.score >= p.min_score)
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.reference.cmp(&b.reference)));
    out.truncate(k);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(min: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + min * 60, 0).unwrap_or_default()
    }

    fn point(lat: f64, lon: f64) -> Option<GeoPoint> {
        GeoPoint::parse(lat, lon, None).ok()
    }

    fn incident(r: &str, lat: f64, lon: f64, cat: &str) -> OpenIncident {
        OpenIncident {
            reference: r.into(),
            location: point(lat, lon),
            created_at: at(0),
            category: cat.into(),
        }
    }

    #[test]
    fn near_and_fitting_beats_near_and_unrelated() {
        let list = CategoryList::builtin();
        let incidents = [
            incident("crash", 53.4800, -2.2400, "TRN-RTC-INJURY"),
            incident("burglary", 53.4803, -2.2405, "CRM-BURGLARY"),
            incident("far crash", 53.5500, -2.1000, "TRN-RTC-INJURY"),
        ];
        let report = Report {
            location: point(53.4806, -2.2410),
            at: at(5),
            category_hint: Some("TRN-RTC-INJURY".into()),
        };
        let s = suggest(&report, &incidents, &list, &DuplicateParams::default(), 3);
        assert_eq!(s.first().map(|s| s.reference.as_str()), Some("crash"));
        assert!(s.iter().all(|s| s.reference != "far crash"), "{s:?}");
        assert!(
            s.iter().all(|s| s.reference != "burglary"),
            "an unrelated category close by is not suggested"
        );
    }

    proptest! {
        #[test]
        fn closer_never_scores_lower(d1 in 0.0f64..0.02, d2 in 0.0f64..0.02) {
            let list = CategoryList::builtin();
            let p = DuplicateParams::default();
            let report = Report { location: point(53.48, -2.24), at: at(10), category_hint: None };
            let a = score(&report, &incident("a", 53.48 + d1.min(d2), -2.24, "CRM-THEFT"), &list, &p);
            let b = score(&report, &incident("b", 53.48 + d1.max(d2), -2.24, "CRM-THEFT"), &list, &p);
            let (sa, sb) = (a.map_or(0.0, |s| s.score), b.map_or(0.0, |s| s.score));
            prop_assert!(sa >= sb);
        }

        #[test]
        fn suggestions_are_sorted_and_bounded(k in 0usize..5, n in 0usize..30, seed in 0u64..1000) {
            let list = CategoryList::builtin();
            let incidents: Vec<OpenIncident> = (0..n)
                .map(|i| incident(&format!("i{i}"), 53.48 + ((seed as usize + i * 7) % 13) as f64 * 0.001, -2.24, "CRM-THEFT"))
                .collect();
            let report = Report { location: point(53.48, -2.24), at: at(1), category_hint: Some("CRM-THEFT".into()) };
            let s = suggest(&report, &incidents, &list, &DuplicateParams::default(), k);
            prop_assert!(s.len() <= k);
            prop_assert!(s.windows(2).all(|w| w[0].score >= w[1].score));
            prop_assert!(s.iter().all(|x| (0.0..=1.0).contains(&x.score)));
        }
    }
}
