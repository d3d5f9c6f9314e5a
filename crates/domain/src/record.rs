//! Contact records as the rest of the system sees them: what a caller told us, what the control
//! room did, and the validated input that creates or changes one. Validation collects every field
//! problem at once, so an API user or a handler fixes a form in one go.

use crate::{
    Channel, ContactFlag, ContactRef, ContactStatus, DomainError, GeoPoint, Grade, Outcome, PartialDate,
    Postcode,
};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

/// Longest narrative accepted (characters). A 999 log can be long; a megabyte is a mistake.
pub const MAX_NARRATIVE_CHARS: usize = 20_000;
/// Longest short text field (names, phone, address lines).
pub const MAX_SHORT_CHARS: usize = 200;

/// One problem with one field, as shown beside the field in a form or in problem+json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON name of the field (dotted path for nested fields, e.g. `caller.postcode`).
    pub field: String,
    /// What was wrong, for a person.
    pub message: String,
}

impl FieldError {
    pub(crate) fn from_domain(prefix: &str, e: DomainError) -> Self {
        match e {
            DomainError::Invalid { field, message } => {
                let field = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
                FieldError { field, message }
            }
            other => FieldError { field: prefix.to_string(), message: other.to_string() },
        }
    }
}

/// What the caller told us about themselves, as sent by a client. Strings are validated into
/// [`CallerDetails`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CallerInput {
    /// Name as given.
    pub name: Option<String>,
    /// Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.
    pub date_of_birth: Option<String>,
    /// Phone number as given.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// UK postcode.
    pub postcode: Option<String>,
}

/// Validated caller details.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallerDetails {
    /// Name as given.
    pub name: Option<String>,
    /// Full or partial date of birth.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1984-07"))]
    pub date_of_birth: Option<PartialDate>,
    /// Phone number as given.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Normalised postcode.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "SW1A 1AA"))]
    pub postcode: Option<Postcode>,
}

impl CallerDetails {
    /// Whether any personal detail was given (so the contact holds personal data to audit and link).
    pub fn has_personal_data(&self) -> bool {
        self.name.is_some()
            || self.date_of_birth.is_some()
            || self.phone.is_some()
            || self.email.is_some()
            || self.address.is_some()
    }
}

/// A located place as sent by a client.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Radius of uncertainty, metres.
    pub radius_m: Option<f64>,
}

/// The body that creates a contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewContactInput {
    /// How the contact arrived.
    pub channel: Channel,
    /// When the contact reached the force (for 999: BT's connection). Defaults to now.
    pub offered_at: Option<DateTime<Utc>>,
    /// Facts about the contact (silent 999 and so on).
    #[serde(default)]
    pub flags: Vec<ContactFlag>,
    /// Caller's details.
    #[serde(default)]
    pub caller: CallerInput,
    /// Where it is happening, in words.
    pub location_text: Option<String>,
    /// Where it is happening, as a point (from AML, a map, a geocoder).
    pub location: Option<LocationInput>,
    /// What the caller says is happening.
    #[serde(default)]
    pub narrative: String,
}

/// A validated new contact, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewContact {
    /// How the contact arrived.
    pub channel: Channel,
    /// When it reached the force.
    pub offered_at: DateTime<Utc>,
    /// Flags, sorted and without duplicates.
    pub flags: Vec<ContactFlag>,
    /// Caller details.
    pub caller: CallerDetails,
    /// Location in words.
    pub location_text: Option<String>,
    /// Location as a point.
    pub location: Option<GeoPoint>,
    /// Narrative.
    pub narrative: String,
}

/// A change to a contact's details. Absent fields are left alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactPatchInput {
    /// Replacement flags.
    pub flags: Option<Vec<ContactFlag>>,
    /// Replacement caller details (the whole block).
    pub caller: Option<CallerInput>,
    /// Replacement location text.
    pub location_text: Option<String>,
    /// Replacement location point.
    pub location: Option<LocationInput>,
    /// Replacement narrative.
    pub narrative: Option<String>,
    /// Grade given by the handler.
    pub grade: Option<Grade>,
}

/// A validated change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactPatch {
    /// Replacement flags.
    pub flags: Option<Vec<ContactFlag>>,
    /// Replacement caller details.
    pub caller: Option<CallerDetails>,
    /// Replacement location text.
    pub location_text: Option<String>,
    /// Replacement location point.
    pub location: Option<GeoPoint>,
    /// Replacement narrative.
    pub narrative: Option<String>,
    /// Grade.
    pub grade: Option<Grade>,
}

