//! Running an incident: remarks, status moves, closing with a classification and result, and
//! reopening. The domain decides what is legal; each change is one log entry plus the new state.

use super::{invalid, load, save};
use crate::time::to_micros;
use crate::writer::WriteCtx;
use crate::{Store, StoreError};
use fc_domain::incident::IncidentClose;
use fc_domain::incident::record::MAX_REMARK_CHARS;
use fc_domain::{Actor, Incident, IncidentStatus, UnitStatus};
use serde_json::json;

fn remark_text(field: &str, text: String) -> Result<String, StoreError> {
    let text = text.trim().to_string();
    if text.is_empty() || text.chars().count() > MAX_REMARK_CHARS {
        return Err(invalid(field, format!("between 1 and {MAX_REMARK_CHARS} characters")));
    }
    Ok(text)
}

impl Store {
    /// Adds a remark to an incident's log.
    pub async fn add_incident_remark(
        &self,
        actor: &Actor,
        reference: &str,
        text: String,
    ) -> Result<Incident, StoreError> {
        let text = remark_text("text", text)?;
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, mut incident) = load(ctx, &reference, None).await?;
                    save(ctx, &actor, id, &mut incident, "remark", json!({ "text": text })).await?;
                    Ok(incident)
                })
            })
            .await
    }

    /// Moves an incident between open, resourced and at scene (closing and reopening have their
    /// own calls). Illegal moves are refused and change nothing.
    pub async fn transition_incident(
        &self,
        actor: &Actor,
        reference: &str,
        to: IncidentStatus,
        note: Option<String>,
        expected_version: Option<i64>,
    ) -> Result<Incident, StoreError> {
        let note = note.map(|n| remark_text("note", n)).transpose()?;
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, before) = load(ctx, &reference, expected_version).await?;
                    let to = before.status.transition(to)?;
                    let mut after = before.clone();
                    after.status = to;
                    if to == IncidentStatus::AtScene && after.first_at_scene_at.is_none() {
                        after.first_at_scene_at = Some(ctx.now);
                    }
                    let data = json!({ "from": before.status, "to": to, "note": note });
                    save(ctx, &actor, id, &mut after, "status_changed", data).await?;
                    Ok(after)
                })
            })
            .await
    }

    /// Closes an incident with its closing classification and result. Units still committed to
    /// it are cleared and become available, each logged.
    pub async fn close_incident(
        &self,
        actor: &Actor,
        reference: &str,
        close: IncidentClose,
        expected_version: Option<i64>,
    ) -> Result<Incident, StoreError> {
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, before) = load(ctx, &reference, expected_version).await?;
                    before.status.can_close()?;
                    let cleared = clear_units(ctx, &actor, id).await?;
                    let mut after = before.clone();
                    after.status = IncidentStatus::Closed;
                    after.closing_category = Some(close.category.clone());
                    after.result = Some(close.result);
                    after.closed_at = Some(ctx.now);
                    let data = json!({
                        "from": before.status, "category": close.category, "result": close.result,
                        "note": close.note, "units_cleared": cleared,
                    });
                    save(ctx, &actor, id, &mut after, "closed", data).await?;
                    Ok(after)
                })
            })
            .await
    }

    /// Reopens a closed incident; the reason is required and logged, and the closing
    /// classification is kept in the log but cleared from the current state.
    pub async fn reopen_incident(
        &self,
        actor: &Actor,
        reference: &str,
        reason: String,
        expected_version: Option<i64>,
    ) -> Result<Incident, StoreError> {
        let reason = remark_text("reason", reason)?;
        let (actor, reference) = (actor.clone(), reference.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, before) = load(ctx, &reference, expected_version).await?;
                    before.status.can_reopen()?;
                    let mut after = before.clone();
                    after.status = IncidentStatus::Open;
                    after.closing_category = None;
                    after.result = None;
                    after.closed_at = None;
                    after.reopened += 1;
                    let data = json!({
                        "reason": reason, "was_category": before.closing_category, "was_result": before.result,
                    });
                    save(ctx, &actor, id, &mut after, "reopened", data).await?;
                    Ok(after)
                })
            })
            .await
    }
}

/// Clears every unit committed to incident `id`: assignment closed, unit available, history row.
/// Returns the call signs cleared.
pub(crate) async fn clear_units(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    id: i64,
) -> Result<Vec<String>, StoreError> {
    let rows =
        sqlx::query("SELECT id, call_sign, lat, lon FROM units WHERE incident_id = $1 ORDER BY call_sign")
            .bind(id)
            .fetch_all(&mut *ctx.conn)
            .await?;
    let now = to_micros(ctx.now);
    let mut cleared = Vec::new();
    for row in rows {
        let unit_id: i64 = crate::rows::get(&row, "id")?;
        let call_sign: String = crate::rows::get(&row, "call_sign")?;
        sqlx::query("UPDATE assignments SET cleared_at = $1 WHERE unit_id = $2 AND cleared_at IS NULL")
            .bind(now)
            .bind(unit_id)
            .execute(&mut *ctx.conn)
            .await?;
        sqlx::query(
            "UPDATE units SET status = $1, status_at = $2, incident_id = NULL, version = version + 1 WHERE id = $3",
        )
        .bind(UnitStatus::Available.as_str())
        .bind(now)
        .bind(unit_id)
        .execute(&mut *ctx.conn)
        .await?;
        crate::units::history(ctx, actor, unit_id, UnitStatus::Available, None, None).await?;
        ctx.emit(crate::StoreEvent::Unit {
            call_sign: call_sign.clone(),
            status: UnitStatus::Available,
            incident: None,
        });
        cleared.push(call_sign);
    }
    Ok(cleared)
}
