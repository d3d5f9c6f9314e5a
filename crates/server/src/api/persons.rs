//! `/api/v1/persons`, `/api/v1/contacts/{ref}/person`, `/api/v1/person-links`: the single
//! citizen view. Every response holding personal data is audited as a consultation; links,
//! merges and splits as combination (in the store, in the same transaction as the change).
//! Roles: handlers, dispatchers and supervisors open profiles, auditors too (read-only, to check
//! what was combined and why); analysts only get `/persons/stats` (no personal data); handlers and
//! supervisors decide reviews, undo links and set markers; only supervisors merge and split.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{LinkPersons, MergePersons, ReadPersonFigures, ReadPersons};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, IdempotencyKey};
use crate::profile::{self, CandidateView, ContactPerson, PersonProfile};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use chrono::Utc;
use fc_domain::Actor;
use fc_store::audit::{AuditAction, AuditEntry};
use fc_store::contacts::Idempotency;
use fc_store::persons::{LinkState, Marker, PersonLink, PersonStats, PersonSummary};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/persons", get(search))
        .route("/persons/stats", get(stats))
        .route("/persons/{reference}", get(read))
        .route("/persons/{reference}/merge", post(merge))
        .route("/persons/{reference}/split", post(split))
        .route("/persons/{reference}/markers", post(set_marker))
        .route("/persons/{reference}/markers/{id}", delete(clear_marker))
        .route("/person-links/{id}/undo", post(undo))
        .route("/contacts/{reference}/person", get(contact_person))
}

/// Reads and builds a profile, auditing the consultation.
pub async fn load_profile(
    state: &AppState,
    actor: &Actor,
    reference: &str,
    purpose: &str,
) -> Result<PersonProfile, ApiError> {
    let record = state.store.view_person(actor, reference, purpose).await?;
    Ok(profile::build(record, Utc::now()))
}

/// What the contact screen shows: the linked person (or the review's candidates). Audited.
pub async fn load_contact_person(
    state: &AppState,
    actor: &Actor,
    contact: &str,
) -> Result<ContactPerson, ApiError> {
    let c = state.store.get_contact(contact).await?;
    let link_state = state.store.link_state(contact).await?;
    let mut out = ContactPerson { state: String::new(), person: None, review: None, candidates: Vec::new() };
    out.state = match link_state {
        LinkState::Linked(_) => {
            if let Some((p, _)) = state.store.person_of_contact(contact).await? {
                let mut prof =
                    load_profile(state, actor, &p.reference, &format!("contact screen for {contact}"))
                        .await?;
                prof.timeline.truncate(10);
                out.person = Some(prof);
            }
            "linked"
        }
        LinkState::InReview => {
            if let Some(r) = state.store.pending_review_of(contact).await? {
                for cand in &r.candidates {
                    let prof =
                        load_profile(state, actor, &cand.person, &format!("review candidate for {contact}"))
                            .await?;
                    out.candidates.push(CandidateView {
                        person: cand.person.clone(),
                        weight: cand.weight,
                        probability: cand.probability,
                        explanation: cand.explanation.clone(),
                        identity: prof.identity,
                        repeat: prof.repeat,
                    });
                }
                out.review = Some(r);
            }
            "in_review"
        }
        LinkState::Undone => "undone",
        LinkState::Unlinked if c.caller.has_personal_data() => "unlinked",
        LinkState::Unlinked => "no_details",
    }
    .to_string();
    Ok(out)
}

/// Search terms.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A person reference, or part of a name, phone or email (2 characters or more).
    pub q: String,
    /// At most this many (1 to 100, default 25).
    pub limit: Option<u32>,
}

/// Find persons by reference, name, phone or email (audited as a consultation).
#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", params(SearchQuery),
    responses((status = 200, body = Vec<PersonSummary>), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    auth: Authorized<ReadPersons>,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<PersonSummary>>, ApiError> {
    let Query(q) = query?;
    let hits = state.store.search_persons(&q.q, q.limit.unwrap_or(25)).await?;
    state
        .store
        .audit(vec![AuditEntry {
            actor: auth.user.username.clone(),
            action: AuditAction::Consultation,
            record_type: "person".into(),
            record_id: "search".into(),
            detail: format!(
                "searched persons for {:?}: {}",
                q.q,
                hits.iter().map(|h| h.reference.as_str()).collect::<Vec<_>>().join(" ")
            ),
            justification: None,
        }])
        .await?;
    Ok(Json(hits))
}

/// Figures about persons and linking, with no personal data.
#[utoipa::path(get, path = "/api/v1/persons/stats", tag = "persons", responses((status = 200, body = PersonStats)))]
pub async fn stats(
    State(state): State<AppState>,
    _auth: Authorized<ReadPersonFigures>,
) -> Result<Json<PersonStats>, ApiError> {
    Ok(Json(state.store.person_stats().await?))
}

/// A person's profile: identity with sources, timeline across channels, repeat counts, markers,
/// link explanations (audited as a consultation).
#[utoipa::path(get, path = "/api/v1/persons/{reference}", tag = "persons", params(("reference" = String, Path, example = "P-000123")),
    responses((status = 200, body = PersonProfile), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    auth: Authorized<ReadPersons>,
    Path(reference): Path<String>,
) -> Result<Json<PersonProfile>, ApiError> {
    Ok(Json(load_profile(&state, &auth.actor(), &reference, "API read of the person profile").await?))
}

/// The person a contact is linked to, or the candidates when it waits for review (audited).
#[utoipa::path(get, path = "/api/v1/contacts/{reference}/person", tag = "persons", params(("reference" = String, Path)),
    responses((status = 200, body = ContactPerson), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn contact_person(
    State(state): State<AppState>,
    auth: Authorized<ReadPersons>,
    Path(reference): Path<String>,
) -> Result<Json<ContactPerson>, ApiError> {
    Ok(Json(load_contact_person(&state, &auth.actor(), &reference).await?))
}

/// A reason for a change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    /// Why (3 to 2000 characters); recorded in the person log and the audit log.
    pub reason: String,
}

/// Merge another person into this one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    /// The person to merge into this one (they are kept, marked merged).
    pub from: String,
    /// Why.
    pub reason: String,
}

