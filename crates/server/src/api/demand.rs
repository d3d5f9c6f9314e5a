//! Live demand endpoints: the supervisor dashboard's figures, the national answer-time return
//! (JSON or CSV), and 101 virtual hold (queue position, callback request, callback outcome).

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{ReadReports, SeeQueue, SuperviseHandlers, WriteContacts};
use crate::demand::{dashboard, position, report};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use fc_domain::{CallbackOutcome, Contact};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(get_dashboard))
        .route("/reports/answer-times", get(answer_times))
        .route("/contacts/{reference}/queue-position", get(queue_position))
        .route("/contacts/{reference}/callback", post(request_callback))
        .route("/contacts/{reference}/callback/outcome", post(callback_outcome))
}

/// Live service levels: waiting per channel, handlers by state, today / last 60 / last 15 minutes,
/// and the day by hour.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "demand",
    responses((status = 200, body = dashboard::Dashboard), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn get_dashboard(
    State(state): State<AppState>,
    _auth: Authorized<SuperviseHandlers>,
) -> Result<Json<dashboard::Dashboard>, ApiError> {
    Ok(Json(dashboard::compute(&state.store, Utc::now()).await?))
}

/// The months to report.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First month, `YYYY-MM`.
    pub from: String,
    /// Last month (inclusive), `YYYY-MM`.
    pub to: String,
    /// `csv` for text/csv (or send `Accept: text/csv`); JSON otherwise.
    pub format: Option<String>,
}

/// The national answer-time return per force and month for 999 and 101, in the Home Office's
/// bands. Aggregates only: no personal data, so not an audited disclosure.
#[utoipa::path(get, path = "/api/v1/reports/answer-times", tag = "demand", params(ReportQuery),
    responses((status = 200, body = Vec<report::AnswerTimeRow>), (status = 200, content_type = "text/csv", body = String),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn answer_times(
    State(state): State<AppState>,
    _auth: Authorized<ReadReports>,
    headers: HeaderMap,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query?;
    let from = report::parse_month("from", &q.from)?;
    let to = report::parse_month("to", &q.to)?;
    let csv = match q.format.as_deref() {
        Some("csv") => true,
        Some("json") => false,
        Some(other) => {
            return Err(ApiError::Validation(vec![fc_domain::FieldError {
                field: "format".into(),
                message: format!("{other:?} is not a format: use csv or json"),
            }]));
        }
        None => headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.split(',').any(|m| m.trim().starts_with("text/csv"))),
    };
    let rows = report::compute(&state.store, &state.config.force_name, from, to).await?;
    if csv {
        let name = format!("attachment; filename=\"answer-times-{}-{}.csv\"", q.from, q.to);
        Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, name),
            ],
            report::to_csv(&rows),
        )
            .into_response())
    } else {
        Ok(Json(rows).into_response())
    }
}

/// Where a waiting caller stands, with the expected wait (no caller details).
#[utoipa::path(get, path = "/api/v1/contacts/{reference}/queue-position", tag = "demand", params(("reference" = String, Path)),
    responses((status = 200, body = position::QueuePosition), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No longer waiting", body = Problem, content_type = "application/problem+json")))]
pub async fn queue_position(
    State(state): State<AppState>,
    _auth: Authorized<SeeQueue>,
    Path(reference): Path<String>,
) -> Result<Json<position::QueuePosition>, ApiError> {
    Ok(Json(position::compute(&state.store, &reference, Utc::now()).await?))
}

/// Virtual hold: a waiting 101 caller asks to be rung back. The contact keeps its place and is
/// offered to a handler when it comes up. Asking again is harmless.
#[utoipa::path(post, path = "/api/v1/contacts/{reference}/callback", tag = "demand", params(("reference" = String, Path)),
    responses((status = 200, body = Contact), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn request_callback(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    Path(reference): Path<String>,
) -> Result<Json<Contact>, ApiError> {
    Ok(Json(state.store.request_callback(&auth.actor(), &reference).await?))
}

/// What happened when the handler rang back.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackOutcomeInput {
    /// `reached`, `no_answer`, `voicemail`, `wrong_number` or `no_longer_needed`.
    pub outcome: CallbackOutcome,
    /// A remark.
    pub note: Option<String>,
}

/// Record the outcome of a callback on the contact's log (the contact must be in progress).
#[utoipa::path(post, path = "/api/v1/contacts/{reference}/callback/outcome", tag = "demand", params(("reference" = String, Path)),
    request_body = CallbackOutcomeInput,
    responses((status = 200, body = Contact), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn callback_outcome(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    Path(reference): Path<String>,
    body: ApiJson<CallbackOutcomeInput>,
) -> Result<Json<Contact>, ApiError> {
    let note = body.value.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    Ok(Json(state.store.record_callback_outcome(&auth.actor(), &reference, body.value.outcome, note).await?))
}
