//! Risk triage over the API: the engine's assessment of a contact (signals with their evidence,
//! what was set aside, the recommended grade with reasons and prompts), the handler's grade
//! decision (an override needs a reason), and the overrides supervisors review.
//!
//! The server always recomputes the recommendation itself when grading, so a client cannot record
//! a decision against a recommendation the engine never made.

pub mod history;
mod input;
pub mod markers;
pub mod questionnaires;
pub mod referrals;
pub mod thrive;

pub use history::history_for;
pub use input::{assess_contact, caller_age, location_confidence};

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{ReadContacts, ReviewTriage, WriteContacts};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, IfMatch};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use fc_domain::{Actor, Contact, FieldError, Grade};
use fc_store::audit::{AuditAction, AuditEntry};
use fc_store::contacts::grading::{GradeDecisionRecord, GradeOverride, OverrideFilter};
use fc_triage::{Assessment, PersonHistory, TriageError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/contacts/{reference}/assessment", get(assessment))
        .route("/contacts/{reference}/grade", post(grade))
        .route("/overrides", get(overrides))
        .route("/contacts/{reference}/thrive", get(thrive::list).post(thrive::record))
        .route("/contacts/{reference}/questionnaires", get(questionnaires::results))
        .route("/contacts/{reference}/questionnaires/{id}", post(questionnaires::answer))
        .route("/questionnaires/{id}", get(questionnaires::definition))
        .route("/referrals", get(questionnaires::referrals))
        .route("/referrals/{id}", get(referrals::read))
        .route("/referrals/{id}/transitions", post(referrals::transition))
        .route("/markers", get(markers::available))
        .route("/contacts/{reference}/markers", get(markers::list).post(markers::set))
        .route("/contacts/{reference}/markers/{code}", axum::routing::delete(markers::clear))
}

/// The engine's assessment of a contact with what the store knows around it: the person's history
/// ([`history_for`]) and, from the caller's details, their age.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactAssessment {
    /// Signals, set-aside matches and the recommendation, as the engine returned them.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub assessment: Assessment,
    /// The history the engine weighed: counts of earlier contacts and the records behind them.
    #[schema(value_type = Object)]
    pub history: PersonHistory,
    /// The caller's age when the contact arrived, when a full date of birth was given.
    pub caller_age: Option<u32>,
}

/// Runs the engine on a stored contact with its history: the one path the API, the grade
/// decision and the contact screen share, so all three see the same recommendation.
pub async fn assess(state: &AppState, contact: &Contact) -> Result<ContactAssessment, ApiError> {
    let history = history_for(state, contact).await?;
    let thrive = thrive::versions(state, &contact.reference.to_string()).await?;
    let assessment = assess_contact(&state.triage, contact, &history, thrive.last());
    Ok(ContactAssessment { assessment, history, caller_age: caller_age(contact) })
}

/// The triage engine's assessment of a contact (audited as a consultation): every risk signal
/// with its evidence (matched words with byte spans into the narrative, earlier contacts, or
/// facts), the narrative matches set aside and why, the recommended grade with every reason, the
/// questionnaires to prompt (DASH, S-DASH) and the Right Care Right Person prompt for a
/// mental-health concern. History: earlier contacts sharing the caller's phone number or email
/// (7 and 30 days) and earlier high-risk contacts from them (90 days).
#[utoipa::path(get, path = "/api/v1/contacts/{reference}/assessment", tag = "triage",
    params(("reference" = String, Path, example = "FC-20261122-000123")),
    responses(
        (status = 200, description = "The assessment: `signals`, `discounted`, `narrative_truncated`, \
            `recommendation` {`grade`, `reasons`, `questionnaires`, `rcrp`, `rules_version`}, `lexicon_version`",
            body = ContactAssessment),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn assessment(
    State(state): State<AppState>,
    auth: Authorized<ReadContacts>,
    Path(reference): Path<String>,
) -> Result<Json<ContactAssessment>, ApiError> {
    let contact = state.store.view_contact(&auth.actor(), &reference, "API triage assessment").await?;
    Ok(Json(assess(&state, &contact).await?))
}

/// The handler's grade.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeInput {
    /// The final grade, 1 to 4.
    #[schema(value_type = u8, minimum = 1, maximum = 4)]
    pub grade: Grade,
    /// Why; required when the grade differs from the recommendation.
    pub reason: Option<String>,
}

/// A recorded grading decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct Graded {
    /// The contact with its new grade and version.
    pub contact: Contact,
    /// What the engine recommended.
    #[schema(value_type = u8)]
    pub recommended: Grade,
    /// What the handler chose.
    #[schema(value_type = u8)]
    pub grade: Grade,
    /// The handler's reason, if given.
    pub reason: Option<String>,
    /// Whether the handler overrode the recommendation.
    #[serde(rename = "override")]
    pub is_override: bool,
}

