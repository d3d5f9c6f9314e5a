//! Contacts: created, changed and moved through their lifecycle by the writer, each change an
//! append-only log entry written in the same transaction as the current state it produces.

mod callback;
pub(crate) mod change;
mod create;
pub mod entries;
pub mod grading;
pub mod history;
mod import;
pub mod markers;
pub mod questionnaires;
pub(crate) mod read;
pub mod referrals;
pub mod thrive;

pub use change::Transition;
pub use create::{Created, Idempotency};
pub use read::{ContactFilter, ContactPage};

use crate::StoreError;
use crate::rows::{corrupt, get, get_opt};
use crate::time::{from_micros, opt_from_micros};
use chrono::{DateTime, Utc};
use fc_domain::{Contact, ContactRef};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

/// One entry of a contact's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactEvent {
    /// Position in the store's event sequence (increasing).
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (username).
    pub actor: String,
    /// What kind of entry: created, updated, status_changed, note.
    pub kind: String,
    /// The entry's content: the fields changed (before and after), the transition, the note.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: serde_json::Value,
}

pub(crate) const CONTACT_COLUMNS: &str = "id, reference, channel, status, flags, caller, location_text, lat, lon, \
     radius_m, narrative, grade, outcome, handler, offered_at, queued_at, answered_at, closed_at, created_at, \
     updated_at, version";

/// Reads a contact row (with [`CONTACT_COLUMNS`]) back into the domain type, with its row id.
pub(crate) fn contact_from_row(row: &AnyRow) -> Result<(i64, Contact), StoreError> {
    let reference: String = get(row, "reference")?;
    let channel: String = get(row, "channel")?;
    let status: String = get(row, "status")?;
    let flags: String = get(row, "flags")?;
    let caller: String = get(row, "caller")?;
    let location = crate::rows::location(row)?;
    let grade: Option<i64> = get_opt(row, "grade")?;
    let outcome: Option<String> = get_opt(row, "outcome")?;
    let contact = Contact {
        reference: ContactRef::parse(&reference).map_err(corrupt)?,
        channel: channel.parse().map_err(corrupt)?,
        status: status.parse().map_err(corrupt)?,
        flags: serde_json::from_str(&flags)?,
        caller: serde_json::from_str(&caller)?,
        location_text: get_opt(row, "location_text")?,
        location,
        narrative: get(row, "narrative")?,
        grade: grade
            .map(|g| u8::try_from(g).map_err(corrupt).and_then(|g| g.try_into().map_err(corrupt)))
            .transpose()?,
        outcome: outcome.map(|o| o.parse().map_err(corrupt)).transpose()?,
        handler: get_opt(row, "handler")?,
        offered_at: from_micros(get(row, "offered_at")?)?,
        queued_at: opt_from_micros(get_opt(row, "queued_at")?)?,
        answered_at: opt_from_micros(get_opt(row, "answered_at")?)?,
        closed_at: opt_from_micros(get_opt(row, "closed_at")?)?,
        created_at: from_micros(get(row, "created_at")?)?,
        updated_at: from_micros(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    };
    Ok((get(row, "id")?, contact))
}

pub(crate) fn event_from_row(row: &AnyRow) -> Result<ContactEvent, StoreError> {
    let data: String = get(row, "data")?;
    Ok(ContactEvent {
        id: get(row, "id")?,
        at: from_micros(get(row, "at")?)?,
        actor: get(row, "actor")?,
        kind: get(row, "kind")?,
        data: serde_json::from_str(&data)?,
    })
}
