//! `/api/v1/audit`: auditors search the log and check its chain. Searching the log is itself
//! logged, with the justification the auditor gives. Nothing here can change an entry.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::ReadAudit;
use crate::error::{ApiError, Problem};
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use fc_domain::FieldError;
use fc_store::audit::{AuditAction, AuditEntry, AuditQuery, AuditRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(search)).route("/audit/verify", get(verify))
}

/// Search filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditSearch {
    /// Only this user.
    pub actor: Option<String>,
    /// Only this kind of processing.
    #[param(value_type = Option<String>)]
    pub action: Option<AuditAction>,
    /// Only this record kind (contact, user…).
    pub record_type: Option<String>,
    /// Only this record (e.g. a contact reference).
    pub record_id: Option<String>,
    /// Entries before this sequence number (paging).
    pub before: Option<i64>,
    /// Page size, 1 to 500.
    pub limit: Option<u32>,
    /// Why you are searching (required; recorded).
    pub justification: Option<String>,
}

/// Search the audit log, newest first. A justification is required and recorded.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditSearch),
    responses((status = 200, body = Vec<AuditRecord>), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    auth: Authorized<ReadAudit>,
    query: Result<Query<AuditSearch>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<AuditRecord>>, ApiError> {
    let Query(q) = query?;
    let justification =
        q.justification.map(|j| j.trim().to_string()).filter(|j| !j.is_empty()).ok_or_else(|| {
            ApiError::Validation(vec![FieldError {
                field: "justification".into(),
                message: "say why you are searching the audit log".into(),
            }])
        })?;
    let filter = AuditQuery {
        actor: q.actor,
        action: q.action,
        record_type: q.record_type,
        record_id: q.record_id,
        before_seq: q.before,
        limit: q.limit.unwrap_or(100),
    };
    let found = state.store.search_audit(&filter).await?;
    state
        .store
        .audit(vec![AuditEntry {
            actor: auth.user.username.clone(),
            action: AuditAction::Consultation,
            record_type: "audit_log".into(),
            record_id: "search".into(),
            detail: format!("{filter:?}, {} entries", found.len()),
            justification: Some(justification),
        }])
        .await?;
    Ok(Json(found))
}

/// The result of checking the chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyResult {
    /// Whether every entry links and hashes correctly.
    pub intact: bool,
    /// Entries checked.
    pub entries: i64,
    /// First entry found altered or missing.
    pub first_broken: Option<i64>,
    /// What is wrong there.
    pub problem: Option<String>,
}

/// Check the audit chain end to end.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", responses((status = 200, body = VerifyResult)))]
pub async fn verify(
    State(state): State<AppState>,
    _auth: Authorized<ReadAudit>,
) -> Result<Json<VerifyResult>, ApiError> {
    let r = state.store.verify_audit().await?;
    Ok(Json(VerifyResult {
        intact: r.first_broken.is_none(),
        entries: r.entries,
        first_broken: r.first_broken,
        problem: r.problem,
    }))
}
