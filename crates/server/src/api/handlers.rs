//! `/api/v1/handlers`: handlers' skills (supervisors and administrators), the signed-in handler's
//! own state and "take next", and the list of handlers with their states for supervisors.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{SuperviseHandlers, TakeContacts};
use crate::demand::router;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use fc_demand::routing::route;
use fc_domain::{Channel, ContactStatus, HandlerState, Skill};
use fc_store::handlers::Handler;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/handlers", get(list))
        .route("/handlers/me/state", post(set_state))
        .route("/handlers/me/next", post(take_next))
        .route("/handlers/{username}/skills", get(skills).put(set_skills))
}

/// A handler with the contacts they hold now.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandlerView {
    /// The handler.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub handler: Handler,
    /// References of contacts in progress with them.
    pub holding: Vec<String>,
}

/// Every handler (call handlers and supervisors) with skills, state and what they hold.
#[utoipa::path(get, path = "/api/v1/handlers", tag = "handlers",
    responses((status = 200, body = Vec<HandlerView>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<SuperviseHandlers>,
) -> Result<Json<Vec<HandlerView>>, ApiError> {
    let loads = state.store.handler_loads().await?;
    let views = state
        .store
        .list_handlers()
        .await?
        .into_iter()
        .map(|h| {
            let holding =
                loads.iter().filter(|l| l.username == h.username).map(|l| l.reference.clone()).collect();
            HandlerView { handler: h, holding }
        })
        .collect();
    Ok(Json(views))
}

/// A handler's skills.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillsBody {
    /// Any of `999`, `101`, `digital`, `languages`, `bsl_relay`.
    #[schema(value_type = Vec<String>)]
    pub skills: Vec<Skill>,
}

/// Read a handler's skills.
#[utoipa::path(get, path = "/api/v1/handlers/{username}/skills", tag = "handlers", params(("username" = String, Path)),
    responses((status = 200, body = SkillsBody), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn skills(
    State(state): State<AppState>,
    _auth: Authorized<SuperviseHandlers>,
    Path(username): Path<String>,
) -> Result<Json<SkillsBody>, ApiError> {
    Ok(Json(SkillsBody { skills: state.store.handler(&username).await?.skills }))
}

/// Replace a handler's skills (audited).
#[utoipa::path(put, path = "/api/v1/handlers/{username}/skills", tag = "handlers", params(("username" = String, Path)),
    request_body = SkillsBody,
    responses((status = 200, body = SkillsBody), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_skills(
    State(state): State<AppState>,
    auth: Authorized<SuperviseHandlers>,
    Path(username): Path<String>,
    body: ApiJson<SkillsBody>,
) -> Result<Json<SkillsBody>, ApiError> {
    if body.value.skills.len() > Skill::ALL.len() * 2 {
        return Err(ApiError::Validation(vec![fc_domain::FieldError {
            field: "skills".into(),
            message: "too many entries".into(),
        }]));
    }
    let h = state.store.set_handler_skills(&auth.actor(), &username, body.value.skills).await?;
    Ok(Json(SkillsBody { skills: h.skills }))
}

/// A state change requested by the handler.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateInput {
    /// `signed_in`, `ready`, `wrap_up`, `break` or `signed_out` (`on_contact` comes from taking one).
    #[schema(value_type = String)]
    pub state: HandlerState,
    /// Why (optional, for the history).
    pub reason: Option<String>,
}

/// Change your own state: sign in, go ready, take a break, sign out. Illegal moves (signing out
/// with a caller on the line) are refused with 422 and change nothing.
#[utoipa::path(post, path = "/api/v1/handlers/me/state", tag = "handlers", request_body = StateInput,
    responses((status = 200, body = Object), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_state(
    State(state): State<AppState>,
    auth: Authorized<TakeContacts>,
    body: ApiJson<StateInput>,
) -> Result<Json<Handler>, ApiError> {
    let reason =
        body.value.reason.map(|r| r.trim().chars().take(500).collect::<String>()).filter(|r| !r.is_empty());
    let actor = auth.actor();
    let h = state.store.set_handler_state(&actor, &actor.username, body.value.state, reason).await?;
    Ok(Json(h))
}

/// The contact just taken: no caller details (open it to see them; that read is audited).
#[derive(Debug, Serialize, ToSchema)]
pub struct Taken {
    /// Reference.
    pub reference: String,
    /// Channel.
    #[schema(value_type = String)]
    pub channel: Channel,
    /// Now in progress.
    #[schema(value_type = String)]
    pub status: ContactStatus,
    /// When it reached the force.
    pub offered_at: DateTime<Utc>,
    /// Seconds it waited.
    pub waited_secs: i64,
    /// The handler's state now.
    #[schema(value_type = String)]
    pub handler_state: HandlerState,
}

/// Take the next contact: the most urgent waiting one you have the skills and room for (what the
/// router would offer you). 204 when nothing is waiting for you. You must be ready, in wrap-up,
/// or on webchats with room for another.
#[utoipa::path(post, path = "/api/v1/handlers/me/next", tag = "handlers",
    responses((status = 200, body = Taken), (status = 204, description = "Nothing waiting that you can take"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn take_next(
    State(state): State<AppState>,
    auth: Authorized<TakeContacts>,
) -> Result<Response, ApiError> {
    match take_next_for(&state, &auth.actor()).await? {
        None => Ok(StatusCode::NO_CONTENT.into_response()),
        Some(a) => Ok(Json(Taken {
            reference: a.contact.reference.to_string(),
            channel: a.contact.channel,
            status: a.contact.status,
            offered_at: a.contact.offered_at,
            waited_secs: a.contact.answered_at.map(|t| (t - a.contact.offered_at).num_seconds()).unwrap_or(0),
            handler_state: a.handler.state,
        })
        .into_response()),
    }
}

/// Takes the most urgent contact `actor` may take now (shared by the API and the UI bar); `None`
/// when nothing waits for them.
pub async fn take_next_for(
    state: &AppState,
    actor: &fc_domain::Actor,
) -> Result<Option<fc_store::handlers::Assignment>, ApiError> {
    let me = state.store.handler(&actor.username).await?;
    if !matches!(me.state, HandlerState::Ready | HandlerState::OnContact | HandlerState::WrapUp) {
        return Err(ApiError::Conflict(format!(
            "you are {}: go ready first",
            me.state.label().to_lowercase()
        )));
    }
    let loads = state.store.handler_loads().await?;
    let avail = router::available(std::slice::from_ref(&me), &loads, Some(&actor.username));
    let waiting = router::waiting(&state.store).await?;
    let offers = route(&waiting, &avail, &state.config.routing);
    let done = router::place(&state.store, actor, &offers[..offers.len().min(1)], &avail, &waiting).await;
    Ok(done.into_iter().next())
}
