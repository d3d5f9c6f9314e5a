//! Giving a waiting contact to a handler: the contact moves to in progress with its handler and
//! answer time, and the handler to on contact, in one transaction. Everything the router decided
//! is checked again here, because the queue may have moved since it looked.

use super::Handler;
use super::state::{change_state, load};
use crate::contacts::change;
use crate::rows::get;
use crate::{Store, StoreError};
use fc_domain::{Actor, Contact, ContactStatus, HandlerState, Skill};
use serde_json::json;

/// A contact given to a handler.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The contact, now in progress with its handler.
    pub contact: Contact,
    /// The handler, now on contact.
    pub handler: Handler,
}

impl Store {
    /// Gives the waiting contact `reference` to `username`, who must be ready (or on contact with
    /// room for another, or in wrap-up taking the next), hold its skills, and hold fewer than
    /// `max_in_progress` contacts. `by` is who decided: the router or the handler taking the next.
    /// A contact someone else took first is a conflict.
    pub async fn assign_contact(
        &self,
        by: &Actor,
        username: &str,
        reference: &str,
        max_in_progress: u32,
    ) -> Result<Assignment, StoreError> {
        let (by, username, reference) = (by.clone(), username.to_string(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let mut h = load(ctx, &username).await?;
                    if !matches!(
                        h.state,
                        HandlerState::Ready | HandlerState::OnContact | HandlerState::WrapUp
                    ) {
                        return Err(StoreError::Conflict(format!(
                            "{username} is {} and cannot take a contact",
                            h.state.label().to_lowercase()
                        )));
                    }
                    let (id, before) = change::load(ctx, &reference, None).await?;
                    if !before.status.is_waiting() {
                        return Err(StoreError::Conflict(format!(
                            "contact {reference} is {} and no longer waiting",
                            before.status
                        )));
                    }
                    let missing: Vec<&str> = Skill::required(before.channel, &before.flags)
                        .into_iter()
                        .filter(|s| !h.skills.contains(s))
                        .map(|s| s.as_str())
                        .collect();
                    if !missing.is_empty() {
                        return Err(StoreError::Conflict(format!(
                            "{username} lacks the skills {} for contact {reference}",
                            missing.join(", ")
                        )));
                    }
                    let row = sqlx::query(
                        "SELECT COUNT(*) AS n FROM contacts WHERE handler = $1 AND status = 'in_progress'",
                    )
                    .bind(&username)
                    .fetch_one(&mut *ctx.conn)
                    .await?;
                    let held: i64 = get(&row, "n")?;
                    if held >= i64::from(max_in_progress) {
                        return Err(StoreError::Conflict(format!(
                            "{username} already holds {held} contacts (at most {max_in_progress})"
                        )));
                    }
                    let mut after = before.clone();
                    after.status = before.status.transition(ContactStatus::InProgress)?;
                    after.answered_at = Some(ctx.now);
                    after.handler = Some(username.clone());
                    let wait = (ctx.now - before.offered_at).num_milliseconds() as f64 / 1000.0;
                    let data = json!({
                        "from": before.status, "to": after.status, "outcome": null, "note": null,
                        "handler": username, "assigned_by": by.username, "wait_secs": wait,
                    });
                    change::save(ctx, &by, id, &mut after, "status_changed", data).await?;
                    if h.state != HandlerState::OnContact {
                        change_state(ctx, &by, &mut h, HandlerState::OnContact, Some(&reference), None)
                            .await?;
                    }
                    Ok(Assignment { contact: after, handler: h })
                })
            })
            .await
    }
}
