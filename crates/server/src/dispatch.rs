//! The command-and-control use cases shared by the API and the UI: an incident with its live
//! attendance, "probably the same incident" suggestions for a contact, and unit recommendations
//! for an incident. Handlers stay thin; the algorithms live in `fc-dispatch` (pure), the data in
//! the store.

use crate::AppState;
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use fc_dispatch::duplicates::{DuplicateParams, OpenIncident, Report, Suggestion};
use fc_dispatch::{Candidate, Recommendation, Requirement, StraightLine, UnitIndex};
use fc_domain::incident::Attendance;
use fc_domain::{Incident, UnitStatus};
use fc_store::incidents::IncidentFilter;
use serde::Serialize;
use utoipa::ToSchema;

/// Most open incidents considered at once (the dispatcher's picture on a very bad day).
pub const MAX_OPEN: u32 = 2000;

/// An incident with its attendance against the grade's target, computed at read time so a breach
/// shows the moment it happens.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentView {
    /// The incident.
    pub incident: Incident,
    /// Attendance so far against the target.
    pub attendance: Attendance,
}

/// Attaches attendance to an incident.
pub fn view(state: &AppState, incident: Incident, now: DateTime<Utc>) -> IncidentView {
    let attendance = state.config.dispatch.attendance.assess(
        incident.grade,
        incident.area,
        incident.created_at,
        incident.first_at_scene_at,
        now,
    );
    IncidentView { incident, attendance }
}

/// Open incidents, most urgent first, with attendance.
pub async fn open_incidents(state: &AppState, limit: u32) -> Result<Vec<IncidentView>, ApiError> {
    let page =
        state.store.list_incidents(&IncidentFilter { open_only: true, limit, ..Default::default() }).await?;
    let now = Utc::now();
    Ok(page.items.into_iter().map(|i| view(state, i, now)).collect())
}

/// A suggested incident for a contact, as the API returns it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuplicateSuggestion {
    /// The incident.
    pub reference: String,
    /// Its summary line.
    pub summary: String,
    /// Its opening category.
    pub category: String,
    /// Score 0..1.
    pub score: f64,
    /// Distance in metres, when both are located.
    pub distance_m: Option<f64>,
    /// Why, in words.
    pub reasons: Vec<String>,
}

/// The three open incidents a contact most probably belongs to (none when nothing is close).
pub async fn duplicates_for_contact(
    state: &AppState,
    contact: &str,
) -> Result<Vec<DuplicateSuggestion>, ApiError> {
    let c = state.store.get_contact(contact).await?;
    let categories = &state.config.dispatch.categories;
    let open = state
        .store
        .list_incidents(&IncidentFilter { open_only: true, limit: MAX_OPEN, ..Default::default() })
        .await?;
    let linked = state.store.incidents_for_contact(contact).await?;
    let candidates: Vec<OpenIncident> = open
        .items
        .iter()
        .filter(|i| !linked.contains(&i.reference.to_string()))
        .map(|i| OpenIncident {
            reference: i.reference.to_string(),
            location: i.location,
            created_at: i.created_at,
            category: i.category.clone(),
        })
        .collect();
    let report = Report {
        location: c.location,
        at: c.offered_at,
        category_hint: fc_dispatch::category_hint(&c.narrative, categories),
    };
    let found: Vec<Suggestion> =
        fc_dispatch::suggest(&report, &candidates, categories, &DuplicateParams::default(), 3);
    Ok(found
        .into_iter()
        .filter_map(|s| {
            let i = open.items.iter().find(|i| i.reference.to_string() == s.reference)?;
            Some(DuplicateSuggestion {
                reference: s.reference,
                summary: i.summary.clone(),
                category: i.category.clone(),
                score: s.score,
                distance_m: s.distance_m,
                reasons: s.reasons,
            })
        })
        .collect())
}

/// A recommended unit, as the API returns it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitRecommendation {
    /// Call sign.
    pub call_sign: String,
    /// Type.
    pub unit_type: fc_domain::unit::UnitType,
    /// Estimated minutes to arrive.
    pub eta_minutes: f64,
    /// Straight-line distance, metres.
    pub distance_m: f64,
    /// Why, in words.
    pub reasons: Vec<String>,
}

/// The five suitable available units that would arrive soonest. An incident without a point has
/// no recommendations (the dispatcher chooses).
pub async fn recommendations(
    state: &AppState,
    incident: &Incident,
) -> Result<Vec<UnitRecommendation>, ApiError> {
    let Some(at) = incident.location else { return Ok(Vec::new()) };
    let units = state.store.list_units(Some(UnitStatus::Available)).await?;
    let index = UnitIndex::build(
        units
            .into_iter()
            .map(|u| Candidate {
                call_sign: u.call_sign.to_string(),
                unit_type: u.unit_type,
                skills: u.skills,
                available: u.status == UnitStatus::Available,
                position: u.position,
            })
            .collect(),
    );
    let need = Requirement::for_incident(&incident.category, &incident.qualifiers, incident.grade);
    let found: Vec<Recommendation> = index.recommend(&at, &need, &StraightLine::default(), 5);
    Ok(found
        .into_iter()
        .map(|r| UnitRecommendation {
            call_sign: r.call_sign,
            unit_type: r.unit_type,
            eta_minutes: (r.eta_seconds / 6.0).round() / 10.0,
            distance_m: r.distance_m.round(),
            reasons: r.reasons,
        })
        .collect())
}
