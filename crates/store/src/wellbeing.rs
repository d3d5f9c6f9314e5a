//! Staff wellbeing records: supervisors' check-ins with handlers after distressing contacts, and
//! the reads the exposure rules (`fc-wellbeing`) are fed from.
//!
//! A check-in is a record of care: written once, in the writer, with its audit entry (collection
//! of personal data about a member of staff) in the same transaction, and never changed (the
//! database refuses UPDATE and DELETE). Optionally idempotent, like creating a contact.
//!
//! This module never decides who may see these records (only the handler and supervisors may; the
//! caller checks) and never audits its reads: the caller audits what it shows.

use crate::audit::{AuditAction, AuditEntry};
use crate::contacts::{CONTACT_COLUMNS, Idempotency, contact_from_row};
use crate::rows::{corrupt, get, get_opt, replayed};
use crate::time::{from_micros, to_micros};
use crate::writer::WriteCtx;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::{Actor, CheckInOutcome, Contact};
use serde::Serialize;
use sqlx::any::AnyRow;

/// The audit record type for a handler's wellbeing record (record id: their username), for what
/// the store writes and what the server shows alike.
pub const RECORD_TYPE: &str = "staff_wellbeing";

/// A check-in to record: who was checked on, what prompted it and what it came to. The recorder
/// and the time are the store's to set (the actor, the batch's time), so a client cannot backdate
/// care it did not give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCheckIn {
    /// The handler checked on (a username).
    pub handler: String,
    /// The contact that prompted it (a public reference), when one did.
    pub contact: Option<String>,
    /// What it came to.
    pub outcome: CheckInOutcome,
    /// A line or two for the handler's supervisors; checked with [`fc_domain::wellbeing::parse_note`].
    pub note: Option<String>,
}

/// A recorded check-in, as the handler and their supervisors see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckIn {
    /// Row id (increasing).
    pub id: i64,
    /// The handler checked on (a username).
    pub handler: String,
    /// The contact that prompted it (a public reference), when one did.
    pub contact: Option<String>,
    /// What it came to.
    pub outcome: CheckInOutcome,
    /// The supervisor's note, if any.
    pub note: Option<String>,
    /// Who recorded it (the supervisor's username).
    pub recorded_by: String,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

const CHECK_IN_COLUMNS: &str = "id, handler, contact_reference, outcome, note, recorded_by, recorded_at";

fn check_in_from_row(row: &AnyRow) -> Result<CheckIn, StoreError> {
    let outcome: String = get(row, "outcome")?;
    Ok(CheckIn {
        id: get(row, "id")?,
        handler: get(row, "handler")?,
        contact: get_opt(row, "contact_reference")?,
        outcome: outcome.parse().map_err(corrupt)?,
        note: get_opt(row, "note")?,
        recorded_by: get(row, "recorded_by")?,
        recorded_at: from_micros(get(row, "recorded_at")?)?,
    })
}

impl Store {
    /// Records a supervisor's check-in with a handler, audited as a collection of personal data
    /// about that handler. The handler must be a user and the contact, when given, must exist
    /// (`NotFound` otherwise, and nothing is written). With an idempotency key, a retry of the same
    /// request returns the first check-in and `true`; the same key on a different request is a
    /// conflict.
    pub async fn record_check_in(
        &self,
        actor: &Actor,
        new: NewCheckIn,
        idempotency: Option<Idempotency>,
    ) -> Result<(CheckIn, bool), StoreError> {
        let note = fc_domain::wellbeing::parse_note(new.note.as_deref())?;
        let new = NewCheckIn { note, ..new };
        let actor = actor.username.clone();
        self.writer()
            .write(move |ctx| Box::pin(async move { record_in(ctx, &actor, new, idempotency).await }))
            .await
    }

    /// Check-ins recorded at or after `since`, newest first: one handler's, or everyone's when
    /// `handler` is `None` (a supervisor's overview).
    pub async fn check_ins(
        &self,
        handler: Option<&str>,
        since: DateTime<Utc>,
    ) -> Result<Vec<CheckIn>, StoreError> {
        let query = match handler {
            Some(h) => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {CHECK_IN_COLUMNS} FROM wellbeing_check_ins WHERE recorded_at >= $1 AND handler = $2 \
                 ORDER BY recorded_at DESC, id DESC"
            )))
            .bind(to_micros(since))
            .bind(h.to_string()),
            None => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {CHECK_IN_COLUMNS} FROM wellbeing_check_ins WHERE recorded_at >= $1 \
                 ORDER BY recorded_at DESC, id DESC"
            )))
            .bind(to_micros(since)),
        };
        let rows = query.fetch_all(self.reads()).await?;
        rows.iter().map(check_in_from_row).collect()
    }

    /// Contacts answered at or after `since`, oldest answered first: one handler's, or every
    /// handler's when `handler` is `None`. The exposure rules count traumatic contacts per shift
    /// and week from these. Not audited: a system read; the caller audits what it shows.
    pub async fn contacts_handled(
        &self,
        handler: Option<&str>,
        since: DateTime<Utc>,
    ) -> Result<Vec<Contact>, StoreError> {
        let handled = "handler IS NOT NULL AND answered_at IS NOT NULL AND answered_at >= $1";
        let query = match handler {
            Some(h) => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {CONTACT_COLUMNS} FROM contacts WHERE {handled} AND handler = $2 ORDER BY answered_at, id"
            )))
            .bind(to_micros(since))
            .bind(h.to_string()),
            None => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {CONTACT_COLUMNS} FROM contacts WHERE {handled} ORDER BY answered_at, id"
            )))
            .bind(to_micros(since)),
        };
        let rows = query.fetch_all(self.reads()).await?;
        rows.iter().map(|r| Ok(contact_from_row(r)?.1)).collect()
    }
}

