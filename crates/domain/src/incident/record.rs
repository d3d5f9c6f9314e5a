//! Incident records: the validated input that raises or closes one, and the stored incident as the
//! rest of the system sees it. Validation collects every field problem at once.

use super::{Area, CategoryList, IncidentRef, IncidentResult, IncidentStatus, Qualifier};
use crate::record::{LocationInput, MAX_NARRATIVE_CHARS, location, narrative, short};
use crate::{ContactRef, FieldError, GeoPoint, Grade};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Most contacts one request may attach when raising an incident.
pub const MAX_CONTACTS_PER_RAISE: usize = 50;

/// The body that raises an incident, as a client sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewIncidentInput {
    /// References of the contacts it is raised from (none for a police-generated incident).
    #[serde(default)]
    pub contacts: Vec<String>,
    /// Opening classification: a code from the incident category list, e.g. `TRN-RTC-INJURY`.
    pub category: String,
    /// Qualifiers.
    #[serde(default)]
    pub qualifiers: Vec<Qualifier>,
    /// Response grade.
    pub grade: Grade,
    /// Urban (default) or rural: decides the grade 1 target.
    pub area: Option<Area>,
    /// Where, in words.
    pub location_text: Option<String>,
    /// Where, as a point.
    pub location: Option<LocationInput>,
    /// One line for the dispatcher's list.
    pub summary: String,
    /// The THRIVE assessment in brief.
    #[serde(default)]
    pub thrive: String,
}

/// A validated new incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewIncident {
    /// Contacts it is raised from (unique).
    pub contacts: Vec<ContactRef>,
    /// Opening classification code.
    pub category: String,
    /// Qualifiers, sorted and unique.
    pub qualifiers: Vec<Qualifier>,
    /// Grade.
    pub grade: Grade,
    /// Area.
    pub area: Area,
    /// Location in words.
    pub location_text: Option<String>,
    /// Location as a point.
    pub location: Option<GeoPoint>,
    /// One-line summary.
    pub summary: String,
    /// THRIVE summary.
    pub thrive: String,
}

fn push(errors: &mut Vec<FieldError>, field: &str, message: impl Into<String>) {
    errors.push(FieldError { field: field.into(), message: message.into() });
}

/// Sorted, without duplicates.
pub(crate) fn normalise_qualifiers(mut q: Vec<Qualifier>) -> Vec<Qualifier> {
    q.sort();
    q.dedup();
    q
}

impl NewIncidentInput {
    /// Validates against the force's category list, returning every field problem at once.
    pub fn validate(self, categories: &CategoryList) -> Result<NewIncident, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut contacts = Vec::new();
        for (i, c) in self.contacts.iter().enumerate() {
            match ContactRef::parse(c.trim()) {
                Ok(r) if !contacts.contains(&r) => contacts.push(r),
                Ok(_) => {}
                Err(_) => {
                    push(&mut errors, &format!("contacts[{i}]"), format!("{c:?} is not a contact reference"))
                }
            }
        }
        if contacts.len() > MAX_CONTACTS_PER_RAISE {
            push(&mut errors, "contacts", format!("at most {MAX_CONTACTS_PER_RAISE} contacts at once"));
        }
        let category = self.category.trim().to_string();
        if categories.check("category", &category).is_err() {
            push(&mut errors, "category", format!("{category:?} is not in the incident category list"));
        }
        let location_text = short("location_text", self.location_text, &mut errors);
        let location = location(self.location, &mut errors);
        if location_text.is_none()
            && location.is_none()
            && !errors.iter().any(|e| e.field.starts_with("location"))
        {
            push(&mut errors, "location", "give the location in words, as a point, or both");
        }
        let summary = short("summary", Some(self.summary), &mut errors);
        if summary.is_none() && !errors.iter().any(|e| e.field == "summary") {
            push(&mut errors, "summary", "say in a line what is happening");
        }
        let thrive = narrative("thrive", self.thrive, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewIncident {
            contacts,
            category,
            qualifiers: normalise_qualifiers(self.qualifiers),
            grade: self.grade,
            area: self.area.unwrap_or(Area::Urban),
            location_text,
            location,
            summary: summary.unwrap_or_default(),
            thrive,
        })
    }
}

