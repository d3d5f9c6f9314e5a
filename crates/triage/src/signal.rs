//! Risk signals: the facts the engine noticed, each with the evidence that made it fire, so the
//! handler sees *why* (the words matched, the earlier contacts). A signal is never silent and never
//! a bare score.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Every kind of risk signal, whatever its source. Serialised names are stable API values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    // --- from the narrative ---
    /// A weapon is present, used or threatened (knife, gun, bat, acid...).
    Weapons,
    /// Someone is hurt.
    Injury,
    /// Danger now: an attack or break-in in progress, a threat to kill, someone unconscious.
    ImmediateDanger,
    /// Abuse by a partner, ex-partner or family member.
    DomesticAbuse,
    /// A child is at risk of harm or neglect.
    ChildAtRisk,
    /// Suicide, suicidal thoughts or self-harm.
    SuicideSelfHarm,
    /// A mental health crisis (psychosis, severe distress, sectioning, absconding from a ward).
    MentalHealthCrisis,
    /// A person is missing.
    MissingPerson,
    /// Stalking or harassment.
    Stalking,
    /// Hostility because of race, religion, sexuality, disability or gender identity.
    Hate,
    /// A sexual offence.
    SexualOffence,
    /// An older or disabled adult at risk of harm, neglect or exploitation.
    AdultAtRisk,
    /// Modern slavery, trafficking, forced labour or county lines exploitation.
    ModernSlavery,
    // --- from the person's history ---
    /// Several contacts in the last 7 days.
    #[serde(rename = "repeat_contact_7_days")]
    RepeatContact7Days,
    /// Many contacts in the last 30 days.
    #[serde(rename = "repeat_contact_30_days")]
    RepeatContact30Days,
    /// Earlier domestic abuse incidents.
    PreviousDomesticAbuse,
    /// Earlier high-risk incidents.
    PreviousHighRisk,
    /// A vulnerability marker on the person.
    VulnerabilityMarker,
    /// A warning marker on the person (violence, weapons...): officer safety.
    WarningMarker,
    /// The person has been a victim repeatedly.
    RepeatVictim,
    /// The location has a history of high-risk incidents.
    LocationHistory,
    // --- from the contact ---
    /// A silent 999 call: the caller could not speak.
    #[serde(rename = "silent_999")]
    Silent999,
    /// The contact arrived at night, when help is scarcer.
    NightTime,
    /// The caller is a child.
    CallerIsChild,
    /// The caller's location is uncertain.
    LowLocationConfidence,
}

/// Where a signal came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalSource {
    /// The words of the contact.
    Narrative,
    /// The person's earlier contacts and markers.
    History,
    /// How and when the contact arrived.
    Contact,
}

impl SignalKind {
    /// The signals read from narratives, in display order (what the corpus evaluates).
    pub const NARRATIVE: [SignalKind; 13] = [
        SignalKind::Weapons,
        SignalKind::Injury,
        SignalKind::ImmediateDanger,
        SignalKind::DomesticAbuse,
        SignalKind::ChildAtRisk,
        SignalKind::SuicideSelfHarm,
        SignalKind::MentalHealthCrisis,
        SignalKind::MissingPerson,
        SignalKind::Stalking,
        SignalKind::Hate,
        SignalKind::SexualOffence,
        SignalKind::AdultAtRisk,
        SignalKind::ModernSlavery,
    ];

