//! Signals from how and when the contact arrived (a silent 999 call, the hour, a child caller,
//! an uncertain location) and from the person's history in the single citizen view. The engine
//! never looks anything up: the caller passes these facts in, so the rules stay pure and testable.

use crate::signal::{Signal, SignalKind};
use chrono::NaiveTime;
use chrono::Timelike;
use fc_domain::{Channel, ContactFlag};
use serde::{Deserialize, Serialize};

/// The facts about one contact the triage needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactInput<'a> {
    /// How it arrived.
    pub channel: Channel,
    /// The handler's notes or the citizen's own words.
    pub narrative: &'a str,
    /// Flags set on the contact (silent 999, caller is a child...).
    pub flags: &'a [ContactFlag],
    /// Local time the contact arrived (force time zone), if known.
    pub local_time: Option<NaiveTime>,
    /// Confidence in the caller's location, in percent (AML `lc`, or the handler's judgement).
    pub location_confidence: Option<u8>,
}

impl<'a> ContactInput<'a> {
    /// A contact with only a channel and narrative (the other facts unknown).
    pub fn new(channel: Channel, narrative: &'a str) -> Self {
        ContactInput { channel, narrative, flags: &[], local_time: None, location_confidence: None }
    }
}

/// An earlier contact or incident referred to as evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorRecord {
    /// Its id in the store (contact or incident reference).
    pub id: String,
    /// A short description for the handler ("DA, grade 1, 12 Mar").
    #[serde(default)]
    pub summary: String,
}

/// What the single citizen view knows about the person (and place) in this contact. Counts are
/// computed by the caller against "now"; the engine has no clock.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonHistory {
    /// Contacts by or about the person in the last 7 days (not counting this one).
    pub contacts_last_7_days: u32,
    /// Contacts in the last 30 days (including those in the last 7).
    pub contacts_last_30_days: u32,
    /// The ids of those recent contacts, most recent first.
    pub recent_contacts: Vec<PriorRecord>,
    /// Earlier domestic abuse incidents.
    pub previous_domestic_abuse: Vec<PriorRecord>,
    /// Earlier incidents assessed as high risk (e.g. DASH high, grade 1 violence).
    pub previous_high_risk: Vec<PriorRecord>,
    /// Vulnerability marker codes on the person (see [`crate::markers`]).
    pub vulnerability_markers: Vec<String>,
    /// Warning marker codes (violence, weapons, officer safety...).
    pub warning_markers: Vec<String>,
    /// Whether the person has been the victim in earlier incidents (force definition).
    pub repeat_victim: bool,
    /// High-risk incidents at this location in the force's look-back period.
    pub location_high_risk_incidents: Vec<PriorRecord>,
}

/// Thresholds for history and contact signals, set per force in the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContextThresholds {
    /// Contacts in 7 days that make a repeat-contact signal.
    pub repeat_7_days: u32,
    /// Contacts in 30 days that make a repeat-contact signal.
    pub repeat_30_days: u32,
    /// High-risk incidents at the location that make a location signal.
    pub location_incidents: usize,
    /// Night starts at this hour (local)...
    pub night_from_hour: u32,
    /// ...and ends at this hour.
    pub night_to_hour: u32,
    /// Location confidence below this percentage is a signal.
    pub min_location_confidence: u8,
}

impl Default for ContextThresholds {
    fn default() -> Self {
        ContextThresholds {
            repeat_7_days: 2,
            repeat_30_days: 4,
            location_incidents: 2,
            night_from_hour: 22,
            night_to_hour: 6,
            min_location_confidence: 60,
        }
    }
}

fn ids(records: &[PriorRecord]) -> Vec<String> {
    records.iter().map(|r| r.id.clone()).collect()
}

/// Signals from the contact's own facts.
pub fn contact_signals(contact: &ContactInput<'_>, t: &ContextThresholds) -> Vec<Signal> {
    let mut out = Vec::new();
    if contact.flags.contains(&ContactFlag::Silent999) {
        out.push(Signal::fact(
            SignalKind::Silent999,
            "Silent 999 call: the caller could not or dared not speak",
        ));
    }
    if contact.flags.contains(&ContactFlag::CallerIsChild) {
        out.push(Signal::fact(SignalKind::CallerIsChild, "The caller is a child"));
    }
    if let Some(time) = contact.local_time {
        let h = time.hour();
        let night = if t.night_from_hour > t.night_to_hour {
            h >= t.night_from_hour || h < t.night_to_hour
        } else {
            h >= t.night_from_hour && h < t.night_to_hour
        };
        if night {
            out.push(Signal::fact(
                SignalKind::NightTime,
                format!("Contact at {} local time", time.format("%H:%M")),
            ));
        }
    }
    if let Some(c) = contact.location_confidence.filter(|c| *c < t.min_location_confidence) {
        out.push(Signal::fact(SignalKind::LowLocationConfidence, format!("Location confidence {c}%")));
    }
    out
}