/// Closing an incident, as a client sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IncidentCloseInput {
    /// Closing classification (may differ from the opening one: a "concern for safety" may close as
    /// a sudden death).
    pub category: String,
    /// What came of it.
    pub result: IncidentResult,
    /// A closing remark for the log.
    pub note: Option<String>,
}

/// A validated close.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentClose {
    /// Closing classification code.
    pub category: String,
    /// Result.
    pub result: IncidentResult,
    /// Remark.
    pub note: Option<String>,
}

impl IncidentCloseInput {
    /// Validates against the category list.
    pub fn validate(self, categories: &CategoryList) -> Result<IncidentClose, Vec<FieldError>> {
        let mut errors = Vec::new();
        let category = self.category.trim().to_string();
        if categories.check("category", &category).is_err() {
            push(&mut errors, "category", format!("{category:?} is not in the incident category list"));
        }
        let note = self.note.map(|n| narrative("note", n, &mut errors)).filter(|n| !n.is_empty());
        if errors.is_empty() {
            Ok(IncidentClose { category, result: self.result, note })
        } else {
            Err(errors)
        }
    }
}

/// A stored incident: its current state, derived from its log in the same transaction as each
/// entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    /// Public reference, e.g. INC-20261123-0042.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "INC-20261123-0042"))]
    pub reference: IncidentRef,
    /// Lifecycle status.
    pub status: IncidentStatus,
    /// Opening classification code.
    pub category: String,
    /// Qualifiers.
    pub qualifiers: Vec<Qualifier>,
    /// Grade.
    pub grade: Grade,
    /// Urban or rural.
    pub area: Area,
    /// Location in words.
    pub location_text: Option<String>,
    /// Location as a point.
    pub location: Option<GeoPoint>,
    /// One-line summary.
    pub summary: String,
    /// THRIVE summary.
    pub thrive: String,
    /// Closing classification code, once closed.
    pub closing_category: Option<String>,
    /// Result, once closed.
    pub result: Option<IncidentResult>,
    /// Who raised it.
    pub created_by: String,
    /// When it was raised (the attendance clock starts here).
    pub created_at: DateTime<Utc>,
    /// When the first unit arrived.
    pub first_at_scene_at: Option<DateTime<Utc>>,
    /// When it closed (cleared on reopen).
    pub closed_at: Option<DateTime<Utc>>,
    /// How many times it has been reopened.
    pub reopened: i64,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Incremented on every change; send it back for optimistic concurrency.
    pub version: i64,
}

/// Longest remark on an incident's log.
pub const MAX_REMARK_CHARS: usize = MAX_NARRATIVE_CHARS;

#[cfg(test)]
mod tests {
    use super::*;

    fn input(json: serde_json::Value) -> NewIncidentInput {
        serde_json::from_value(json).expect("shape")
    }

    #[test]
    fn collects_every_problem_including_impossible_coordinates() {
        let list = CategoryList::builtin();
        let errors = input(serde_json::json!({
            "contacts": ["FC-20261123-000001", "nope"], "category": "XX", "grade": 1,
            "location": {"lat": 123.0, "lon": -2.2}, "summary": ""
        }))
        .validate(&list)
        .expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["contacts[1]", "category", "location.lat", "summary"]);
    }

    #[test]
    fn a_good_incident_is_normalised() {
        let ok = input(serde_json::json!({
            "contacts": ["FC-20261123-000001", "FC-20261123-000001"], "category": "TRN-RTC-INJURY", "grade": 1,
            "qualifiers": ["alcohol", "alcohol", "child"], "location_text": "A6 Stockport Road", "summary": " Two cars "
        }))
        .validate(&CategoryList::builtin())
        .expect("valid");
        assert_eq!(ok.contacts.len(), 1);
        assert_eq!(ok.qualifiers, [Qualifier::Alcohol, Qualifier::Child]);
        assert_eq!(ok.area, Area::Urban);
        assert_eq!(ok.summary, "Two cars");
    }

    #[test]
    fn closing_needs_a_known_category() {
        let bad = IncidentCloseInput { category: "NOPE".into(), result: IncidentResult::NoTrace, note: None };
        assert!(bad.validate(&CategoryList::builtin()).is_err());
    }
}
