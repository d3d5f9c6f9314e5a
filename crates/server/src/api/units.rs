//! `/api/v1/units`: create (supervisors, administrators), list and read, report position and
//! status (dispatchers, and the tokens of vehicle location systems and officers' devices), the
//! status history; and `/api/v1/dispatch/events`, the dispatcher's live stream with attendance
//! breaches announced as they happen.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{ManageUnits, ReadIncidents, ReadUnits, ReportUnits};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use fc_domain::unit::{NewUnitInput, UnitPatchInput};
use fc_domain::{CallSign, Unit, UnitStatus};
use fc_store::units::UnitHistoryEntry;
use futures::Stream;
use serde::Deserialize;
use std::collections::HashSet;
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;
use utoipa::IntoParams;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units", axum::routing::post(create).get(list))
        .route("/units/{call_sign}", get(read).patch(update))
        .route("/units/{call_sign}/history", get(history))
        .route("/dispatch/events", get(events))
}

fn call_sign(s: &str) -> Result<String, ApiError> {
    Ok(CallSign::parse(s).map_err(ApiError::from)?.to_string())
}

/// Create a unit.
#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = NewUnitInput,
    responses((status = 201, body = Unit), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    auth: Authorized<ManageUnits>,
    body: ApiJson<NewUnitInput>,
) -> Result<(StatusCode, Json<Unit>), ApiError> {
    let new = body.value.validate().map_err(ApiError::Validation)?;
    Ok((StatusCode::CREATED, Json(state.store.create_unit(&auth.actor(), new).await?)))
}

/// Filter for listing units.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UnitQuery {
    /// Only this status.
    #[param(value_type = Option<String>)]
    pub status: Option<UnitStatus>,
}

/// Every unit, by call sign.
#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(UnitQuery), responses((status = 200, body = Vec<Unit>)))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<ReadUnits>,
    query: Result<Query<UnitQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Unit>>, ApiError> {
    let Query(q) = query?;
    Ok(Json(state.store.list_units(q.status).await?))
}

/// One unit.
#[utoipa::path(get, path = "/api/v1/units/{call_sign}", tag = "units", params(("call_sign" = String, Path, example = "MC21")),
    responses((status = 200, body = Unit), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    _auth: Authorized<ReadUnits>,
    Path(cs): Path<String>,
) -> Result<Json<Unit>, ApiError> {
    Ok(Json(state.store.get_unit(&call_sign(&cs)?).await?))
}

/// Report a unit's position and/or status, as a vehicle location system or an officer's device
/// does (with an API token). Changing skills or station needs a supervisor or administrator.
/// Illegal status moves (arriving before being assigned) are refused with 422 and change nothing.
#[utoipa::path(patch, path = "/api/v1/units/{call_sign}", tag = "units", request_body = UnitPatchInput,
    params(("call_sign" = String, Path)),
    responses((status = 200, body = Unit), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    auth: Authorized<ReportUnits>,
    Path(cs): Path<String>,
    body: ApiJson<UnitPatchInput>,
) -> Result<Json<Unit>, ApiError> {
    let patch = body.value.validate(Utc::now()).map_err(ApiError::Validation)?;
    if (patch.skills.is_some() || patch.home_station.is_some()) && !auth.user.role.can_manage_units() {
        return Err(ApiError::Forbidden(format!(
            "a {} cannot change a unit's skills or station",
            auth.user.role.label().to_lowercase()
        )));
    }
    Ok(Json(state.store.update_unit(&auth.actor(), &call_sign(&cs)?, patch).await?))
}

/// A unit's status history, oldest first.
#[utoipa::path(get, path = "/api/v1/units/{call_sign}/history", tag = "units", params(("call_sign" = String, Path)),
    responses((status = 200, body = Vec<UnitHistoryEntry>)))]
pub async fn history(
    State(state): State<AppState>,
    _auth: Authorized<ReadUnits>,
    Path(cs): Path<String>,
) -> Result<Json<Vec<UnitHistoryEntry>>, ApiError> {
    let cs = call_sign(&cs)?;
    state.store.get_unit(&cs).await?;
    Ok(Json(state.store.unit_history(&cs).await?))
}

/// The dispatcher's live stream: `incident` and `unit` events after each committed change, and
/// `attendance_breach` (`{reference, grade, elapsed_seconds, target_seconds}`) the first time an
/// open incident passes its attendance target. `resync` means reload.
#[utoipa::path(get, path = "/api/v1/dispatch/events", tag = "units",
    responses((status = 200, description = "text/event-stream", content_type = "text/event-stream")))]
pub async fn events(
    State(state): State<AppState>,
    _auth: Authorized<ReadIncidents>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    Sse::new(dispatch_stream(state)).keep_alive(KeepAlive::default())
}

struct Live {
    state: AppState,
    rx: tokio::sync::broadcast::Receiver<fc_store::StoreEvent>,
    tick: tokio::time::Interval,
    announced: HashSet<String>,
    pending: Vec<Event>,
}

/// Incident and unit changes plus attendance breaches, for the API and the dispatcher screen.
pub fn dispatch_stream(state: AppState) -> impl Stream<Item = Result<Event, Infallible>> {
    let live = Live {
        rx: state.store.subscribe(),
        state,
        tick: tokio::time::interval(std::time::Duration::from_secs(10)),
        announced: HashSet::new(),
        pending: Vec::new(),
    };
    futures::stream::unfold(live, |mut live| async move {
        loop {
            if let Some(e) = live.pending.pop() {
                return Some((Ok(e), live));
            }
            tokio::select! {
                r = live.rx.recv() => match r {
                    Ok(e) if e.kind() != "contact" => {
                        let ev = Event::default().event(e.kind()).json_data(&e).unwrap_or_else(|_| Event::default().event("resync"));
                        return Some((Ok(ev), live));
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => return Some((Ok(Event::default().event("resync").data("reload")), live)),
                    Err(RecvError::Closed) => return None,
                },
                _ = live.tick.tick() => {
                    if let Ok(open) = crate::dispatch::open_incidents(&live.state, crate::dispatch::MAX_OPEN).await {
                        for v in open.iter().filter(|v| v.attendance.breached && !v.attendance.attended) {
                            let r = v.incident.reference.to_string();
                            if live.announced.insert(r.clone()) {
                                let data = serde_json::json!({
                                    "reference": r, "grade": v.incident.grade,
                                    "elapsed_seconds": v.attendance.elapsed_seconds, "target_seconds": v.attendance.target_seconds,
                                });
                                live.pending.push(Event::default().event("attendance_breach").data(data.to_string()));
                            }
                        }
                    }
                }
            }
        }
    })
}
