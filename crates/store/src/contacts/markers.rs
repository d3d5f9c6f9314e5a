//! Vulnerability markers on a contact: each set or clear is a `marker_set` / `marker_cleared` log
//! entry (who, when, why), so the markers now are the log folded in order and their history can
//! always be shown. Which codes exist is the force's configurable list (checked by the caller).

use super::entries::{Appended, append};
use super::{ContactEvent, change::load, event_from_row};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::{Actor, FieldError};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The log entry kind for setting a marker.
pub const MARKER_SET: &str = "marker_set";
/// The log entry kind for clearing a marker.
pub const MARKER_CLEARED: &str = "marker_cleared";

/// A marker on a contact now, with who set it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkerState {
    /// The marker's code.
    pub code: String,
    /// Who set it.
    pub set_by: String,
    /// When.
    pub set_at: DateTime<Utc>,
    /// Why, if said.
    pub note: Option<String>,
}

/// Folds marker entries (oldest first) into the markers set now, in the order they were set.
pub fn fold(entries: &[ContactEvent]) -> Vec<MarkerState> {
    let mut now: Vec<MarkerState> = Vec::new();
    for e in entries {
        let Some(code) = e.data["code"].as_str() else { continue };
        now.retain(|m| m.code != code);
        if e.kind == MARKER_SET {
            now.push(MarkerState {
                code: code.to_string(),
                set_by: e.actor.clone(),
                set_at: e.at,
                note: e.data["note"].as_str().map(str::to_string),
            });
        }
    }
    now
}

const ENTRIES_SQL: &str = "SELECT e.id, e.at, e.actor, e.kind, e.data FROM contact_events e \
     JOIN contacts c ON c.id = e.contact_id WHERE c.reference = $1 AND e.kind IN ($2, $3) ORDER BY e.id";

impl Store {
    /// Sets (`set`) or clears a marker on a contact, as a log entry. Setting a marker already set,
    /// or clearing one not set, is a conflict and writes nothing.
    pub async fn change_marker(
        &self,
        actor: &Actor,
        reference: &str,
        code: &str,
        set: bool,
        note: Option<String>,
    ) -> Result<Appended, StoreError> {
        let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > 4000) {
            return Err(StoreError::Invalid(vec![FieldError {
                field: "note".into(),
                message: "at most 4000 characters".into(),
            }]));
        }
        let (actor, reference, code) = (actor.clone(), reference.to_string(), code.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, contact) = load(ctx, &reference, None).await?;
                    let rows = sqlx::query(ENTRIES_SQL)
                        .bind(&reference)
                        .bind(MARKER_SET)
                        .bind(MARKER_CLEARED)
                        .fetch_all(&mut *ctx.conn)
                        .await?;
                    let entries = rows.iter().map(event_from_row).collect::<Result<Vec<_>, _>>()?;
                    let is_set = fold(&entries).iter().any(|m| m.code == code);
                    if is_set == set {
                        let state = if set { "already set" } else { "not set" };
                        return Err(StoreError::Conflict(format!(
                            "marker {code} is {state} on contact {reference}"
                        )));
                    }
                    let kind = if set { MARKER_SET } else { MARKER_CLEARED };
                    append(ctx, &actor, id, contact, kind, json!({ "code": code, "note": note }), None).await
                })
            })
            .await
    }

    /// The markers on a contact now (not audited: the caller audits what it shows).
    pub async fn contact_markers(&self, reference: &str) -> Result<Vec<MarkerState>, StoreError> {
        self.get_contact(reference).await?;
        let rows = sqlx::query(ENTRIES_SQL)
            .bind(reference)
            .bind(MARKER_SET)
            .bind(MARKER_CLEARED)
            .fetch_all(self.reads())
            .await?;
        let entries = rows.iter().map(event_from_row).collect::<Result<Vec<_>, _>>()?;
        Ok(fold(&entries))
    }
}
