//! Reading contacts: one (audited as a consultation), a filtered page, the live queue, the log.

use super::{CONTACT_COLUMNS, ContactEvent, contact_from_row, event_from_row};
use crate::audit::{AuditAction, AuditEntry};
use crate::time::to_micros;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::{Actor, Channel, Contact, ContactStatus};

/// Filters for listing contacts; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct ContactFilter {
    /// Only this channel.
    pub channel: Option<Channel>,
    /// Only this status.
    pub status: Option<ContactStatus>,
    /// Offered at or after.
    pub offered_from: Option<DateTime<Utc>>,
    /// Offered before.
    pub offered_to: Option<DateTime<Utc>>,
    /// Answered by this handler.
    pub handler: Option<String>,
    /// Opaque cursor from the previous page.
    pub cursor: Option<String>,
    /// Page size (1..=200).
    pub limit: u32,
}

/// A page of contacts, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactPage {
    /// The contacts.
    pub items: Vec<Contact>,
    /// Pass back as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

fn decode_cursor(c: &str) -> Result<i64, StoreError> {
    c.strip_prefix("c").and_then(|n| n.parse::<i64>().ok()).filter(|n| *n > 0).ok_or_else(|| {
        StoreError::Invalid(vec![fc_domain::FieldError {
            field: "cursor".into(),
            message: "not a cursor this API gave out".into(),
        }])
    })
}

impl Store {
    /// Reads a contact for a person, recording the consultation in the audit log first.
    pub async fn view_contact(
        &self,
        actor: &Actor,
        reference: &str,
        purpose: &str,
    ) -> Result<Contact, StoreError> {
        let contact = self.get_contact(reference).await?;
        self.audit(vec![AuditEntry {
            actor: actor.username.clone(),
            action: AuditAction::Consultation,
            record_type: "contact".into(),
            record_id: reference.to_string(),
            detail: purpose.to_string(),
            justification: None,
        }])
        .await?;
        Ok(contact)
    }

    /// Reads a contact without auditing: for system work that shows nothing to a person.
    pub async fn get_contact(&self, reference: &str) -> Result<Contact, StoreError> {
        let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE reference = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(reference)
            .fetch_optional(self.reads())
            .await?
            .ok_or_else(|| StoreError::NotFound { what: format!("contact {reference}") })?;
        Ok(contact_from_row(&row)?.1)
    }

    /// Lists contacts, newest first, a page at a time.
    pub async fn list_contacts(&self, f: &ContactFilter) -> Result<ContactPage, StoreError> {
        let before = f.cursor.as_deref().map(decode_cursor).transpose()?;
        let limit = i64::from(f.limit.clamp(1, 200));
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE ($1 IS NULL OR channel = $1) AND ($2 IS NULL OR status = $2) \
             AND ($3 IS NULL OR offered_at >= $3) AND ($4 IS NULL OR offered_at < $4) AND ($5 IS NULL OR handler = $5) \
             AND ($6 IS NULL OR id < $6) ORDER BY id DESC LIMIT $7"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(f.channel.map(|c| c.as_str()))
            .bind(f.status.map(|s| s.as_str()))
            .bind(f.offered_from.map(to_micros))
            .bind(f.offered_to.map(to_micros))
            .bind(&f.handler)
            .bind(before)
            .bind(limit + 1)
            .fetch_all(self.reads())
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        let mut last_id = None;
        for row in rows.iter().take(limit as usize) {
            let (id, c) = contact_from_row(row)?;
            last_id = Some(id);
            items.push(c);
        }
        let next_cursor = if rows.len() as i64 > limit { last_id.map(|id| format!("c{id}")) } else { None };
        Ok(ContactPage { items, next_cursor })
    }

    /// Contacts waiting for a handler, most urgent first (channel priority, then longest wait).
    pub async fn queue(&self, limit: u32) -> Result<Vec<Contact>, StoreError> {
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE status IN ('received', 'queued') \
             ORDER BY priority, offered_at LIMIT $1"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(i64::from(limit.clamp(1, 1000)))
            .fetch_all(self.reads())
            .await?;
        rows.iter().map(|r| contact_from_row(r).map(|(_, c)| c)).collect()
    }

    /// A contact's log, oldest first.
    pub async fn contact_log(&self, reference: &str) -> Result<Vec<ContactEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.id, e.at, e.actor, e.kind, e.data FROM contact_events e JOIN contacts c ON c.id = e.contact_id \
             WHERE c.reference = $1 ORDER BY e.id",
        )
        .bind(reference)
        .fetch_all(self.reads())
        .await?;
        if rows.is_empty() {
            // Every contact has at least its "created" entry; none means no such contact.
            return Err(StoreError::NotFound { what: format!("contact {reference}") });
        }
        rows.iter().map(event_from_row).collect()
    }

    /// Counts contacts (all, for health pages and tests).
    pub async fn count_contacts(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM contacts").fetch_one(self.reads()).await?;
        crate::rows::get(&row, "n")
    }
}
