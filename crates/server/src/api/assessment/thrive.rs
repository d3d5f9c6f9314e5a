//! `/api/v1/contacts/{ref}/thrive`: the structured THRIVE risk assessment. A POST records a new
//! version (the first assessment or a reassessment), never an overwrite; a GET lists every version,
//! oldest first. The current version feeds the grade rules (THRIVE high threat and risk → grade 1).

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{ReadContacts, WriteContacts};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, IdempotencyKey};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fc_domain::FieldError;
use fc_store::contacts::{ContactEvent, Idempotency, thrive::THRIVE_ASSESSED};
use fc_triage::{Judgement, ThriveDraft, ThriveElement, ThriveEntry, ThriveRecord, TriageError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most characters of free text per element.
pub const MAX_NOTES_CHARS: usize = 4000;

/// One element: a judgement and the handler's words.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ElementInput {
    /// none, low, medium, high (threat, harm, risk, vulnerability); yes, no (investigation,
    /// engagement); or not_assessed.
    #[serde(default)]
    #[schema(value_type = String, example = "high")]
    pub judgement: Judgement,
    /// Free text: the reasoning.
    #[serde(default)]
    pub notes: String,
}

/// A THRIVE assessment: the six elements, each optional (missing means not assessed).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ThriveInput {
    /// What threat exists, to whom.
    pub threat: ElementInput,
    /// What harm has been or could be caused.
    pub harm: ElementInput,
    /// How likely, how soon.
    pub risk: ElementInput,
    /// What investigation is needed (yes/no).
    pub investigation: ElementInput,
    /// Is the person vulnerable, why.
    pub vulnerability: ElementInput,
    /// What engagement is needed (yes/no).
    pub engagement: ElementInput,
}

impl ThriveInput {
    /// The element's input.
    fn get(&self, e: ThriveElement) -> &ElementInput {
        match e {
            ThriveElement::Threat => &self.threat,
            ThriveElement::Harm => &self.harm,
            ThriveElement::Risk => &self.risk,
            ThriveElement::Investigation => &self.investigation,
            ThriveElement::Vulnerability => &self.vulnerability,
            ThriveElement::Engagement => &self.engagement,
        }
    }

    /// The engine's draft, with every problem as a field error (`risk.judgement`, `harm.notes`).
    pub fn validate(&self) -> Result<ThriveDraft, Vec<FieldError>> {
        let mut draft = ThriveDraft::default();
        let mut errors = Vec::new();
        for e in ThriveElement::ALL {
            let input = self.get(e);
            let notes = input.notes.trim().to_string();
            if notes.chars().count() > MAX_NOTES_CHARS {
                errors.push(FieldError {
                    field: format!("{}.notes", e.as_str()),
                    message: format!("at most {MAX_NOTES_CHARS} characters"),
                });
            }
            *draft.entry_mut(e) = ThriveEntry { judgement: input.judgement, notes };
            let mut one = ThriveDraft::default();
            *one.entry_mut(e) = ThriveEntry { judgement: input.judgement, notes: String::new() };
            if let Err(TriageError::JudgementOutOfScale { expected, judgement, .. }) = one.validate() {
                errors.push(FieldError {
                    field: format!("{}.judgement", e.as_str()),
                    message: format!("{judgement} does not fit {}: choose {expected}", e.as_str()),
                });
            }
        }
        if errors.is_empty() { Ok(draft) } else { Err(errors) }
    }
}

/// Every THRIVE version of a contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThriveVersions {
    /// Oldest first; the last is current.
    #[schema(value_type = Vec<Object>)]
    pub versions: Vec<ThriveRecord>,
}

/// A stored THRIVE entry back into the engine's record.
pub fn record_of(e: &ContactEvent) -> Result<ThriveRecord, ApiError> {
    serde_json::from_value(e.data.clone())
        .map_err(|err| ApiError::Internal(format!("THRIVE entry {}: {err}", e.id)))
}

/// Every version of the contact's THRIVE assessment, oldest first.
pub async fn versions(state: &AppState, reference: &str) -> Result<Vec<ThriveRecord>, ApiError> {
    state.store.contact_entries(reference, THRIVE_ASSESSED).await?.iter().map(record_of).collect()
}

/// Record a THRIVE assessment (or reassessment) as a new version. Every element is optional
/// (`not_assessed`); judgements must fit their element (yes/no for investigation and engagement).
#[utoipa::path(post, path = "/api/v1/contacts/{reference}/thrive", tag = "triage", request_body = ThriveInput,
    params(("reference" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, description = "The new version", body = Object),
        (status = 200, description = "A retry: the version the first request recorded", body = Object),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn record(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    Path(reference): Path<String>,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<ThriveInput>,
) -> Result<Response, ApiError> {
    let draft = body.value.validate().map_err(ApiError::Validation)?;
    let json = serde_json::to_value(&draft).map_err(|e| ApiError::Internal(e.to_string()))?;
    let idem =
        key.map(|key| Idempotency { key, fingerprint: format!("{reference}:thrive:{}", body.fingerprint) });
    let done = state.store.record_thrive(&auth.actor(), &reference, json, idem).await?;
    let status = if done.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(record_of(&done.entry)?)).into_response())
}

/// Every version of the contact's THRIVE assessment, oldest first (audited as a consultation).
#[utoipa::path(get, path = "/api/v1/contacts/{reference}/thrive", tag = "triage",
    params(("reference" = String, Path)),
    responses((status = 200, body = ThriveVersions), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    auth: Authorized<ReadContacts>,
    Path(reference): Path<String>,
) -> Result<Json<ThriveVersions>, ApiError> {
    state.store.view_contact(&auth.actor(), &reference, "API THRIVE versions").await?;
    Ok(Json(ThriveVersions { versions: versions(&state, &reference).await? }))
}
