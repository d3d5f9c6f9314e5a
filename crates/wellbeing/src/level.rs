//! Which handled contacts count against a handler's wellbeing, and why.
//!
//! A contact is graded from its channel, its flags and the risk signals triage found in it. The
//! rules are the ones a control-room supervisor would apply from experience:
//!
//! **Severe** (a break and a supervisor check-in follow):
//! - suicide or self-harm;
//! - a child at risk together with injury, a sexual offence or immediate danger;
//! - a sexual offence reported by a child caller;
//! - someone hurt and in immediate danger;
//! - a video contact showing injury or immediate danger (the handler saw it, not just heard it);
//! - a child caller in immediate danger.
//!
//! **Distressing** (when not severe): weapons, injury, immediate danger, domestic abuse, a child at
//! risk, a sexual offence, a mental health crisis, hate, an older or disabled adult at risk, modern
//! slavery; a silent 999 call (the signal or the contact's flag: the handler listens to what they
//! cannot help); any video contact.
//!
//! **Routine** otherwise: a missing person or stalking report on its own included. What the
//! person's history shows (repeat contacts, markers, earlier
//! incidents) and when or how the contact arrived (night time, an uncertain location, a child
//! caller alone) never count on their own: they are about the caller's risk, not what the handler
//! heard. A child caller does count where the rules above name one, from the signal or the flag.
//!
//! Grading is monotonic: a further signal or flag can raise the level, never lower it. It never
//! reads the narrative itself, so no words of the contact are copied into the wellbeing record.

use fc_domain::{Channel, ContactFlag};
use fc_triage::SignalKind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How heavy a handled contact was for the handler. Ordered, so the worst of several is the max.
/// Serialised names are stable API values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Nothing the handler is likely to carry away.
    Routine,
    /// Distressing to hear or read: counts towards the shift's and week's exposure.
    Distressing,
    /// Among the worst calls: prompts a break and a supervisor check-in.
    Severe,
}

impl Level {
    /// Every level, least to most heavy.
    pub const ALL: [Level; 3] = [Level::Routine, Level::Distressing, Level::Severe];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Routine => "routine",
            Level::Distressing => "distressing",
            Level::Severe => "severe",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            Level::Routine => "Routine",
            Level::Distressing => "Distressing",
            Level::Severe => "Severe",
        }
    }

    /// Whether the contact counts towards exposure (distressing or worse): one test for every
    /// figure, so counts and minutes always agree on what they cover.
    pub fn is_high_harm(self) -> bool {
        self >= Level::Distressing
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A contact's level with the reasons for it, so a handler or supervisor sees *why* a call
/// counted, never a bare grade.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exposure {
    /// How heavy the contact was.
    pub level: Level,
    /// Short phrases naming what made it count at this level ("suicide or self-harm"), in rule
    /// order; empty for a routine contact.
    pub reasons: Vec<String>,
}

impl Exposure {
    /// A contact that does not count: for callers that know there was nothing to grade.
    pub fn routine() -> Self {
        Exposure { level: Level::Routine, reasons: Vec::new() }
    }
}

/// The facts the rules look at, read once from the inputs (duplicates and order do not matter).
struct Facts<'a> {
    channel: Channel,
    signals: &'a [SignalKind],
    child_caller: bool,
    silent: bool,
}

impl Facts<'_> {
    fn has(&self, kind: SignalKind) -> bool {
        self.signals.contains(&kind)
    }
}

