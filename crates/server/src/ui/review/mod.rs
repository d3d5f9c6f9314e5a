//! Supervisors' review pages: grade overrides (decisions that departed from the recommended
//! grade) and the referrals questionnaires raised (which supervisors move on). Lists with filters
//! in the URL, so a filtered view can be bookmarked or shared; every view is audited like the
//! API's.

mod overrides;
mod referrals;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/overrides", get(overrides::page))
        .route("/referrals", get(referrals::page))
        .route("/referrals/{id}/transitions", post(referrals::transition))
}
