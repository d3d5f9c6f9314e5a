//! `/api/v1/wellbeing`: handlers' exposure to distressing contacts, the breaks and supervisor
//! check-ins it prompts, and the check-ins themselves. Visible only to the person and to
//! supervisors; a supervisor's view of someone's figures is audited as a consultation.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{AnyRole, SeeOwnWellbeing, SupportStaff};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, IdempotencyKey};
use crate::wellbeing::{self, HandlerWellbeing};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use fc_domain::CheckInOutcome;
use fc_store::contacts::Idempotency;
use fc_store::wellbeing::{CheckIn, NewCheckIn};
use serde::Deserialize;
use utoipa::ToSchema;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/wellbeing", get(team))
        .route("/wellbeing/me", get(me))
        .route("/wellbeing/{username}", get(one))
        .route("/wellbeing/{username}/check-ins", post(check_in))
}

/// Every handler's wellbeing (supervisors only; each handler shown is audited as consulted).
#[utoipa::path(get, path = "/api/v1/wellbeing", tag = "wellbeing",
    responses((status = 200, body = Vec<HandlerWellbeing>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn team(
    State(state): State<AppState>,
    auth: Authorized<SupportStaff>,
) -> Result<Json<Vec<HandlerWellbeing>>, ApiError> {
    let all = wellbeing::team(&state, Utc::now()).await?;
    let actor = auth.actor();
    wellbeing::audit_views(
        &state,
        &actor,
        all.iter().map(|w| w.username.as_str()),
        "wellbeing overview (API)",
    )
    .await?;
    Ok(Json(all))
}

/// Your own wellbeing: exposure this shift and week, per day, the break prompted after a severe
/// contact and whether a supervisor check-in is due.
#[utoipa::path(get, path = "/api/v1/wellbeing/me", tag = "wellbeing",
    responses((status = 200, body = HandlerWellbeing), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn me(
    State(state): State<AppState>,
    auth: Authorized<SeeOwnWellbeing>,
) -> Result<Json<HandlerWellbeing>, ApiError> {
    Ok(Json(wellbeing::for_handler(&state, &auth.user.username, Utc::now()).await?))
}

/// One handler's wellbeing: their own, or anyone's for a supervisor (audited).
#[utoipa::path(get, path = "/api/v1/wellbeing/{username}", tag = "wellbeing", params(("username" = String, Path)),
    responses((status = 200, body = HandlerWellbeing), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn one(
    State(state): State<AppState>,
    auth: Authorized<AnyRole>,
    Path(username): Path<String>,
) -> Result<Json<HandlerWellbeing>, ApiError> {
    let view = wellbeing::for_viewer(&state, &auth.actor(), &username, Utc::now(), "wellbeing figures (API)")
        .await?;
    Ok(Json(view))
}

/// A check-in to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    /// `fine`, `break_taken`, `trim_referral`, `stood_down` or `follow_up` (which leaves the
    /// check-in due).
    #[schema(value_type = String, example = "break_taken")]
    pub outcome: CheckInOutcome,
    /// The contact that prompted it, if any.
    #[schema(example = "FC-20261122-000123")]
    pub contact: Option<String>,
    /// A line or two (at most 2,000 characters).
    pub note: Option<String>,
}

/// Record a supervisor's check-in with a handler (supervisors only; append-only and audited).
/// A check-in other than `follow_up` settles the check-in due.
#[utoipa::path(post, path = "/api/v1/wellbeing/{username}/check-ins", tag = "wellbeing", request_body = CheckInInput,
    params(("username" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = CheckIn, description = "The check-in recorded"),
        (status = 200, body = CheckIn, description = "A retry: the check-in the first request recorded"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn check_in(
    State(state): State<AppState>,
    auth: Authorized<SupportStaff>,
    Path(username): Path<String>,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<CheckInInput>,
) -> Result<(StatusCode, Json<CheckIn>), ApiError> {
    let idempotency = key.map(|key| Idempotency { key, fingerprint: body.fingerprint.clone() });
    let input = body.value;
    // The store checks the note (trimmed, at most 2,000 characters) for every caller.
    let new =
        NewCheckIn { handler: username, contact: input.contact, outcome: input.outcome, note: input.note };
    let (check_in, replayed) = state.store.record_check_in(&auth.actor(), new, idempotency).await?;
    state.wellbeing.due.forget();
    let status = if replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(check_in)))
}
