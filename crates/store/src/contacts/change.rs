//! Changing a contact: its details, its status, a note. Each change is one log entry plus the new
//! current state, in one transaction; a stale `expected_version` is refused rather than overwritten.

use super::{CONTACT_COLUMNS, contact_from_row};
use crate::audit::{AuditAction, AuditEntry};
use crate::time::to_micros;
use crate::writer::WriteCtx;
use crate::{Store, StoreError, StoreEvent};
use fc_domain::{Actor, Contact, ContactPatch, ContactStatus, FieldError, Outcome};
use serde_json::{Map, Value, json};

/// A requested move through the lifecycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// Where to move.
    pub to: ContactStatus,
    /// Required when closing; refused otherwise.
    pub outcome: Option<Outcome>,
    /// Optional remark for the log (why it was transferred, to whom).
    pub note: Option<String>,
}

impl Store {
    /// Applies a change to a contact's details.
    pub async fn update_contact(
        &self,
        actor: &Actor,
        reference: &str,
        patch: ContactPatch,
        expected_version: Option<i64>,
    ) -> Result<Contact, StoreError> {
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, before) = load(ctx, &reference, expected_version).await?;
                    let mut after = before.clone();
                    let mut changed = Map::new();
                    let mut record = |name: &str, from: Value, to: Value| {
                        if from != to {
                            changed.insert(name.into(), json!({ "from": from, "to": to }));
                        }
                    };
                    if let Some(flags) = patch.flags {
                        record("flags", json!(before.flags), json!(flags));
                        after.flags = flags;
                    }
                    if let Some(caller) = patch.caller {
                        record("caller", json!(before.caller), json!(caller));
                        after.caller = caller;
                    }
                    if let Some(t) = patch.location_text {
                        let t = Some(t).filter(|t| !t.is_empty());
                        record("location_text", json!(before.location_text), json!(t));
                        after.location_text = t;
                    }
                    if let Some(l) = patch.location {
                        record("location", json!(before.location), json!(l));
                        after.location = Some(l);
                    }
                    if let Some(n) = patch.narrative {
                        record("narrative", json!(before.narrative), json!(n));
                        after.narrative = n;
                    }
                    if let Some(g) = patch.grade {
                        record("grade", json!(before.grade), json!(g));
                        after.grade = Some(g);
                    }
                    if changed.is_empty() {
                        return Ok(before);
                    }
                    let personal = changed.contains_key("caller");
                    let fields: Vec<String> = changed.keys().cloned().collect();
                    save(ctx, &actor, id, &mut after, "updated", Value::Object(changed)).await?;
                    if personal {
                        let offered = to_micros(after.offered_at);
                        super::history::add_caller_keys(ctx.conn, id, &after.caller, offered).await?;
                        ctx.audit(AuditEntry {
                            actor: actor.username.clone(),
                            action: AuditAction::Alteration,
                            record_type: "contact".into(),
                            record_id: reference.clone(),
                            detail: format!("changed {}", fields.join(", ")),
                            justification: None,
                        })
                        .await?;
                    }
                    Ok(after)
                })
            })
            .await
    }

    /// Moves a contact through its lifecycle. The domain decides what is legal; answering records
    /// the handler and the answer time, closing requires an outcome.
    pub async fn transition_contact(
        &self,
        actor: &Actor,
        reference: &str,
        t: Transition,
        expected_version: Option<i64>,
    ) -> Result<Contact, StoreError> {
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, before) = load(ctx, &reference, expected_version).await?;
                    let to = before.status.transition(t.to)?;
                    match (to, t.outcome) {
                        (ContactStatus::Closed, None) => {
                            return Err(invalid("outcome", "closing a contact needs an outcome"));
                        }
                        (s, Some(_)) if s != ContactStatus::Closed => {
                            return Err(invalid("outcome", "an outcome is given only when closing"));
                        }
                        _ => {}
                    }
                    let mut after = before.clone();
                    after.status = to;
                    after.outcome = t.outcome;
                    match to {
                        ContactStatus::Queued => after.queued_at = Some(ctx.now),
                        ContactStatus::InProgress => {
                            after.answered_at = Some(ctx.now);
                            after.handler = Some(actor.username.clone());
                        }
                        s if s.is_terminal() => after.closed_at = Some(ctx.now),
                        _ => {}
                    }
                    let mut data =
                        json!({ "from": before.status, "to": to, "outcome": t.outcome, "note": t.note });
                    if to == ContactStatus::Abandoned {
                        // The wait before the caller gave up: abandonment measures and patience
                        // estimates read it from the log as well as from the timestamps.
                        data["wait_secs"] =
                            json!((ctx.now - before.offered_at).num_milliseconds() as f64 / 1000.0);
                    }
                    save(ctx, &actor, id, &mut after, "status_changed", data).await?;
                    Ok(after)
                })
            })
            .await
    }

    /// Records an Advanced Mobile Location message on a contact in one write: the handset's fix
    /// becomes the contact's location (when the message has one) and the message's summary its
    /// log entry, so a failure leaves neither. A changed location is audited as an alteration of
    /// personal data (it is where the caller is).
    pub async fn record_aml(
        &self,
        actor: &Actor,
        reference: &str,
        location: Option<fc_domain::GeoPoint>,
        summary: String,
    ) -> Result<Contact, StoreError> {
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, mut contact) = load(ctx, &reference, None).await?;
                    let before = contact.location;
                    if let Some(point) = location {
                        contact.location = Some(point);
                    }
                    let data =
                        json!({ "text": summary, "location": { "from": before, "to": contact.location } });
                    save(ctx, &actor, id, &mut contact, "aml", data).await?;
                    if before != contact.location {
                        ctx.audit(AuditEntry {
                            actor: actor.username.clone(),
                            action: AuditAction::Alteration,
                            record_type: "contact".into(),
                            record_id: reference.clone(),
                            detail: "caller location from an AML message".into(),
                            justification: None,
                        })
                        .await?;
                    }
                    Ok(contact)
                })
            })
            .await
    }

    /// Adds a remark to a contact's log.
    pub async fn add_contact_note(
        &self,
        actor: &Actor,
        reference: &str,
        text: String,
    ) -> Result<Contact, StoreError> {
        let text = text.trim().to_string();
        if text.is_empty() || text.chars().count() > fc_domain::record::MAX_NARRATIVE_CHARS {
            return Err(invalid("text", "a note needs between 1 and 20000 characters"));
        }
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, mut contact) = load(ctx, &reference, None).await?;
                    save(ctx, &actor, id, &mut contact, "note", json!({ "text": text })).await?;
                    Ok(contact)
                })
            })
            .await
    }
}

