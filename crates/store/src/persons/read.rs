//! Reading persons: the audited profile, the link state of a contact, search, what the matcher
//! loads at start, and aggregate figures with no personal data.

use super::markers::{MARKER_COLUMNS, marker_from_row};
use super::{LINK_COLUMNS, Marker, Person, PersonEvent, PersonLink, event_from_row, link_from_row};
use crate::audit::{AuditAction, AuditEntry};
use crate::contacts::{CONTACT_COLUMNS, contact_from_row};
use crate::rows::get;
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::{Actor, CallerDetails, Contact};
use serde::Serialize;

/// Everything held about a person, as a profile shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecord {
    /// The person.
    pub person: Person,
    /// Active links with their contacts, newest contact first.
    pub contacts: Vec<(PersonLink, Contact)>,
    /// Links that were undone or moved away.
    pub ended_links: Vec<PersonLink>,
    /// Markers, active and cleared.
    pub markers: Vec<Marker>,
    /// The person log, oldest first.
    pub log: Vec<PersonEvent>,
}

/// Where a contact stands with the single citizen view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// Never linked and not in review.
    Unlinked,
    /// Linked to this person id.
    Linked(i64),
    /// Waiting in the review queue.
    InReview,
    /// Was linked and a person undid it: leave it to people.
    Undone,
}

/// A contact as the person matcher needs it: its details, their version, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchingState {
    /// The contact's reference.
    pub contact: String,
    /// Its version (a later change event with a higher one means the details may have changed).
    pub version: i64,
    /// The caller's details as they stand.
    pub caller: CallerDetails,
    /// Linked, in review, undone or untouched.
    pub state: LinkState,
}

/// The columns [`link_state_of`] reads, for a query over `contacts c`.
const LINK_STATE_COLUMNS: &str = "\
    (SELECT MAX(l.person_id) FROM person_contacts l WHERE l.contact_id = c.id AND l.active = 1) AS person, \
    (SELECT COUNT(*) FROM person_contacts l WHERE l.contact_id = c.id) AS links, \
    (SELECT COUNT(*) FROM link_reviews r WHERE r.contact_id = c.id AND r.status = 'pending') AS pending";

/// Where a contact stands, from a row with its active link's `person`, its count of `links` ever
/// and of `pending` reviews.
fn link_state_of(row: &sqlx::any::AnyRow) -> Result<LinkState, StoreError> {
    let person: Option<i64> = crate::rows::get_opt(row, "person")?;
    let links: i64 = get(row, "links")?;
    let pending: i64 = get(row, "pending")?;
    Ok(match person {
        Some(p) => LinkState::Linked(p),
        None if pending > 0 => LinkState::InReview,
        None if links > 0 => LinkState::Undone,
        None => LinkState::Unlinked,
    })
}

/// A linked contact's details, for loading the matcher's index.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedRecord {
    /// The person's id.
    pub person_id: i64,
    /// The contact's reference.
    pub contact: String,
    /// The caller details given on that contact.
    pub caller: CallerDetails,
}

/// A search hit: enough to pick the right person, nothing more.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonSummary {
    /// Reference.
    pub reference: String,
    /// The most recently given name.
    pub name: Option<String>,
    /// Contacts linked.
    pub contacts: i64,
    /// When they last made contact.
    pub last_contact: Option<DateTime<Utc>>,
}

/// Figures about the single citizen view with no personal data, for analysts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonStats {
    /// Persons (not merged away).
    pub persons: i64,
    /// Contacts linked to a person.
    pub linked_contacts: i64,
    /// Persons with two or more linked contacts.
    pub repeat_persons: i64,
    /// Reviews waiting for a decision.
    pub pending_reviews: i64,
    /// Active markers.
    pub active_markers: i64,
}

async fn count(store: &Store, sql: &'static str) -> Result<i64, StoreError> {
    let row = sqlx::query(sql).fetch_one(store.reads()).await?;
    get(&row, "n")
}

