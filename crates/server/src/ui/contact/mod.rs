//! The contact screen: details, status, the lifecycle actions the domain allows from here, and the
//! contact's log. Opening it is audited as a consultation (`store.view_contact`). Actions are plain
//! forms (CSRF-checked) that post, then redirect back, so a reload never repeats them; each carries
//! the version the user saw, so acting on a contact someone else just changed is refused, not
//! silently applied.

mod grade;
mod markers;
mod questionnaire;
mod render;
mod thrive;
mod triage;

pub use render::contact_main;
pub use triage::{GradeForm, TriageView};

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
        .route("/contacts/{reference}/grade", post(grade::grade))
        .route("/contacts/{reference}/thrive", post(thrive::record))
        .route("/contacts/{reference}/markers", post(markers::save))
        .route("/ui/contacts/{reference}/risk", get(risk_fragment))
        .route(
            "/contacts/{reference}/questionnaires/{id}",
            get(questionnaire::show).post(questionnaire::save),
        )
}

/// Forms refused and shown again with what was typed.
#[derive(Default, Clone, Copy)]
pub struct Kept<'a> {
    /// The grade form.
    pub grade: Option<&'a GradeForm>,
    /// The THRIVE form.
    pub thrive: Option<&'a crate::api::assessment::thrive::ThriveInput>,
    /// The THRIVE form's field errors.
    pub thrive_errors: &'a [fc_domain::FieldError],
}

/// Loads (audited) and renders the screen, with an optional message about a refused action and
/// refused forms to show again. The triage assessment is computed afresh from the contact as it
/// is now (the engine is pure and well under a millisecond).
async fn screen<P: crate::auth::permission::Permission>(
    state: &AppState,
    auth: &Signed<P>,
    reference: &str,
    problem: Option<&str>,
    kept: Kept<'_>,
) -> Result<maud::Markup, UiError> {
    let contact = state.store.view_contact(&auth.actor(), reference, "UI contact screen").await?;
    let log = state.store.contact_log(reference).await?;
    let can_act = auth.user.role.can_write_contacts();
    let assessed = crate::api::assessment::assess(state, &contact).await?;
    let thrive = crate::api::assessment::thrive::versions(state, reference).await?;
    let thrive_section =
        thrive::section(&contact, &thrive, can_act, auth.csrf(), kept.thrive, kept.thrive_errors);
    let results = state
        .store
        .contact_entries(reference, fc_store::contacts::questionnaires::QUESTIONNAIRE_COMPLETED)
        .await?;
    let results = questionnaire::results(&results, &log);
    let set = state.store.contact_markers(reference).await?;
    let markers = markers::section(&contact, state.triage.markers(), &set, can_act, auth.csrf());
    let triage = TriageView {
        assessment: &assessed.assessment,
        engine: &state.triage,
        can_grade: can_act,
        csrf: auth.csrf(),
        form: kept.grade,
        thrive: Some(&thrive_section),
        results: Some(&results),
        markers: Some(&markers),
    };
    let main = contact_main(&contact, &log, can_act, auth.csrf(), problem, Some(&triage));
    let panel = super::dispatch::contact_panel(state, &contact, auth.user.role, auth.csrf()).await?;
    let main = maud::html! { (main) (panel) };
    let main = if auth.user.role.can_read_persons() {
        let person = crate::api::persons::load_contact_person(state, &auth.actor(), reference).await?;
        maud::html! {
            (super::persons::contact_banner(&person, state.triage.markers())) (main)
            (super::persons::contact_panel(&person, state.triage.markers()))
        }
    } else {
        main
    };
    Ok(layout::page(&contact.reference.to_string(), &auth.chrome(), Nav::Other, main))
}

/// `GET /ui/contacts/{reference}/risk`: the live part of the risk panel, and the narrative with
/// its highlights in a `<template>`, for the page script to swap in after a change (audited like
/// the screen).
async fn risk_fragment(
    State(state): State<AppState>,
    auth: Signed<ReadContacts>,
    Path(reference): Path<String>,
) -> Result<maud::Markup, UiError> {
    let contact = state.store.view_contact(&auth.actor(), &reference, "UI live risk panel").await?;
    let assessed = crate::api::assessment::assess(&state, &contact).await?;
    let view = TriageView {
        assessment: &assessed.assessment,
        engine: &state.triage,
        can_grade: auth.user.role.can_write_contacts(),
        csrf: auth.csrf(),
        form: None,
        thrive: None,
        results: None,
        markers: None,
    };
    Ok(maud::html! {
        div #risk-live-new data-version=(contact.version) { (triage::live(&contact, &view)) }
        template #narrative-new {
            @if contact.narrative.is_empty() { p.muted { "No narrative recorded." } }
            @else { (triage::highlighted_narrative(&contact.narrative, &assessed.assessment)) }
        }
    })
}

async fn show(
    State(state): State<AppState>,
    auth: Signed<ReadContacts>,
    Path(reference): Path<String>,
) -> Result<maud::Markup, UiError> {
    screen(&state, &auth, &reference, None, Kept::default()).await
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
    let page = screen(&state, &auth, &reference, Some(&message), Kept::default()).await?;
    Ok((status, page).into_response())
}
