//! Handlers: their skills and live state. The current state is one row per handler; every change
//! is also appended to `handler_state_events` in the same transaction, so time in each state can be
//! computed for any window and the history can never be rewritten.

mod assign;
mod read;
mod state;

pub use assign::Assignment;
pub use read::{HandlerLoad, StateChange};

use crate::StoreError;
use crate::rows::get;
use crate::time::from_micros;
use chrono::{DateTime, Utc};
use fc_domain::{HandlerState, Role, Skill};
use serde::Serialize;
use sqlx::any::AnyRow;

/// A handler as supervisors and the router see them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Handler {
    /// Sign-in name.
    pub username: String,
    /// Name shown on screens.
    pub display_name: String,
    /// Their role (call handler or supervisor).
    pub role: Role,
    /// What they may take.
    pub skills: Vec<Skill>,
    /// Current state.
    pub state: HandlerState,
    /// Since when (the user's creation when they never changed state).
    pub state_since: DateTime<Utc>,
    /// Bumped on every change.
    pub version: i64,
}

/// Users who may take contacts, with their handler row if they have one.
pub(crate) const HANDLER_SELECT: &str = "SELECT u.username, u.display_name, u.role, u.created_at, h.skills, h.state, \
     h.state_since, h.version FROM users u LEFT JOIN handlers h ON h.username = u.username";

pub(crate) fn handler_from_row(row: &AnyRow) -> Result<Handler, StoreError> {
    let corrupt = |e: fc_domain::DomainError| StoreError::Corrupt(e.to_string());
    let role: String = get(row, "role")?;
    let skills: Option<String> = crate::rows::get_opt(row, "skills")?;
    let state: Option<String> = crate::rows::get_opt(row, "state")?;
    let since: Option<i64> = crate::rows::get_opt(row, "state_since")?;
    let version: Option<i64> = crate::rows::get_opt(row, "version")?;
    let skills: Vec<String> = skills.map(|s| serde_json::from_str(&s)).transpose()?.unwrap_or_default();
    Ok(Handler {
        username: get(row, "username")?,
        display_name: get(row, "display_name")?,
        role: role.parse().map_err(corrupt)?,
        skills: skills.iter().map(|s| s.parse()).collect::<Result<_, _>>().map_err(corrupt)?,
        state: state.map(|s| s.parse()).transpose().map_err(corrupt)?.unwrap_or(HandlerState::SignedOut),
        state_since: from_micros(since.unwrap_or(get(row, "created_at")?))?,
        version: version.unwrap_or(0),
    })
}

/// Skills as stored: sorted, no duplicates, wire names.
pub(crate) fn skills_json(skills: &[Skill]) -> Result<String, StoreError> {
    let mut s: Vec<Skill> = skills.to_vec();
    s.sort();
    s.dedup();
    Ok(serde_json::to_string(&s.iter().map(|k| k.as_str()).collect::<Vec<_>>())?)
}