impl Store {
    /// Reads a person's whole record, recording the consultation in the audit log first.
    pub async fn view_person(
        &self,
        actor: &Actor,
        reference: &str,
        purpose: &str,
    ) -> Result<PersonRecord, StoreError> {
        let person = self.get_person(reference).await?;
        self.audit(vec![AuditEntry {
            actor: actor.username.clone(),
            action: AuditAction::Consultation,
            record_type: "person".into(),
            record_id: reference.to_string(),
            detail: purpose.to_string(),
            justification: None,
        }])
        .await?;
        let sql = format!(
            "SELECT {LINK_COLUMNS} FROM person_contacts l JOIN persons p ON p.id = l.person_id \
             JOIN contacts c ON c.id = l.contact_id WHERE l.person_id = $1 ORDER BY l.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person.id).fetch_all(self.reads()).await?;
        let links: Vec<PersonLink> = rows.iter().map(link_from_row).collect::<Result<_, _>>()?;
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE id IN \
             (SELECT contact_id FROM person_contacts WHERE person_id = $1 AND active = 1) ORDER BY offered_at DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person.id).fetch_all(self.reads()).await?;
        let mut contacts = Vec::with_capacity(rows.len());
        for row in &rows {
            let (_, c) = contact_from_row(row)?;
            let r = c.reference.to_string();
            if let Some(l) = links.iter().find(|l| l.active && l.contact == r) {
                contacts.push((l.clone(), c));
            }
        }
        let ended_links = links.into_iter().filter(|l| !l.active).collect();
        let sql = format!(
            "SELECT {MARKER_COLUMNS} FROM person_markers k JOIN persons p ON p.id = k.person_id \
             WHERE k.person_id = $1 ORDER BY k.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person.id).fetch_all(self.reads()).await?;
        let markers = rows.iter().map(marker_from_row).collect::<Result<_, _>>()?;
        let log = self.person_log(reference).await?;
        Ok(PersonRecord { person, contacts, ended_links, markers, log })
    }

    /// A person's log, oldest first (no caller details; not audited as a consultation).
    pub async fn person_log(&self, reference: &str) -> Result<Vec<PersonEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.id, e.at, e.actor, e.kind, e.reason, e.data FROM person_events e JOIN persons p ON p.id = e.person_id \
             WHERE p.reference = $1 ORDER BY e.id",
        )
        .bind(reference)
        .fetch_all(self.reads())
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// The active link of a contact and its person, if linked.
    pub async fn person_of_contact(&self, contact: &str) -> Result<Option<(Person, PersonLink)>, StoreError> {
        let sql = format!(
            "SELECT {LINK_COLUMNS} FROM person_contacts l JOIN persons p ON p.id = l.person_id \
             JOIN contacts c ON c.id = l.contact_id WHERE c.reference = $1 AND l.active = 1"
        );
        let Some(row) =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(contact).fetch_optional(self.reads()).await?
        else {
            return Ok(None);
        };
        let link = link_from_row(&row)?;
        Ok(Some((self.get_person(&link.person).await?, link)))
    }

