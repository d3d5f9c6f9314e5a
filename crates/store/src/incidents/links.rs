//! Links from an incident to contacts (more calls about the same thing), to other incidents, and
//! to persons with their role. Person ids are plain text references until the person store
//! exists. Each link is a row and a log entry, and linking records to each other is audited as a
//! combination (DPA 2018 s.62).

use super::{invalid, load, save};
use crate::audit::{AuditAction, AuditEntry};
use crate::rows::get;
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::incident::PersonRole;
use fc_domain::{Actor, ContactRef, Incident};
use serde::Serialize;
use serde_json::json;

/// A person linked to an incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedPerson {
    /// The person's reference in the person store.
    pub person_ref: String,
    /// How they are involved.
    pub role: PersonRole,
    /// When linked.
    pub linked_at: DateTime<Utc>,
    /// By whom.
    pub linked_by: String,
}

fn combination(actor: &Actor, reference: &str, detail: String) -> AuditEntry {
    AuditEntry {
        actor: actor.username.clone(),
        action: AuditAction::Combination,
        record_type: "incident".into(),
        record_id: reference.to_string(),
        detail,
        justification: None,
    }
}

impl Store {
    /// Links a further contact to an incident (a duplicate call). Linking twice is a conflict.
    pub async fn link_contact_to_incident(
        &self,
        actor: &Actor,
        reference: &str,
        contact: &str,
    ) -> Result<Incident, StoreError> {
        let contact =
            ContactRef::parse(contact.trim()).map_err(|e| invalid("contact", e.to_string()))?.to_string();
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, mut incident) = load(ctx, &reference, None).await?;
                    let row = sqlx::query("SELECT id FROM contacts WHERE reference = $1")
                        .bind(&contact)
                        .fetch_optional(&mut *ctx.conn)
                        .await?
                        .ok_or_else(|| StoreError::NotFound { what: format!("contact {contact}") })?;
                    let contact_id: i64 = get(&row, "id")?;
                    sqlx::query(
                        "INSERT INTO incident_contacts (incident_id, contact_id, linked_at, linked_by) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(contact_id)
                    .bind(to_micros(ctx.now))
                    .bind(&actor.username)
                    .execute(&mut *ctx.conn)
                    .await
                    .map_err(|e| match StoreError::from(e) {
                        StoreError::Conflict(_) => StoreError::Conflict(format!("{contact} is already linked to {reference}")),
                        other => other,
                    })?;
                    save(ctx, &actor, id, &mut incident, "contact_linked", json!({ "contact": contact })).await?;
                    ctx.audit(combination(&actor, &reference, format!("linked contact {contact}"))).await?;
                    Ok(incident)
                })
            })
            .await
    }

    /// Links two incidents (both logs record it). An incident cannot be linked to itself.
    pub async fn link_incidents(
        &self,
        actor: &Actor,
        reference: &str,
        other: &str,
    ) -> Result<Incident, StoreError> {
        if reference == other {
            return Err(invalid("incident", "an incident cannot be linked to itself"));
        }
        let (actor, reference, other) = (actor.clone(), reference.to_string(), other.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, mut incident) = load(ctx, &reference, None).await?;
                    let (other_id, mut other_incident) = load(ctx, &other, None).await?;
                    let (a, b) = (id.min(other_id), id.max(other_id));
                    sqlx::query("INSERT INTO incident_links (incident_id, other_id, linked_at, linked_by) VALUES ($1, $2, $3, $4)")
                        .bind(a)
                        .bind(b)
                        .bind(to_micros(ctx.now))
                        .bind(&actor.username)
                        .execute(&mut *ctx.conn)
                        .await
                        .map_err(|e| match StoreError::from(e) {
                            StoreError::Conflict(_) => StoreError::Conflict(format!("{reference} and {other} are already linked")),
                            other => other,
                        })?;
                    save(ctx, &actor, id, &mut incident, "incident_linked", json!({ "incident": other })).await?;
                    save(ctx, &actor, other_id, &mut other_incident, "incident_linked", json!({ "incident": reference })).await?;
                    Ok(incident)
                })
            })
            .await
    }

    /// Links a person (by reference) to an incident in a role.
    pub async fn link_person(
        &self,
        actor: &Actor,
        reference: &str,
        person_ref: &str,
        role: PersonRole,
    ) -> Result<Incident, StoreError> {
        let person_ref = person_ref.trim().to_string();
        if person_ref.is_empty()
            || person_ref.len() > 64
            || person_ref.chars().any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(invalid("person_ref", "a person reference: 1 to 64 characters without spaces"));
        }
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, mut incident) = load(ctx, &reference, None).await?;
                    sqlx::query(
                        "INSERT INTO incident_persons (incident_id, person_ref, role, linked_at, linked_by) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(&person_ref)
                    .bind(role.as_str())
                    .bind(to_micros(ctx.now))
                    .bind(&actor.username)
                    .execute(&mut *ctx.conn)
                    .await
                    .map_err(|e| match StoreError::from(e) {
                        StoreError::Conflict(_) => StoreError::Conflict(format!("{person_ref} is already linked as {role}")),
                        other => other,
                    })?;
                    save(ctx, &actor, id, &mut incident, "person_linked", json!({ "person_ref": person_ref, "role": role })).await?;
                    ctx.audit(combination(&actor, &reference, format!("linked person {person_ref} as {role}"))).await?;
                    Ok(incident)
                })
            })
            .await
    }

    /// The contacts linked to an incident, in the order they were linked.
    pub async fn incident_contacts(&self, reference: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.reference FROM incident_contacts l JOIN incidents i ON i.id = l.incident_id \
             JOIN contacts c ON c.id = l.contact_id WHERE i.reference = $1 ORDER BY l.linked_at, c.id",
        )
        .bind(reference)
        .fetch_all(self.reads())
        .await?;
        rows.iter().map(|r| get(r, "reference")).collect()
    }

    /// The incidents a contact is linked to.
    pub async fn incidents_for_contact(&self, contact: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT i.reference FROM incident_contacts l JOIN incidents i ON i.id = l.incident_id \
             JOIN contacts c ON c.id = l.contact_id WHERE c.reference = $1 ORDER BY i.id",
        )
        .bind(contact)
        .fetch_all(self.reads())
        .await?;
        rows.iter().map(|r| get(r, "reference")).collect()
    }

    /// The incidents linked to an incident (either way round).
    pub async fn linked_incidents(&self, reference: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT o.reference FROM incidents i JOIN incident_links l ON l.incident_id = i.id OR l.other_id = i.id \
             JOIN incidents o ON o.id = CASE WHEN l.incident_id = i.id THEN l.other_id ELSE l.incident_id END \
             WHERE i.reference = $1 ORDER BY o.id",
        )
        .bind(reference)
        .fetch_all(self.reads())
        .await?;
        rows.iter().map(|r| get(r, "reference")).collect()
    }

    /// The persons linked to an incident.
    pub async fn incident_persons(&self, reference: &str) -> Result<Vec<LinkedPerson>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.person_ref, p.role, p.linked_at, p.linked_by FROM incident_persons p \
             JOIN incidents i ON i.id = p.incident_id WHERE i.reference = $1 ORDER BY p.linked_at, p.person_ref",
        )
        .bind(reference)
        .fetch_all(self.reads())
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = get(r, "role")?;
                Ok(LinkedPerson {
                    person_ref: get(r, "person_ref")?,
                    role: role
                        .parse()
                        .map_err(|e: fc_domain::DomainError| StoreError::Corrupt(e.to_string()))?,
                    linked_at: from_micros(get(r, "linked_at")?)?,
                    linked_by: get(r, "linked_by")?,
                })
            })
            .collect()
    }
}
