//! Reading incidents: one, a filtered page (most urgent first: grade, then oldest), the log, the
//! assignments, and the counts analysts read.

use super::{INCIDENT_COLUMNS, IncidentEntry, entry_from_row, incident_from_row, invalid};
use crate::rows::{get, get_opt};
use crate::time::{from_micros, opt_from_micros, to_micros};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::{GeoPoint, Grade, Incident, IncidentStatus};
use serde::Serialize;

/// Filters for listing incidents; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    /// Only this status.
    pub status: Option<IncidentStatus>,
    /// Only incidents that are not closed.
    pub open_only: bool,
    /// Only this grade.
    pub grade: Option<Grade>,
    /// Raised at or after (the youngest age).
    pub created_from: Option<DateTime<Utc>>,
    /// Raised before (the oldest age).
    pub created_to: Option<DateTime<Utc>>,
    /// Opaque cursor from the previous page.
    pub cursor: Option<String>,
    /// Page size (1..=2000).
    pub limit: u32,
}

/// A page of incidents, most urgent first.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentPage {
    /// The incidents.
    pub items: Vec<Incident>,
    /// Pass back as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// A unit's assignment to an incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    /// The unit.
    pub call_sign: String,
    /// When assigned.
    pub assigned_at: DateTime<Utc>,
    /// By whom.
    pub assigned_by: String,
    /// When it set off.
    pub en_route_at: Option<DateTime<Utc>>,
    /// When it arrived.
    pub at_scene_at: Option<DateTime<Utc>>,
    /// When it was cleared (left, stood down, diverted).
    pub cleared_at: Option<DateTime<Utc>>,
}

fn offset(cursor: Option<&str>) -> Result<i64, StoreError> {
    match cursor {
        None => Ok(0),
        Some(c) => c
            .strip_prefix('o')
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| invalid("cursor", "not a cursor this API gave out")),
    }
}

impl Store {
    /// Reads one incident.
    pub async fn get_incident(&self, reference: &str) -> Result<Incident, StoreError> {
        let sql = format!("SELECT {INCIDENT_COLUMNS} FROM incidents WHERE reference = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(reference)
            .fetch_optional(self.reads())
            .await?
            .ok_or_else(|| StoreError::NotFound { what: format!("incident {reference}") })?;
        Ok(incident_from_row(&row)?.1)
    }

    /// Lists incidents, most urgent first (grade, then oldest), a page at a time.
    pub async fn list_incidents(&self, f: &IncidentFilter) -> Result<IncidentPage, StoreError> {
        let skip = offset(f.cursor.as_deref())?;
        let limit = i64::from(f.limit.clamp(1, 2000));
        let sql = format!(
            "SELECT {INCIDENT_COLUMNS} FROM incidents WHERE ($1 IS NULL OR status = $1) AND ($2 = 0 OR status <> 'closed') \
             AND ($3 IS NULL OR grade = $3) AND ($4 IS NULL OR created_at >= $4) AND ($5 IS NULL OR created_at < $5) \
             ORDER BY grade, created_at, id LIMIT $6 OFFSET $7"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(f.status.map(|s| s.as_str()))
            .bind(i64::from(f.open_only))
            .bind(f.grade.map(|g| i64::from(g.number())))
            .bind(f.created_from.map(to_micros))
            .bind(f.created_to.map(to_micros))
            .bind(limit + 1)
            .bind(skip)
            .fetch_all(self.reads())
            .await?;
        let items = rows
            .iter()
            .take(limit as usize)
            .map(|r| incident_from_row(r).map(|(_, i)| i))
            .collect::<Result<Vec<_>, _>>()?;
        let next_cursor = (rows.len() as i64 > limit).then(|| format!("o{}", skip + limit));
        Ok(IncidentPage { items, next_cursor })
    }

    /// Incidents raised since `since` within `radius_m` of `at`, nearest first (at most 50): what
    /// has happened at a place, for triage's "location with a history" signal. A bounding box in
    /// SQL narrows the rows; the exact distance is checked here.
    pub async fn incidents_near(
        &self,
        at: &GeoPoint,
        radius_m: f64,
        since: DateTime<Utc>,
    ) -> Result<Vec<Incident>, StoreError> {
        let dlat = radius_m / 111_195.0;
        let dlon = dlat / at.lat.to_radians().cos().max(0.01);
        let sql = format!(
            "SELECT {INCIDENT_COLUMNS} FROM incidents WHERE lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4 \
             AND created_at >= $5 ORDER BY created_at DESC LIMIT 500"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(at.lat - dlat)
            .bind(at.lat + dlat)
            .bind(at.lon - dlon)
            .bind(at.lon + dlon)
            .bind(to_micros(since))
            .fetch_all(self.reads())
            .await?;
        let mut near: Vec<(f64, Incident)> = Vec::new();
        for row in &rows {
            let (_, i) = incident_from_row(row)?;
            if let Some(d) = i.location.map(|p| at.distance_m(&p)).filter(|d| *d <= radius_m) {
                near.push((d, i));
            }
        }
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(near.into_iter().take(50).map(|(_, i)| i).collect())
    }

    /// An incident's log, oldest first.
    pub async fn incident_log(&self, reference: &str) -> Result<Vec<IncidentEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.id, e.at, e.actor, e.kind, e.data FROM incident_log e JOIN incidents i ON i.id = e.incident_id \
             WHERE i.reference = $1 ORDER BY e.id",
        )
        .bind(reference)
        .fetch_all(self.reads())
        .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound { what: format!("incident {reference}") });
        }
        rows.iter().map(entry_from_row).collect()
    }

    /// An incident's assignments, oldest first.
    pub async fn incident_assignments(&self, reference: &str) -> Result<Vec<Assignment>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.call_sign, a.assigned_at, a.assigned_by, a.en_route_at, a.at_scene_at, a.cleared_at FROM assignments a \
             JOIN incidents i ON i.id = a.incident_id JOIN units u ON u.id = a.unit_id WHERE i.reference = $1 ORDER BY a.id",
        )
        .bind(reference)
        .fetch_all(self.reads())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Assignment {
                    call_sign: get(r, "call_sign")?,
                    assigned_at: from_micros(get(r, "assigned_at")?)?,
                    assigned_by: get(r, "assigned_by")?,
                    en_route_at: opt_from_micros(get_opt(r, "en_route_at")?)?,
                    at_scene_at: opt_from_micros(get_opt(r, "at_scene_at")?)?,
                    cleared_at: opt_from_micros(get_opt(r, "cleared_at")?)?,
                })
            })
            .collect()
    }

    /// Counts of incidents by status and grade (aggregates: no personal data).
    pub async fn incident_counts(&self) -> Result<Vec<(IncidentStatus, Grade, i64)>, StoreError> {
        let rows = sqlx::query("SELECT status, grade, COUNT(*) AS n FROM incidents GROUP BY status, grade ORDER BY status, grade")
            .fetch_all(self.reads())
            .await?;
        rows.iter()
            .map(|r| {
                let status: String = get(r, "status")?;
                let grade: i64 = get(r, "grade")?;
                let corrupt = |e: fc_domain::DomainError| StoreError::Corrupt(e.to_string());
                Ok((
                    status.parse().map_err(corrupt)?,
                    u8::try_from(grade)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))
                        .and_then(|g| Grade::try_from(g).map_err(corrupt))?,
                    get(r, "n")?,
                ))
            })
            .collect()
    }
}