    /// Where a contact stands: linked, in review, undone by a person, or untouched.
    pub async fn link_state(&self, contact: &str) -> Result<LinkState, StoreError> {
        let sql = format!("SELECT {LINK_STATE_COLUMNS} FROM contacts c WHERE c.reference = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(contact)
            .fetch_optional(self.reads())
            .await?
            .ok_or_else(|| StoreError::NotFound { what: format!("contact {contact}") })?;
        link_state_of(&row)
    }

    /// [`link_state`](Self::link_state) with the details, for many contacts in a few reads: the
    /// matcher takes change events in bursts and reading them one by one cost two reads each.
    /// Contacts not found are left out; the order is not the caller's.
    pub async fn matching_states(&self, contacts: &[String]) -> Result<Vec<MatchingState>, StoreError> {
        let select = format!(
            "SELECT c.reference, c.version, c.caller, {LINK_STATE_COLUMNS} FROM contacts c WHERE c.reference IN ({{keys}})"
        );
        let keys: Vec<&str> = contacts.iter().map(String::as_str).collect();
        let mut conn = self.reads().acquire().await?;
        let rows = crate::rows::fetch_in(&mut conn, self.backend(), &select, &keys).await?;
        rows.iter()
            .map(|row| {
                let caller: String = get(row, "caller")?;
                Ok(MatchingState {
                    contact: get(row, "reference")?,
                    version: get(row, "version")?,
                    caller: serde_json::from_str(&caller)?,
                    state: link_state_of(row)?,
                })
            })
            .collect()
    }

    /// Every active link's caller details (persons not merged away), for the matcher's index.
    pub async fn linked_records(&self) -> Result<Vec<LinkedRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT l.person_id, c.reference, c.caller FROM person_contacts l JOIN contacts c ON c.id = l.contact_id \
             WHERE l.active = 1 ORDER BY l.id",
        )
        .fetch_all(self.reads())
        .await?;
        rows.iter()
            .map(|r| {
                let caller: String = get(r, "caller")?;
                Ok(LinkedRecord {
                    person_id: get(r, "person_id")?,
                    contact: get(r, "reference")?,
                    caller: serde_json::from_str(&caller)?,
                })
            })
            .collect()
    }

    /// Contacts with caller details that were never linked nor queued for review, oldest first:
    /// what the matcher must still look at (after a crash, or written by another process).
    pub async fn contacts_awaiting_link(
        &self,
        limit: u32,
    ) -> Result<Vec<(String, CallerDetails)>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.reference, c.caller FROM contacts c WHERE \
             NOT EXISTS (SELECT 1 FROM person_contacts l WHERE l.contact_id = c.id) AND \
             NOT EXISTS (SELECT 1 FROM link_reviews r WHERE r.contact_id = c.id) \
             ORDER BY c.id LIMIT $1",
        )
        .bind(i64::from(limit.max(1)))
        .fetch_all(self.reads())
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let caller: String = get(r, "caller")?;
            let caller: CallerDetails = serde_json::from_str(&caller)?;
            if caller.has_personal_data() {
                out.push((get(r, "reference")?, caller));
            }
        }
        Ok(out)
    }

    /// Finds persons by reference, name (any part, any case), phone or email given on a linked
    /// contact. Callers audit the search (it returns personal data).
    pub async fn search_persons(&self, q: &str, limit: u32) -> Result<Vec<PersonSummary>, StoreError> {
        let q = q.trim();
        if q.chars().count() < 2 {
            return Err(super::invalid("q", "search for at least 2 characters"));
        }
        let like = format!("%{}%", q.to_lowercase().replace(['%', '_'], ""));
        let rows = sqlx::query(
            "SELECT p.reference, COUNT(*) AS n, MAX(c.offered_at) AS last_at, \
             (SELECT c2.caller_name FROM person_contacts l2 JOIN contacts c2 ON c2.id = l2.contact_id \
              WHERE l2.person_id = p.id AND l2.active = 1 AND c2.caller_name IS NOT NULL ORDER BY c2.offered_at DESC LIMIT 1) AS name \
             FROM persons p JOIN person_contacts l ON l.person_id = p.id AND l.active = 1 \
             JOIN contacts c ON c.id = l.contact_id \
             WHERE p.merged_into IS NULL AND p.id IN ( \
               SELECT l3.person_id FROM person_contacts l3 JOIN contacts c3 ON c3.id = l3.contact_id \
               WHERE l3.active = 1 AND (LOWER(c3.caller_name) LIKE $1 OR LOWER(c3.caller) LIKE $1)) \
             OR p.reference = $2 \
             GROUP BY p.id, p.reference ORDER BY MAX(c.offered_at) DESC LIMIT $3",
        )
        .bind(&like)
        .bind(q.to_uppercase())
        .bind(i64::from(limit.clamp(1, 100)))
        .fetch_all(self.reads())
        .await?;
        rows.iter()
            .map(|r| {
                let last: Option<i64> = crate::rows::get_opt(r, "last_at")?;
                Ok(PersonSummary {
                    reference: get(r, "reference")?,
                    name: crate::rows::get_opt(r, "name")?,
                    contacts: get(r, "n")?,
                    last_contact: last.map(from_micros).transpose()?,
                })
            })
            .collect()
    }

    /// Aggregate figures (no personal data).
    pub async fn person_stats(&self) -> Result<PersonStats, StoreError> {
        Ok(PersonStats {
            persons: count(self, "SELECT COUNT(*) AS n FROM persons WHERE merged_into IS NULL").await?,
            linked_contacts: count(self, "SELECT COUNT(*) AS n FROM person_contacts WHERE active = 1")
                .await?,
            repeat_persons: count(
                self,
                "SELECT COUNT(*) AS n FROM (SELECT person_id FROM person_contacts WHERE active = 1 \
                 GROUP BY person_id HAVING COUNT(*) > 1) t",
            )
            .await?,
            pending_reviews: count(self, "SELECT COUNT(*) AS n FROM link_reviews WHERE status = 'pending'")
                .await?,
            active_markers: count(self, "SELECT COUNT(*) AS n FROM person_markers WHERE cleared_at IS NULL")
                .await?,
        })
    }

    /// Contacts a person made since `since` (for repeat-contact counts without loading them).
    pub async fn person_contact_count_since(
        &self,
        person_id: i64,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM person_contacts l JOIN contacts c ON c.id = l.contact_id \
             WHERE l.person_id = $1 AND l.active = 1 AND c.offered_at >= $2",
        )
        .bind(person_id)
        .bind(to_micros(since))
        .fetch_one(self.reads())
        .await?;
        get(&row, "n")
    }
}

