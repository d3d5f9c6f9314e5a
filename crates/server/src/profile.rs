//! Person profiles as screens and the API show them: who the person is (each detail with the
//! contacts that gave it), every contact across channels as one timeline, repeat-contact counts
//! and markers. Built from the store's [`PersonRecord`]; shared by the API and the UI so both show
//! the same thing.

use chrono::{DateTime, Duration, Utc};
use fc_domain::{Channel, Contact, ContactStatus};
use fc_store::persons::{LinkReview, Marker, PersonEvent, PersonLink, PersonRecord};
use serde::Serialize;
use utoipa::ToSchema;

/// One identity detail and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct IdentityValue {
    /// name, date_of_birth, phone, email, address or postcode.
    pub field: String,
    /// The value as given.
    pub value: String,
    /// Contacts that gave it, newest first.
    pub sources: Vec<String>,
    /// When it was last given.
    pub last_given: DateTime<Utc>,
}

/// How often the person made contact recently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct RepeatCounts {
    /// In the last 7 days.
    pub last_7_days: usize,
    /// In the last 30 days.
    pub last_30_days: usize,
    /// In the last 90 days.
    pub last_90_days: usize,
    /// Ever.
    pub total: usize,
}

/// One contact in the person's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TimelineItem {
    /// Contact reference.
    pub contact: String,
    /// Channel.
    pub channel: Channel,
    /// When it reached the force.
    pub offered_at: DateTime<Utc>,
    /// Status.
    pub status: ContactStatus,
    /// Grade, if graded.
    pub grade: Option<u8>,
    /// The first words of the narrative.
    pub summary: String,
    /// The link that puts this contact here (with its weight and explanation).
    pub link: PersonLink,
}

/// A person's profile.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PersonProfile {
    /// Reference.
    pub reference: String,
    /// When first recorded.
    pub created_at: DateTime<Utc>,
    /// Set when merged into another person.
    pub merged_into: Option<String>,
    /// Identity details with their sources.
    pub identity: Vec<IdentityValue>,
    /// Repeat-contact counts.
    pub repeat: RepeatCounts,
    /// Every linked contact, newest first, across channels.
    pub timeline: Vec<TimelineItem>,
    /// Markers (active first).
    pub markers: Vec<Marker>,
    /// Links that were undone or moved away.
    pub ended_links: Vec<PersonLink>,
    /// The person log.
    pub log: Vec<PersonEvent>,
}

impl PersonProfile {
    /// The name most recently given.
    pub fn name(&self) -> Option<&str> {
        self.identity.iter().find(|i| i.field == "name").map(|i| i.value.as_str())
    }

    /// Markers not cleared.
    pub fn active_markers(&self) -> impl Iterator<Item = &Marker> {
        self.markers.iter().filter(|m| m.cleared_at.is_none())
    }
}

/// Counts contacts offered within 7, 30 and 90 days of `now`.
pub fn repeat_counts<'a>(times: impl Iterator<Item = &'a DateTime<Utc>>, now: DateTime<Utc>) -> RepeatCounts {
    let mut r = RepeatCounts { last_7_days: 0, last_30_days: 0, last_90_days: 0, total: 0 };
    for t in times {
        let age = now - *t;
        r.total += 1;
        r.last_7_days += usize::from(age <= Duration::days(7));
        r.last_30_days += usize::from(age <= Duration::days(30));
        r.last_90_days += usize::from(age <= Duration::days(90));
    }
    r
}

fn identity(contacts: &[(PersonLink, Contact)]) -> Vec<IdentityValue> {
    let mut out: Vec<IdentityValue> = Vec::new();
    // Contacts come newest first, so the first time a value is seen is its latest giving.
    for (_, c) in contacts {
        let d = &c.caller;
        let fields = [
            ("name", d.name.clone()),
            ("date_of_birth", d.date_of_birth.map(|x| x.to_string())),
            ("phone", d.phone.clone()),
            ("email", d.email.clone()),
            ("address", d.address.clone()),
            ("postcode", d.postcode.as_ref().map(|p| p.to_string())),
        ];
        for (field, value) in fields {
            let Some(value) = value.filter(|v| !v.trim().is_empty()) else { continue };
            let reference = c.reference.to_string();
            match out.iter_mut().find(|i| i.field == field && i.value.eq_ignore_ascii_case(&value)) {
                Some(i) => i.sources.push(reference),
                None => out.push(IdentityValue {
                    field: field.into(),
                    value,
                    sources: vec![reference],
                    last_given: c.offered_at,
                }),
            }
        }
    }
    let order = ["name", "date_of_birth", "phone", "email", "address", "postcode"];
    out.sort_by_key(|i| order.iter().position(|f| *f == i.field).unwrap_or(order.len()));
    out
}

fn summary(narrative: &str) -> String {
    let mut s: String = narrative.chars().take(120).collect();
    if narrative.chars().count() > 120 {
        s.push('…');
    }
    s
}

/// Builds the profile from the stored record.
pub fn build(record: PersonRecord, now: DateTime<Utc>) -> PersonProfile {
    let repeat = repeat_counts(record.contacts.iter().map(|(_, c)| &c.offered_at), now);
    let identity = identity(&record.contacts);
    let timeline = record
        .contacts
        .into_iter()
        .map(|(link, c)| TimelineItem {
            contact: c.reference.to_string(),
            channel: c.channel,
            offered_at: c.offered_at,
            status: c.status,
            grade: c.grade.map(|g| g.number()),
            summary: summary(&c.narrative),
            link,
        })
        .collect();
    let mut markers = record.markers;
    markers.sort_by_key(|m| (m.cleared_at.is_some(), std::cmp::Reverse(m.set_at)));
    PersonProfile {
        reference: record.person.reference,
        created_at: record.person.created_at,
        merged_into: record.person.merged_into,
        identity,
        repeat,
        timeline,
        markers,
        ended_links: record.ended_links,
        log: record.log,
    }
}

/// A candidate as a reviewer sees it: the person's name and details beside the weight.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CandidateView {
    /// Person reference.
    pub person: String,
    /// Match weight.
    pub weight: f64,
    /// Match probability.
    pub probability: f64,
    /// Field-by-field contributions.
    #[schema(value_type = Object)]
    pub explanation: serde_json::Value,
    /// Their identity details.
    pub identity: Vec<IdentityValue>,
    /// Their repeat-contact counts.
    pub repeat: RepeatCounts,
}

/// What the contact screen shows about the caller as a person.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ContactPerson {
    /// linked, in_review, undone, unlinked (not yet matched) or no_details.
    pub state: String,
    /// The linked person's profile (timeline cut to the 10 most recent contacts).
    pub person: Option<PersonProfile>,
    /// The pending review, when in review.
    pub review: Option<LinkReview>,
    /// The review's candidates with their details, best first.
    pub candidates: Vec<CandidateView>,
}
