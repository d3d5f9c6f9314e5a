//! The single citizen view's records: persons, the links from contacts to persons, the person log,
//! the link review queue and markers.
//!
//! Every change is one transaction that writes the new state, an attributed entry in the
//! append-only `person_events`, and (for combination, i.e. linking and merging) an audit entry.
//! Links are never deleted: an undo deactivates the link and says who, when and why. This module
//! never decides whether two records are the same person; the caller (the matcher, a person in the
//! review queue) does, and passes the weight and explanation it relied on.

mod link;
mod markers;
mod pairs;
mod read;
mod review;

pub use link::{BatchMember, ContactLink, NewLink};
pub use pairs::{NewPair, PairDecision, PairReview};
pub use read::{
    LinkState, LinkedRecord, MatchingState, PersonRecord, PersonStats, PersonSummary, PersonTriageHistory,
};
pub use review::{Decision, ReviewCandidate};

use crate::StoreError;
use crate::deferred::Cell;
use crate::rows::{corrupt, get, get_opt};
use crate::time::{from_micros, opt_from_micros, to_micros};
use crate::writer::WriteCtx;
use chrono::{DateTime, Utc};
use fc_domain::person::LinkHow;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::any::AnyRow;

/// A person: the subject of the single citizen view. Identity details live on the linked contacts
/// (each with its own source), not here, so nothing is copied and every value can be traced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    /// Row id (also the matcher's person id).
    #[serde(default)]
    pub id: i64,
    /// Public reference, e.g. `P-000123`.
    pub reference: String,
    /// When the person was first recorded.
    pub created_at: DateTime<Utc>,
    /// Who (or which process) recorded them.
    pub created_by: String,
    /// Set when this person was merged into another: the surviving person's reference.
    pub merged_into: Option<String>,
}

/// A contact's link to a person, active or ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonLink {
    /// Link id (used to undo it).
    pub id: i64,
    /// The person's reference.
    pub person: String,
    /// The contact's reference.
    pub contact: String,
    /// How it was made.
    pub how: LinkHow,
    /// Match weight (log2 odds) the decision relied on, when a match made it.
    pub weight: Option<f64>,
    /// Field-by-field explanation of the weight, as the matcher gave it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub explanation: Option<Value>,
    /// Who linked.
    pub linked_by: String,
    /// When.
    pub linked_at: DateTime<Utc>,
    /// False once undone or moved.
    pub active: bool,
    /// Who ended it.
    pub ended_by: Option<String>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Why it ended.
    pub ended_reason: Option<String>,
}

/// One entry of a person's log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonEvent {
    /// Position (increasing).
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// created, linked, unlinked, merged, merged_into, split, split_from, marker_set, marker_cleared.
    pub kind: String,
    /// The reason given, where one is required.
    pub reason: Option<String>,
    /// Details (contact references, weights, other person).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: Value,
}

/// A vulnerability, warning or pattern marker on a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Marker {
    /// Marker id (to clear it).
    pub id: i64,
    /// The person's reference.
    pub person: String,
    /// The code from the force's marker list (the same list as contact markers); a code the
    /// force has since removed is kept as written.
    pub code: String,
    /// What the handler needs to know.
    pub note: String,
    /// Who set it.
    pub set_by: String,
    /// When.
    pub set_at: DateTime<Utc>,
    /// Who cleared it.
    pub cleared_by: Option<String>,
    /// When.
    pub cleared_at: Option<DateTime<Utc>>,
    /// Why.
    pub cleared_reason: Option<String>,
}

/// A contact the matcher could not decide on, with the persons it might be.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkReview {
    /// Review id.
    pub id: i64,
    /// The contact's reference.
    pub contact: String,
    /// Candidate persons, best first.
    pub candidates: Vec<ReviewCandidate>,
    /// pending or decided.
    pub status: String,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// Who queued it (the matcher's actor).
    pub created_by: String,
    /// link or new_person.
    pub decision: Option<String>,
    /// The person the contact was linked to by the decision.
    pub decided_person: Option<String>,
    /// The reason given.
    pub reason: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
}

fn invalid(field: &str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid(vec![fc_domain::FieldError { field: field.into(), message: message.into() }])
}

pub(crate) const PERSON_COLUMNS: &str = "p.id, p.reference, p.created_at, p.created_by, \
     (SELECT m.reference FROM persons m WHERE m.id = p.merged_into) AS merged_ref";

fn person_from_row(row: &AnyRow) -> Result<Person, StoreError> {
    Ok(Person {
        id: get(row, "id")?,
        reference: get(row, "reference")?,
        created_at: from_micros(get(row, "created_at")?)?,
        created_by: get(row, "created_by")?,
        merged_into: get_opt(row, "merged_ref")?,
    })
}

pub(crate) const LINK_COLUMNS: &str = "l.id, p.reference AS person_ref, c.reference AS contact_ref, l.how, \
     l.weight, l.explanation, l.linked_by, l.linked_at, l.active, l.ended_by, l.ended_at, l.ended_reason";

