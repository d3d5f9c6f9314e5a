//! What the router and the dashboard read about handlers: who holds which contacts now, and the
//! state history over a window.

use crate::rows::{get, get_opt};
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::{Channel, HandlerState};
use serde::Serialize;
use std::collections::HashMap;

/// A contact a handler holds now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandlerLoad {
    /// The handler.
    pub username: String,
    /// The contact.
    pub reference: String,
    /// Its channel (webchats may be held several at once).
    pub channel: Channel,
}

/// One entry of the handler state history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StateChange {
    /// Whose state.
    pub username: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The state before.
    pub from: HandlerState,
    /// The state after.
    pub to: HandlerState,
    /// Who made the change (the handler, a supervisor, the router).
    pub actor: String,
    /// The contact taken, when the change was taking one.
    pub contact_reference: Option<String>,
}

impl Store {
    /// Contacts in progress, by handler.
    pub async fn handler_loads(&self) -> Result<Vec<HandlerLoad>, StoreError> {
        let rows = sqlx::query(
            "SELECT handler, reference, channel FROM contacts WHERE status = 'in_progress' AND handler IS NOT NULL \
             ORDER BY handler, id",
        )
        .fetch_all(self.reads())
        .await?;
        rows.iter()
            .map(|r| {
                let channel: String = get(r, "channel")?;
                Ok(HandlerLoad {
                    username: get(r, "handler")?,
                    reference: get(r, "reference")?,
                    channel: channel.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                })
            })
            .collect()
    }

    /// When each handler last went on a break at or after `from` and before `to`: one handler's,
    /// or everyone's when `handler` is `None`. One row per handler, where the state history is
    /// every move of every call (a break ends the wellbeing break prompt).
    pub async fn last_breaks(
        &self,
        handler: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<HashMap<String, DateTime<Utc>>, StoreError> {
        let breaks = "SELECT username, MAX(at) AS at FROM handler_state_events \
             WHERE to_state = 'break' AND at >= $1 AND at < $2";
        let query = match handler {
            Some(h) => {
                sqlx::query(sqlx::AssertSqlSafe(format!("{breaks} AND username = $3 GROUP BY username")))
                    .bind(to_micros(from))
                    .bind(to_micros(to))
                    .bind(h.to_string())
            }
            None => sqlx::query(sqlx::AssertSqlSafe(format!("{breaks} GROUP BY username")))
                .bind(to_micros(from))
                .bind(to_micros(to)),
        };
        let rows = query.fetch_all(self.reads()).await?;
        rows.iter().map(|r| Ok((get(r, "username")?, from_micros(get(r, "at")?)?))).collect()
    }

    /// State changes at or after `from` and before `to`, oldest first (all handlers).
    pub async fn handler_state_changes(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<StateChange>, StoreError> {
        let rows = sqlx::query(
            "SELECT username, at, from_state, to_state, actor, contact_reference FROM handler_state_events \
             WHERE at >= $1 AND at < $2 ORDER BY at, id",
        )
        .bind(to_micros(from))
        .bind(to_micros(to))
        .fetch_all(self.reads())
        .await?;
        let corrupt = |e: fc_domain::DomainError| StoreError::Corrupt(e.to_string());
        rows.iter()
            .map(|r| {
                let f: String = get(r, "from_state")?;
                let t: String = get(r, "to_state")?;
                Ok(StateChange {
                    username: get(r, "username")?,
                    at: from_micros(get(r, "at")?)?,
                    from: f.parse().map_err(corrupt)?,
                    to: t.parse().map_err(corrupt)?,
                    actor: get(r, "actor")?,
                    contact_reference: get_opt(r, "contact_reference")?,
                })
            })
            .collect()
    }
}
