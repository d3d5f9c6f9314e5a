//! Recording contacts that already happened (a demo's seeded day, a migration from an old system),
//! with their own timestamps and final state. Each gets one `imported` log entry saying so; the
//! same lifecycle rules apply to the state given.

use crate::audit::{AuditAction, AuditEntry};
use crate::rows::get;
use crate::time::to_micros;
use crate::{Store, StoreError};
use fc_domain::{Actor, Contact, ContactRef, ContactStatus, FieldError};

impl Store {
    /// Stores historical contacts in one batch. The reference is allocated here (the day of
    /// `offered_at`); the rest is taken as given after checking the timestamps make sense.
    pub async fn import_contacts(
        &self,
        actor: &Actor,
        contacts: Vec<Contact>,
    ) -> Result<Vec<Contact>, StoreError> {
        for c in &contacts {
            check(c)?;
        }
        let actor = actor.clone();
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let mut stored = Vec::with_capacity(contacts.len());
                    for mut c in contacts {
                        let day = c.offered_at.date_naive();
                        let seq = ctx.next_reference_seq(day).await?;
                        c.reference = ContactRef::new(day, u32::try_from(seq).unwrap_or(u32::MAX))?;
                        c.version = 1;
                        let row = sqlx::query(
                            "INSERT INTO contacts (reference, channel, status, priority, flags, caller, caller_name, \
                             caller_postcode, location_text, lat, lon, radius_m, narrative, grade, outcome, handler, \
                             offered_at, queued_at, answered_at, closed_at, created_at, updated_at, version) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
                             $19, $20, $21, $22, 1) RETURNING id",
                        )
                        .bind(c.reference.to_string())
                        .bind(c.channel.as_str())
                        .bind(c.status.as_str())
                        .bind(i64::from(c.channel.default_priority()))
                        .bind(serde_json::to_string(&c.flags)?)
                        .bind(serde_json::to_string(&c.caller)?)
                        .bind(c.caller.name.clone())
                        .bind(c.caller.postcode.as_ref().map(|p| p.to_string()))
                        .bind(c.location_text.clone())
                        .bind(crate::rows::Real(c.location.map(|l| l.lat)))
                        .bind(crate::rows::Real(c.location.map(|l| l.lon)))
                        .bind(crate::rows::Real(c.location.and_then(|l| l.radius_m)))
                        .bind(c.narrative.clone())
                        .bind(c.grade.map(|g| i64::from(g.number())))
                        .bind(c.outcome.map(|o| o.as_str()))
                        .bind(c.handler.clone())
                        .bind(to_micros(c.offered_at))
                        .bind(c.queued_at.map(to_micros))
                        .bind(c.answered_at.map(to_micros))
                        .bind(c.closed_at.map(to_micros))
                        .bind(to_micros(c.created_at))
                        .bind(to_micros(c.updated_at))
                        .fetch_one(&mut *ctx.conn)
                        .await?;
                        let id: i64 = get(&row, "id")?;
                        sqlx::query(
                            "INSERT INTO contact_events (contact_id, at, actor, kind, data) VALUES ($1, $2, $3, 'imported', $4)",
                        )
                        .bind(id)
                        .bind(to_micros(ctx.now))
                        .bind(&actor.username)
                        .bind(serde_json::to_string(&c)?)
                        .execute(&mut *ctx.conn)
                        .await?;
                        super::history::add_caller_keys(ctx.conn, id, &c.caller, to_micros(c.offered_at)).await?;
                        stored.push(c);
                    }
                    let with_personal = stored.iter().filter(|c| c.caller.has_personal_data()).count();
                    if with_personal > 0 {
                        ctx.audit(AuditEntry {
                            actor: actor.username.clone(),
                            action: AuditAction::Collection,
                            record_type: "contact".into(),
                            record_id: "import".into(),
                            detail: format!(
                                "imported {} contacts ({with_personal} with caller details): {} to {}",
                                stored.len(),
                                stored.first().map(|c| c.reference.to_string()).unwrap_or_default(),
                                stored.last().map(|c| c.reference.to_string()).unwrap_or_default()
                            ),
                            justification: None,
                        })
                        .await?;
                    }
                    Ok(stored)
                })
            })
            .await
    }
}

fn check(c: &Contact) -> Result<(), StoreError> {
    let bad = |m: &str| StoreError::Invalid(vec![FieldError { field: "contact".into(), message: m.into() }]);
    let order = [Some(c.offered_at), c.queued_at, c.answered_at, c.closed_at];
    let present: Vec<_> = order.iter().flatten().collect();
    if present.windows(2).any(|w| w[0] > w[1]) {
        return Err(bad("timestamps must run offered <= queued <= answered <= closed"));
    }
    if c.status == ContactStatus::Closed && (c.outcome.is_none() || c.closed_at.is_none()) {
        return Err(bad("a closed contact needs an outcome and a closing time"));
    }
    if c.status == ContactStatus::InProgress && c.answered_at.is_none() {
        return Err(bad("a contact in progress needs an answer time"));
    }
    if c.status.is_terminal() && c.closed_at.is_none() {
        return Err(bad("a finished contact needs its closing time"));
    }
    Ok(())
}
