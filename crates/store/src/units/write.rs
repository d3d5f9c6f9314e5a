//! Creating units, reporting their position and status, and assigning them to incidents.

use super::{UNIT_COLUMNS, UNIT_FROM, history, unit_from_row};
use crate::incidents::{load as load_incident, log as incident_log, save as save_incident};
use crate::time::to_micros;
use crate::writer::WriteCtx;
use crate::{Store, StoreError, StoreEvent};
use fc_domain::unit::{NewUnit, UnitPatch};
use fc_domain::{Actor, IncidentStatus, Unit, UnitStatus};
use serde_json::json;

async fn load(ctx: &mut WriteCtx<'_>, call_sign: &str) -> Result<(i64, Option<i64>, Unit), StoreError> {
    let sql = format!("SELECT {UNIT_COLUMNS}, u.incident_id FROM {UNIT_FROM} WHERE u.call_sign = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(call_sign)
        .fetch_optional(&mut *ctx.conn)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("unit {call_sign}") })?;
    let (id, unit) = unit_from_row(&row)?;
    Ok((id, crate::rows::get_opt(&row, "incident_id")?, unit))
}

async fn save(
    ctx: &mut WriteCtx<'_>,
    id: i64,
    incident_id: Option<i64>,
    u: &mut Unit,
) -> Result<(), StoreError> {
    u.version += 1;
    sqlx::query(
        "UPDATE units SET skills = $1, home_station = $2, lat = $3, lon = $4, position_at = $5, status = $6, \
         status_at = $7, incident_id = $8, version = $9 WHERE id = $10",
    )
    .bind(serde_json::to_string(&u.skills)?)
    .bind(u.home_station.clone())
    .bind(crate::rows::Real(u.position.map(|p| p.lat)))
    .bind(crate::rows::Real(u.position.map(|p| p.lon)))
    .bind(u.position_at.map(to_micros))
    .bind(u.status.as_str())
    .bind(to_micros(u.status_at))
    .bind(incident_id)
    .bind(u.version)
    .bind(id)
    .execute(&mut *ctx.conn)
    .await?;
    ctx.emit(StoreEvent::Unit {
        call_sign: u.call_sign.to_string(),
        status: u.status,
        incident: u.incident.map(|r| r.to_string()),
    });
    Ok(())
}

impl Store {
    /// Creates a unit; a call sign in use is a conflict.
    pub async fn create_unit(&self, actor: &Actor, new: NewUnit) -> Result<Unit, StoreError> {
        let actor = actor.clone();
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let now = to_micros(ctx.now);
                    let row = sqlx::query(
                        "INSERT INTO units (call_sign, unit_type, skills, home_station, lat, lon, position_at, status, status_at, version) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) RETURNING id",
                    )
                    .bind(new.call_sign.to_string())
                    .bind(new.unit_type.as_str())
                    .bind(serde_json::to_string(&new.skills)?)
                    .bind(&new.home_station)
                    .bind(crate::rows::Real(new.position.map(|p| p.lat)))
                    .bind(crate::rows::Real(new.position.map(|p| p.lon)))
                    .bind(new.position.map(|_| now))
                    .bind(new.status.as_str())
                    .bind(now)
                    .fetch_one(&mut *ctx.conn)
                    .await
                    .map_err(|e| match StoreError::from(e) {
                        StoreError::Conflict(_) => StoreError::Conflict(format!("call sign {} is already in use", new.call_sign)),
                        other => other,
                    })?;
                    let id: i64 = crate::rows::get(&row, "id")?;
                    history(ctx, &actor, id, new.status, None, new.position).await?;
                    let unit = Unit {
                        call_sign: new.call_sign,
                        unit_type: new.unit_type,
                        skills: new.skills,
                        home_station: new.home_station,
                        position: new.position,
                        position_at: new.position.map(|_| ctx.now),
                        status: new.status,
                        status_at: ctx.now,
                        incident: None,
                        version: 1,
                    };
                    ctx.emit(StoreEvent::Unit { call_sign: unit.call_sign.to_string(), status: unit.status, incident: None });
                    Ok(unit)
                })
            })
            .await
    }

    /// Applies a position and/or status report or an administrative change. The unit status
    /// machine decides what is legal; arriving stamps the assignment and the incident's first
    /// arrival; leaving (available, unavailable) clears the assignment.
    pub async fn update_unit(
        &self,
        actor: &Actor,
        call_sign: &str,
        patch: UnitPatch,
    ) -> Result<Unit, StoreError> {
        let (actor, call_sign) = (actor.clone(), call_sign.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (id, incident_id, before) = load(ctx, &call_sign).await?;
                    let mut after = before.clone();
                    if let Some((p, at)) = patch.position {
                        // A late position fix never overwrites a newer one.
                        if before.position_at.is_none_or(|prev| at >= prev) {
                            after.position = Some(p);
                            after.position_at = Some(at);
                        }
                    }
                    if let Some(s) = patch.skills {
                        after.skills = s;
                    }
                    if let Some(h) = patch.home_station {
                        after.home_station = h;
                    }
                    let mut incident_after = incident_id;
                    if let Some(to) = patch.status {
                        let to = before.status.transition(to)?;
                        after.status = to;
                        after.status_at = ctx.now;
                        if let Some(inc) = incident_id {
                            incident_after =
                                status_effects(ctx, &actor, id, inc, &after, before.status, to).await?;
                        }
                        if incident_after.is_none() {
                            after.incident = None;
                        }
                        history(ctx, &actor, id, to, incident_after, after.position).await?;
                    }
                    save(ctx, id, incident_after, &mut after).await?;
                    Ok(after)
                })
            })
            .await
    }

    /// Assigns a unit to an incident: the unit must be available (or en route elsewhere, which
    /// diverts it) and the incident open. An open incident becomes resourced.
    pub async fn assign_unit(
        &self,
        actor: &Actor,
        reference: &str,
        call_sign: &str,
    ) -> Result<Unit, StoreError> {
        let (actor, reference, call_sign) = (actor.clone(), reference.to_string(), call_sign.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let (incident_id, mut incident) = load_incident(ctx, &reference, None).await?;
                    if !incident.status.is_open() {
                        return Err(fc_domain::DomainError::IllegalMove {
                            what: "incident",
                            from: "closed".into(),
                            to: "resourced".into(),
                        }
                        .into());
                    }
                    let (unit_id, previous, mut unit) = load(ctx, &call_sign).await?;
                    unit.status.can_assign()?;
                    if previous == Some(incident_id) {
                        return Err(StoreError::Conflict(format!("{call_sign} is already assigned to {reference}")));
                    }
                    if let Some(prev) = previous {
                        clear_assignment(ctx, unit_id).await?;
                        incident_log(ctx, &actor, prev, "unit_diverted", json!({ "call_sign": call_sign, "to": reference })).await?;
                    }
                    let now = to_micros(ctx.now);
                    sqlx::query(
                        "INSERT INTO assignments (incident_id, unit_id, assigned_at, assigned_by) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(incident_id)
                    .bind(unit_id)
                    .bind(now)
                    .bind(&actor.username)
                    .execute(&mut *ctx.conn)
                    .await?;
                    let from = unit.status;
                    unit.status = UnitStatus::Assigned;
                    unit.status_at = ctx.now;
                    unit.incident = Some(incident.reference);
                    history(ctx, &actor, unit_id, UnitStatus::Assigned, Some(incident_id), unit.position).await?;
                    save(ctx, unit_id, Some(incident_id), &mut unit).await?;
                    if incident.status == IncidentStatus::Open {
                        incident.status = IncidentStatus::Resourced;
                    }
                    let data = json!({ "call_sign": call_sign, "unit_was": from });
                    save_incident(ctx, &actor, incident_id, &mut incident, "unit_assigned", data).await?;
                    Ok(unit)
                })
            })
            .await
    }
}

