//! `/api/v1/incidents`: raise from contacts (idempotent), read with live attendance, list (most
//! urgent first), remarks, status moves, close, reopen, links to contacts, incidents and persons,
//! unit recommendations and assignments; and `/api/v1/contacts/{ref}/duplicate-incidents`.
//! Handlers raise; dispatchers and supervisors run incidents; analysts read figures only.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{Dispatch, RaiseIncidents, ReadIncidents, ReadReports};
use crate::dispatch::{self, DuplicateSuggestion, IncidentView, UnitRecommendation};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, IdempotencyKey, IfMatch};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, Utc};
use fc_domain::incident::{IncidentCloseInput, NewIncidentInput, PersonRole};
use fc_domain::{FieldError, Grade, IncidentStatus, Unit};
use fc_store::contacts::Idempotency;
use fc_store::incidents::{Assignment, IncidentEntry, IncidentFilter, LinkedPerson};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/incidents", post(create).get(list))
        .route("/incidents/figures", get(figures))
        .route("/incidents/{reference}", get(read))
        .route("/incidents/{reference}/log", get(log))
        .route("/incidents/{reference}/remarks", post(remark))
        .route("/incidents/{reference}/transitions", post(transition))
        .route("/incidents/{reference}/close", post(close))
        .route("/incidents/{reference}/reopen", post(reopen))
        .route("/incidents/{reference}/contacts", post(link_contact))
        .route("/incidents/{reference}/links", post(link_incident))
        .route("/incidents/{reference}/persons", post(link_person))
        .route("/incidents/{reference}/recommendations", get(recommendations))
        .route("/incidents/{reference}/assignments", post(assign))
        .route("/contacts/{reference}/duplicate-incidents", get(duplicates))
}

fn etag(mut res: Response, version: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

fn ok(state: &AppState, i: fc_domain::Incident) -> Response {
    let version = i.version;
    etag(Json(dispatch::view(state, i, Utc::now())).into_response(), version)
}

/// Raise an incident from one or more contacts. Send an `Idempotency-Key` so a retry never raises
/// it twice.
#[utoipa::path(post, path = "/api/v1/incidents", tag = "incidents", request_body = NewIncidentInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = IncidentView), (status = 200, description = "A retry", body = IncidentView),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    auth: Authorized<RaiseIncidents>,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<NewIncidentInput>,
) -> Result<Response, ApiError> {
    let new = body.value.validate(&state.config.dispatch.categories).map_err(ApiError::Validation)?;
    let idempotency = key.map(|key| Idempotency { key, fingerprint: body.fingerprint.clone() });
    let created = state.store.create_incident(&auth.actor(), new, idempotency).await?;
    let status = if created.replayed { StatusCode::OK } else { StatusCode::CREATED };
    let location = format!("/api/v1/incidents/{}", created.incident.reference);
    let mut res = ok(&state, created.incident);
    *res.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// Filters for listing incidents.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this status.
    #[param(value_type = Option<String>)]
    pub status: Option<IncidentStatus>,
    /// Only open (not closed) incidents; default true.
    pub open: Option<bool>,
    /// Only this grade (1-4).
    #[param(value_type = Option<u8>)]
    pub grade: Option<Grade>,
    /// Raised at least this many minutes ago.
    pub min_age_minutes: Option<u32>,
    /// Raised at most this many minutes ago.
    pub max_age_minutes: Option<u32>,
    /// From `next_cursor`.
    pub cursor: Option<String>,
    /// Page size, 1 to 2000 (default 100).
    pub limit: Option<u32>,
}

/// A page of incidents.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentList {
    /// Most urgent first: grade, then oldest.
    pub items: Vec<IncidentView>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
    /// How many on this page are past their attendance target.
    pub breached: usize,
}