fn invalid(field: &str, message: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError { field: field.into(), message: message.into() }])
}

pub(crate) async fn load(
    ctx: &mut WriteCtx<'_>,
    reference: &str,
    expected_version: Option<i64>,
) -> Result<(i64, Contact), StoreError> {
    let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE reference = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(reference)
        .fetch_optional(&mut *ctx.conn)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("contact {reference}") })?;
    let (id, contact) = contact_from_row(&row)?;
    if let Some(v) = expected_version
        && v != contact.version
    {
        return Err(StoreError::Conflict(format!(
            "contact {reference} has changed (version {} now, {v} expected): reload and try again",
            contact.version
        )));
    }
    Ok((id, contact))
}

/// Writes the log entry and the new current state, and queues the live event.
pub(crate) async fn save(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    id: i64,
    after: &mut Contact,
    kind: &str,
    data: Value,
) -> Result<(), StoreError> {
    let now = to_micros(ctx.now);
    after.version += 1;
    after.updated_at = ctx.now;
    sqlx::query("INSERT INTO contact_events (contact_id, at, actor, kind, data) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(now)
        .bind(&actor.username)
        .bind(kind)
        .bind(data.to_string())
        .execute(&mut *ctx.conn)
        .await?;
    sqlx::query(
        "UPDATE contacts SET status = $1, flags = $2, caller = $3, caller_name = $4, caller_postcode = $5, \
         location_text = $6, lat = $7, lon = $8, radius_m = $9, narrative = $10, grade = $11, outcome = $12, \
         handler = $13, queued_at = $14, answered_at = $15, closed_at = $16, updated_at = $17, version = $18 \
         WHERE id = $19",
    )
    .bind(after.status.as_str())
    .bind(serde_json::to_string(&after.flags)?)
    .bind(serde_json::to_string(&after.caller)?)
    .bind(after.caller.name.clone())
    .bind(after.caller.postcode.as_ref().map(|p| p.to_string()))
    .bind(after.location_text.clone())
    .bind(crate::rows::Real(after.location.map(|l| l.lat)))
    .bind(crate::rows::Real(after.location.map(|l| l.lon)))
    .bind(crate::rows::Real(after.location.and_then(|l| l.radius_m)))
    .bind(after.narrative.clone())
    .bind(after.grade.map(|g| i64::from(g.number())))
    .bind(after.outcome.map(|o| o.as_str()))
    .bind(after.handler.clone())
    .bind(after.queued_at.map(to_micros))
    .bind(after.answered_at.map(to_micros))
    .bind(after.closed_at.map(to_micros))
    .bind(now)
    .bind(after.version)
    .bind(id)
    .execute(&mut *ctx.conn)
    .await?;
    ctx.emit(StoreEvent::Contact {
        reference: after.reference.to_string(),
        channel: after.channel,
        status: after.status,
        version: after.version,
    });
    Ok(())
}
