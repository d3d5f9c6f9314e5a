//! Triage entries on a contact's log (THRIVE versions, questionnaire results, markers): each is an
//! attributed, timestamped, append-only log entry written with the contact's new version in one
//! transaction, optionally made idempotent so a retried POST returns the first entry.

use super::change::{load, save};
use super::{ContactEvent, Idempotency, event_from_row};
use crate::rows::get;
use crate::time::to_micros;
use crate::writer::WriteCtx;
use crate::{Store, StoreError};
use fc_domain::{Actor, Contact};
use serde_json::Value;

/// A triage entry appended to a contact's log.
#[derive(Debug, Clone, PartialEq)]
pub struct Appended {
    /// The contact after the entry (its version moved on).
    pub contact: Contact,
    /// The entry.
    pub entry: ContactEvent,
    /// True when an earlier request with the same idempotency key wrote it.
    pub replayed: bool,
}

/// The entry an earlier request with this key wrote, if any; a key reused with another request
/// is a conflict.
pub(super) async fn replay(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    idempotency: Option<&Idempotency>,
) -> Result<Option<Appended>, StoreError> {
    let Some(Idempotency { key, fingerprint }) = idempotency else { return Ok(None) };
    let row = sqlx::query("SELECT request_hash, event_id FROM triage_requests WHERE actor = $1 AND key = $2")
        .bind(&actor.username)
        .bind(key)
        .fetch_optional(&mut *ctx.conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    crate::rows::same_request(key, &get::<String>(&row, "request_hash")?, fingerprint)?;
    let event_id: i64 = get(&row, "event_id")?;
    let row = sqlx::query(
        "SELECT e.id, e.at, e.actor, e.kind, e.data, c.reference FROM contact_events e \
         JOIN contacts c ON c.id = e.contact_id WHERE e.id = $1",
    )
    .bind(event_id)
    .fetch_one(&mut *ctx.conn)
    .await?;
    let entry = event_from_row(&row)?;
    let reference: String = get(&row, "reference")?;
    let (_, contact) = load(ctx, &reference, None).await?;
    Ok(Some(Appended { contact, entry, replayed: true }))
}

/// Appends the entry (with the contact's new version) and remembers the idempotency key.
pub(super) async fn append(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    id: i64,
    mut contact: Contact,
    kind: &str,
    data: Value,
    idempotency: Option<&Idempotency>,
) -> Result<Appended, StoreError> {
    save(ctx, actor, id, &mut contact, kind, data).await?;
    let row = sqlx::query(
        "SELECT id, at, actor, kind, data FROM contact_events WHERE contact_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_one(&mut *ctx.conn)
    .await?;
    let entry = event_from_row(&row)?;
    if let Some(Idempotency { key, fingerprint }) = idempotency {
        sqlx::query(
            "INSERT INTO triage_requests (actor, key, request_hash, event_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&actor.username)
        .bind(key)
        .bind(fingerprint)
        .bind(entry.id)
        .bind(to_micros(ctx.now))
        .execute(&mut *ctx.conn)
        .await?;
    }
    Ok(Appended { contact, entry, replayed: false })
}

impl Store {
    /// A contact's log entries of one kind, oldest first (e.g. every THRIVE version).
    pub async fn contact_entries(
        &self,
        reference: &str,
        kind: &str,
    ) -> Result<Vec<ContactEvent>, StoreError> {
        self.get_contact(reference).await?;
        let rows = sqlx::query(
            "SELECT e.id, e.at, e.actor, e.kind, e.data FROM contact_events e JOIN contacts c ON c.id = e.contact_id \
             WHERE c.reference = $1 AND e.kind = $2 ORDER BY e.id",
        )
        .bind(reference)
        .bind(kind)
        .fetch_all(self.reads())
        .await?;
        rows.iter().map(event_from_row).collect()
    }
}
