//! `/api/v1/contacts/{ref}/questionnaires/{id}`: DASH, S-DASH, RCRP (and any a force loads). The
//! engine scores the answers; professional judgement may raise the level (with a reason), never
//! lower it. The result is recorded on the contact's log; a result that calls for it (DASH high:
//! MARAC) raises a referral task that supervisors list at `/api/v1/referrals`.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{ReadContacts, ReviewTriage, WriteContacts};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, IdempotencyKey};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fc_domain::FieldError;
use fc_store::audit::{AuditAction, AuditEntry};
use fc_store::contacts::Idempotency;
use fc_store::contacts::questionnaires::{
    NewReferral, QUESTIONNAIRE_COMPLETED, QuestionnaireRecord, Referral, ReferralFilter,
};
use fc_triage::{Answer, ProfessionalJudgement, Questionnaire, QuestionnaireResult, RiskLevel, TriageError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// Answers to a questionnaire.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersInput {
    /// By question id: yes, no, not_known, not_asked. Questions left out count as not asked.
    #[schema(value_type = Object, example = json!({"q1": "yes", "q2": "no"}))]
    pub answers: BTreeMap<String, Answer>,
    /// The handler's professional judgement, to raise the level (never lower it).
    pub judgement: Option<JudgementInput>,
}

/// A raised level and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JudgementInput {
    /// standard, medium or high.
    #[schema(value_type = String, example = "high")]
    pub level: RiskLevel,
    /// Why (required).
    pub reason: String,
}

/// Scores answers with the engine, mapping its refusals to field errors.
pub fn evaluate(q: &Questionnaire, input: &AnswersInput) -> Result<QuestionnaireResult, ApiError> {
    let judgement =
        input.judgement.clone().map(|j| ProfessionalJudgement { level: j.level, reason: j.reason });
    let field = |field: String, message: String| ApiError::Validation(vec![FieldError { field, message }]);
    if input.judgement.as_ref().is_some_and(|j| j.reason.chars().count() > 4000) {
        return Err(field("judgement.reason".into(), "at most 4000 characters".into()));
    }
    q.evaluate(&input.answers, judgement).map_err(|e| match e {
        TriageError::UnknownQuestion { question, .. } => {
            field(format!("answers.{question}"), format!("{} has no question {question:?}", q.title))
        }
        TriageError::JudgementCannotLower { computed, requested } => field(
            "judgement.level".into(),
            format!("the answers give {computed}; professional judgement can raise it, never lower it to {requested}"),
        ),
        TriageError::Config { .. } => field("judgement.reason".into(), "say why you raise the level".into()),
        other => ApiError::Unprocessable(other.to_string()),
    })
}

/// Records a scored result and its referrals on the contact.
pub async fn record_result(
    state: &AppState,
    actor: &fc_domain::Actor,
    reference: &str,
    result: &QuestionnaireResult,
    idempotency: Option<Idempotency>,
) -> Result<fc_store::contacts::entries::Appended, ApiError> {
    let record = QuestionnaireRecord {
        questionnaire: result.questionnaire.clone(),
        level: result.final_level.as_str().to_string(),
        result: serde_json::to_value(result).map_err(|e| ApiError::Internal(e.to_string()))?,
        referrals: result
            .referrals
            .iter()
            .map(|r| NewReferral { task: r.task.clone(), text: r.text.clone() })
            .collect(),
    };
    Ok(state.store.record_questionnaire(actor, reference, record, idempotency).await?)
}

fn questionnaire<'a>(state: &'a AppState, id: &str) -> Result<&'a Questionnaire, ApiError> {
    state.triage.questionnaires().get(id).map_err(|_| ApiError::NotFound(format!("no questionnaire {id:?}")))
}

/// Answer a questionnaire for a contact. 201 with the result (score, computed and final level,
/// label, referrals raised); a HIGH DASH raises a MARAC referral task.
#[utoipa::path(post, path = "/api/v1/contacts/{reference}/questionnaires/{id}", tag = "triage",
    request_body = AnswersInput,
    params(("reference" = String, Path), ("id" = String, Path, example = "dash"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, description = "The recorded result", body = Object),
        (status = 200, description = "A retry: the result the first request recorded", body = Object),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown question, lowering judgement, missing reason", body = Problem,
            content_type = "application/problem+json")))]