fn link_from_row(row: &AnyRow) -> Result<PersonLink, StoreError> {
    let how: String = get(row, "how")?;
    let explanation: Option<String> = get_opt(row, "explanation")?;
    let active: i64 = get(row, "active")?;
    Ok(PersonLink {
        id: get(row, "id")?,
        person: get(row, "person_ref")?,
        contact: get(row, "contact_ref")?,
        how: how.parse().map_err(corrupt)?,
        weight: get_opt(row, "weight")?,
        explanation: explanation.map(|e| serde_json::from_str(&e)).transpose()?,
        linked_by: get(row, "linked_by")?,
        linked_at: from_micros(get(row, "linked_at")?)?,
        active: active != 0,
        ended_by: get_opt(row, "ended_by")?,
        ended_at: opt_from_micros(get_opt(row, "ended_at")?)?,
        ended_reason: get_opt(row, "ended_reason")?,
    })
}

fn event_from_row(row: &AnyRow) -> Result<PersonEvent, StoreError> {
    let data: String = get(row, "data")?;
    Ok(PersonEvent {
        id: get(row, "id")?,
        at: from_micros(get(row, "at")?)?,
        actor: get(row, "actor")?,
        kind: get(row, "kind")?,
        reason: get_opt(row, "reason")?,
        data: serde_json::from_str(&data)?,
    })
}

/// Appends to a person's log in the current transaction.
async fn log(
    ctx: &mut WriteCtx<'_>,
    person_id: i64,
    actor: &str,
    kind: &str,
    reason: Option<&str>,
    data: Value,
) -> Result<(), StoreError> {
    // Nothing reads a person's log inside a write: it goes with the batch's other rows at the end.
    ctx.defer_insert(
        "INSERT INTO person_events (person_id, at, actor, kind, reason, data)",
        vec![
            Cell::Int(person_id),
            Cell::Int(to_micros(ctx.now)),
            Cell::Text(actor.to_string()),
            Cell::Text(kind.to_string()),
            Cell::OptText(reason.map(str::to_string)),
            Cell::Text(data.to_string()),
        ],
    );
    Ok(())
}

/// With an idempotency key: the result an earlier request with the same key and body stored, or a
/// conflict when the key came with a different body; `None` when the request is new.
async fn replay<T: serde::de::DeserializeOwned>(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    idempotency: Option<&crate::contacts::Idempotency>,
) -> Result<Option<T>, StoreError> {
    let Some(i) = idempotency else { return Ok(None) };
    let row =
        sqlx::query("SELECT request_hash, result FROM person_idempotency_keys WHERE actor = $1 AND key = $2")
            .bind(actor)
            .bind(&i.key)
            .fetch_optional(&mut *ctx.conn)
            .await?;
    let Some(row) = row else { return Ok(None) };
    crate::rows::same_request(&i.key, &get::<String>(&row, "request_hash")?, &i.fingerprint)?;
    let result: String = get(&row, "result")?;
    Ok(Some(serde_json::from_str(&result)?))
}

/// Keeps a creating request's result under its idempotency key, in the same transaction.
async fn remember<T: Serialize>(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    idempotency: Option<&crate::contacts::Idempotency>,
    result: &T,
) -> Result<(), StoreError> {
    let Some(i) = idempotency else { return Ok(()) };
    sqlx::query(
        "INSERT INTO person_idempotency_keys (actor, key, request_hash, result, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(actor)
    .bind(&i.key)
    .bind(&i.fingerprint)
    .bind(serde_json::to_string(result)?)
    .bind(to_micros(ctx.now))
    .execute(&mut *ctx.conn)
    .await?;
    Ok(())
}

/// Loads a person by reference inside a write, refusing merged persons for changes.
async fn person_for_change(ctx: &mut WriteCtx<'_>, reference: &str) -> Result<Person, StoreError> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM persons p WHERE p.reference = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(reference)
        .fetch_optional(&mut *ctx.conn)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("person {reference}") })?;
    let p = person_from_row(&row)?;
    if let Some(into) = &p.merged_into {
        return Err(StoreError::Conflict(format!(
            "person {reference} was merged into {into}: change {into}"
        )));
    }
    Ok(p)
}

/// A review queue's rows with `status`, `select` being `SELECT … FROM …` with the review as `r`:
/// pending ones oldest first (the order they are worked), decided ones newest first.
async fn list_queue<T>(
    store: &crate::Store,
    select: &str,
    status: &str,
    limit: u32,
    from_row: fn(&AnyRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let order = if status == "pending" { "r.id" } else { "r.id DESC" };
    let sql = format!("{select} WHERE r.status = $1 ORDER BY {order} LIMIT $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(status)
        .bind(i64::from(limit.clamp(1, 500)))
        .fetch_all(store.reads())
        .await?;
    rows.iter().map(from_row).collect()
}

/// One row of a review queue by id (`what` names it in the not-found error).
async fn queue_item<T>(
    store: &crate::Store,
    select: &str,
    id: i64,
    what: &str,
    from_row: fn(&AnyRow) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let sql = format!("{select} WHERE r.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(store.reads())
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("{what} {id}") })?;
    from_row(&row)
}

/// The row id of a contact, inside a write.
async fn contact_id(ctx: &mut WriteCtx<'_>, reference: &str) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT id FROM contacts WHERE reference = $1")
        .bind(reference)
        .fetch_optional(&mut *ctx.conn)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("contact {reference}") })?;
    get(&row, "id")
}