/// List incidents, most urgent first, with live attendance (breaches flagged).
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", params(ListQuery),
    responses((status = 200, body = IncidentList), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<ReadIncidents>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<IncidentList>, ApiError> {
    let Query(q) = query?;
    if let Some(l) = q.limit.filter(|l| !(1..=2000).contains(l)) {
        return Err(ApiError::Validation(vec![FieldError {
            field: "limit".into(),
            message: format!("must be between 1 and 2000, not {l}"),
        }]));
    }
    let now = Utc::now();
    let filter = IncidentFilter {
        status: q.status,
        open_only: q.open.unwrap_or(q.status.is_none()),
        grade: q.grade,
        created_from: q.max_age_minutes.map(|m| now - Duration::minutes(i64::from(m))),
        created_to: q.min_age_minutes.map(|m| now - Duration::minutes(i64::from(m))),
        cursor: q.cursor,
        limit: q.limit.unwrap_or(100),
    };
    let page = state.store.list_incidents(&filter).await?;
    let items: Vec<IncidentView> = page.items.into_iter().map(|i| dispatch::view(&state, i, now)).collect();
    let breached = items.iter().filter(|v| v.attendance.breached).count();
    Ok(Json(IncidentList { items, next_cursor: page.next_cursor, breached }))
}

/// An incident with everything linked to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentDetail {
    /// The incident and its attendance.
    #[serde(flatten)]
    pub view: IncidentView,
    /// Contacts it was raised from or linked to.
    pub contacts: Vec<String>,
    /// Linked incidents.
    pub linked_incidents: Vec<String>,
    /// Linked persons.
    pub persons: Vec<LinkedPerson>,
    /// Unit assignments, oldest first.
    pub assignments: Vec<Assignment>,
}

