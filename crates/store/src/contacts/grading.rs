//! Grading a contact: the handler's final grade next to what the triage engine recommended, with
//! the reason when they differ. One `graded` log entry plus the new grade, in one transaction, so
//! every grade on a contact can be explained later and supervisors can review overrides.
//!
//! The store does not run the engine (it stays free of triage rules); the caller passes what the
//! engine said. The store still refuses an override without a reason, so no path can record one.

use super::{CONTACT_COLUMNS, contact_from_row};
use crate::rows::get;
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, StoreEvent};
use chrono::{DateTime, Utc};
use fc_domain::{Actor, Contact, FieldError, Grade};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The log entry kind for a grading decision.
pub const GRADED: &str = "graded";

/// Most overrides one page returns.
const MAX_PAGE: u32 = 200;

/// What to record when a handler grades a contact.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeDecisionRecord {
    /// What the triage engine recommended.
    pub recommended: Grade,
    /// What the handler chose.
    pub grade: Grade,
    /// The handler's reason; required (non-blank) when `grade` differs from `recommended`.
    pub reason: Option<String>,
    /// The engine's reasons for its recommendation, as it serialised them, kept verbatim so the
    /// decision can be explained even after the rules change.
    pub reasons: Vec<Value>,
    /// The lexicon id and version the engine used.
    pub lexicon_version: String,
    /// The grade rules' id and version the engine used.
    pub rules_version: String,
}

impl GradeDecisionRecord {
    /// Whether the handler chose a different grade from the recommendation.
    pub fn is_override(&self) -> bool {
        self.grade != self.recommended
    }
}

/// A grading decision that differed from the recommendation, for supervisors to review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeOverride {
    /// The log entry's id (pass as `before` for the next page).
    pub id: i64,
    /// The contact's reference.
    pub reference: String,
    /// When the grade was recorded.
    pub at: DateTime<Utc>,
    /// Who graded (username).
    pub actor: String,
    /// What the engine recommended.
    pub recommended: Grade,
    /// What the handler chose.
    pub grade: Grade,
    /// Why the handler overrode.
    pub reason: String,
    /// Whether the chosen grade is less urgent than recommended (the riskier direction).
    pub downgrade: bool,
    /// The rules' version the recommendation came from.
    pub rules_version: String,
}

/// Which overrides to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverrideFilter {
    /// Only this handler's (username).
    pub actor: Option<String>,
    /// Only downgrades (`Some(true)`: less urgent than recommended, the riskier direction) or
    /// only upgrades (`Some(false)`).
    pub downgrades: Option<bool>,
    /// Page size (1..=200).
    pub limit: u32,
    /// Only entries older than this log entry id (from the previous page).
    pub before: Option<i64>,
}

fn invalid(field: &str, message: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError { field: field.into(), message: message.into() }])
}