async fn record_in(
    ctx: &mut WriteCtx<'_>,
    actor: &str,
    new: NewCheckIn,
    idempotency: Option<Idempotency>,
) -> Result<(CheckIn, bool), StoreError> {
    if let Some(i) = &idempotency
        && let Some(id) =
            replayed::<i64>(ctx.conn, "wellbeing_check_in_keys k", "k.check_in_id", actor, i).await?
    {
        return Ok((check_in_by_id(ctx, id).await?, true));
    }
    // No `claim_key` as in creating a contact: the key row is written here, not deferred, so a
    // later job of the batch with the same key finds it above.
    require_user(ctx, &new.handler).await?;
    if let Some(reference) = &new.contact {
        require_contact(ctx, reference).await?;
    }
    let row = sqlx::query(
        "INSERT INTO wellbeing_check_ins (handler, contact_reference, outcome, note, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&new.handler)
    .bind(&new.contact)
    .bind(new.outcome.as_str())
    .bind(&new.note)
    .bind(actor)
    .bind(to_micros(ctx.now))
    .fetch_one(&mut *ctx.conn)
    .await?;
    let id: i64 = get(&row, "id")?;
    if let Some(Idempotency { key, fingerprint }) = &idempotency {
        sqlx::query(
            "INSERT INTO wellbeing_check_in_keys (actor, key, request_hash, check_in_id, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(actor)
        .bind(key)
        .bind(fingerprint)
        .bind(id)
        .bind(to_micros(ctx.now))
        .execute(&mut *ctx.conn)
        .await?;
    }
    ctx.audit(AuditEntry {
        actor: actor.to_string(),
        action: AuditAction::Collection,
        record_type: RECORD_TYPE.into(),
        record_id: new.handler.clone(),
        detail: audit_detail(new.outcome, new.contact.as_deref()),
        justification: None,
    })
    .await?;
    let check_in = CheckIn {
        id,
        handler: new.handler,
        contact: new.contact,
        outcome: new.outcome,
        note: new.note,
        recorded_by: actor.to_string(),
        recorded_at: ctx.now,
    };
    Ok((check_in, false))
}

/// What the audit log says of a check-in: the outcome and its prompt, never the note.
fn audit_detail(outcome: CheckInOutcome, contact: Option<&str>) -> String {
    match contact {
        Some(reference) => format!("wellbeing check-in: {outcome} (after {reference})"),
        None => format!("wellbeing check-in: {outcome}"),
    }
}

async fn check_in_by_id(ctx: &mut WriteCtx<'_>, id: i64) -> Result<CheckIn, StoreError> {
    let sql = format!("SELECT {CHECK_IN_COLUMNS} FROM wellbeing_check_ins WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *ctx.conn)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("check-in {id}") })?;
    check_in_from_row(&row)
}

/// Refuses a check-in on someone who is not a user.
async fn require_user(ctx: &mut WriteCtx<'_>, username: &str) -> Result<(), StoreError> {
    let found = sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut *ctx.conn)
        .await?;
    found.map(|_| ()).ok_or_else(|| StoreError::NotFound { what: format!("user {username}") })
}

/// Refuses a check-in prompted by a contact that does not exist.
async fn require_contact(ctx: &mut WriteCtx<'_>, reference: &str) -> Result<(), StoreError> {
    let found = sqlx::query("SELECT id FROM contacts WHERE reference = $1")
        .bind(reference)
        .fetch_optional(&mut *ctx.conn)
        .await?;
    found.map(|_| ()).ok_or_else(|| StoreError::NotFound { what: format!("contact {reference}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_detail_names_the_outcome_and_prompt_but_never_the_note() {
        assert_eq!(
            audit_detail(CheckInOutcome::BreakTaken, Some("FC-20261122-000123")),
            "wellbeing check-in: break_taken (after FC-20261122-000123)"
        );
        assert_eq!(audit_detail(CheckInOutcome::Fine, None), "wellbeing check-in: fine");
    }
}
