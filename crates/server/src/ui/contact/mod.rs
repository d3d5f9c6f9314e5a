//! The contact screen: details, status, the lifecycle actions the domain allows from here, and the
//! contact's log. Opening it is audited as a consultation (`store.view_contact`). Actions are plain
//! forms (CSRF-checked) that post, then redirect back, so a reload never repeats them; each carries
//! the version the user saw, so acting on a contact someone else just changed is refused, not
//! silently applied.

mod render;

pub use render::contact_main;

use super::auth::Signed;
use super::error::UiError;
use super::form::Form;
use super::layout::{self, Nav};
use crate::AppState;
use crate::auth::permission::{ReadContacts, WriteContacts};
use crate::error::ApiError;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fc_domain::{ContactStatus, Outcome};
use fc_store::contacts::Transition;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/contacts/{reference}", get(show))
        .route("/contacts/{reference}/transition", post(transition))
}

/// Loads (audited) and renders the screen, with an optional message about a refused action.
async fn screen<P: crate::auth::permission::Permission>(
    state: &AppState,
    auth: &Signed<P>,
    reference: &str,
    problem: Option<&str>,
) -> Result<maud::Markup, UiError> {
    let contact = state.store.view_contact(&auth.actor(), reference, "UI contact screen").await?;
    let log = state.store.contact_log(reference).await?;
    let can_act = auth.user.role.can_write_contacts();
    let main = contact_main(&contact, &log, can_act, auth.csrf(), problem);
    let main = if auth.user.role.can_read_persons() {
        let person = crate::api::persons::load_contact_person(state, &auth.actor(), reference).await?;
        maud::html! { (super::persons::contact_banner(&person)) (main) (super::persons::contact_panel(&person)) }
    } else {
        main
    };
    Ok(layout::page(&contact.reference.to_string(), &auth.chrome(), Nav::Other, main))
}

async fn show(
    State(state): State<AppState>,
    auth: Signed<ReadContacts>,
    Path(reference): Path<String>,
) -> Result<maud::Markup, UiError> {
    screen(&state, &auth, &reference, None).await
}

/// Reads an action form into a transition; a message for the person when it cannot be one.
pub fn parse_transition(form: &Form) -> Result<(Transition, Option<i64>), String> {
    let to: ContactStatus = form.text("to").parse().map_err(|_| "choose an action".to_string())?;
    let outcome = match form.get("outcome").filter(|o| !o.is_empty()) {
        Some(o) => Some(o.parse::<Outcome>().map_err(|_| "choose an outcome from the list".to_string())?),
        None => None,
    };
    if to == ContactStatus::Closed && outcome.is_none() {
        return Err("choose an outcome to close the contact".into());
    }
    let note = Some(form.text("note").trim().to_string()).filter(|n| !n.is_empty());
    if to == ContactStatus::Transferred && note.is_none() {
        return Err("say where the contact was transferred to, and why".into());
    }
    if note.as_ref().is_some_and(|n| n.chars().count() > fc_domain::record::MAX_NARRATIVE_CHARS) {
        return Err("the note is too long".into());
    }
    let version = form.get("version").and_then(|v| v.parse().ok());
    Ok((Transition { to, outcome, note }, version))
}

async fn transition(
    State(state): State<AppState>,
    auth: Signed<WriteContacts>,
    Path(reference): Path<String>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let refusal = match parse_transition(&form) {
        Err(message) => (StatusCode::UNPROCESSABLE_ENTITY, message),
        Ok((t, version)) => {
            match state.store.transition_contact(&auth.actor(), &reference, t, version).await.map_err(ApiError::from) {
                Ok(c) => return Ok(Redirect::to(&format!("/contacts/{}", c.reference)).into_response()),
                Err(ApiError::Conflict(_)) => (
                    StatusCode::CONFLICT,
                    "someone else changed this contact while you were looking at it; this is the latest version, check it and try again"
                        .to_string(),
                ),
                Err(ApiError::Validation(errors)) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "),
                ),
                Err(e @ ApiError::Unprocessable(_)) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let (status, message) = refusal;
    let page = screen(&state, &auth, &reference, Some(&message)).await?;
    Ok((status, page).into_response())
}
