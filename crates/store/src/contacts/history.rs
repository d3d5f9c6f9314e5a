//! A contact's history for triage, until the single citizen view links persons: earlier contacts
//! whose caller gave the same phone number or email address. Matching is exact on a normalised
//! key (digits of the phone, UK `+44` written as `0`; the email lower-cased), so it misses what
//! probabilistic person linkage would find and never merges anyone.
//!
//! The keys are written beside each contact (`contact_caller_keys`, migration 0008), so the lookup
//! is an index range on (key, offered_at) however many contacts the window holds; the caller's
//! details themselves stay JSON text, which the two backends would query differently.

use super::{CONTACT_COLUMNS, contact_from_row};
use crate::time::to_micros;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::Contact;
use fc_domain::record::CallerDetails;

/// Most earlier contacts one lookup returns (newest first): a guard against a number shared by
/// thousands (a switchboard, a care home's landline).
pub const MAX_SCAN: i64 = 2_000;

/// The phone number as a matching key: digits only, a UK `+44`/`0044` prefix written as `0`.
/// `None` when fewer than 6 digits remain (too short to identify anyone).
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.strip_prefix("0044").or_else(|| digits.strip_prefix("44")) {
        Some(rest) if phone.trim_start().starts_with('+') || digits.starts_with("0044") => format!("0{rest}"),
        _ => digits,
    };
    (digits.len() >= 6).then_some(digits)
}

/// The email address as a matching key: trimmed and lower-cased; `None` without an `@`.
pub fn email_key(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    e.contains('@').then_some(e)
}

/// The caller's keys as stored in `contact_caller_keys`: `p:` + phone key, `e:` + email key.
pub fn caller_keys(c: &CallerDetails) -> Vec<String> {
    let mut keys = Vec::with_capacity(2);
    if let Some(p) = c.phone.as_deref().and_then(phone_key) {
        keys.push(format!("p:{p}"));
    }
    if let Some(e) = c.email.as_deref().and_then(email_key) {
        keys.push(format!("e:{e}"));
    }
    keys
}

/// Writes a contact's caller keys inside a write (after a change of caller details; new contacts
/// defer theirs with the batch). Keys it already has are kept once.
pub(crate) async fn add_caller_keys(
    conn: &mut sqlx::AnyConnection,
    contact_id: i64,
    caller: &CallerDetails,
    offered_at: i64,
) -> Result<(), StoreError> {
    for key in caller_keys(caller) {
        sqlx::query(
            "INSERT INTO contact_caller_keys (contact_id, key, offered_at) VALUES ($1, $2, $3) \
             ON CONFLICT (contact_id, key) DO NOTHING",
        )
        .bind(contact_id)
        .bind(key)
        .bind(offered_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Fills in the keys of contacts stored before keys were kept: once, when the store first opens
/// after migration 0008 (which leaves a `pending_backfills` row to say so); later opens cost one
/// indexed read.
pub(crate) async fn backfill_caller_keys(pool: &sqlx::AnyPool) -> Result<(), StoreError> {
    use sqlx::Acquire;
    let pending = sqlx::query("SELECT name FROM pending_backfills WHERE name = 'caller_keys'")
        .fetch_optional(pool)
        .await?;
    if pending.is_none() {
        return Ok(());
    }
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let rows = sqlx::query("SELECT id, caller, offered_at FROM contacts").fetch_all(&mut *tx).await?;
    for row in &rows {
        let caller: String = crate::rows::get(row, "caller")?;
        let caller: CallerDetails = serde_json::from_str(&caller)?;
        let (id, at): (i64, i64) = (crate::rows::get(row, "id")?, crate::rows::get(row, "offered_at")?);
        add_caller_keys(&mut tx, id, &caller, at).await?;
    }
    sqlx::query("DELETE FROM pending_backfills WHERE name = 'caller_keys'").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether two callers share a phone or email key.
pub fn same_caller(a: &CallerDetails, b: &CallerDetails) -> bool {
    let theirs = caller_keys(b);
    caller_keys(a).iter().any(|k| theirs.contains(k))
}

impl Store {
    /// Earlier contacts (offered at or after `since`, and no later than `contact`, itself
    /// excluded) whose caller shares the contact's phone number or email, newest first.
    /// Empty when the contact has neither. Not audited: the caller decides what is shown and
    /// audits that.
    pub async fn contacts_sharing_caller(
        &self,
        contact: &Contact,
        since: DateTime<Utc>,
    ) -> Result<Vec<Contact>, StoreError> {
        let keys = caller_keys(&contact.caller);
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..keys.len()).map(|i| format!("${}", i + 4)).collect();
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE id IN (SELECT k.contact_id FROM contact_caller_keys k \
             WHERE k.key IN ({}) AND k.offered_at >= $1 AND k.offered_at <= $2) AND reference <> $3 \
             ORDER BY offered_at DESC, id DESC LIMIT {MAX_SCAN}",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(to_micros(since))
            .bind(to_micros(contact.offered_at))
            .bind(contact.reference.to_string());
        for k in keys {
            query = query.bind(k);
        }
        let rows = query.fetch_all(self.reads()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(contact_from_row(row)?.1);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalise_what_people_type() {
        assert_eq!(phone_key("07700 900123").as_deref(), Some("07700900123"));
        assert_eq!(phone_key("+44 7700 900-123").as_deref(), Some("07700900123"));
        assert_eq!(phone_key("0044 (7700) 900123").as_deref(), Some("07700900123"));
        assert_eq!(phone_key("441632960000").as_deref(), Some("441632960000"), "no + means no prefix rule");
        assert_eq!(phone_key("999"), None);
        assert_eq!(email_key(" Ann@Example.ORG ").as_deref(), Some("ann@example.org"));
        assert_eq!(email_key("not an email"), None);
    }
}
