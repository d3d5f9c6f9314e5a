//! The JSON API under `/api/v1`, one module per area, merged here. The OpenAPI document is built
//! from the handlers' annotations, so it cannot drift from the code.

pub mod aml;
pub mod assessment;
pub mod audit;
pub mod contacts;
pub mod demand;
pub mod handlers;
pub mod health;
pub mod incidents;
pub mod link_reviews;
pub mod openapi;
pub mod person_pairs;
pub mod persons;
pub mod session;
pub mod units;
pub mod users;
pub mod wellbeing;

use crate::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;

/// Every API route.
pub fn router() -> Router<AppState> {
    let v1 = Router::new()
        .merge(contacts::router())
        .merge(aml::router())
        .merge(assessment::router())
        .merge(session::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(crate::live::router())
        .merge(handlers::router())
        .merge(demand::router())
        .merge(openapi::router())
        .merge(incidents::router())
        .merge(units::router())
        .merge(persons::router())
        .merge(link_reviews::router())
        .merge(person_pairs::router())
        .merge(wellbeing::router())
        .layer(DefaultBodyLimit::max(64 * 1024))
        .fallback(|| async { crate::error::ApiError::NotFound("no such API route".into()) });
    Router::new().nest("/api/v1", v1).merge(health::router())
}
