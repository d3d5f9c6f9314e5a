//! The web UI: server-rendered pages (maud) for people in the control room, beside the JSON API.
//!
//! Keyboard-first and accessible: every field has a label, errors sit beside their fields, focus
//! is always visible, and the live queue announces changes politely. Pages work without
//! JavaScript; the one embedded script only adds live updates (SSE), ticking wait times and
//! keyboard shortcuts. Nothing is fetched from another origin.
//!
//! Pages never render problem+json: every failure goes through [`error::UiError`], which turns it
//! into a redirect to sign in or an HTML page. Every form that changes something carries the
//! session's CSRF token (`form::Form::check_csrf`).

mod assets;
mod auth;
mod contact;
mod dashboard;
mod dispatch;
pub mod error;
pub(crate) mod form;
mod format;
mod handler_bar;
mod layout;
mod login;
pub(crate) mod new_contact;
mod persons;
mod plan;
pub(crate) mod queue;
mod reports;
mod review;
#[cfg(test)]
mod tests;
mod wellbeing;

use crate::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::Response;

/// Largest form accepted: a narrative at the domain's limit, percent-encoded, with room to spare.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// Every UI route: pages, the queue fragment, the UI's event stream and the embedded assets.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(login::router())
        .merge(queue::router())
        .merge(new_contact::router())
        .merge(contact::router())
        .merge(dispatch::router())
        .merge(review::router())
        .merge(handler_bar::router())
        .merge(dashboard::router())
        .merge(reports::router())
        .merge(plan::router())
        .merge(persons::router())
        .merge(wellbeing::router())
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .fallback(error::not_found)
        .layer(axum::middleware::map_response(page_headers))
        .merge(assets::router())
}

/// Headers every page gets: scripts and styles only from this origin (so injected markup cannot
/// run), no framing, and no caching of pages that hold personal data.
async fn page_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
