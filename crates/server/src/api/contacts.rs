//! `/api/v1/contacts`: create (idempotent), read, list, change, move through the lifecycle, and
//! read the log. Every read of a contact is audited as a consultation.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::{ReadContacts, SeeQueue, WriteContacts};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, IdempotencyKey, IfMatch};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use fc_domain::record::{ContactPatchInput, NewContactInput};
use fc_domain::{Channel, Contact, ContactStatus, Outcome};
use fc_store::contacts::{ContactEvent, ContactFilter, Idempotency, Transition};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/contacts", post(create).get(list))
        .route("/contacts/{reference}", get(read).patch(update))
        .route("/contacts/{reference}/transitions", post(transition))
        .route("/contacts/{reference}/notes", post(add_note))
        .route("/contacts/{reference}/log", get(log))
        .route("/queue", get(queue))
}

fn with_version(mut res: Response, version: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// Record a new contact. Send an `Idempotency-Key` so a retried request never records it twice.
#[utoipa::path(post, path = "/api/v1/contacts", tag = "contacts",
    request_body = NewContactInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the same key and body return the first result")),
    responses(
        (status = 201, description = "Recorded", body = Contact),
        (status = 200, description = "A retry: the contact the first request recorded", body = Contact),
        (status = 409, description = "Idempotency key reused with a different body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<NewContactInput>,
) -> Result<Response, ApiError> {
    let new = body.value.validate(Utc::now()).map_err(ApiError::Validation)?;
    let idempotency = key.map(|key| Idempotency { key, fingerprint: body.fingerprint.clone() });
    let created = state.store.create_contact(&auth.actor(), new, idempotency).await?;
    state.persons.enqueue(&created.contact.reference.to_string());
    let status = if created.replayed { StatusCode::OK } else { StatusCode::CREATED };
    let location = format!("/api/v1/contacts/{}", created.contact.reference);
    let version = created.contact.version;
    let mut res = (status, [(header::LOCATION, location)], Json(created.contact)).into_response();
    if created.replayed {
        res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(with_version(res, version))
}

/// Filters for listing contacts.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this channel.
    #[param(value_type = Option<String>)]
    pub channel: Option<Channel>,
    /// Only this status.
    #[param(value_type = Option<String>)]
    pub status: Option<ContactStatus>,
    /// Offered at or after (RFC 3339).
    pub offered_from: Option<DateTime<Utc>>,
    /// Offered before (RFC 3339).
    pub offered_to: Option<DateTime<Utc>>,
    /// Answered by this handler (username).
    pub handler: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

/// A page of contacts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactList {
    /// Newest first.
    pub items: Vec<Contact>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// List contacts, newest first, with filters and cursor pagination.
#[utoipa::path(get, path = "/api/v1/contacts", tag = "contacts", params(ListQuery),
    responses((status = 200, body = ContactList), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    auth: Authorized<ReadContacts>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ContactList>, ApiError> {
    let Query(q) = query?;
    if let Some(l) = q.limit.filter(|l| !(1..=200).contains(l)) {
        return Err(ApiError::Validation(vec![fc_domain::FieldError {
            field: "limit".into(),
            message: format!("must be between 1 and 200, not {l}"),
        }]));
    }
    let filter = ContactFilter {
        channel: q.channel,
        status: q.status,
        offered_from: q.offered_from,
        offered_to: q.offered_to,
        handler: q.handler,
        cursor: q.cursor,
        limit: q.limit.unwrap_or(50),
    };
    let page = state.store.list_contacts(&filter).await?;
    state
        .store
        .audit(vec![fc_store::audit::AuditEntry {
            actor: auth.user.username.clone(),
            action: fc_store::audit::AuditAction::Consultation,
            record_type: "contact".into(),
            record_id: "list".into(),
            detail: format!(
                "listed {} contacts: {}",
                page.items.len(),
                page.items.iter().map(|c| c.reference.to_string()).collect::<Vec<_>>().join(" ")
            ),
            justification: None,
        }])
        .await?;
    Ok(Json(ContactList { items: page.items, next_cursor: page.next_cursor }))
}

/// Read one contact (audited as a consultation).
#[utoipa::path(get, path = "/api/v1/contacts/{reference}", tag = "contacts",
    params(("reference" = String, Path, example = "FC-20261122-000123")),
    responses((status = 200, body = Contact), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    auth: Authorized<ReadContacts>,
    Path(reference): Path<String>,
) -> Result<Response, ApiError> {
    let c = state.store.view_contact(&auth.actor(), &reference, "API read").await?;
    let version = c.version;
    Ok(with_version(Json(c).into_response(), version))
}

/// Change a contact's details. Send `If-Match` with the version you saw to avoid overwriting
/// someone else's change.
#[utoipa::path(patch, path = "/api/v1/contacts/{reference}", tag = "contacts", request_body = ContactPatchInput,
    params(("reference" = String, Path), ("If-Match" = Option<String>, Header, description = "Expected version")),
    responses((status = 200, body = Contact), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    Path(reference): Path<String>,
    IfMatch(version): IfMatch,
    body: ApiJson<ContactPatchInput>,
) -> Result<Response, ApiError> {
    let patch = body.value.validate(Utc::now()).map_err(ApiError::Validation)?;
    let c = state.store.update_contact(&auth.actor(), &reference, patch, version).await?;
    state.persons.enqueue(&reference);
    let version = c.version;
    Ok(with_version(Json(c).into_response(), version))
}

/// A lifecycle move.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    /// Where to move: queued, in_progress, closed, abandoned, transferred.
    pub to: ContactStatus,
    /// Required when closing.
    pub outcome: Option<Outcome>,
    /// A remark for the log.
    pub note: Option<String>,
}

/// Move a contact through its lifecycle (received → queued → in progress → closed, or abandoned,
/// or transferred). Illegal moves are refused with 422 and change nothing.
#[utoipa::path(post, path = "/api/v1/contacts/{reference}/transitions", tag = "contacts", request_body = TransitionInput,
    params(("reference" = String, Path), ("If-Match" = Option<String>, Header, description = "Expected version")),
    responses((status = 200, body = Contact), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn transition(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    Path(reference): Path<String>,
    IfMatch(version): IfMatch,
    body: ApiJson<TransitionInput>,
) -> Result<Response, ApiError> {
    let t = body.value;
    let note = t.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let c = state
        .store
        .transition_contact(
            &auth.actor(),
            &reference,
            Transition { to: t.to, outcome: t.outcome, note },
            version,
        )
        .await?;
    let version = c.version;
    Ok(with_version(Json(c).into_response(), version))
}

/// A remark.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    /// The remark.
    pub text: String,
}

/// Add a remark to a contact's log.
#[utoipa::path(post, path = "/api/v1/contacts/{reference}/notes", tag = "contacts", request_body = NoteInput,
    params(("reference" = String, Path)), responses((status = 201, body = Contact)))]
pub async fn add_note(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    Path(reference): Path<String>,
    body: ApiJson<NoteInput>,
) -> Result<(StatusCode, Json<Contact>), ApiError> {
    let c = state.store.add_contact_note(&auth.actor(), &reference, body.value.text).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// A contact's log, oldest first (audited as a consultation).
#[utoipa::path(get, path = "/api/v1/contacts/{reference}/log", tag = "contacts", params(("reference" = String, Path)),
    responses((status = 200, body = Vec<ContactEvent>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn log(
    State(state): State<AppState>,
    auth: Authorized<ReadContacts>,
    Path(reference): Path<String>,
) -> Result<Json<Vec<ContactEvent>>, ApiError> {
    let entries = state.store.contact_log(&reference).await?;
    state
        .store
        .audit(vec![fc_store::audit::AuditEntry {
            actor: auth.user.username.clone(),
            action: fc_store::audit::AuditAction::Consultation,
            record_type: "contact".into(),
            record_id: reference,
            detail: "API read of the contact log".into(),
            justification: None,
        }])
        .await?;
    Ok(Json(entries))
}

/// A waiting contact, as the queue shows it: no caller details.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItem {
    /// Reference.
    pub reference: String,
    /// Channel.
    pub channel: Channel,
    /// Status (received or queued).
    pub status: ContactStatus,
    /// Flags.
    pub flags: Vec<fc_domain::ContactFlag>,
    /// When it reached the force.
    pub offered_at: DateTime<Utc>,
    /// Seconds waiting so far.
    pub waiting_seconds: i64,
}

/// Contacts waiting for a handler, most urgent first: channel priority, then longest wait.
#[utoipa::path(get, path = "/api/v1/queue", tag = "contacts", responses((status = 200, body = Vec<QueueItem>)))]
pub async fn queue(
    State(state): State<AppState>,
    _auth: Authorized<SeeQueue>,
    _headers: HeaderMap,
) -> Result<Json<Vec<QueueItem>>, ApiError> {
    let now = Utc::now();
    let items = state
        .store
        .queue(500)
        .await?
        .into_iter()
        .map(|c| QueueItem {
            reference: c.reference.to_string(),
            channel: c.channel,
            status: c.status,
            flags: c.flags,
            offered_at: c.offered_at,
            waiting_seconds: (now - c.offered_at).num_seconds().max(0),
        })
        .collect();
    Ok(Json(items))
}