impl ContactPatch {
    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.flags.is_none()
            && self.caller.is_none()
            && self.location_text.is_none()
            && self.location.is_none()
            && self.narrative.is_none()
            && self.grade.is_none()
    }
}

/// A stored contact: current state, derived from its log in the same transaction as each entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    /// Public reference, e.g. FC-20261122-000123.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "FC-20261122-000123"))]
    pub reference: ContactRef,
    /// Channel.
    pub channel: Channel,
    /// Lifecycle status.
    pub status: ContactStatus,
    /// Flags.
    pub flags: Vec<ContactFlag>,
    /// Caller details.
    pub caller: CallerDetails,
    /// Location in words.
    pub location_text: Option<String>,
    /// Location as a point.
    pub location: Option<GeoPoint>,
    /// Narrative.
    pub narrative: String,
    /// Grade, once given.
    pub grade: Option<Grade>,
    /// Outcome, once closed.
    pub outcome: Option<Outcome>,
    /// Username of the handler who answered.
    pub handler: Option<String>,
    /// When it reached the force (999: BT connection).
    pub offered_at: DateTime<Utc>,
    /// When it entered the queue.
    pub queued_at: Option<DateTime<Utc>>,
    /// When a handler answered.
    pub answered_at: Option<DateTime<Utc>>,
    /// When it closed, was abandoned or transferred.
    pub closed_at: Option<DateTime<Utc>>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Incremented on every change; send it back for optimistic concurrency.
    pub version: i64,
}

impl Contact {
    /// Seconds from offer to answer (the national answer-time measure), once answered.
    pub fn answer_seconds(&self) -> Option<f64> {
        self.answered_at.map(|a| (a - self.offered_at).num_milliseconds() as f64 / 1000.0)
    }
}

pub(crate) fn short(field: &str, value: Option<String>, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = value?.trim().to_string();
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > MAX_SHORT_CHARS {
        errors.push(FieldError {
            field: field.into(),
            message: format!("at most {MAX_SHORT_CHARS} characters"),
        });
        return None;
    }
    if v.chars().any(|c| c.is_control()) {
        errors
            .push(FieldError { field: field.into(), message: "must not contain control characters".into() });
        return None;
    }
    Some(v)
}

impl CallerInput {
    /// Validates every field, pushing one error per bad field.
    pub fn validate(self, now: DateTime<Utc>, errors: &mut Vec<FieldError>) -> CallerDetails {
        let date_of_birth = short("caller.date_of_birth", self.date_of_birth, errors).and_then(|s| {
            PartialDate::parse(&s, now.year())
                .map_err(|e| errors.push(FieldError::from_domain("caller", e)))
                .ok()
        });
        let postcode = short("caller.postcode", self.postcode, errors).and_then(|s| {
            Postcode::parse(&s).map_err(|e| errors.push(FieldError::from_domain("caller", e))).ok()
        });
        let email = short("caller.email", self.email, errors);
        if let Some(e) = &email {
            let ok = e
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'));
            if !ok {
                errors.push(FieldError {
                    field: "caller.email".into(),
                    message: format!("{e:?} is not an email address"),
                });
            }
        }
        let phone = short("caller.phone", self.phone, errors);
        if let Some(p) = &phone {
            let digits = p.chars().filter(char::is_ascii_digit).count();
            let allowed = p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
            if !allowed || !(3..=15).contains(&digits) {
                errors.push(FieldError {
                    field: "caller.phone".into(),
                    message: format!("{p:?} is not a phone number"),
                });
            }
        }
        CallerDetails {
            name: short("caller.name", self.name, errors),
            date_of_birth,
            phone,
            email,
            address: short("caller.address", self.address, errors),
            postcode,
        }
    }
}

pub(crate) fn location(input: Option<LocationInput>, errors: &mut Vec<FieldError>) -> Option<GeoPoint> {
    let l = input?;
    GeoPoint::parse(l.lat, l.lon, l.radius_m)
        .map_err(|e| errors.push(FieldError::from_domain("location", e)))
        .ok()
}

pub(crate) fn narrative(field: &str, n: String, errors: &mut Vec<FieldError>) -> String {
    if n.chars().count() > MAX_NARRATIVE_CHARS {
        errors.push(FieldError {
            field: field.into(),
            message: format!("at most {MAX_NARRATIVE_CHARS} characters"),
        });
    }
    n.trim().to_string()
}

