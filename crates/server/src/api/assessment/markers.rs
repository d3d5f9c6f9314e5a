//! `/api/v1/contacts/{ref}/markers`: vulnerability markers from the force's configurable list
//! (the triage engine's `MarkerList`; the default is issue 4's twelve). Set with POST, cleared
//! with DELETE, each a log entry with who, when and why; markers feed the person's history.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{ReadContacts, WriteContacts};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fc_domain::FieldError;
use fc_store::contacts::markers::MarkerState;
use fc_triage::Marker;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A marker to set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkerInput {
    /// A code from the force's list (see `available` in the GET answer).
    pub code: String,
    /// Why (optional).
    pub note: Option<String>,
}

/// Why a marker is cleared (query string).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ClearQuery {
    /// Why (optional).
    pub note: Option<String>,
}

/// The markers on a contact and the list they come from.
#[derive(Debug, Serialize, ToSchema)]
pub struct Markers {
    /// Set now, in the order set.
    pub markers: Vec<MarkerState>,
    /// The force's marker list (code and label).
    #[schema(value_type = Vec<Object>)]
    pub available: Vec<Marker>,
}

/// Refuses a code the force's list does not hold.
pub fn known(state: &AppState, code: &str) -> Result<(), ApiError> {
    if state.triage.markers().get(code).is_some() {
        return Ok(());
    }
    Err(ApiError::Validation(vec![FieldError {
        field: "code".into(),
        message: format!("{code:?} is not a marker; use one of {}", state.triage.markers().codes()),
    }]))
}

async fn current(state: &AppState, reference: &str) -> Result<Markers, ApiError> {
    Ok(Markers {
        markers: state.store.contact_markers(reference).await?,
        available: state.triage.markers().markers.clone(),
    })
}

/// The force's marker list (code, label, category: vulnerability, warning or pattern), the one
/// list person and contact markers both use. No personal data.
#[utoipa::path(get, path = "/api/v1/markers", tag = "triage",
    responses((status = 200, description = "`version` and `markers` [{`code`, `label`, `category`}]", body = Object)))]
pub async fn available(
    State(state): State<AppState>,
    _auth: Authorized<ReadContacts>,
) -> Json<fc_triage::MarkerList> {
    Json(state.triage.markers().clone())
}

/// The markers on a contact (audited as a consultation).
#[utoipa::path(get, path = "/api/v1/contacts/{reference}/markers", tag = "triage", params(("reference" = String, Path)),
    responses((status = 200, body = Markers), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    auth: Authorized<ReadContacts>,
    Path(reference): Path<String>,
) -> Result<Json<Markers>, ApiError> {
    state.store.view_contact(&auth.actor(), &reference, "API vulnerability markers").await?;
    Ok(Json(current(&state, &reference).await?))
}

/// Set a marker (201 with the markers now); 409 if it is already set.
#[utoipa::path(post, path = "/api/v1/contacts/{reference}/markers", tag = "triage", request_body = MarkerInput,
    params(("reference" = String, Path)),
    responses((status = 201, body = Markers), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    Path(reference): Path<String>,
    body: ApiJson<MarkerInput>,
) -> Result<Response, ApiError> {
    let input = body.value;
    known(&state, &input.code)?;
    state.store.change_marker(&auth.actor(), &reference, &input.code, true, input.note).await?;
    Ok((StatusCode::CREATED, Json(current(&state, &reference).await?)).into_response())
}

/// Clear a marker (200 with the markers now); 409 if it is not set. `?note=` says why. A code the
/// force has since removed from its list can still be cleared.
#[utoipa::path(delete, path = "/api/v1/contacts/{reference}/markers/{code}", tag = "triage",
    params(("reference" = String, Path), ("code" = String, Path, example = "mental_health"), ClearQuery),
    responses((status = 200, body = Markers), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn clear(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    ApiPath((reference, code)): ApiPath<(String, String)>,
    query: Result<Query<ClearQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Markers>, ApiError> {
    let Query(q) = query?;
    let note = q.note;
    state.store.change_marker(&auth.actor(), &reference, &code, false, note).await?;
    Ok(Json(current(&state, &reference).await?))
}
