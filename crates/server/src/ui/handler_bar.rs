//! The handler's "Ready / Break / Take next" bar on the queue page: plain forms (CSRF-protected)
//! that change the signed-in handler's state or take the next contact, then come back or open it.

use super::auth::Signed;
use super::error::UiError;
use super::form::{CSRF_FIELD, Form};
use crate::AppState;
use crate::api::handlers::take_next_for;
use crate::auth::permission::TakeContacts;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use fc_domain::HandlerState;
use fc_store::handlers::Handler;
use maud::{Markup, html};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/handler/state", post(set_state)).route("/handler/next", post(next))
}

/// The bar for a handler in `h`'s state (keyboard: r ready, b break, t take next).
pub fn bar(h: &Handler, csrf: &str) -> Markup {
    let button = |state: HandlerState, label: &str, key: &str| {
        let legal = h.state.transition(state).is_ok();
        html! {
            form.inline method="post" action="/handler/state" {
                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                input type="hidden" name="state" value=(state.as_str());
                button.secondary type="submit" disabled[!legal] data-key=(key) { (label) " " kbd { (key) } }
            }
        }
    };
    html! {
        section #handler-bar.handler-bar aria-label="Your state" {
            p { "You are " strong #handler-state { (h.state.label()) } "." }
            @if h.state == HandlerState::SignedOut { (button(HandlerState::SignedIn, "Sign in to the queue", "s")) }
            (button(HandlerState::Ready, "Ready", "r"))
            (button(HandlerState::Break, "Break", "b"))
            form.inline method="post" action="/handler/next" {
                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                button type="submit" data-key="t" disabled[!matches!(h.state, HandlerState::Ready | HandlerState::WrapUp | HandlerState::OnContact)] {
                    "Take next " kbd { "t" }
                }
            }
            @if h.state == HandlerState::OnContact { (button(HandlerState::WrapUp, "Wrap-up", "w")) }
            @if h.state.transition(HandlerState::SignedOut).is_ok() { (button(HandlerState::SignedOut, "Sign out of the queue", "o")) }
        }
    }
}

async fn set_state(
    State(state): State<AppState>,
    auth: Signed<TakeContacts>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let to: HandlerState = form.text("state").parse().map_err(crate::error::ApiError::from)?;
    let actor = auth.actor();
    state.store.set_handler_state(&actor, &actor.username, to, None).await?;
    Ok(Redirect::to("/").into_response())
}

async fn next(
    State(state): State<AppState>,
    auth: Signed<TakeContacts>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    match take_next_for(&state, &auth.actor()).await? {
        Some(a) => Ok(Redirect::to(&format!("/contacts/{}", a.contact.reference)).into_response()),
        None => Ok(Redirect::to("/?none_waiting=1").into_response()),
    }
}
