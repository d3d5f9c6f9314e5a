//! Unit records: the validated input that creates a unit or reports its position and status (as
//! a vehicle's location system or an officer's device does), and the stored unit.

use super::{CallSign, Skill, UnitStatus, UnitType};
use crate::record::{LocationInput, short};
use crate::{FieldError, GeoPoint, IncidentRef};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The body that creates a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUnitInput {
    /// Call sign, e.g. MC21.
    pub call_sign: String,
    /// Type.
    pub unit_type: UnitType,
    /// Skills and equipment.
    #[serde(default)]
    pub skills: Vec<Skill>,
    /// Home station name.
    pub home_station: String,
    /// Starting position (usually the station).
    pub position: Option<LocationInput>,
    /// Starting status (default off duty; only available, unavailable or off duty).
    pub status: Option<UnitStatus>,
}

/// A validated new unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUnit {
    /// Call sign.
    pub call_sign: CallSign,
    /// Type.
    pub unit_type: UnitType,
    /// Skills, sorted and unique.
    pub skills: Vec<Skill>,
    /// Home station.
    pub home_station: String,
    /// Position.
    pub position: Option<GeoPoint>,
    /// Status.
    pub status: UnitStatus,
}

fn push(errors: &mut Vec<FieldError>, field: &str, message: impl Into<String>) {
    errors.push(FieldError { field: field.into(), message: message.into() });
}

fn position(input: Option<LocationInput>, errors: &mut Vec<FieldError>) -> Option<GeoPoint> {
    let l = input?;
    GeoPoint::parse(l.lat, l.lon, l.radius_m)
        .map_err(|e| errors.push(FieldError::from_domain("position", e)))
        .ok()
}

fn skills(mut s: Vec<Skill>) -> Vec<Skill> {
    s.sort();
    s.dedup();
    s
}

impl NewUnitInput {
    /// Validates every field at once.
    pub fn validate(self) -> Result<NewUnit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let call_sign = CallSign::parse(&self.call_sign)
            .map_err(|e| errors.push(FieldError { field: "call_sign".into(), message: e.to_string() }))
            .ok();
        let home_station = short("home_station", Some(self.home_station), &mut errors);
        if home_station.is_none() && !errors.iter().any(|e| e.field == "home_station") {
            push(&mut errors, "home_station", "name the unit's home station");
        }
        let position = position(self.position, &mut errors);
        let status = self.status.unwrap_or(UnitStatus::OffDuty);
        if status.is_committed() {
            push(&mut errors, "status", "a new unit starts available, unavailable or off duty");
        }
        match (call_sign, home_station, errors.is_empty()) {
            (Some(call_sign), Some(home_station), true) => Ok(NewUnit {
                call_sign,
                unit_type: self.unit_type,
                skills: skills(self.skills),
                home_station,
                position,
                status,
            }),
            _ => Err(errors),
        }
    }
}

/// A position and/or status report, or a change of type, skills or station by an administrator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitPatchInput {
    /// New position.
    pub position: Option<LocationInput>,
    /// When the position was fixed (defaults to now; not in the future).
    pub position_at: Option<DateTime<Utc>>,
    /// New status (assignment is its own operation).
    pub status: Option<UnitStatus>,
    /// New skills (the whole list).
    pub skills: Option<Vec<Skill>>,
    /// New home station.
    pub home_station: Option<String>,
}

/// A validated unit change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitPatch {
    /// New position and when it was fixed.
    pub position: Option<(GeoPoint, DateTime<Utc>)>,
    /// New status.
    pub status: Option<UnitStatus>,
    /// New skills.
    pub skills: Option<Vec<Skill>>,
    /// New home station.
    pub home_station: Option<String>,
}

impl UnitPatchInput {
    /// Validates the change; `now` bounds the position time.
    pub fn validate(self, now: DateTime<Utc>) -> Result<UnitPatch, Vec<FieldError>> {
        let mut errors = Vec::new();
        let at = self.position_at.unwrap_or(now);
        if at > now + chrono::Duration::minutes(1) {
            push(&mut errors, "position_at", "cannot be in the future");
        }
        if self.position_at.is_some() && self.position.is_none() {
            push(&mut errors, "position_at", "send it with a position");
        }
        let position = position(self.position, &mut errors).map(|p| (p, at));
        let home_station = self.home_station.and_then(|h| {
            let v = short("home_station", Some(h), &mut errors);
            if v.is_none() && !errors.iter().any(|e| e.field == "home_station") {
                push(&mut errors, "home_station", "cannot be blank");
            }
            v
        });
        let patch =
            UnitPatch { position, status: self.status, skills: self.skills.map(skills), home_station };
        if errors.is_empty() && patch == UnitPatch::default() {
            push(&mut errors, "", "the change is empty: send at least one field");
        }
        if errors.is_empty() { Ok(patch) } else { Err(errors) }
    }
}

/// A stored unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    /// Call sign.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "MC21"))]
    pub call_sign: CallSign,
    /// Type.
    pub unit_type: UnitType,
    /// Skills.
    pub skills: Vec<Skill>,
    /// Home station.
    pub home_station: String,
    /// Last known position.
    pub position: Option<GeoPoint>,
    /// When that position was fixed.
    pub position_at: Option<DateTime<Utc>>,
    /// Status.
    pub status: UnitStatus,
    /// When the status last changed.
    pub status_at: DateTime<Utc>,
    /// The incident it is committed to, if any.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub incident: Option<IncidentRef>,
    /// Incremented on every change.
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_units_name_every_field() {
        let input: NewUnitInput = serde_json::from_value(serde_json::json!({
            "call_sign": "21", "unit_type": "response", "home_station": " ",
            "position": {"lat": 53.4, "lon": 200.0}, "status": "at_scene"
        }))
        .expect("shape");
        let errors = input.validate().expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["call_sign", "home_station", "position.lon", "status"]);
    }

    #[test]
    fn position_reports_validate() {
        let now = Utc::now();
        let bad = UnitPatchInput {
            position: Some(LocationInput { lat: -91.0, lon: 0.0, radius_m: None }),
            ..Default::default()
        };
        assert_eq!(bad.validate(now).expect_err("bad")[0].field, "position.lat");
        assert!(UnitPatchInput::default().validate(now).is_err());
        let ok = UnitPatchInput { status: Some(UnitStatus::Available), ..Default::default() };
        assert!(ok.validate(now).is_ok());
    }
}