/// What triage reads of a contact's person: their other linked contacts offered since a time,
/// and their markers still in force.
#[derive(Debug, Clone, Default)]
pub struct PersonTriageHistory {
    /// The person, when the contact is linked.
    pub person: Option<Person>,
    /// The person's other contacts offered since the time asked, newest first.
    pub contacts: Vec<Contact>,
    /// Markers set and not cleared.
    pub markers: Vec<Marker>,
}

impl Store {
    /// The history risk triage needs for `contact`: the other contacts linked to the same person
    /// since `since`, and that person's markers in force. Not audited here: it returns no identity
    /// details and is shown only inside the contact view, which is itself audited.
    pub async fn person_triage_history(
        &self,
        contact: &str,
        since: DateTime<Utc>,
    ) -> Result<PersonTriageHistory, StoreError> {
        let Some((person, _)) = self.person_of_contact(contact).await? else {
            return Ok(PersonTriageHistory::default());
        };
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE id IN \
             (SELECT contact_id FROM person_contacts WHERE person_id = $1 AND active = 1) \
             AND reference <> $2 AND offered_at >= $3 ORDER BY offered_at DESC LIMIT 500"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(person.id)
            .bind(contact)
            .bind(to_micros(since))
            .fetch_all(self.reads())
            .await?;
        let contacts = rows.iter().map(|r| contact_from_row(r).map(|(_, c)| c)).collect::<Result<_, _>>()?;
        let sql = format!(
            "SELECT {MARKER_COLUMNS} FROM person_markers k JOIN persons p ON p.id = k.person_id \
             WHERE k.person_id = $1 AND k.cleared_at IS NULL ORDER BY k.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person.id).fetch_all(self.reads()).await?;
        let markers = rows.iter().map(marker_from_row).collect::<Result<_, _>>()?;
        Ok(PersonTriageHistory { person: Some(person), contacts, markers })
    }
}