/// Assesses the contact now, checks the decision against the recommendation and records it.
/// Shared by the API and the contact screen so the same rule holds on both: an override without
/// a reason is a field error on `reason` and changes nothing.
pub async fn grade_contact(
    state: &AppState,
    actor: &Actor,
    reference: &str,
    chosen: Grade,
    reason: Option<&str>,
    expected_version: Option<i64>,
) -> Result<Graded, ApiError> {
    let contact = state.store.get_contact(reference).await?;
    let assessment = assess(state, &contact).await?.assessment;
    let recommended = assessment.recommendation.grade;
    let decision = fc_triage::decide(recommended, chosen, reason).map_err(|e| match e {
        TriageError::OverrideReasonRequired { .. } => ApiError::Validation(vec![FieldError {
            field: "reason".into(),
            message: format!(
                "the recommended grade is {}: say why you chose grade {}",
                recommended.number(),
                chosen.number()
            ),
        }]),
        other => ApiError::Unprocessable(other.to_string()),
    })?;
    let reasons = assessment
        .recommendation
        .reasons
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let record = GradeDecisionRecord {
        recommended,
        grade: decision.final_grade,
        reason: decision.reason.clone(),
        reasons,
        lexicon_version: assessment.lexicon_version,
        rules_version: assessment.recommendation.rules_version,
    };
    // Record against the version just assessed, so the recommendation stored is the one this
    // contact's current details produce.
    let version = Some(expected_version.unwrap_or(contact.version));
    let contact = state.store.record_grade(actor, reference, record, version).await?;
    Ok(Graded {
        contact,
        recommended,
        grade: decision.final_grade,
        is_override: decision.is_override(),
        reason: decision.reason,
    })
}

/// Record the handler's final grade. The server recomputes the recommendation; a grade that
/// differs from it needs a `reason` (422 with a field error on `reason` otherwise, and nothing
/// changes). Appends a `graded` entry to the contact's log.
#[utoipa::path(post, path = "/api/v1/contacts/{reference}/grade", tag = "triage", request_body = GradeInput,
    params(("reference" = String, Path), ("If-Match" = Option<String>, Header, description = "Expected version")),
    responses((status = 200, body = Graded),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An override without a reason, or a grade outside 1-4", body = Problem,
            content_type = "application/problem+json")))]
pub async fn grade(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    Path(reference): Path<String>,
    IfMatch(version): IfMatch,
    body: ApiJson<GradeInput>,
) -> Result<Response, ApiError> {
    let input = body.value;
    let graded =
        grade_contact(&state, &auth.actor(), &reference, input.grade, input.reason.as_deref(), version)
            .await?;
    let etag = HeaderValue::from_str(&format!("\"{}\"", graded.contact.version));
    let mut res = Json(graded).into_response();
    if let Ok(v) = etag {
        res.headers_mut().insert(header::ETAG, v);
    }
    Ok(res)
}

/// Paging for overrides.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OverridesQuery {
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// From `next_before` of the previous page.
    pub before: Option<i64>,
    /// Only this handler's overrides (username).
    pub actor: Option<String>,
    /// Only `downgrade`s (less urgent than recommended) or only `upgrade`s.
    pub direction: Option<Direction>,
}

/// Which way an override went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Less urgent than recommended (the riskier direction).
    Downgrade,
    /// More urgent than recommended.
    Upgrade,
}

/// A page of overrides.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverrideList {
    /// Newest first.
    pub items: Vec<GradeOverride>,
    /// Pass as `before` for the next page; absent when this page was not full.
    pub next_before: Option<i64>,
}

/// Grading decisions that departed from the recommended grade, newest first, for supervisors to
/// review (audited as a consultation: the reasons may describe people).
#[utoipa::path(get, path = "/api/v1/overrides", tag = "triage", params(OverridesQuery),
    responses((status = 200, body = OverrideList), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn overrides(
    State(state): State<AppState>,
    auth: Authorized<ReviewTriage>,
    query: Result<Query<OverridesQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<OverrideList>, ApiError> {
    let Query(q) = query?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::Validation(vec![FieldError {
            field: "limit".into(),
            message: format!("must be between 1 and 200, not {limit}"),
        }]));
    }
    let filter = OverrideFilter {
        actor: q.actor.filter(|a| !a.trim().is_empty()),
        downgrades: q.direction.map(|d| d == Direction::Downgrade),
        limit,
        before: q.before,
    };
    let items = state.store.list_overrides(&filter).await?;
    state
        .store
        .audit(vec![AuditEntry {
            actor: auth.user.username.clone(),
            action: AuditAction::Consultation,
            record_type: "contact".into(),
            record_id: "overrides".into(),
            detail: format!(
                "reviewed {} grade overrides: {}",
                items.len(),
                items.iter().map(|o| o.reference.as_str()).collect::<Vec<_>>().join(" ")
            ),
            justification: None,
        }])
        .await?;
    let next_before = if items.len() == limit as usize { items.last().map(|o| o.id) } else { None };
    Ok(Json(OverrideList { items, next_before }))
}
