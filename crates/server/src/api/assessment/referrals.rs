//! `/api/v1/referrals/{id}` and `/api/v1/referrals/{id}/transitions`: working a referral task a
//! questionnaire raised (e.g. MARAC at DASH high). Supervisors move it on — accept (assign to a
//! named user), send (to the partner agency, with its reference) or decline (with a reason) —
//! following the contacts transitions pattern: `to` names the new status, `If-Match` the version
//! expected, `Idempotency-Key` makes retries safe. Illegal moves are 422 and change nothing.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{ReviewTriage, WorkReferrals};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, IdempotencyKey, IfMatch};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use fc_domain::{FieldError, ReferralAction, ReferralStatus};
use fc_store::contacts::Idempotency;
use fc_store::contacts::questionnaires::Referral;
use serde::Deserialize;
use utoipa::ToSchema;

/// A move of a referral task. Which fields are needed depends on `to`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralTransitionInput {
    /// accepted, sent or declined.
    #[schema(value_type = String, example = "accepted")]
    pub to: Option<ReferralStatus>,
    /// For `accepted`: the username who owns the task from now (required).
    pub assignee: Option<String>,
    /// For `sent`: the partner agency (required).
    pub agency: Option<String>,
    /// For `sent`: the agency's reference or how it was sent (required).
    pub reference: Option<String>,
    /// For `sent`: anything else worth keeping (optional).
    pub note: Option<String>,
    /// For `declined`: why (required, 3 to 2000 characters).
    pub reason: Option<String>,
}

/// Turns the input into the domain's action, with a field error for each missing or misplaced
/// field (all at once, so a form can show them together).
pub fn action(input: ReferralTransitionInput) -> Result<ReferralAction, ApiError> {
    let mut errors = Vec::new();
    let mut need = |field: &str, v: &Option<String>| {
        if v.as_deref().is_none_or(|s| s.trim().is_empty()) {
            errors.push(FieldError { field: field.into(), message: "required for this move".into() });
        }
    };
    let (to, a) = (input.to, &input);
    match to {
        Some(ReferralStatus::Accepted) => need("assignee", &a.assignee),
        Some(ReferralStatus::Sent) => {
            need("agency", &a.agency);
            need("reference", &a.reference);
        }
        Some(ReferralStatus::Declined) => need("reason", &a.reason),
        Some(ReferralStatus::Open) | None => {}
    }
    let misplaced: [(&str, bool, &[ReferralStatus]); 5] = [
        ("assignee", a.assignee.is_some(), &[ReferralStatus::Accepted]),
        ("agency", a.agency.is_some(), &[ReferralStatus::Sent]),
        ("reference", a.reference.is_some(), &[ReferralStatus::Sent]),
        ("note", a.note.is_some(), &[ReferralStatus::Sent]),
        ("reason", a.reason.is_some(), &[ReferralStatus::Declined]),
    ];
    for (field, given, applies) in misplaced {
        if given && to.is_some_and(|t| !applies.contains(&t)) {
            errors.push(FieldError { field: field.into(), message: "does not apply to this move".into() });
        }
    }
    match to {
        None => errors.insert(
            0,
            FieldError {
                field: "to".into(),
                message: "say where to move: accepted, sent or declined".into(),
            },
        ),
        Some(ReferralStatus::Open) => errors.insert(
            0,
            FieldError { field: "to".into(), message: "a referral never moves back to open".into() },
        ),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let text = |v: Option<String>| v.unwrap_or_default();
    Ok(match to {
        Some(ReferralStatus::Accepted) => ReferralAction::Accept { assignee: text(input.assignee) },
        Some(ReferralStatus::Sent) => ReferralAction::Send {
            agency: text(input.agency),
            reference: text(input.reference),
            note: input.note,
        },
        _ => ReferralAction::Decline { reason: text(input.reason) },
    })
}

fn with_etag(referral: Referral) -> Response {
    let etag = HeaderValue::from_str(&format!("\"{}\"", referral.version));
    let mut res = Json(referral).into_response();
    if let Ok(v) = etag {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// One referral task, with its version as the ETag (supervisors and auditors; audited as a
/// consultation).
#[utoipa::path(get, path = "/api/v1/referrals/{id}", tag = "triage", params(("id" = i64, Path)),
    responses((status = 200, body = Referral), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    auth: Authorized<ReviewTriage>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let referral = state.store.get_referral(id).await?;
    super::questionnaires::audit_list(&state, &auth.user.username, "API", std::slice::from_ref(&referral))
        .await?;
    Ok(with_etag(referral))
}

/// Move a referral task on (supervisors): `accepted` with an `assignee`, `sent` with `agency` and
/// `reference` (and an optional `note`), `declined` with a `reason`. Open → accepted → sent, or
/// declined from open or accepted; sent and declined are final. Each move is a log entry on the
/// contact; sending is audited as a disclosure. 200 with the task (ETag: its version).
#[utoipa::path(post, path = "/api/v1/referrals/{id}/transitions", tag = "triage",
    request_body = ReferralTransitionInput,
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "Expected version"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = Referral),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale If-Match, or a key reused", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing field, an unknown user, or an illegal move", body = Problem,
            content_type = "application/problem+json")))]
pub async fn transition(
    State(state): State<AppState>,
    auth: Authorized<WorkReferrals>,
    ApiPath(id): ApiPath<i64>,
    IfMatch(version): IfMatch,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<ReferralTransitionInput>,
) -> Result<Response, ApiError> {
    let idempotency =
        key.map(|key| Idempotency { key, fingerprint: format!("referral:{id}:{}", body.fingerprint) });
    let action = action(body.value)?;
    let (referral, _) = state.store.move_referral(&auth.actor(), id, action, version, idempotency).await?;
    Ok(with_etag(referral))
}