/// Signals from the person's history.
pub fn history_signals(h: &PersonHistory, t: &ContextThresholds) -> Vec<Signal> {
    let mut out = Vec::new();
    if h.contacts_last_7_days >= t.repeat_7_days {
        let note = format!("{} contacts in the last 7 days", h.contacts_last_7_days);
        out.push(Signal::records(SignalKind::RepeatContact7Days, note, ids(&h.recent_contacts)));
    } else if h.contacts_last_30_days >= t.repeat_30_days {
        let note = format!("{} contacts in the last 30 days", h.contacts_last_30_days);
        out.push(Signal::records(SignalKind::RepeatContact30Days, note, ids(&h.recent_contacts)));
    }
    if !h.previous_domestic_abuse.is_empty() {
        let note = format!("{} earlier domestic abuse incident(s)", h.previous_domestic_abuse.len());
        out.push(Signal::records(SignalKind::PreviousDomesticAbuse, note, ids(&h.previous_domestic_abuse)));
    }
    if !h.previous_high_risk.is_empty() {
        let note = format!("{} earlier high-risk incident(s)", h.previous_high_risk.len());
        out.push(Signal::records(SignalKind::PreviousHighRisk, note, ids(&h.previous_high_risk)));
    }
    if !h.vulnerability_markers.is_empty() {
        let note = format!("Vulnerability markers: {}", h.vulnerability_markers.join(", "));
        out.push(Signal::fact(SignalKind::VulnerabilityMarker, note));
    }
    if !h.warning_markers.is_empty() {
        let note = format!("Warning markers: {}", h.warning_markers.join(", "));
        out.push(Signal::fact(SignalKind::WarningMarker, note));
    }
    if h.repeat_victim {
        out.push(Signal::fact(
            SignalKind::RepeatVictim,
            "The person has been a victim before (repeat victim)",
        ));
    }
    if h.location_high_risk_incidents.len() >= t.location_incidents.max(1) {
        let note = format!("{} high-risk incidents at this location", h.location_high_risk_incidents.len());
        out.push(Signal::records(SignalKind::LocationHistory, note, ids(&h.location_high_risk_incidents)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::Evidence;

    fn kinds(signals: &[Signal]) -> Vec<SignalKind> {
        signals.iter().map(|s| s.kind).collect()
    }

    #[test]
    fn silent_night_call_with_poor_location() {
        let flags = [ContactFlag::Silent999, ContactFlag::CallerIsChild];
        let contact = ContactInput {
            flags: &flags,
            local_time: NaiveTime::from_hms_opt(2, 30, 0),
            location_confidence: Some(30),
            ..ContactInput::new(Channel::Emergency999, "")
        };
        let k = kinds(&contact_signals(&contact, &ContextThresholds::default()));
        assert_eq!(
            k,
            vec![
                SignalKind::Silent999,
                SignalKind::CallerIsChild,
                SignalKind::NightTime,
                SignalKind::LowLocationConfidence
            ]
        );
        let day = ContactInput {
            local_time: NaiveTime::from_hms_opt(14, 0, 0),
            ..ContactInput::new(Channel::Email, "")
        };
        assert!(contact_signals(&day, &ContextThresholds::default()).is_empty());
    }

    #[test]
    fn history_signals_carry_the_earlier_contact_ids() {
        let h = PersonHistory {
            contacts_last_7_days: 3,
            contacts_last_30_days: 5,
            recent_contacts: vec![PriorRecord { id: "C-1".into(), summary: String::new() }],
            previous_domestic_abuse: vec![PriorRecord { id: "I-9".into(), summary: "DA".into() }],
            repeat_victim: true,
            ..PersonHistory::default()
        };
        let s = history_signals(&h, &ContextThresholds::default());
        assert_eq!(
            kinds(&s),
            vec![SignalKind::RepeatContact7Days, SignalKind::PreviousDomesticAbuse, SignalKind::RepeatVictim]
        );
        assert!(
            matches!(&s[1].evidence[0], Evidence::Records { ids, .. } if ids == &vec!["I-9".to_string()])
        );
        assert!(history_signals(&PersonHistory::default(), &ContextThresholds::default()).is_empty());
    }
}