/// Read one incident with its links and assignments.
#[utoipa::path(get, path = "/api/v1/incidents/{reference}", tag = "incidents",
    params(("reference" = String, Path, example = "INC-20261123-0042")),
    responses((status = 200, body = IncidentDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    _auth: Authorized<ReadIncidents>,
    Path(reference): Path<String>,
) -> Result<Response, ApiError> {
    let i = state.store.get_incident(&reference).await?;
    let version = i.version;
    let detail = IncidentDetail {
        contacts: state.store.incident_contacts(&reference).await?,
        linked_incidents: state.store.linked_incidents(&reference).await?,
        persons: state.store.incident_persons(&reference).await?,
        assignments: state.store.incident_assignments(&reference).await?,
        view: dispatch::view(&state, i, Utc::now()),
    };
    Ok(etag(Json(detail).into_response(), version))
}

/// An incident's log, oldest first.
#[utoipa::path(get, path = "/api/v1/incidents/{reference}/log", tag = "incidents", params(("reference" = String, Path)),
    responses((status = 200, body = Vec<IncidentEntry>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn log(
    State(state): State<AppState>,
    _auth: Authorized<ReadIncidents>,
    Path(reference): Path<String>,
) -> Result<Json<Vec<IncidentEntry>>, ApiError> {
    Ok(Json(state.store.incident_log(&reference).await?))
}

/// A remark.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemarkInput {
    /// The remark.
    pub text: String,
}

/// Add a remark to an incident's log.
#[utoipa::path(post, path = "/api/v1/incidents/{reference}/remarks", tag = "incidents", request_body = RemarkInput,
    params(("reference" = String, Path)), responses((status = 201, body = IncidentView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn remark(
    State(state): State<AppState>,
    auth: Authorized<Dispatch>,
    Path(reference): Path<String>,
    body: ApiJson<RemarkInput>,
) -> Result<Response, ApiError> {
    let i = state.store.add_incident_remark(&auth.actor(), &reference, body.value.text).await?;
    let mut res = ok(&state, i);
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// A status move.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentTransitionInput {
    /// open, resourced or at_scene (close and reopen have their own endpoints).
    pub to: IncidentStatus,
    /// A remark for the log.
    pub note: Option<String>,
}

/// Move an incident between open, resourced and at scene. Illegal moves are refused with 422 and
/// change nothing.
#[utoipa::path(post, path = "/api/v1/incidents/{reference}/transitions", tag = "incidents", request_body = IncidentTransitionInput,
    params(("reference" = String, Path), ("If-Match" = Option<String>, Header, description = "Expected version")),
    responses((status = 200, body = IncidentView), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn transition(
    State(state): State<AppState>,
    auth: Authorized<Dispatch>,
    Path(reference): Path<String>,
    IfMatch(version): IfMatch,
    body: ApiJson<IncidentTransitionInput>,
) -> Result<Response, ApiError> {
    let t = body.value;
    let note = t.note.filter(|n| !n.trim().is_empty());
    let i = state.store.transition_incident(&auth.actor(), &reference, t.to, note, version).await?;
    Ok(ok(&state, i))
}

/// Close an incident with its closing classification and result; committed units are cleared.
#[utoipa::path(post, path = "/api/v1/incidents/{reference}/close", tag = "incidents", request_body = IncidentCloseInput,
    params(("reference" = String, Path), ("If-Match" = Option<String>, Header, description = "Expected version")),
    responses((status = 200, body = IncidentView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn close(
    State(state): State<AppState>,
    auth: Authorized<Dispatch>,
    Path(reference): Path<String>,
    IfMatch(version): IfMatch,
    body: ApiJson<IncidentCloseInput>,
) -> Result<Response, ApiError> {
    let c = body.value.validate(&state.config.dispatch.categories).map_err(ApiError::Validation)?;
    let i = state.store.close_incident(&auth.actor(), &reference, c, version).await?;
    Ok(ok(&state, i))
}

/// A reopen.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenInput {
    /// Why it is reopened (logged).
    pub reason: String,
}

/// Reopen a closed incident; the reason is logged.
#[utoipa::path(post, path = "/api/v1/incidents/{reference}/reopen", tag = "incidents", request_body = ReopenInput,
    params(("reference" = String, Path), ("If-Match" = Option<String>, Header, description = "Expected version")),
    responses((status = 200, body = IncidentView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn reopen(
    State(state): State<AppState>,
    auth: Authorized<Dispatch>,
    Path(reference): Path<String>,
    IfMatch(version): IfMatch,
    body: ApiJson<ReopenInput>,
) -> Result<Response, ApiError> {
    let i = state.store.reopen_incident(&auth.actor(), &reference, body.value.reason, version).await?;
    Ok(ok(&state, i))
}

/// A contact to link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkContactInput {
    /// The contact's reference.
    pub contact: String,
}

/// Link a further contact to an incident (a duplicate call).
#[utoipa::path(post, path = "/api/v1/incidents/{reference}/contacts", tag = "incidents", request_body = LinkContactInput,
    params(("reference" = String, Path)), responses((status = 201, body = IncidentView), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn link_contact(
    State(state): State<AppState>,
    auth: Authorized<RaiseIncidents>,
    Path(reference): Path<String>,
    body: ApiJson<LinkContactInput>,
) -> Result<Response, ApiError> {
    let i = state.store.link_contact_to_incident(&auth.actor(), &reference, &body.value.contact).await?;
    let mut res = ok(&state, i);
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// An incident to link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkIncidentInput {
    /// The other incident's reference.
    pub incident: String,
}

/// Link two incidents.
#[utoipa::path(post, path = "/api/v1/incidents/{reference}/links", tag = "incidents", request_body = LinkIncidentInput,
    params(("reference" = String, Path)), responses((status = 201, body = IncidentView), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn link_incident(
    State(state): State<AppState>,
    auth: Authorized<Dispatch>,
    Path(reference): Path<String>,
    body: ApiJson<LinkIncidentInput>,
) -> Result<Response, ApiError> {
    let i = state.store.link_incidents(&auth.actor(), &reference, &body.value.incident).await?;
    let mut res = ok(&state, i);
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// A person to link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkPersonInput {
    /// The person's reference in the person store.
    pub person_ref: String,
    /// How they are involved.
    pub role: PersonRole,
}

/// Link a person to an incident in a role.
#[utoipa::path(post, path = "/api/v1/incidents/{reference}/persons", tag = "incidents", request_body = LinkPersonInput,
    params(("reference" = String, Path)), responses((status = 201, body = IncidentView), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn link_person(
    State(state): State<AppState>,
    auth: Authorized<Dispatch>,
    Path(reference): Path<String>,
    body: ApiJson<LinkPersonInput>,
) -> Result<Response, ApiError> {
    let b = body.value;
    // Only a person the single citizen view knows (and not one merged away) can be linked.
    match state.store.get_person(&b.person_ref).await {
        Ok(_) => {}
        Err(fc_store::StoreError::NotFound { .. }) => {
            return Err(ApiError::Validation(vec![fc_domain::FieldError {
                field: "person_ref".into(),
                message: format!("no person {} in the single citizen view", b.person_ref),
            }]));
        }
        Err(other) => return Err(other.into()),
    }
    let i = state.store.link_person(&auth.actor(), &reference, &b.person_ref, b.role).await?;
    let mut res = ok(&state, i);
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// The nearest suitable available units by estimated travel time, with reasons.
#[utoipa::path(get, path = "/api/v1/incidents/{reference}/recommendations", tag = "incidents", params(("reference" = String, Path)),
    responses((status = 200, body = Vec<UnitRecommendation>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn recommendations(
    State(state): State<AppState>,
    _auth: Authorized<Dispatch>,
    Path(reference): Path<String>,
) -> Result<Json<Vec<UnitRecommendation>>, ApiError> {
    let i = state.store.get_incident(&reference).await?;
    Ok(Json(dispatch::recommendations(&state, &i).await?))
}

/// A unit to assign.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignInput {
    /// The unit's call sign.
    pub call_sign: String,
}

/// Assign a unit to an incident (the unit must be available, or en route elsewhere: diverted).
#[utoipa::path(post, path = "/api/v1/incidents/{reference}/assignments", tag = "incidents", request_body = AssignInput,
    params(("reference" = String, Path)),
    responses((status = 201, body = Unit), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn assign(
    State(state): State<AppState>,
    auth: Authorized<Dispatch>,
    Path(reference): Path<String>,
    body: ApiJson<AssignInput>,
) -> Result<(StatusCode, Json<Unit>), ApiError> {
    let call_sign = fc_domain::CallSign::parse(&body.value.call_sign).map_err(ApiError::from)?;
    let u = state.store.assign_unit(&auth.actor(), &reference, call_sign.as_str()).await?;
    Ok((StatusCode::CREATED, Json(u)))
}

/// "Probably the same incident": up to three open incidents this contact most likely belongs to.
#[utoipa::path(get, path = "/api/v1/contacts/{reference}/duplicate-incidents", tag = "incidents", params(("reference" = String, Path)),
    responses((status = 200, body = Vec<DuplicateSuggestion>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn duplicates(
    State(state): State<AppState>,
    _auth: Authorized<RaiseIncidents>,
    Path(reference): Path<String>,
) -> Result<Json<Vec<DuplicateSuggestion>>, ApiError> {
    Ok(Json(dispatch::duplicates_for_contact(&state, &reference).await?))
}

/// Aggregate figures: no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct Figures {
    /// Incidents by status and grade.
    pub counts: Vec<CountRow>,
    /// Open incidents past their attendance target now.
    pub open_breached: usize,
}

/// One count.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountRow {
    /// Status.
    pub status: IncidentStatus,
    /// Grade.
    pub grade: Grade,
    /// How many.
    pub count: i64,
}

/// Incident counts and live breaches, for analysts and supervisors.
#[utoipa::path(get, path = "/api/v1/incidents/figures", tag = "incidents", responses((status = 200, body = Figures)))]
pub async fn figures(
    State(state): State<AppState>,
    _auth: Authorized<ReadReports>,
) -> Result<Json<Figures>, ApiError> {
    let counts = state
        .store
        .incident_counts()
        .await?
        .into_iter()
        .map(|(status, grade, count)| CountRow { status, grade, count })
        .collect();
    let open_breached = dispatch::open_incidents(&state, dispatch::MAX_OPEN)
        .await?
        .iter()
        .filter(|v| v.attendance.breached)
        .count();
    Ok(Json(Figures { counts, open_breached }))
}
