//! The audit log required by the Data Protection Act 2018 s.62: who collected, altered, consulted,
//! disclosed, combined or erased which personal data, when, and why where a reason is required.
//!
//! Entries are append-only (database triggers refuse UPDATE and DELETE) and hash-chained: each
//! entry's hash covers its content and the previous hash, so changing or removing any entry breaks
//! every hash after it, and [`Store::verify_audit`] finds the first broken link. Nothing in the
//! product can alter an entry.

use crate::deferred::{Cell, DeferredRows};
use crate::rows::{get, get_opt};
use crate::time::{from_micros, to_micros};
use crate::{Backend, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use std::fmt;
use std::str::FromStr;

/// The kinds of processing s.62 names, plus the security events an auditor also needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Personal data recorded (a new contact with caller details).
    Collection,
    /// Personal data changed.
    Alteration,
    /// Personal data viewed.
    Consultation,
    /// Personal data exported or sent outside the product.
    Disclosure,
    /// Records linked or merged.
    Combination,
    /// Personal data erased.
    Erasure,
    /// Sign-in, sign-out, failed sign-in.
    Authentication,
    /// Users, roles and tokens changed.
    Administration,
}

impl AuditAction {
    /// Every action.
    pub const ALL: [AuditAction; 8] = [
        AuditAction::Collection,
        AuditAction::Alteration,
        AuditAction::Consultation,
        AuditAction::Disclosure,
        AuditAction::Combination,
        AuditAction::Erasure,
        AuditAction::Authentication,
        AuditAction::Administration,
    ];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Collection => "collection",
            AuditAction::Alteration => "alteration",
            AuditAction::Consultation => "consultation",
            AuditAction::Disclosure => "disclosure",
            AuditAction::Combination => "combination",
            AuditAction::Erasure => "erasure",
            AuditAction::Authentication => "authentication",
            AuditAction::Administration => "administration",
        }
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AuditAction {
    type Err = fc_domain::DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AuditAction::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| fc_domain::DomainError::invalid("action", format!("unknown audit action {s:?}")))
    }
}

/// An entry to append: what happened to which record, by whom, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Who did it (username).
    pub actor: String,
    /// What kind of processing.
    pub action: AuditAction,
    /// The kind of record ("contact", "user", "audit_log").
    pub record_type: String,
    /// The record's public id (a contact reference, a username).
    pub record_id: String,
    /// What exactly (fields changed, the screen or export used).
    pub detail: String,
    /// The reason given, where one is required (exports, searches of the log).
    pub justification: Option<String>,
}

/// A stored, chained entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRecord {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// What kind of processing.
    pub action: AuditAction,
    /// Record kind.
    pub record_type: String,
    /// Record id.
    pub record_id: String,
    /// Detail.
    pub detail: String,
    /// Justification.
    pub justification: Option<String>,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// The last entry of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChainHead {
    pub seq: i64,
    pub hash: String,
    dirty: bool,
}

