//! 101 virtual hold: a waiting caller becomes a callback request without losing their place (the
//! contact stays waiting with its original `offered_at`, so the router reaches it in turn), and
//! the handler's attempt to ring back is recorded on the contact's log.

use super::change::{load, save};
use crate::{Store, StoreError};
use fc_domain::{Actor, CallbackOutcome, Channel, Contact, ContactFlag, ContactStatus, FieldError};
use serde_json::json;

fn invalid(field: &str, message: String) -> StoreError {
    StoreError::Invalid(vec![FieldError { field: field.into(), message }])
}

impl Store {
    /// Turns a waiting 101 call into a callback request. Asking twice is harmless.
    pub async fn request_callback(&self, actor: &Actor, reference: &str) -> Result<Contact, StoreError> {
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, mut c) = load(ctx, &reference, None).await?;
                    if c.channel != Channel::NonEmergency101 {
                        return Err(invalid(
                            "reference",
                            format!("callbacks are offered on 101 only, not {}", c.channel),
                        ));
                    }
                    if !c.status.is_waiting() {
                        return Err(StoreError::Conflict(format!(
                            "contact {reference} is {} and no longer waiting",
                            c.status
                        )));
                    }
                    if c.flags.contains(&ContactFlag::CallbackRequested) {
                        return Ok(c);
                    }
                    c.flags.push(ContactFlag::CallbackRequested);
                    let data = json!({ "offered_at": c.offered_at, "keeps_place": true });
                    save(ctx, &actor, id, &mut c, "callback_requested", data).await?;
                    Ok(c)
                })
            })
            .await
    }

    /// Records what happened when the handler rang back. The contact must be a callback request
    /// the handler has taken (in progress).
    pub async fn record_callback_outcome(
        &self,
        actor: &Actor,
        reference: &str,
        outcome: CallbackOutcome,
        note: Option<String>,
    ) -> Result<Contact, StoreError> {
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, mut c) = load(ctx, &reference, None).await?;
                    if !c.flags.contains(&ContactFlag::CallbackRequested) {
                        return Err(invalid(
                            "reference",
                            format!("contact {reference} did not ask for a callback"),
                        ));
                    }
                    if c.status != ContactStatus::InProgress {
                        return Err(StoreError::Conflict(format!(
                            "contact {reference} is {}: take it before ringing back",
                            c.status
                        )));
                    }
                    let data = json!({ "outcome": outcome, "note": note });
                    save(ctx, &actor, id, &mut c, "callback_outcome", data).await?;
                    Ok(c)
                })
            })
            .await
    }
}
