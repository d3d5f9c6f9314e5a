//! Recording a new contact, exactly once even when a client retries (idempotency keys).

use super::{CONTACT_COLUMNS, contact_from_row};
use crate::audit::{AuditAction, AuditEntry};
use crate::deferred::Cell;
use crate::time::to_micros;
use crate::writer::WriteCtx;
use crate::{Store, StoreError, StoreEvent};
use fc_domain::{Actor, Contact, ContactRef, ContactStatus, NewContact};

/// A client's idempotency key with a fingerprint of the request it came with (a hash of the raw
/// body): a retry carries both unchanged; the same key on a different request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    /// The client's key (the `Idempotency-Key` header).
    pub key: String,
    /// A hash of the request as the client sent it.
    pub fingerprint: String,
}

/// The result of a create: the contact, and whether it was made now or by an earlier request with
/// the same idempotency key (a retry).
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    /// The stored contact.
    pub contact: Contact,
    /// True when an earlier request with the same key already created it.
    pub replayed: bool,
}

/// A new contact, written with the batch's others (see [`crate::deferred`]).
const INSERT_CONTACT: &str = "INSERT INTO contacts (reference, channel, status, priority, flags, caller, caller_name, \
     caller_postcode, location_text, lat, lon, radius_m, narrative, offered_at, created_at, updated_at, version) \
     SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8, v.column9, \
     v.column10, v.column11, v.column12, v.column13, v.column14, v.column15, v.column16, 1 FROM ({values}) AS v";
/// Its `created` log entry, joined to it by reference (its id is the database's to give).
const INSERT_CREATED_EVENT: &str = "INSERT INTO contact_events (contact_id, at, actor, kind, data) \
     SELECT c.id, v.column2, v.column3, v.column4, v.column5 FROM ({values}) AS v JOIN contacts c ON c.reference = v.column1";
/// Its caller's phone and email keys (for history by phone or email), likewise.
const INSERT_CALLER_KEY: &str = "INSERT INTO contact_caller_keys (contact_id, key, offered_at) \
     SELECT c.id, v.column2, v.column3 FROM ({values}) AS v JOIN contacts c ON c.reference = v.column1";
/// Its idempotency key, likewise.
const INSERT_IDEMPOTENCY_KEY: &str = "INSERT INTO idempotency_keys (actor, key, request_hash, contact_id, created_at) \
     SELECT v.column2, v.column3, v.column4, c.id, v.column5 FROM ({values}) AS v JOIN contacts c ON c.reference = v.column1";

impl Store {
    /// Records a new contact. With an idempotency key, a retry of the same request returns the
    /// contact the first one created; the same key with a different request is a conflict.
    pub async fn create_contact(
        &self,
        actor: &Actor,
        new: NewContact,
        idempotency: Option<Idempotency>,
    ) -> Result<Created, StoreError> {
        let actor = actor.clone();
        self.writer()
            .write_checked(move |ctx| Box::pin(async move { create_in(ctx, &actor, new, idempotency).await }))
            .await
    }
}

async fn create_in(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    mut new: NewContact,
    idempotency: Option<Idempotency>,
) -> Result<Created, StoreError> {
    // Keep only what the store keeps (microseconds), so the answer equals a later read.
    new.offered_at = crate::time::from_micros(to_micros(new.offered_at))?;
    let body = serde_json::to_string(&new)?;
    if let Some(i) = &idempotency {
        let keyed = "idempotency_keys k JOIN contacts t ON t.id = k.contact_id";
        if let Some(reference) = crate::rows::replayed_reference(ctx.conn, keyed, &actor.username, i).await? {
            let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE reference = $1");
            let row =
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&reference).fetch_one(&mut *ctx.conn).await?;
            let (_, contact) = contact_from_row(&row)?;
            return Ok(Created { contact, replayed: true });
        }
    }

    if let Some(Idempotency { key, .. }) = &idempotency
        && !ctx.claim_key(&actor.username, key)
    {
        return Err(StoreError::Conflict(format!(
            "a request with idempotency key {key:?} is being processed; retry"
        )));
    }
    let day = ctx.now.date_naive();
    let seq = ctx.next_reference_seq(day).await?;
    let reference = ContactRef::new(day, u32::try_from(seq).unwrap_or(u32::MAX))
        .map_err(|_| StoreError::Conflict(format!("no contact references left for {day}")))?;

    let now = to_micros(ctx.now);
    let status = ContactStatus::Received;
    // Every check is above; from here on a failure is the database's and rolls the batch back.
    // The contact and its first rows are written with the batch's other new contacts, a few
    // statements per batch: nothing in the batch reads a contact it has not yet acknowledged.
    ctx.start_writing();
    ctx.defer_insert(
        INSERT_CONTACT,
        vec![
            Cell::Text(reference.to_string()),
            Cell::Text(new.channel.as_str().into()),
            Cell::Text(status.as_str().into()),
            Cell::Int(i64::from(new.channel.default_priority())),
            Cell::Text(serde_json::to_string(&new.flags)?),
            Cell::Text(serde_json::to_string(&new.caller)?),
            Cell::OptText(new.caller.name.clone()),
            Cell::OptText(new.caller.postcode.as_ref().map(|p| p.to_string())),
            Cell::OptText(new.location_text.clone()),
            Cell::OptReal(new.location.map(|l| l.lat)),
            Cell::OptReal(new.location.map(|l| l.lon)),
            Cell::OptReal(new.location.and_then(|l| l.radius_m)),
            Cell::Text(new.narrative.clone()),
            Cell::Int(to_micros(new.offered_at)),
            Cell::Int(now),
            Cell::Int(now),
        ],
    );
    ctx.defer_insert(
        INSERT_CREATED_EVENT,
        vec![
            Cell::Text(reference.to_string()),
            Cell::Int(now),
            Cell::Text(actor.username.clone()),
            Cell::Text("created".into()),
            Cell::Text(body),
        ],
    );
    for key in super::history::caller_keys(&new.caller) {
        ctx.defer_insert(
            INSERT_CALLER_KEY,
            vec![Cell::Text(reference.to_string()), Cell::Text(key), Cell::Int(to_micros(new.offered_at))],
        );
    }
    if let Some(Idempotency { key, fingerprint }) = &idempotency {
        ctx.defer_insert(
            INSERT_IDEMPOTENCY_KEY,
            vec![
                Cell::Text(reference.to_string()),
                Cell::Text(actor.username.clone()),
                Cell::Text(key.clone()),
                Cell::Text(fingerprint.clone()),
                Cell::Int(now),
            ],
        );
    }

    if new.caller.has_personal_data() {
        ctx.audit(AuditEntry {
            actor: actor.username.clone(),
            action: AuditAction::Collection,
            record_type: "contact".into(),
            record_id: reference.to_string(),
            detail: format!("new {} contact with caller details", new.channel.label()),
            justification: None,
        })
        .await?;
    }

    let contact = Contact {
        reference,
        channel: new.channel,
        status,
        flags: new.flags,
        caller: new.caller,
        location_text: new.location_text,
        location: new.location,
        narrative: new.narrative,
        grade: None,
        outcome: None,
        handler: None,
        offered_at: new.offered_at,
        queued_at: None,
        answered_at: None,
        closed_at: None,
        created_at: ctx.now,
        updated_at: ctx.now,
        version: 1,
    };
    ctx.emit(StoreEvent::Contact {
        reference: reference.to_string(),
        channel: contact.channel,
        status,
        version: 1,
    });
    Ok(Created { contact, replayed: false })
}