/// The hash that links an entry to the chain: SHA-256 over the previous hash and the entry's
/// fields, serialised as a JSON array so field boundaries are unambiguous.
#[allow(clippy::too_many_arguments)]
fn chain_hash(
    prev: &str,
    seq: i64,
    at_us: i64,
    actor: &str,
    action: &str,
    record_type: &str,
    record_id: &str,
    detail: &str,
    justification: Option<&str>,
) -> String {
    let canonical =
        serde_json::json!([prev, seq, at_us, actor, action, record_type, record_id, detail, justification]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

pub(crate) async fn read_head(
    conn: &mut AnyConnection,
    backend: Backend,
    lock: bool,
) -> Result<ChainHead, StoreError> {
    let sql = match (backend, lock) {
        (Backend::Postgres, true) => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
        _ => "SELECT seq, hash FROM audit_head WHERE id = 1",
    };
    let row = sqlx::query(sql).fetch_one(&mut *conn).await?;
    Ok(ChainHead { seq: get(&row, "seq")?, hash: get(&row, "hash")?, dirty: false })
}

pub(crate) async fn write_head(conn: &mut AnyConnection, head: &ChainHead) -> Result<(), StoreError> {
    if head.dirty {
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(head.seq)
            .bind(&head.hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Extends the chain with `e` in memory and queues its row for the end of the batch (one
/// multi-row insert for the whole batch instead of a statement per entry).
pub(crate) fn append(deferred: &mut DeferredRows, head: &mut ChainHead, now: DateTime<Utc>, e: AuditEntry) {
    let seq = head.seq + 1;
    let at = to_micros(now);
    let hash = chain_hash(
        &head.hash,
        seq,
        at,
        &e.actor,
        e.action.as_str(),
        &e.record_type,
        &e.record_id,
        &e.detail,
        e.justification.as_deref(),
    );
    deferred.push(
        "INSERT INTO audit_log (seq, at, actor, action, record_type, record_id, detail, justification, prev_hash, hash)",
        vec![
            Cell::Int(seq),
            Cell::Int(at),
            Cell::Text(e.actor),
            Cell::Text(e.action.as_str().to_string()),
            Cell::Text(e.record_type),
            Cell::Text(e.record_id),
            Cell::Text(e.detail),
            Cell::OptText(e.justification),
            Cell::Text(head.hash.clone()),
            Cell::Text(hash.clone()),
        ],
    );
    *head = ChainHead { seq, hash, dirty: true };
}

/// Filters for searching the log; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only this actor.
    pub actor: Option<String>,
    /// Only this kind of processing.
    pub action: Option<AuditAction>,
    /// Only this record kind.
    pub record_type: Option<String>,
    /// Only this record.
    pub record_id: Option<String>,
    /// Entries before this sequence number (cursor, newest first).
    pub before_seq: Option<i64>,
    /// At most this many (capped at 500).
    pub limit: u32,
}

/// What verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// Entries checked.
    pub entries: i64,
    /// The first entry whose hash or link does not match, if any.
    pub first_broken: Option<i64>,
    /// Why it is broken.
    pub problem: Option<String>,
}

fn record_from_row(row: &sqlx::any::AnyRow) -> Result<AuditRecord, StoreError> {
    let action: String = get(row, "action")?;
    Ok(AuditRecord {
        seq: get(row, "seq")?,
        at: from_micros(get(row, "at")?)?,
        actor: get(row, "actor")?,
        action: action.parse().map_err(|e: fc_domain::DomainError| StoreError::Corrupt(e.to_string()))?,
        record_type: get(row, "record_type")?,
        record_id: get(row, "record_id")?,
        detail: get(row, "detail")?,
        justification: get_opt(row, "justification")?,
        prev_hash: get(row, "prev_hash")?,
        hash: get(row, "hash")?,
    })
}

const COLUMNS: &str =
    "seq, at, actor, action, record_type, record_id, detail, justification, prev_hash, hash";

impl Store {
    /// Appends entries on their own (for events with no other change, such as a view or a login).
    /// Returns once they are durable.
    pub async fn audit(&self, entries: Vec<AuditEntry>) -> Result<(), StoreError> {
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    for e in entries {
                        ctx.audit(e).await?;
                    }
                    Ok(())
                })
            })
            .await
    }

    /// Searches the log, newest first.
    pub async fn search_audit(&self, q: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM audit_log WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR action = $2) \
             AND ($3 IS NULL OR record_type = $3) AND ($4 IS NULL OR record_id = $4) AND ($5 IS NULL OR seq < $5) \
             ORDER BY seq DESC LIMIT $6"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&q.actor)
            .bind(q.action.map(|a| a.as_str()))
            .bind(&q.record_type)
            .bind(&q.record_id)
            .bind(q.before_seq)
            .bind(i64::from(q.limit.clamp(1, 500)))
            .fetch_all(self.reads())
            .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// Walks the whole chain and reports the first entry whose hash or link is wrong, or a head
    /// that does not match the last entry (entries removed from the end).
    pub async fn verify_audit(&self) -> Result<ChainReport, StoreError> {
        use futures::TryStreamExt;
        let sql = format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq");
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(self.reads());
        let mut prev = ZERO_HASH.to_string();
        let mut expected_seq = 1;
        let mut entries = 0;
        let broken = |seq: i64, entries: i64, why: String| ChainReport {
            entries,
            first_broken: Some(seq),
            problem: Some(why),
        };
        while let Some(row) = rows.try_next().await? {
            let r = record_from_row(&row)?;
            entries += 1;
            if r.seq != expected_seq {
                return Ok(broken(expected_seq, entries, format!("entry {expected_seq} is missing")));
            }
            if r.prev_hash != prev {
                return Ok(broken(r.seq, entries, "does not link to the entry before it".into()));
            }
            let h = chain_hash(
                &r.prev_hash,
                r.seq,
                to_micros(r.at),
                &r.actor,
                r.action.as_str(),
                &r.record_type,
                &r.record_id,
                &r.detail,
                r.justification.as_deref(),
            );
            if h != r.hash {
                return Ok(broken(r.seq, entries, "content does not match its hash".into()));
            }
            prev = r.hash;
            expected_seq += 1;
        }
        drop(rows);
        let row =
            sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(self.reads()).await?;
        let (head_seq, head_hash): (i64, String) = (get(&row, "seq")?, get(&row, "hash")?);
        if head_seq != entries || head_hash != prev {
            return Ok(broken(
                entries + 1,
                entries,
                format!("the chain head says {head_seq} entries; {entries} found"),
            ));
        }
        Ok(ChainReport { entries, first_broken: None, problem: None })
    }
}

/// The hash before the first entry.
pub(crate) const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_covers_every_field() {
        let base = chain_hash(ZERO_HASH, 1, 10, "a", "consultation", "contact", "FC-1", "d", None);
        assert_ne!(base, chain_hash(ZERO_HASH, 1, 10, "b", "consultation", "contact", "FC-1", "d", None));
        assert_ne!(base, chain_hash(ZERO_HASH, 1, 10, "a", "consultation", "contact", "FC-1", "d", Some("")));
        assert_ne!(base, chain_hash(ZERO_HASH, 2, 10, "a", "consultation", "contact", "FC-1", "d", None));
        // Field boundaries are unambiguous.
        assert_ne!(
            chain_hash(ZERO_HASH, 1, 10, "ab", "c", "contact", "x", "d", None),
            chain_hash(ZERO_HASH, 1, 10, "a", "bc", "contact", "x", "d", None)
        );
    }
}
