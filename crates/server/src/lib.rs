//! The HTTP face of FirstContact: a JSON API under `/api/v1` (documented by the OpenAPI document
//! it serves), the server-rendered web UI, and live updates over SSE, all in one axum router.
//!
//! Handlers are thin: they extract (authentication and role are extractors, so a handler cannot
//! forget them), call the store with the actor, and map the result. Errors become RFC 9457
//! problem+json in one place ([`error`]).

pub mod api;
pub mod auth;
pub mod config;
pub mod demand;
pub mod dispatch;
pub mod error;
pub mod extract;
pub mod live;
pub mod matcher;
pub mod profile;
mod request_id;
pub mod state;
pub mod ui;
pub mod wellbeing;

pub use config::ServerConfig;
pub use state::AppState;

use axum::Router;
use std::future::Future;
use tokio::net::TcpListener;

/// The whole application: API, UI and live events.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(api::router())
        .merge(ui::router())
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(request_id::span))
        .layer(axum::middleware::from_fn(request_id::assign))
        .with_state(state)
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains requests and closes the store
/// (which finishes every acknowledged write first).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.store.clone();
    state.persons.start();
    let routing = demand::router::spawn(state.clone());
    let router = app(state);
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await?;
    routing.abort();
    store.close().await;
    Ok(())
}
