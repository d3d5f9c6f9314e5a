//! THRIVE assessments on a contact: each (re)assessment is a new `thrive_assessed` log entry with
//! the next version number, never an overwrite, so every version can be listed and shown later.
//! The store numbers versions inside the write transaction, so two handlers reassessing at once
//! get versions n+1 and n+2 rather than two n+1s. The judgements are validated by the caller
//! (`fc_triage::ThriveDraft::validate`); the store keeps the JSON as given.

use super::entries::{Appended, append, replay};
use super::{Idempotency, change::load};
use crate::rows::get;
use crate::{Store, StoreError};
use fc_domain::Actor;
use serde_json::{Value, json};

/// The log entry kind for a THRIVE version.
pub const THRIVE_ASSESSED: &str = "thrive_assessed";

impl Store {
    /// Records a THRIVE (re)assessment: `draft` is the six elements' JSON object; the entry's data
    /// is the draft plus `version`, `assessed_by` (the actor) and `assessed_at` (commit time).
    pub async fn record_thrive(
        &self,
        actor: &Actor,
        reference: &str,
        draft: Value,
        idempotency: Option<Idempotency>,
    ) -> Result<Appended, StoreError> {
        let Value::Object(fields) = draft else {
            return Err(StoreError::Invalid(vec![fc_domain::FieldError {
                field: "".into(),
                message: "a THRIVE assessment is an object of the six elements".into(),
            }]));
        };
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    if let Some(done) = replay(ctx, &actor, idempotency.as_ref()).await? {
                        return Ok(done);
                    }
                    let (id, contact) = load(ctx, &reference, None).await?;
                    let row = sqlx::query(
                        "SELECT COUNT(*) AS n FROM contact_events WHERE contact_id = $1 AND kind = $2",
                    )
                    .bind(id)
                    .bind(THRIVE_ASSESSED)
                    .fetch_one(&mut *ctx.conn)
                    .await?;
                    let version = get::<i64>(&row, "n")? + 1;
                    let mut data = fields;
                    data.insert("version".into(), json!(version));
                    data.insert("assessed_by".into(), json!(actor.username));
                    data.insert("assessed_at".into(), json!(ctx.now));
                    append(
                        ctx,
                        &actor,
                        id,
                        contact,
                        THRIVE_ASSESSED,
                        Value::Object(data),
                        idempotency.as_ref(),
                    )
                    .await
                })
            })
            .await
    }
}
