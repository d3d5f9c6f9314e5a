//! A contact's history for triage, until the single citizen view links persons: earlier contacts
//! whose caller gave the same phone number or email address. Matching is exact on a normalised
//! key (digits of the phone, UK `+44` written as `0`; the email lower-cased), so it misses what
//! probabilistic person linkage would find and never merges anyone.
//!
//! The scan reads the contacts offered in the look-back window through the `offered_at` index and
//! compares keys here, because the caller's details are stored as JSON text and the two backends
//! query JSON differently. It is bounded by [`MAX_SCAN`]; person linkage replaces it.

use super::{CONTACT_COLUMNS, contact_from_row};
use crate::time::to_micros;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::Contact;
use fc_domain::record::CallerDetails;

/// Most contacts one history scan reads (newest first): a guard on a busy force's window.
pub const MAX_SCAN: i64 = 20_000;

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

/// Whether two callers share a phone or email key.
pub fn same_caller(a: &CallerDetails, b: &CallerDetails) -> bool {
    let key =
        |c: &CallerDetails| (c.phone.as_deref().and_then(phone_key), c.email.as_deref().and_then(email_key));
    let ((pa, ea), (pb, eb)) = (key(a), key(b));
    matches!((pa, pb), (Some(x), Some(y)) if x == y) || matches!((ea, eb), (Some(x), Some(y)) if x == y)
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
        let caller = &contact.caller;
        if caller.phone.as_deref().and_then(phone_key).is_none()
            && caller.email.as_deref().and_then(email_key).is_none()
        {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE offered_at >= $1 AND offered_at <= $2 AND reference <> $3 \
             ORDER BY offered_at DESC, id DESC LIMIT $4"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(to_micros(since))
            .bind(to_micros(contact.offered_at))
            .bind(contact.reference.to_string())
            .bind(MAX_SCAN)
            .fetch_all(self.reads())
            .await?;
        let mut out = Vec::new();
        for row in &rows {
            let (_, other) = contact_from_row(row)?;
            if same_caller(caller, &other.caller) {
                out.push(other);
            }
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
