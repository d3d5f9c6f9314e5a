//! `/api/v1/person-pair-reviews`: pairs of persons who may be one (a contact matched both above
//! the link threshold, or batch linking's anti-chaining guard held a strong link back), and the
//! supervisor's decision: merge them into the survivor they choose, or keep them apart, with a
//! reason. Deciding is a merge's power, so it needs the merge permission.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{LinkPersons, MergePersons};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath};
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use fc_domain::FieldError;
use fc_store::persons::{PairDecision, PairReview, Person};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/person-pair-reviews", get(list))
        .route("/person-pair-reviews/{id}", get(one))
        .route("/person-pair-reviews/{id}/decision", post(decide))
}

/// Which pairs.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PairQuery {
    /// pending (default), merged or kept_apart.
    pub status: Option<String>,
    /// At most this many (1 to 500, default 100).
    pub limit: Option<u32>,
}

/// Possible same person pairs, pending ones oldest first.
#[utoipa::path(get, path = "/api/v1/person-pair-reviews", tag = "persons", params(PairQuery),
    responses((status = 200, body = Vec<PairReview>), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<LinkPersons>,
    query: Result<Query<PairQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<PairReview>>, ApiError> {
    let Query(q) = query?;
    let status = q.status.unwrap_or_else(|| "pending".into());
    if !["pending", "merged", "kept_apart"].contains(&status.as_str()) {
        return Err(ApiError::Validation(vec![FieldError {
            field: "status".into(),
            message: "pending, merged or kept_apart".into(),
        }]));
    }
    Ok(Json(state.store.list_pair_reviews(&status, q.limit.unwrap_or(100)).await?))
}

/// One pair (references and evidence only; open each person's profile to see their details).
#[utoipa::path(get, path = "/api/v1/person-pair-reviews/{id}", tag = "persons", params(("id" = i64, Path)),
    responses((status = 200, body = PairReview), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn one(
    State(state): State<AppState>,
    _auth: Authorized<LinkPersons>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PairReview>, ApiError> {
    Ok(Json(state.store.get_pair_review(id).await?))
}

/// What was decided.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum PairDecisionKind {
    /// One person: merge the other into `survivor`.
    Merge,
    /// Two people.
    KeepApart,
}

/// A decision on a pair.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairDecisionInput {
    /// merge or keep_apart.
    pub decision: PairDecisionKind,
    /// With `merge`: which of the two survives (the other is merged into them).
    pub survivor: Option<String>,
    /// Why (3 to 2000 characters).
    pub reason: String,
}

/// The decided pair and, for a merge, the surviving person.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairDecisionResult {
    /// The pair, now decided.
    pub review: PairReview,
    /// The survivor after a merge (absent for keep apart, and on a retried decision).
    pub survivor: Option<Person>,
}

/// Decide a pair: merge into the chosen survivor, or keep apart (supervisors). Repeating the same
/// decision returns the first answer; a different one is a 409.
#[utoipa::path(post, path = "/api/v1/person-pair-reviews/{id}/decision", tag = "persons", request_body = PairDecisionInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = PairDecisionResult), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn decide(
    State(state): State<AppState>,
    auth: Authorized<MergePersons>,
    ApiPath(id): ApiPath<i64>,
    body: ApiJson<PairDecisionInput>,
) -> Result<Json<PairDecisionResult>, ApiError> {
    let d = body.value;
    let decision = match (d.decision, d.survivor) {
        (PairDecisionKind::Merge, Some(survivor)) => PairDecision::Merge { survivor },
        (PairDecisionKind::Merge, None) => {
            return Err(ApiError::Validation(vec![FieldError {
                field: "survivor".into(),
                message: "name which of the two persons survives the merge".into(),
            }]));
        }
        (PairDecisionKind::KeepApart, None) => PairDecision::KeepApart,
        (PairDecisionKind::KeepApart, Some(_)) => {
            return Err(ApiError::Validation(vec![FieldError {
                field: "survivor".into(),
                message: "keeping apart names no survivor".into(),
            }]));
        }
    };
    let (review, survivor) = state.store.decide_pair_review(&auth.actor(), id, decision, &d.reason).await?;
    Ok(Json(PairDecisionResult { review, survivor }))
}