fn normalise_flags(mut flags: Vec<ContactFlag>) -> Vec<ContactFlag> {
    flags.sort();
    flags.dedup();
    flags
}

impl NewContactInput {
    /// Validates the whole body, returning every field problem at once. `now` bounds the offer
    /// time (a contact cannot arrive in the future; a little clock skew is allowed).
    pub fn validate(self, now: DateTime<Utc>) -> Result<NewContact, Vec<FieldError>> {
        let mut errors = Vec::new();
        let offered_at = self.offered_at.unwrap_or(now);
        if offered_at > now + chrono::Duration::minutes(5) {
            errors.push(FieldError { field: "offered_at".into(), message: "cannot be in the future".into() });
        }
        let caller = self.caller.validate(now, &mut errors);
        let location_text = short("location_text", self.location_text, &mut errors);
        let location = location(self.location, &mut errors);
        let narrative = narrative("narrative", self.narrative, &mut errors);
        if self.flags.contains(&ContactFlag::Silent999) && self.channel != Channel::Emergency999 {
            errors.push(FieldError {
                field: "flags".into(),
                message: "silent_999 applies only to 999 contacts".into(),
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewContact {
            channel: self.channel,
            offered_at,
            flags: normalise_flags(self.flags),
            caller,
            location_text,
            location,
            narrative,
        })
    }
}

impl ContactPatchInput {
    /// Validates a change, returning every field problem at once.
    pub fn validate(self, now: DateTime<Utc>) -> Result<ContactPatch, Vec<FieldError>> {
        let mut errors = Vec::new();
        let patch = ContactPatch {
            flags: self.flags.map(normalise_flags),
            caller: self.caller.map(|c| c.validate(now, &mut errors)),
            location_text: self
                .location_text
                .map(|t| short("location_text", Some(t), &mut errors).unwrap_or_default()),
            location: location(self.location, &mut errors),
            narrative: self.narrative.map(|n| narrative("narrative", n, &mut errors)),
            grade: self.grade,
        };
        if patch.is_empty() && errors.is_empty() {
            errors.push(FieldError {
                field: "".into(),
                message: "the change is empty: send at least one field".into(),
            });
        }
        if errors.is_empty() { Ok(patch) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").expect("date").with_timezone(&Utc)
    }

    fn input(json: &str) -> NewContactInput {
        serde_json::from_str(json).expect("valid json")
    }

    #[test]
    fn collects_every_field_problem() {
        let i = input(
            r#"{"channel":"101","caller":{"date_of_birth":"2023-02-30","postcode":"nope","email":"x"},
                "location":{"lat":95,"lon":0}}"#,
        );
        let errors = i.validate(now()).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["caller.date_of_birth", "caller.postcode", "caller.email", "location.lat"]);
    }

    #[test]
    fn unknown_fields_and_enum_values_are_rejected_by_serde() {
        assert!(serde_json::from_str::<NewContactInput>(r#"{"channel":"fax"}"#).is_err());
        assert!(serde_json::from_str::<NewContactInput>(r#"{"channel":"999","colour":"red"}"#).is_err());
    }

    #[test]
    fn silent_flag_only_on_999() {
        let errors =
            input(r#"{"channel":"101","flags":["silent_999"]}"#).validate(now()).expect_err("invalid");
        assert_eq!(errors[0].field, "flags");
        let ok =
            input(r#"{"channel":"999","flags":["silent_999","silent_999"]}"#).validate(now()).expect("valid");
        assert_eq!(ok.flags, vec![ContactFlag::Silent999]);
    }

    #[test]
    fn future_offers_are_rejected_and_blank_fields_dropped() {
        let e = input(r#"{"channel":"999","offered_at":"2027-01-01T00:00:00Z"}"#)
            .validate(now())
            .expect_err("future");
        assert_eq!(e[0].field, "offered_at");
        let ok = input(r#"{"channel":"999","caller":{"name":"  "},"narrative":" help "}"#)
            .validate(now())
            .expect("ok");
        assert_eq!(ok.caller.name, None);
        assert_eq!(ok.narrative, "help");
    }

    #[test]
    fn empty_patch_is_an_error() {
        assert!(ContactPatchInput::default().validate(now()).is_err());
    }
}