    /// Every kind.
    pub const ALL: [SignalKind; 25] = [
        SignalKind::Weapons,
        SignalKind::Injury,
        SignalKind::ImmediateDanger,
        SignalKind::DomesticAbuse,
        SignalKind::ChildAtRisk,
        SignalKind::SuicideSelfHarm,
        SignalKind::MentalHealthCrisis,
        SignalKind::MissingPerson,
        SignalKind::Stalking,
        SignalKind::Hate,
        SignalKind::SexualOffence,
        SignalKind::AdultAtRisk,
        SignalKind::ModernSlavery,
        SignalKind::RepeatContact7Days,
        SignalKind::RepeatContact30Days,
        SignalKind::PreviousDomesticAbuse,
        SignalKind::PreviousHighRisk,
        SignalKind::VulnerabilityMarker,
        SignalKind::WarningMarker,
        SignalKind::RepeatVictim,
        SignalKind::LocationHistory,
        SignalKind::Silent999,
        SignalKind::NightTime,
        SignalKind::CallerIsChild,
        SignalKind::LowLocationConfidence,
    ];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        use SignalKind::*;
        match self {
            Weapons => "weapons",
            Injury => "injury",
            ImmediateDanger => "immediate_danger",
            DomesticAbuse => "domestic_abuse",
            ChildAtRisk => "child_at_risk",
            SuicideSelfHarm => "suicide_self_harm",
            MentalHealthCrisis => "mental_health_crisis",
            MissingPerson => "missing_person",
            Stalking => "stalking",
            Hate => "hate",
            SexualOffence => "sexual_offence",
            AdultAtRisk => "adult_at_risk",
            ModernSlavery => "modern_slavery",
            RepeatContact7Days => "repeat_contact_7_days",
            RepeatContact30Days => "repeat_contact_30_days",
            PreviousDomesticAbuse => "previous_domestic_abuse",
            PreviousHighRisk => "previous_high_risk",
            VulnerabilityMarker => "vulnerability_marker",
            WarningMarker => "warning_marker",
            RepeatVictim => "repeat_victim",
            LocationHistory => "location_history",
            Silent999 => "silent_999",
            NightTime => "night_time",
            CallerIsChild => "caller_is_child",
            LowLocationConfidence => "low_location_confidence",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        use SignalKind::*;
        match self {
            Weapons => "Weapons",
            Injury => "Injury",
            ImmediateDanger => "Immediate danger",
            DomesticAbuse => "Domestic abuse",
            ChildAtRisk => "Child at risk",
            SuicideSelfHarm => "Suicide or self-harm",
            MentalHealthCrisis => "Mental health crisis",
            MissingPerson => "Missing person",
            Stalking => "Stalking or harassment",
            Hate => "Hate",
            SexualOffence => "Sexual offence",
            AdultAtRisk => "Older or disabled adult at risk",
            ModernSlavery => "Modern slavery or trafficking",
            RepeatContact7Days => "Repeat contact (7 days)",
            RepeatContact30Days => "Repeat contact (30 days)",
            PreviousDomesticAbuse => "Previous domestic abuse",
            PreviousHighRisk => "Previous high-risk incidents",
            VulnerabilityMarker => "Vulnerability marker",
            WarningMarker => "Warning marker",
            RepeatVictim => "Repeat victim",
            LocationHistory => "Location with high-risk history",
            Silent999 => "Silent 999 call",
            NightTime => "Night-time contact",
            CallerIsChild => "Caller is a child",
            LowLocationConfidence => "Caller location uncertain",
        }
    }

    /// Where this kind of signal comes from.
    pub fn source(self) -> SignalSource {
        let i = SignalKind::ALL.iter().position(|k| *k == self).unwrap_or(0);
        match i {
            0..=12 => SignalSource::Narrative,
            13..=20 => SignalSource::History,
            _ => SignalSource::Contact,
        }
    }
}

impl fmt::Display for SignalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SignalKind {
    type Err = crate::TriageError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SignalKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| crate::TriageError::config("signal", format!("unknown signal kind {s:?}")))
    }
}

/// A byte range in the original narrative (not the normalised copy), so the UI can highlight it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// How the narrative put it: said plainly, passed on from someone else, or in doubt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// Stated as fact by the caller.
    Asserted,
    /// Reported second-hand ("her sister told me he has a knife"): still a signal, flagged as such.
    Reported,
    /// Stated with doubt ("not sure if he has a knife"): still a signal, because doubt is risk.
    Uncertain,
}

/// Why a signal fired. Every signal has at least one piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Evidence {
    /// Words in the narrative.
    Phrase {
        /// The original text matched.
        text: String,
        /// Where, in bytes of the original narrative.
        span: Span,
        /// The lexicon term that matched (for tuning the lexicon).
        term: String,
        /// Whether the match was a tolerated misspelling.
        fuzzy: bool,
        /// How the narrative put it.
        modality: Modality,
    },
    /// Earlier contacts or incidents (ids from the single citizen view).
    Records {
        /// What the records show, for the handler.
        note: String,
        /// The ids of the contacts or incidents.
        ids: Vec<String>,
    },
    /// A fact about the contact or person (a flag, a marker, the hour).
    Fact {
        /// The fact, for the handler.
        note: String,
    },
}

/// A risk signal with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// What kind of risk.
    pub kind: SignalKind,
    /// Where it came from.
    pub source: SignalSource,
    /// The strongest way the narrative stated it (always `Asserted` for history and contact signals).
    pub modality: Modality,
    /// Why it fired.
    pub evidence: Vec<Evidence>,
}

impl Signal {
    /// A signal from a fact about the contact or person.
    pub(crate) fn fact(kind: SignalKind, note: impl Into<String>) -> Self {
        Signal {
            kind,
            source: kind.source(),
            modality: Modality::Asserted,
            evidence: vec![Evidence::Fact { note: note.into() }],
        }
    }

    /// A signal from earlier records.
    pub(crate) fn records(kind: SignalKind, note: impl Into<String>, ids: Vec<String>) -> Self {
        Signal {
            kind,
            source: kind.source(),
            modality: Modality::Asserted,
            evidence: vec![Evidence::Records { note: note.into(), ids }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_and_sources_are_right() {
        for k in SignalKind::ALL {
            assert_eq!(k.as_str().parse::<SignalKind>(), Ok(k));
            let json = serde_json::to_string(&k).expect("serialise");
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(SignalKind::ModernSlavery.source(), SignalSource::Narrative);
        assert_eq!(SignalKind::RepeatContact7Days.source(), SignalSource::History);
        assert_eq!(SignalKind::LocationHistory.source(), SignalSource::History);
        assert_eq!(SignalKind::Silent999.source(), SignalSource::Contact);
        assert!(SignalKind::NARRATIVE.iter().all(|k| k.source() == SignalSource::Narrative));
    }
}