pub async fn answer(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    ApiPath((reference, id)): ApiPath<(String, String)>,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<AnswersInput>,
) -> Result<Response, ApiError> {
    let q = questionnaire(&state, &id)?;
    let result = evaluate(q, &body.value)?;
    let idem =
        key.map(|key| Idempotency { key, fingerprint: format!("{reference}:{id}:{}", body.fingerprint) });
    let done = record_result(&state, &auth.actor(), &reference, &result, idem).await?;
    let status = if done.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(done.entry.data)).into_response())
}

/// A questionnaire's questions, levels and referral rules (for clients that render the form).
#[utoipa::path(get, path = "/api/v1/questionnaires/{id}", tag = "triage",
    params(("id" = String, Path, example = "dash")),
    responses((status = 200, body = Object), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn definition(
    State(state): State<AppState>,
    _auth: Authorized<ReadContacts>,
    Path(id): Path<String>,
) -> Result<Json<Questionnaire>, ApiError> {
    Ok(Json(questionnaire(&state, &id)?.clone()))
}

/// Every questionnaire result recorded on a contact, oldest first (audited as a consultation).
#[utoipa::path(get, path = "/api/v1/contacts/{reference}/questionnaires", tag = "triage",
    params(("reference" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn results(
    State(state): State<AppState>,
    auth: Authorized<ReadContacts>,
    Path(reference): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state.store.view_contact(&auth.actor(), &reference, "API questionnaire results").await?;
    let entries = state.store.contact_entries(&reference, QUESTIONNAIRE_COMPLETED).await?;
    Ok(Json(serde_json::json!({ "results": entries })))
}

/// Filters for referrals.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReferralsQuery {
    /// Only this task kind (marac_referral, stalking_referral, health_referral).
    pub task: Option<String>,
    /// Only this status: open, accepted, sent or declined.
    #[param(value_type = Option<String>)]
    pub status: Option<fc_domain::ReferralStatus>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// From `next_before` of the previous page.
    pub before: Option<i64>,
}

/// A page of referrals.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralList {
    /// Newest first.
    pub items: Vec<Referral>,
    /// Pass as `before` for the next page; absent when this page was not full.
    pub next_before: Option<i64>,
}

/// Referral tasks raised by questionnaire results, newest first (supervisors and auditors;
/// audited as a consultation).
#[utoipa::path(get, path = "/api/v1/referrals", tag = "triage", params(ReferralsQuery),
    responses((status = 200, body = ReferralList), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn referrals(
    State(state): State<AppState>,
    auth: Authorized<ReviewTriage>,
    query: Result<Query<ReferralsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ReferralList>, ApiError> {
    let Query(q) = query?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::Validation(vec![FieldError {
            field: "limit".into(),
            message: format!("must be between 1 and 200, not {limit}"),
        }]));
    }
    let filter = ReferralFilter { task: q.task, status: q.status, limit, before: q.before };
    let items = state.store.list_referrals(&filter).await?;
    audit_list(&state, &auth.user.username, "API", &items).await?;
    let next_before = if items.len() == limit as usize { items.last().map(|r| r.id) } else { None };
    Ok(Json(ReferralList { items, next_before }))
}

/// Audits a view of referrals (they name contacts and describe people's risk).
pub async fn audit_list(state: &AppState, who: &str, via: &str, items: &[Referral]) -> Result<(), ApiError> {
    state
        .store
        .audit(vec![AuditEntry {
            actor: who.to_string(),
            action: AuditAction::Consultation,
            record_type: "contact".into(),
            record_id: "referrals".into(),
            detail: format!(
                "{via} listed {} referrals: {}",
                items.len(),
                items.iter().map(|r| r.reference.as_str()).collect::<Vec<_>>().join(" ")
            ),
            justification: None,
        }])
        .await?;
    Ok(())
}