async fn clear_assignment(ctx: &mut WriteCtx<'_>, unit_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE assignments SET cleared_at = $1 WHERE unit_id = $2 AND cleared_at IS NULL")
        .bind(to_micros(ctx.now))
        .bind(unit_id)
        .execute(&mut *ctx.conn)
        .await?;
    Ok(())
}

/// What a committed unit's status change does to its assignment and incident. Returns the
/// incident the unit is committed to afterwards.
async fn status_effects(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    unit_id: i64,
    incident_id: i64,
    unit: &Unit,
    from: UnitStatus,
    to: UnitStatus,
) -> Result<Option<i64>, StoreError> {
    let now = to_micros(ctx.now);
    let reference = unit.incident.map(|r| r.to_string()).unwrap_or_default();
    let (_, mut incident) = load_incident(ctx, &reference, None).await?;
    let data = json!({ "call_sign": unit.call_sign, "from": from, "to": to });
    match to {
        UnitStatus::EnRoute => {
            sqlx::query("UPDATE assignments SET en_route_at = $1 WHERE unit_id = $2 AND cleared_at IS NULL AND en_route_at IS NULL")
                .bind(now)
                .bind(unit_id)
                .execute(&mut *ctx.conn)
                .await?;
        }
        UnitStatus::AtScene => {
            sqlx::query("UPDATE assignments SET at_scene_at = $1 WHERE unit_id = $2 AND cleared_at IS NULL AND at_scene_at IS NULL")
                .bind(now)
                .bind(unit_id)
                .execute(&mut *ctx.conn)
                .await?;
            if incident.first_at_scene_at.is_none() {
                incident.first_at_scene_at = Some(ctx.now);
            }
            if incident.status == IncidentStatus::Resourced || incident.status == IncidentStatus::Open {
                incident.status = IncidentStatus::AtScene;
            }
        }
        UnitStatus::Available | UnitStatus::Unavailable | UnitStatus::OffDuty => {
            clear_assignment(ctx, unit_id).await?;
            let others = sqlx::query("SELECT COUNT(*) AS n FROM units WHERE incident_id = $1 AND id <> $2")
                .bind(incident_id)
                .bind(unit_id)
                .fetch_one(&mut *ctx.conn)
                .await?;
            let others: i64 = crate::rows::get(&others, "n")?;
            if others == 0 && incident.status == IncidentStatus::Resourced {
                incident.status = IncidentStatus::Open;
            }
            save_incident(ctx, actor, incident_id, &mut incident, "unit_cleared", data).await?;
            return Ok(None);
        }
        _ => {}
    }
    save_incident(ctx, actor, incident_id, &mut incident, "unit_status", data).await?;
    Ok(Some(incident_id))
}
