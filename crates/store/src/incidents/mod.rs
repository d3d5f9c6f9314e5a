//! Incidents: raised from contacts, run by dispatchers, closed and reopened. Every change is an
//! attributed, timestamped entry in the append-only `incident_log`, written in the same
//! transaction as the current state it produces; links to contacts, other incidents and persons
//! are rows of their own and a log entry each.

mod create;
mod links;
mod read;
mod write;

pub use create::CreatedIncident;
pub use links::LinkedPerson;
pub use read::{Assignment, IncidentFilter, IncidentPage};

use crate::StoreError;
use crate::StoreEvent;
use crate::rows::{corrupt, get, get_opt};
use crate::time::{from_micros, opt_from_micros, to_micros};
use crate::writer::WriteCtx;
use chrono::{DateTime, Utc};
use fc_domain::{Actor, Incident, IncidentRef};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::any::AnyRow;

/// One entry of an incident's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentEntry {
    /// Position in the log (increasing).
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (username).
    pub actor: String,
    /// What kind: created, remark, status_changed, closed, reopened, contact_linked,
    /// incident_linked, person_linked, unit_assigned, unit_status.
    pub kind: String,
    /// The entry's content.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: Value,
}

pub(crate) const INCIDENT_COLUMNS: &str = "id, reference, status, category, qualifiers, grade, area, location_text, \
     lat, lon, radius_m, summary, thrive, closing_category, result, created_by, created_at, first_at_scene_at, \
     closed_at, reopened, updated_at, version";

/// Reads an incident row (with [`INCIDENT_COLUMNS`]) with its row id.
pub(crate) fn incident_from_row(row: &AnyRow) -> Result<(i64, Incident), StoreError> {
    let reference: String = get(row, "reference")?;
    let status: String = get(row, "status")?;
    let qualifiers: String = get(row, "qualifiers")?;
    let grade: i64 = get(row, "grade")?;
    let area: String = get(row, "area")?;
    let location = crate::rows::location(row)?;
    let result: Option<String> = get_opt(row, "result")?;
    let incident = Incident {
        reference: IncidentRef::parse(&reference).map_err(corrupt)?,
        status: status.parse().map_err(corrupt)?,
        category: get(row, "category")?,
        qualifiers: serde_json::from_str(&qualifiers)?,
        grade: u8::try_from(grade).map_err(corrupt).and_then(|g| g.try_into().map_err(corrupt))?,
        area: area.parse().map_err(corrupt)?,
        location_text: get_opt(row, "location_text")?,
        location,
        summary: get(row, "summary")?,
        thrive: get(row, "thrive")?,
        closing_category: get_opt(row, "closing_category")?,
        result: result.map(|r| r.parse().map_err(corrupt)).transpose()?,
        created_by: get(row, "created_by")?,
        created_at: from_micros(get(row, "created_at")?)?,
        first_at_scene_at: opt_from_micros(get_opt(row, "first_at_scene_at")?)?,
        closed_at: opt_from_micros(get_opt(row, "closed_at")?)?,
        reopened: get(row, "reopened")?,
        updated_at: from_micros(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    };
    Ok((get(row, "id")?, incident))
}

pub(crate) fn entry_from_row(row: &AnyRow) -> Result<IncidentEntry, StoreError> {
    let data: String = get(row, "data")?;
    Ok(IncidentEntry {
        id: get(row, "id")?,
        at: from_micros(get(row, "at")?)?,
        actor: get(row, "actor")?,
        kind: get(row, "kind")?,
        data: serde_json::from_str(&data)?,
    })
}

/// Loads an incident inside a write, checking the version the caller saw.
pub(crate) async fn load(
    ctx: &mut WriteCtx<'_>,
    reference: &str,
    expected_version: Option<i64>,
) -> Result<(i64, Incident), StoreError> {
    let sql = format!("SELECT {INCIDENT_COLUMNS} FROM incidents WHERE reference = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(reference)
        .fetch_optional(&mut *ctx.conn)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("incident {reference}") })?;
    let (id, incident) = incident_from_row(&row)?;
    if let Some(v) = expected_version
        && v != incident.version
    {
        return Err(StoreError::Conflict(format!(
            "incident {reference} has changed (version {} now, {v} expected): reload and try again",
            incident.version
        )));
    }
    Ok((id, incident))
}

/// Appends one log entry.
pub(crate) async fn log(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    incident_id: i64,
    kind: &str,
    data: Value,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO incident_log (incident_id, at, actor, kind, data) VALUES ($1, $2, $3, $4, $5)")
        .bind(incident_id)
        .bind(to_micros(ctx.now))
        .bind(&actor.username)
        .bind(kind)
        .bind(data.to_string())
        .execute(&mut *ctx.conn)
        .await?;
    Ok(())
}

/// Writes the log entry and the new current state, and queues the live event.
pub(crate) async fn save(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    id: i64,
    after: &mut Incident,
    kind: &str,
    data: Value,
) -> Result<(), StoreError> {
    log(ctx, actor, id, kind, data).await?;
    after.version += 1;
    after.updated_at = ctx.now;
    sqlx::query(
        "UPDATE incidents SET status = $1, category = $2, qualifiers = $3, grade = $4, area = $5, location_text = $6, \
         lat = $7, lon = $8, radius_m = $9, summary = $10, thrive = $11, closing_category = $12, result = $13, \
         first_at_scene_at = $14, closed_at = $15, reopened = $16, updated_at = $17, version = $18 WHERE id = $19",
    )
    .bind(after.status.as_str())
    .bind(after.category.clone())
    .bind(serde_json::to_string(&after.qualifiers)?)
    .bind(i64::from(after.grade.number()))
    .bind(after.area.as_str())
    .bind(after.location_text.clone())
    .bind(crate::rows::Real(after.location.map(|l| l.lat)))
    .bind(crate::rows::Real(after.location.map(|l| l.lon)))
    .bind(crate::rows::Real(after.location.and_then(|l| l.radius_m)))
    .bind(after.summary.clone())
    .bind(after.thrive.clone())
    .bind(after.closing_category.clone())
    .bind(after.result.map(|r| r.as_str()))
    .bind(after.first_at_scene_at.map(to_micros))
    .bind(after.closed_at.map(to_micros))
    .bind(after.reopened)
    .bind(to_micros(ctx.now))
    .bind(after.version)
    .bind(id)
    .execute(&mut *ctx.conn)
    .await?;
    emit(ctx, after);
    Ok(())
}

pub(crate) fn emit(ctx: &mut WriteCtx<'_>, i: &Incident) {
    ctx.emit(StoreEvent::Incident {
        reference: i.reference.to_string(),
        status: i.status,
        grade: i.grade,
        version: i.version,
    });
}

pub(crate) fn invalid(field: &str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid(vec![fc_domain::FieldError { field: field.into(), message: message.into() }])
}
