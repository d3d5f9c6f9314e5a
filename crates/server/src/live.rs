//! Live updates over server-sent events: committed changes, as they happen, for the queue and
//! dashboards. Events carry references and statuses only, never personal details; screens fetch
//! what they show (and that fetch is authorised and audited).

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::SeeQueue;
use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures::Stream;
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/events", get(events))
}

/// Stream of committed changes (`event: contact`, and `event: handler` when a handler's state
/// changes). If a client falls behind, it gets
/// `event: resync` and should reload.
#[utoipa::path(get, path = "/api/v1/events", tag = "live",
    responses((status = 200, description = "text/event-stream of {type, reference, channel, status, version}", content_type = "text/event-stream")))]
pub async fn events(
    State(state): State<AppState>,
    _auth: Authorized<SeeQueue>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    Sse::new(stream(state)).keep_alive(KeepAlive::default())
}

/// The event stream, for the API and the UI.
pub fn stream(state: AppState) -> impl Stream<Item = Result<Event, Infallible>> {
    let rx = state.store.subscribe();
    futures::stream::unfold(rx, |mut rx| async move {
        let event = match rx.recv().await {
            Ok(e) => Event::default()
                .event(e.kind())
                .json_data(&e)
                .unwrap_or_else(|_| Event::default().event("resync")),
            Err(RecvError::Lagged(_)) => Event::default().event("resync").data("reload"),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(event), rx))
    })
}