/// Merge `from` into this person: every contact and marker moves (supervisors only).
#[utoipa::path(post, path = "/api/v1/persons/{reference}/merge", tag = "persons", request_body = MergeInput,
    params(("reference" = String, Path)),
    responses((status = 200, body = PersonProfile), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn merge(
    State(state): State<AppState>,
    auth: Authorized<MergePersons>,
    Path(reference): Path<String>,
    body: ApiJson<MergeInput>,
) -> Result<Json<PersonProfile>, ApiError> {
    let m = body.value;
    state.store.merge_persons(&auth.actor(), &m.from, &reference, &m.reason).await?;
    Ok(Json(load_profile(&state, &auth.actor(), &reference, "after merge").await?))
}

/// Contacts to split off into a new person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitInput {
    /// Contact references to move.
    pub contacts: Vec<String>,
    /// Why.
    pub reason: String,
}

/// Move contacts off this person into a new person (supervisors only).
#[utoipa::path(post, path = "/api/v1/persons/{reference}/split", tag = "persons", request_body = SplitInput,
    params(("reference" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = PersonProfile), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn split(
    State(state): State<AppState>,
    auth: Authorized<MergePersons>,
    Path(reference): Path<String>,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<SplitInput>,
) -> Result<(StatusCode, Json<PersonProfile>), ApiError> {
    let idempotency = key.map(|key| Idempotency { key, fingerprint: body.fingerprint.clone() });
    let s = body.value;
    let (new, replayed) =
        state.store.split_person(&auth.actor(), &reference, s.contacts, &s.reason, idempotency).await?;
    let status = if replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(load_profile(&state, &auth.actor(), &new.reference, "after split").await?)))
}

/// Undo a link: it stays on record as ended; the contact is left for people to decide.
#[utoipa::path(post, path = "/api/v1/person-links/{id}/undo", tag = "persons", request_body = ReasonInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = PersonLink), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn undo(
    State(state): State<AppState>,
    auth: Authorized<LinkPersons>,
    ApiPath(id): ApiPath<i64>,
    body: ApiJson<ReasonInput>,
) -> Result<Json<PersonLink>, ApiError> {
    let link = state.store.undo_link(&auth.actor(), id, &body.value.reason).await?;
    Ok(Json(link))
}

/// A new marker.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkerInput {
    /// A code from the force's marker list (the same list as contact markers: see `available`
    /// in `GET /api/v1/contacts/{reference}/markers`), e.g. `weapons`, `mental_health`.
    #[schema(example = "weapons")]
    pub code: String,
    /// What the next handler needs to know.
    pub note: String,
}

/// Refuses a person marker code the force's list does not hold (422 with a field error on
/// `code` listing the valid codes), so only the list's codes are ever written.
pub fn known_marker(state: &AppState, code: &str) -> Result<(), ApiError> {
    crate::api::assessment::markers::known(state, code)
}

/// Set a vulnerability, warning or pattern marker from the force's list.
#[utoipa::path(post, path = "/api/v1/persons/{reference}/markers", tag = "persons", request_body = MarkerInput,
    params(("reference" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = Marker), (status = 200, description = "A retry: the first result", body = Marker), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_marker(
    State(state): State<AppState>,
    auth: Authorized<LinkPersons>,
    Path(reference): Path<String>,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<MarkerInput>,
) -> Result<(StatusCode, Json<Marker>), ApiError> {
    let idempotency = key.map(|key| Idempotency { key, fingerprint: body.fingerprint.clone() });
    let m = body.value;
    known_marker(&state, &m.code)?;
    let (marker, replayed) =
        state.store.set_marker(&auth.actor(), &reference, &m.code, &m.note, idempotency).await?;
    Ok((if replayed { StatusCode::OK } else { StatusCode::CREATED }, Json(marker)))
}

/// Clear a marker (kept on record with who, when and why).
#[utoipa::path(delete, path = "/api/v1/persons/{reference}/markers/{id}", tag = "persons", request_body = ReasonInput,
    params(("reference" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = Marker), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn clear_marker(
    State(state): State<AppState>,
    auth: Authorized<LinkPersons>,
    ApiPath((reference, id)): ApiPath<(String, i64)>,
    body: ApiJson<ReasonInput>,
) -> Result<Json<Marker>, ApiError> {
    Ok(Json(state.store.clear_marker(&auth.actor(), &reference, id, &body.value.reason).await?))
}
