//! Markers on a person (vulnerability, warning, pattern): set with a note, cleared with a reason,
//! never deleted. The code is text from the force's configurable list (the same list contact
//! markers use); the caller validates it against the list, so a code the force later removes
//! still reads back (the column is still called `kind` from migration 0003).

use super::{Marker, invalid, log, person_for_change, remember, replay};
use crate::audit::{AuditAction, AuditEntry};
use crate::rows::{get, get_opt};
use crate::time::{from_micros, opt_from_micros, to_micros};
use crate::writer::WriteCtx;
use crate::{Store, StoreError};
use fc_domain::Actor;
use serde_json::json;
use sqlx::any::AnyRow;

pub(super) const MARKER_COLUMNS: &str = "k.id, p.reference AS person_ref, k.kind, k.note, k.set_by, k.set_at, \
     k.cleared_by, k.cleared_at, k.cleared_reason";

pub(super) fn marker_from_row(row: &AnyRow) -> Result<Marker, StoreError> {
    Ok(Marker {
        id: get(row, "id")?,
        person: get(row, "person_ref")?,
        code: get(row, "kind")?,
        note: get(row, "note")?,
        set_by: get(row, "set_by")?,
        set_at: from_micros(get(row, "set_at")?)?,
        cleared_by: get_opt(row, "cleared_by")?,
        cleared_at: opt_from_micros(get_opt(row, "cleared_at")?)?,
        cleared_reason: get_opt(row, "cleared_reason")?,
    })
}

async fn marker_by_id(ctx: &mut WriteCtx<'_>, id: i64) -> Result<Marker, StoreError> {
    let sql = format!(
        "SELECT {MARKER_COLUMNS} FROM person_markers k JOIN persons p ON p.id = k.person_id WHERE k.id = $1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *ctx.conn)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("marker {id}") })?;
    marker_from_row(&row)
}

impl Store {
    /// Sets a marker on a person (collection of personal data, audited). `code` comes from the
    /// force's marker list; the caller checks it is on the list, the store only that it is a
    /// plausible code (1 to 64 characters).
    pub async fn set_marker(
        &self,
        actor: &Actor,
        person: &str,
        code: &str,
        note: &str,
        idempotency: Option<crate::contacts::Idempotency>,
    ) -> Result<(Marker, bool), StoreError> {
        let code = code.trim().to_string();
        if code.is_empty() || code.chars().count() > 64 {
            return Err(invalid("code", "a marker code is 1 to 64 characters"));
        }
        let note = note.trim().to_string();
        if note.is_empty() || note.chars().count() > 2000 {
            return Err(invalid("note", "a marker needs a note of 1 to 2000 characters"));
        }
        let (actor, person) = (actor.username.clone(), person.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    if let Some(m) = replay(ctx, &actor, idempotency.as_ref()).await? {
                        return Ok((m, true));
                    }
                    let p = person_for_change(ctx, &person).await?;
                    let row = sqlx::query(
                        "INSERT INTO person_markers (person_id, kind, note, set_by, set_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(p.id)
                    .bind(&code)
                    .bind(&note)
                    .bind(&actor)
                    .bind(to_micros(ctx.now))
                    .fetch_one(&mut *ctx.conn)
                    .await?;
                    let id: i64 = get(&row, "id")?;
                    log(ctx, p.id, &actor, "marker_set", None, json!({ "marker": id, "kind": code, "note": note })).await?;
                    ctx.audit(AuditEntry {
                        actor: actor.clone(),
                        action: AuditAction::Collection,
                        record_type: "person".into(),
                        record_id: person.clone(),
                        detail: format!("set marker {code}"),
                        justification: None,
                    })
                    .await?;
                    let m = marker_by_id(ctx, id).await?;
                    remember(ctx, &actor, idempotency.as_ref(), &m).await?;
                    Ok((m, false))
                })
            })
            .await
    }

    /// Clears a marker: it stays on record with who, when and why.
    pub async fn clear_marker(
        &self,
        actor: &Actor,
        person: &str,
        id: i64,
        reason: &str,
    ) -> Result<Marker, StoreError> {
        let reason = fc_domain::person::parse_reason(reason)?;
        let (actor, person) = (actor.username.clone(), person.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let m = marker_by_id(ctx, id).await?;
                    if m.person != person {
                        return Err(StoreError::NotFound { what: format!("marker {id} of {person}") });
                    }
                    if m.cleared_at.is_some() {
                        return Err(StoreError::Conflict(format!("marker {id} is already cleared")));
                    }
                    let p = person_for_change(ctx, &m.person).await?;
                    sqlx::query(
                        "UPDATE person_markers SET cleared_by = $1, cleared_at = $2, cleared_reason = $3 WHERE id = $4",
                    )
                    .bind(&actor)
                    .bind(to_micros(ctx.now))
                    .bind(&reason)
                    .bind(id)
                    .execute(&mut *ctx.conn)
                    .await?;
                    log(ctx, p.id, &actor, "marker_cleared", Some(&reason), json!({ "marker": id, "kind": m.code })).await?;
                    ctx.audit(AuditEntry {
                        actor: actor.clone(),
                        action: AuditAction::Alteration,
                        record_type: "person".into(),
                        record_id: m.person.clone(),
                        detail: format!("cleared marker {}", m.code),
                        justification: Some(reason.clone()),
                    })
                    .await?;
                    marker_by_id(ctx, id).await
                })
            })
            .await
    }
}
