//! Changing a handler's skills and state. The domain decides which state moves are legal; this
//! module writes the new current state and the history entry in one transaction.

use super::{HANDLER_SELECT, Handler, handler_from_row, skills_json};
use crate::audit::{AuditAction, AuditEntry};
use crate::time::to_micros;
use crate::writer::WriteCtx;
use crate::{Store, StoreError, StoreEvent};
use fc_domain::{Actor, FieldError, HandlerState, Skill};

impl Store {
    /// One handler (any user who may take contacts), or `NotFound`.
    pub async fn handler(&self, username: &str) -> Result<Handler, StoreError> {
        let sql = format!("{HANDLER_SELECT} WHERE u.username = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(username)
            .fetch_optional(self.reads())
            .await?
            .ok_or_else(|| StoreError::NotFound { what: format!("handler {username}") })?;
        let h = handler_from_row(&row)?;
        if !h.role.can_take_contacts() {
            return Err(StoreError::NotFound { what: format!("handler {username}") });
        }
        Ok(h)
    }

    /// Every user who may take contacts, by username.
    pub async fn list_handlers(&self) -> Result<Vec<Handler>, StoreError> {
        let sql = format!("{HANDLER_SELECT} WHERE u.active = 1 ORDER BY u.username");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.reads()).await?;
        let all: Vec<Handler> = rows.iter().map(handler_from_row).collect::<Result<_, _>>()?;
        Ok(all.into_iter().filter(|h| h.role.can_take_contacts()).collect())
    }

    /// Replaces a handler's skills (audited as administration).
    pub async fn set_handler_skills(
        &self,
        actor: &Actor,
        username: &str,
        skills: Vec<Skill>,
    ) -> Result<Handler, StoreError> {
        let (actor, username) = (actor.clone(), username.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let mut h = load(ctx, &username).await?;
                    let json = skills_json(&skills)?;
                    let now = to_micros(ctx.now);
                    let before = h.skills.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                    let mut skills = skills;
                    skills.sort();
                    skills.dedup();
                    h.skills = skills;
                    h.version += 1;
                    upsert(ctx, &h, &json, now).await?;
                    let after = h.skills.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                    ctx.audit(AuditEntry {
                        actor: actor.username.clone(),
                        action: AuditAction::Administration,
                        record_type: "handler".into(),
                        record_id: username.clone(),
                        detail: format!("skills [{before}] -> [{after}]"),
                        justification: None,
                    })
                    .await?;
                    Ok(h)
                })
            })
            .await
    }

    /// Moves a handler to `to` (ready, break, signed out...). `on_contact` is refused here: it is
    /// entered only by taking a contact ([`Store::assign_contact`]).
    pub async fn set_handler_state(
        &self,
        actor: &Actor,
        username: &str,
        to: HandlerState,
        reason: Option<String>,
    ) -> Result<Handler, StoreError> {
        if to == HandlerState::OnContact {
            return Err(StoreError::Invalid(vec![FieldError {
                field: "state".into(),
                message: "on_contact is entered by taking a contact, not set directly".into(),
            }]));
        }
        let (actor, username) = (actor.clone(), username.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let mut h = load(ctx, &username).await?;
                    change_state(ctx, &actor, &mut h, to, None, reason).await?;
                    Ok(h)
                })
            })
            .await
    }
}

/// Reads a handler inside a write, refusing users who may not take contacts.
pub(crate) async fn load(ctx: &mut WriteCtx<'_>, username: &str) -> Result<Handler, StoreError> {
    let sql = format!("{HANDLER_SELECT} WHERE u.username = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(username)
        .fetch_optional(&mut *ctx.conn)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("handler {username}") })?;
    let h = handler_from_row(&row)?;
    if !h.role.can_take_contacts() {
        return Err(StoreError::Invalid(vec![FieldError {
            field: "username".into(),
            message: format!("a {} does not take contacts", h.role.label().to_lowercase()),
        }]));
    }
    Ok(h)
}

async fn upsert(ctx: &mut WriteCtx<'_>, h: &Handler, skills: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO handlers (username, skills, state, state_since, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (username) DO UPDATE SET skills = $2, state = $3, state_since = $4, updated_at = $5, version = $6",
    )
    .bind(&h.username)
    .bind(skills)
    .bind(h.state.as_str())
    .bind(to_micros(h.state_since))
    .bind(now)
    .bind(h.version)
    .execute(&mut *ctx.conn)
    .await?;
    Ok(())
}

/// Applies a legal state change: the history entry, the new current row and the live event.
pub(crate) async fn change_state(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    h: &mut Handler,
    to: HandlerState,
    contact: Option<&str>,
    reason: Option<String>,
) -> Result<(), StoreError> {
    let from = h.state;
    h.state.transition(to)?;
    let now = to_micros(ctx.now);
    sqlx::query(
        "INSERT INTO handler_state_events (username, at, from_state, to_state, actor, contact_reference, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&h.username)
    .bind(now)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(&actor.username)
    .bind(contact)
    .bind(reason)
    .execute(&mut *ctx.conn)
    .await?;
    h.state = to;
    h.state_since = ctx.now;
    h.version += 1;
    upsert(ctx, h, &skills_json(&h.skills)?, now).await?;
    ctx.emit(StoreEvent::Handler { username: h.username.clone(), state: to });
    Ok(())
}