/// The severe rules, each with its phrase, in the order the module doc lists them.
fn severe_reasons(f: &Facts<'_>) -> Vec<&'static str> {
    use SignalKind::*;
    let video = f.channel == Channel::Video;
    let child = f.has(ChildAtRisk);
    [
        (f.has(SuicideSelfHarm), "suicide or self-harm"),
        (child && f.has(Injury), "a child at risk, with injury"),
        (child && f.has(SexualOffence), "a child at risk, with a sexual offence"),
        (child && f.has(ImmediateDanger), "a child at risk, in immediate danger"),
        (f.child_caller && f.has(SexualOffence), "a sexual offence reported by a child"),
        (f.has(ImmediateDanger) && f.has(Injury), "someone hurt and in immediate danger"),
        (video && f.has(Injury), "live video of someone hurt"),
        (video && f.has(ImmediateDanger), "live video of immediate danger"),
        (f.child_caller && f.has(ImmediateDanger), "a child caller in immediate danger"),
    ]
    .into_iter()
    .filter_map(|(fired, phrase)| fired.then_some(phrase))
    .collect()
}

/// The signals that are distressing on their own, with their phrases, in display order.
const DISTRESSING: [(SignalKind, &str); 10] = [
    (SignalKind::Weapons, "weapons"),
    (SignalKind::Injury, "injury"),
    (SignalKind::ImmediateDanger, "immediate danger"),
    (SignalKind::DomesticAbuse, "domestic abuse"),
    (SignalKind::ChildAtRisk, "a child at risk"),
    (SignalKind::SexualOffence, "a sexual offence"),
    (SignalKind::MentalHealthCrisis, "a mental health crisis"),
    (SignalKind::Hate, "hate"),
    (SignalKind::AdultAtRisk, "an older or disabled adult at risk"),
    (SignalKind::ModernSlavery, "modern slavery or trafficking"),
];

/// The distressing rules, each with its phrase.
fn distressing_reasons(f: &Facts<'_>) -> Vec<&'static str> {
    let mut reasons: Vec<&'static str> =
        DISTRESSING.iter().filter(|(kind, _)| f.has(*kind)).map(|(_, phrase)| *phrase).collect();
    if f.silent {
        reasons.push("a silent 999 call");
    }
    if f.channel == Channel::Video {
        reasons.push("a video contact");
    }
    reasons
}

/// Grades one handled contact for the handler's wellbeing (rules in the module doc).
///
/// Takes the signals triage already found rather than the narrative, so the wellbeing record
/// needs no words of the contact and agrees with what the handler was shown.
pub fn classify(channel: Channel, flags: &[ContactFlag], signals: &[SignalKind]) -> Exposure {
    let facts = Facts {
        channel,
        signals,
        child_caller: signals.contains(&SignalKind::CallerIsChild)
            || flags.contains(&ContactFlag::CallerIsChild),
        silent: signals.contains(&SignalKind::Silent999) || flags.contains(&ContactFlag::Silent999),
    };
    let severe = severe_reasons(&facts);
    let (level, reasons) = if !severe.is_empty() {
        (Level::Severe, severe)
    } else {
        let distressing = distressing_reasons(&facts);
        let level = if distressing.is_empty() { Level::Routine } else { Level::Distressing };
        (level, distressing)
    };
    Exposure { level, reasons: reasons.into_iter().map(String::from).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SignalKind::*;

    fn phone(signals: &[SignalKind]) -> Exposure {
        classify(Channel::Emergency999, &[], signals)
    }

    #[test]
    fn levels_are_ordered_and_round_trip() {
        assert!(Level::Routine < Level::Distressing && Level::Distressing < Level::Severe);
        for level in Level::ALL {
            assert_eq!(serde_json::to_string(&level).expect("json"), format!("\"{}\"", level.as_str()));
            assert_eq!(level.to_string(), level.as_str());
        }
        assert_eq!(Level::Severe.label(), "Severe");
        assert!(!Level::Routine.is_high_harm() && Level::Distressing.is_high_harm());
    }

    #[test]
    fn suicide_or_self_harm_is_severe_on_its_own() {
        let e = phone(&[SuicideSelfHarm]);
        assert_eq!(e.level, Level::Severe);
        assert_eq!(e.reasons, vec!["suicide or self-harm"]);
    }

    #[test]
    fn a_child_at_risk_is_severe_with_injury_sexual_offence_or_danger() {
        assert_eq!(phone(&[ChildAtRisk]).level, Level::Distressing);
        assert_eq!(phone(&[ChildAtRisk, Injury]).reasons, vec!["a child at risk, with injury"]);
        assert_eq!(
            phone(&[ChildAtRisk, SexualOffence]).reasons,
            vec!["a child at risk, with a sexual offence"]
        );
        assert_eq!(
            phone(&[ImmediateDanger, ChildAtRisk]).reasons,
            vec!["a child at risk, in immediate danger"]
        );
        assert_eq!(phone(&[ChildAtRisk, Weapons]).level, Level::Distressing);
    }

    #[test]
    fn a_child_caller_counts_from_the_signal_or_the_flag() {
        assert_eq!(
            phone(&[SexualOffence, CallerIsChild]).reasons,
            vec!["a sexual offence reported by a child"]
        );
        let flagged = classify(Channel::Webchat, &[ContactFlag::CallerIsChild], &[SexualOffence]);
        assert_eq!(flagged.reasons, vec!["a sexual offence reported by a child"]);
        let danger = classify(Channel::Emergency999, &[ContactFlag::CallerIsChild], &[ImmediateDanger]);
        assert_eq!(danger.reasons, vec!["a child caller in immediate danger"]);
        assert_eq!(phone(&[CallerIsChild]).level, Level::Routine, "a child caller alone is not distressing");
    }

    #[test]
    fn immediate_danger_with_injury_is_severe() {
        let e = phone(&[Injury, ImmediateDanger]);
        assert_eq!(
            (e.level, e.reasons),
            (Level::Severe, vec!["someone hurt and in immediate danger".into()])
        );
    }

    #[test]
    fn seeing_it_on_video_makes_injury_or_danger_severe() {
        let hurt = classify(Channel::Video, &[], &[Injury]);
        assert_eq!((hurt.level, hurt.reasons), (Level::Severe, vec!["live video of someone hurt".into()]));
        let danger = classify(Channel::Video, &[], &[ImmediateDanger]);
        assert_eq!(danger.reasons, vec!["live video of immediate danger"]);
        assert_eq!(phone(&[Injury]).level, Level::Distressing, "heard, not seen");
    }

    #[test]
    fn every_rule_that_fires_is_named() {
        let e =
            classify(Channel::Video, &[ContactFlag::CallerIsChild], &[ChildAtRisk, Injury, ImmediateDanger]);
        assert_eq!(
            e.reasons,
            vec![
                "a child at risk, with injury",
                "a child at risk, in immediate danger",
                "someone hurt and in immediate danger",
                "live video of someone hurt",
                "live video of immediate danger",
                "a child caller in immediate danger",
            ]
        );
    }

    #[test]
    fn each_distressing_signal_counts_on_its_own() {
        for (kind, phrase) in DISTRESSING {
            let e = classify(Channel::NonEmergency101, &[], &[kind]);
            assert_eq!((e.level, e.reasons), (Level::Distressing, vec![phrase.to_string()]), "{kind}");
        }
        let e = phone(&[Hate, Weapons, Weapons]);
        assert_eq!(e.reasons, vec!["weapons", "hate"], "rule order, each once");
    }

    #[test]
    fn a_silent_call_is_distressing_from_the_signal_or_the_flag_and_named_once() {
        assert_eq!(phone(&[Silent999]).reasons, vec!["a silent 999 call"]);
        let flagged = classify(Channel::Emergency999, &[ContactFlag::Silent999], &[Silent999]);
        assert_eq!((flagged.level, flagged.reasons), (Level::Distressing, vec!["a silent 999 call".into()]));
    }

    #[test]
    fn any_video_contact_is_distressing() {
        let e = classify(Channel::Video, &[], &[]);
        assert_eq!((e.level, e.reasons), (Level::Distressing, vec!["a video contact".into()]));
    }

    #[test]
    fn history_timing_missing_and_stalking_never_count_on_their_own() {
        let quiet = [
            MissingPerson,
            Stalking,
            RepeatContact7Days,
            RepeatContact30Days,
            PreviousDomesticAbuse,
            PreviousHighRisk,
            VulnerabilityMarker,
            WarningMarker,
            RepeatVictim,
            LocationHistory,
            NightTime,
            CallerIsChild,
            LowLocationConfidence,
        ];
        let flags = [ContactFlag::RepeatCaller, ContactFlag::Relay, ContactFlag::InterpreterNeeded];
        let e = classify(Channel::Emergency999, &flags, &quiet);
        assert_eq!(e, Exposure::routine());
    }
}