impl Store {
    /// Records the handler's grade on a contact with the recommendation it was given: a `graded`
    /// log entry and the new grade, version + 1, in one transaction. An override (a grade other
    /// than the recommendation) without a non-blank reason is refused and changes nothing; so is
    /// a stale `expected_version`.
    pub async fn record_grade(
        &self,
        actor: &Actor,
        reference: &str,
        mut decision: GradeDecisionRecord,
        expected_version: Option<i64>,
    ) -> Result<Contact, StoreError> {
        decision.reason = decision.reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
        if decision.is_override() && decision.reason.is_none() {
            return Err(invalid("reason", "say why you chose a different grade from the recommended one"));
        }
        if decision
            .reason
            .as_ref()
            .is_some_and(|r| r.chars().count() > fc_domain::record::MAX_NARRATIVE_CHARS)
        {
            return Err(invalid("reason", "the reason is too long"));
        }
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE reference = $1");
                    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(&reference)
                        .fetch_optional(&mut *ctx.conn)
                        .await?
                        .ok_or_else(|| StoreError::NotFound { what: format!("contact {reference}") })?;
                    let (id, mut contact) = contact_from_row(&row)?;
                    if let Some(v) = expected_version.filter(|v| *v != contact.version) {
                        return Err(StoreError::Conflict(format!(
                            "contact {reference} has changed (version {} now, {v} expected): reload and try again",
                            contact.version
                        )));
                    }
                    let data = json!({
                        "recommended": decision.recommended,
                        "grade": decision.grade,
                        "previous_grade": contact.grade,
                        "override": decision.is_override(),
                        "reason": decision.reason,
                        "reasons": decision.reasons,
                        "lexicon_version": decision.lexicon_version,
                        "rules_version": decision.rules_version,
                    });
                    let now = to_micros(ctx.now);
                    contact.grade = Some(decision.grade);
                    contact.version += 1;
                    contact.updated_at = ctx.now;
                    sqlx::query(
                        "INSERT INTO contact_events (contact_id, at, actor, kind, data) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(now)
                    .bind(&actor.username)
                    .bind(GRADED)
                    .bind(data.to_string())
                    .execute(&mut *ctx.conn)
                    .await?;
                    sqlx::query("UPDATE contacts SET grade = $1, updated_at = $2, version = $3 WHERE id = $4")
                        .bind(i64::from(decision.grade.number()))
                        .bind(now)
                        .bind(contact.version)
                        .bind(id)
                        .execute(&mut *ctx.conn)
                        .await?;
                    ctx.emit(StoreEvent::Contact {
                        reference: contact.reference.to_string(),
                        channel: contact.channel,
                        status: contact.status,
                        version: contact.version,
                    });
                    Ok(contact)
                })
            })
            .await
    }

    /// Grading decisions that overrode the recommendation, newest first, filtered (see
    /// [`OverrideFilter`]): `limit` at most (1..=200), older than the entry `before` (paging).
    ///
    /// Overrides are found among `graded` log entries by comparing the recommended and chosen
    /// grades in their data; the scan reads graded entries in chunks (through the
    /// `contact_events(kind, id)` index) so a page never holds more than a chunk in memory.
    pub async fn list_overrides(&self, f: &OverrideFilter) -> Result<Vec<GradeOverride>, StoreError> {
        let (limit, before) = (f.limit, f.before);
        let limit = limit.clamp(1, MAX_PAGE) as usize;
        let chunk = i64::from(MAX_PAGE);
        let mut cursor = before;
        let mut out = Vec::with_capacity(limit);
        loop {
            let rows = sqlx::query(
                "SELECT e.id, e.at, e.actor, e.data, c.reference FROM contact_events e \
                 JOIN contacts c ON c.id = e.contact_id \
                 WHERE e.kind = $1 AND ($2 IS NULL OR e.id < $2) ORDER BY e.id DESC LIMIT $3",
            )
            .bind(GRADED)
            .bind(cursor)
            .bind(chunk)
            .fetch_all(self.reads())
            .await?;
            for row in &rows {
                let id: i64 = get(row, "id")?;
                cursor = Some(id);
                let data: Value = serde_json::from_str(&get::<String>(row, "data")?)?;
                let recommended: Grade = serde_json::from_value(data["recommended"].clone())?;
                let grade: Grade = serde_json::from_value(data["grade"].clone())?;
                let actor: String = get(row, "actor")?;
                let downgrade = grade > recommended;
                if grade == recommended
                    || f.actor.as_ref().is_some_and(|a| *a != actor)
                    || f.downgrades.is_some_and(|d| d != downgrade)
                {
                    continue;
                }
                out.push(GradeOverride {
                    id,
                    reference: get(row, "reference")?,
                    at: from_micros(get(row, "at")?)?,
                    actor,
                    recommended,
                    grade,
                    reason: data["reason"].as_str().unwrap_or_default().to_string(),
                    downgrade,
                    rules_version: data["rules_version"].as_str().unwrap_or_default().to_string(),
                });
                if out.len() == limit {
                    return Ok(out);
                }
            }
            if (rows.len() as i64) < chunk {
                return Ok(out);
            }
        }
    }
}
