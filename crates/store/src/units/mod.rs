//! Units: created by supervisors and administrators, assigned by dispatchers, moved by vehicle
//! location systems and officers' devices. Every status change writes a row of the append-only
//! `unit_status_history`; changes that touch an incident (assigned, arrived, cleared) also write
//! its log, in the same transaction.

mod write;

use crate::rows::{corrupt, get, get_opt};
use crate::time::{from_micros, opt_from_micros, to_micros};
use crate::writer::WriteCtx;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::{Actor, CallSign, GeoPoint, IncidentRef, Unit, UnitStatus};
use serde::Serialize;
use sqlx::any::AnyRow;

pub(crate) const UNIT_COLUMNS: &str = "u.id, u.call_sign, u.unit_type, u.skills, u.home_station, u.lat, u.lon, \
     u.position_at, u.status, u.status_at, u.version, i.reference AS incident";

pub(crate) const UNIT_FROM: &str = "units u LEFT JOIN incidents i ON i.id = u.incident_id";

/// Reads a unit row (with [`UNIT_COLUMNS`] from [`UNIT_FROM`]) with its row id.
pub(crate) fn unit_from_row(row: &AnyRow) -> Result<(i64, Unit), StoreError> {
    let call_sign: String = get(row, "call_sign")?;
    let unit_type: String = get(row, "unit_type")?;
    let skills: String = get(row, "skills")?;
    let status: String = get(row, "status")?;
    let lat: Option<f64> = get_opt(row, "lat")?;
    let lon: Option<f64> = get_opt(row, "lon")?;
    let position = match (lat, lon) {
        (Some(lat), Some(lon)) => Some(GeoPoint::parse(lat, lon, None).map_err(corrupt)?),
        _ => None,
    };
    let incident: Option<String> = get_opt(row, "incident")?;
    let unit = Unit {
        call_sign: CallSign::parse(&call_sign).map_err(corrupt)?,
        unit_type: unit_type.parse().map_err(corrupt)?,
        skills: serde_json::from_str(&skills)?,
        home_station: get(row, "home_station")?,
        position,
        position_at: opt_from_micros(get_opt(row, "position_at")?)?,
        status: status.parse().map_err(corrupt)?,
        status_at: from_micros(get(row, "status_at")?)?,
        incident: incident.map(|r| IncidentRef::parse(&r).map_err(corrupt)).transpose()?,
        version: get(row, "version")?,
    };
    Ok((get(row, "id")?, unit))
}

/// One row of a unit's status history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitHistoryEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who reported it (a dispatcher, a device's token user).
    pub actor: String,
    /// The status from then on.
    pub status: UnitStatus,
    /// The incident it was committed to.
    pub incident: Option<String>,
}

/// Appends a status history row.
pub(crate) async fn history(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    unit_id: i64,
    status: UnitStatus,
    incident_id: Option<i64>,
    position: Option<GeoPoint>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO unit_status_history (unit_id, at, actor, status, incident_id, lat, lon) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(unit_id)
    .bind(to_micros(ctx.now))
    .bind(&actor.username)
    .bind(status.as_str())
    .bind(incident_id)
    .bind(crate::rows::Real(position.map(|p| p.lat)))
    .bind(crate::rows::Real(position.map(|p| p.lon)))
    .execute(&mut *ctx.conn)
    .await?;
    Ok(())
}

impl Store {
    /// Every unit, by call sign.
    pub async fn list_units(&self, status: Option<UnitStatus>) -> Result<Vec<Unit>, StoreError> {
        let sql = format!(
            "SELECT {UNIT_COLUMNS} FROM {UNIT_FROM} WHERE ($1 IS NULL OR u.status = $1) ORDER BY u.call_sign"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(status.map(|s| s.as_str()))
            .fetch_all(self.reads())
            .await?;
        rows.iter().map(|r| unit_from_row(r).map(|(_, u)| u)).collect()
    }

    /// One unit.
    pub async fn get_unit(&self, call_sign: &str) -> Result<Unit, StoreError> {
        let sql = format!("SELECT {UNIT_COLUMNS} FROM {UNIT_FROM} WHERE u.call_sign = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(call_sign)
            .fetch_optional(self.reads())
            .await?
            .ok_or_else(|| StoreError::NotFound { what: format!("unit {call_sign}") })?;
        Ok(unit_from_row(&row)?.1)
    }

    /// A unit's status history, oldest first.
    pub async fn unit_history(&self, call_sign: &str) -> Result<Vec<UnitHistoryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT h.at, h.actor, h.status, i.reference AS incident FROM unit_status_history h JOIN units u ON u.id = h.unit_id \
             LEFT JOIN incidents i ON i.id = h.incident_id WHERE u.call_sign = $1 ORDER BY h.id",
        )
        .bind(call_sign)
        .fetch_all(self.reads())
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = get(r, "status")?;
                Ok(UnitHistoryEntry {
                    at: from_micros(get(r, "at")?)?,
                    actor: get(r, "actor")?,
                    status: status.parse().map_err(corrupt)?,
                    incident: get_opt(r, "incident")?,
                })
            })
            .collect()
    }
}
