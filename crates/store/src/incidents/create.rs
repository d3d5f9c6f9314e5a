//! Raising an incident from contacts, exactly once even when a client retries.

use super::{INCIDENT_COLUMNS, emit, incident_from_row, invalid, log};
use crate::audit::{AuditAction, AuditEntry};
use crate::contacts::Idempotency;
use crate::rows::get;
use crate::time::to_micros;
use crate::writer::WriteCtx;
use crate::{Store, StoreError};
use fc_domain::incident::NewIncident;
use fc_domain::{Actor, Incident, IncidentRef, IncidentStatus};
use serde_json::json;

/// The result of raising an incident: it, and whether an earlier request with the same
/// idempotency key made it.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatedIncident {
    /// The incident.
    pub incident: Incident,
    /// True for a retry answered from the first request.
    pub replayed: bool,
}

impl Store {
    /// Raises an incident and links the contacts it came from, all in one transaction. A contact
    /// that does not exist refuses the whole request.
    pub async fn create_incident(
        &self,
        actor: &Actor,
        new: NewIncident,
        idempotency: Option<Idempotency>,
    ) -> Result<CreatedIncident, StoreError> {
        let actor = actor.clone();
        self.writer()
            .write(move |ctx| Box::pin(async move { create_in(ctx, &actor, new, idempotency).await }))
            .await
    }
}

async fn create_in(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    new: NewIncident,
    idempotency: Option<Idempotency>,
) -> Result<CreatedIncident, StoreError> {
    if let Some(i) = &idempotency {
        let keyed = "incident_idempotency_keys k JOIN incidents t ON t.id = k.incident_id";
        if let Some(reference) = crate::rows::replayed_reference(ctx.conn, keyed, &actor.username, i).await? {
            let sql = format!("SELECT {INCIDENT_COLUMNS} FROM incidents WHERE reference = $1");
            let row =
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&reference).fetch_one(&mut *ctx.conn).await?;
            return Ok(CreatedIncident { incident: incident_from_row(&row)?.1, replayed: true });
        }
    }
    // Every contact must exist before anything is written.
    let mut contact_ids = Vec::with_capacity(new.contacts.len());
    for (i, c) in new.contacts.iter().enumerate() {
        let row = sqlx::query("SELECT id FROM contacts WHERE reference = $1")
            .bind(c.to_string())
            .fetch_optional(&mut *ctx.conn)
            .await?
            .ok_or_else(|| invalid(&format!("contacts[{i}]"), format!("contact {c} does not exist")))?;
        contact_ids.push((c.to_string(), get::<i64>(&row, "id")?));
    }

    let day = ctx.now.date_naive();
    let row = sqlx::query(
        "INSERT INTO incident_counters (day, next) VALUES ($1, 1) \
         ON CONFLICT (day) DO UPDATE SET next = incident_counters.next + 1 RETURNING next",
    )
    .bind(day.format("%Y%m%d").to_string())
    .fetch_one(&mut *ctx.conn)
    .await?;
    let seq: i64 = get(&row, "next")?;
    let reference = IncidentRef::new(day, u32::try_from(seq).unwrap_or(u32::MAX))
        .map_err(|_| StoreError::Conflict(format!("no incident references left for {day}")))?;
    let now = to_micros(ctx.now);
    let incident = Incident {
        reference,
        status: IncidentStatus::Open,
        category: new.category.clone(),
        qualifiers: new.qualifiers.clone(),
        grade: new.grade,
        area: new.area,
        location_text: new.location_text.clone(),
        location: new.location,
        summary: new.summary.clone(),
        thrive: new.thrive.clone(),
        closing_category: None,
        result: None,
        created_by: actor.username.clone(),
        created_at: ctx.now,
        first_at_scene_at: None,
        closed_at: None,
        reopened: 0,
        updated_at: ctx.now,
        version: 1,
    };
    let row = sqlx::query(
        "INSERT INTO incidents (reference, status, category, qualifiers, grade, area, location_text, lat, lon, radius_m, \
         summary, thrive, created_by, created_at, reopened, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $14, 1) RETURNING id",
    )
    .bind(reference.to_string())
    .bind(incident.status.as_str())
    .bind(&incident.category)
    .bind(serde_json::to_string(&incident.qualifiers)?)
    .bind(i64::from(incident.grade.number()))
    .bind(incident.area.as_str())
    .bind(incident.location_text.clone())
    .bind(crate::rows::Real(incident.location.map(|l| l.lat)))
    .bind(crate::rows::Real(incident.location.map(|l| l.lon)))
    .bind(crate::rows::Real(incident.location.and_then(|l| l.radius_m)))
    .bind(&incident.summary)
    .bind(&incident.thrive)
    .bind(&actor.username)
    .bind(now)
    .fetch_one(&mut *ctx.conn)
    .await?;
    let id: i64 = get(&row, "id")?;
    log(ctx, actor, id, "created", serde_json::to_value(&new)?).await?;
    for (contact, contact_id) in &contact_ids {
        sqlx::query("INSERT INTO incident_contacts (incident_id, contact_id, linked_at, linked_by) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(contact_id)
            .bind(now)
            .bind(&actor.username)
            .execute(&mut *ctx.conn)
            .await?;
        log(ctx, actor, id, "contact_linked", json!({ "contact": contact })).await?;
    }
    if !contact_ids.is_empty() {
        ctx.audit(AuditEntry {
            actor: actor.username.clone(),
            action: AuditAction::Combination,
            record_type: "incident".into(),
            record_id: reference.to_string(),
            detail: format!(
                "incident raised from {}",
                contact_ids.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", ")
            ),
            justification: None,
        })
        .await?;
    }
    if let Some(Idempotency { key, fingerprint }) = &idempotency {
        sqlx::query(
            "INSERT INTO incident_idempotency_keys (actor, key, request_hash, incident_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&actor.username)
        .bind(key)
        .bind(fingerprint)
        .bind(id)
        .bind(now)
        .execute(&mut *ctx.conn)
        .await?;
    }
    emit(ctx, &incident);
    Ok(CreatedIncident { incident, replayed: false })
}
