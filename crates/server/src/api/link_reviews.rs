//! `/api/v1/link-reviews`: contacts the matcher could not decide on, and the decision a handler or
//! supervisor makes (link to a candidate, or a new person), always with a reason.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::LinkPersons;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath};
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use fc_domain::FieldError;
use fc_store::persons::{Decision, LinkReview, PersonLink};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/link-reviews", get(list)).route("/link-reviews/{id}/decision", post(decide))
}

/// Which reviews.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// pending (default) or decided.
    pub status: Option<String>,
    /// At most this many (1 to 500, default 100).
    pub limit: Option<u32>,
}

/// Reviews, pending ones oldest first.
#[utoipa::path(get, path = "/api/v1/link-reviews", tag = "persons", params(ReviewQuery),
    responses((status = 200, body = Vec<LinkReview>), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<LinkPersons>,
    query: Result<Query<ReviewQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<LinkReview>>, ApiError> {
    let Query(q) = query?;
    let status = q.status.unwrap_or_else(|| "pending".into());
    if status != "pending" && status != "decided" {
        return Err(ApiError::Validation(vec![FieldError {
            field: "status".into(),
            message: "pending or decided".into(),
        }]));
    }
    Ok(Json(state.store.list_link_reviews(&status, q.limit.unwrap_or(100)).await?))
}

/// What was decided.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum DecisionKind {
    /// The contact is the candidate named in `person`.
    Link,
    /// The contact is someone new.
    NewPerson,
}

/// A decision on a review.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// link or new_person.
    pub decision: DecisionKind,
    /// The candidate's reference, with `link`.
    pub person: Option<String>,
    /// Why (3 to 2000 characters).
    pub reason: String,
}

/// The decided review and the link it made.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResult {
    /// The review, now decided.
    pub review: LinkReview,
    /// The link made.
    pub link: PersonLink,
}

/// Decide a review: link the contact to a candidate, or to a new person.
#[utoipa::path(post, path = "/api/v1/link-reviews/{id}/decision", tag = "persons", request_body = DecisionInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = DecisionResult), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn decide(
    State(state): State<AppState>,
    auth: Authorized<LinkPersons>,
    ApiPath(id): ApiPath<i64>,
    body: ApiJson<DecisionInput>,
) -> Result<Json<DecisionResult>, ApiError> {
    let d = body.value;
    let decision = match (d.decision, d.person) {
        (DecisionKind::Link, Some(p)) => Decision::Link(p),
        (DecisionKind::Link, None) => {
            return Err(ApiError::Validation(vec![FieldError {
                field: "person".into(),
                message: "name the candidate to link to".into(),
            }]));
        }
        (DecisionKind::NewPerson, None) => Decision::NewPerson,
        (DecisionKind::NewPerson, Some(_)) => {
            return Err(ApiError::Validation(vec![FieldError {
                field: "person".into(),
                message: "a new person takes no candidate".into(),
            }]));
        }
    };
    let (review, link) = state.store.decide_link_review(&auth.actor(), id, decision, &d.reason).await?;
    Ok(Json(DecisionResult { review, link }))
}
