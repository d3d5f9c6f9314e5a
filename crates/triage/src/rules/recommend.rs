//! Turns rules and facts into a recommended grade with its reasons and the questionnaires to
//! prompt. Never decides for the handler: it recommends, explains, and prompts.

use super::{Facts, GradeRules};
use crate::signal::SignalKind;
use fc_domain::Grade;
use serde::{Deserialize, Serialize};

/// Why a grade was recommended: one per rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// The rule's id (or "default" when none fired).
    pub rule: String,
    /// The grade this rule asked for.
    pub grade: Grade,
    /// The rule's reason, for the handler.
    pub text: String,
    /// The signals that made it fire.
    pub signals: Vec<SignalKind>,
}

/// A questionnaire the handler should complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionnairePrompt {
    /// The questionnaire id ("dash", "s-dash").
    pub questionnaire: String,
    /// Why, for the handler.
    pub reason: String,
    /// The signals that prompted it.
    pub signals: Vec<SignalKind>,
}

/// The Right Care Right Person question, raised for mental-health concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RcrpPrompt {
    /// The questionnaire id with the threshold questions.
    pub questionnaire: String,
    /// The question and guidance, for the handler.
    pub text: String,
    /// The signals that raised it.
    pub signals: Vec<SignalKind>,
}

/// The recommendation: a grade, every reason, and what to ask next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The recommended grade.
    pub grade: Grade,
    /// Every rule that fired, most urgent first; the first ones explain the grade.
    pub reasons: Vec<Reason>,
    /// Questionnaires to complete.
    pub questionnaires: Vec<QuestionnairePrompt>,
    /// The Right Care Right Person prompt, where a mental-health concern was found.
    pub rcrp: Option<RcrpPrompt>,
    /// The rules' id and version.
    pub rules_version: String,
}

/// Applies the rules to the facts.
pub fn recommend(rules: &GradeRules, facts: &Facts<'_>) -> Recommendation {
    let mut reasons: Vec<Reason> = rules
        .rules
        .iter()
        .filter(|r| r.when.holds(facts))
        .map(|r| {
            let mut signals = Vec::new();
            r.when.signals_used(facts, &mut signals);
            Reason { rule: r.id.clone(), grade: r.grade, text: r.reason.clone(), signals }
        })
        .collect();
    reasons.sort_by_key(|r| r.grade);
    let grade = match reasons.first() {
        Some(r) => r.grade,
        None => {
            let grade = rules.fallback(facts.channel);
            reasons.push(Reason {
                rule: "default".to_string(),
                grade,
                text: format!("No risk rule fired: the default for {} contacts", facts.channel.label()),
                signals: Vec::new(),
            });
            grade
        }
    };
    let questionnaires = rules
        .questionnaire_prompts
        .iter()
        .filter(|p| p.when.holds(facts))
        .map(|p| {
            let mut signals = Vec::new();
            p.when.signals_used(facts, &mut signals);
            QuestionnairePrompt { questionnaire: p.questionnaire.clone(), reason: p.reason.clone(), signals }
        })
        .collect();
    let rcrp = rules.rcrp.as_ref().filter(|p| p.when.holds(facts)).map(|p| {
        let mut signals = Vec::new();
        p.when.signals_used(facts, &mut signals);
        RcrpPrompt { questionnaire: p.questionnaire.clone(), text: p.reason.clone(), signals }
    });
    Recommendation {
        grade,
        reasons,
        questionnaires,
        rcrp,
        rules_version: format!("{}@{}", rules.id, rules.version),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::Signal;
    use crate::thrive::{Judgement, ThriveDraft, ThriveHistory};
    use chrono::{TimeZone, Utc};
    use fc_domain::Channel;

    fn rules() -> GradeRules {
        GradeRules::default_rules().expect("default rules")
    }

    fn sig(kind: SignalKind) -> Signal {
        Signal::fact(kind, "test")
    }

    #[test]
    fn no_signals_falls_back_to_the_channel_default_with_a_reason() {
        let f = Facts { signals: &[], channel: Channel::Email, thrive: None };
        let r = recommend(&rules(), &f);
        assert_eq!(r.grade, Grade::Resolution);
        assert_eq!(r.reasons.len(), 1);
        assert_eq!(r.reasons[0].rule, "default");
    }

    #[test]
    fn most_urgent_rule_wins_and_all_fired_rules_are_reasons() {
        let signals = [sig(SignalKind::Weapons), sig(SignalKind::DomesticAbuse)];
        let f = Facts { signals: &signals, channel: Channel::NonEmergency101, thrive: None };
        let r = recommend(&rules(), &f);
        assert_eq!(r.grade, Grade::Emergency);
        assert_eq!(r.reasons[0].rule, "weapon-and-violence");
        assert!(r.reasons.iter().any(|x| x.rule == "vulnerability-or-harm"));
        assert_eq!(r.questionnaires[0].questionnaire, "dash");
        assert!(r.rcrp.is_none());
    }

    #[test]
    fn mental_health_raises_the_rcrp_prompt() {
        let signals = [sig(SignalKind::MentalHealthCrisis)];
        let f = Facts { signals: &signals, channel: Channel::NonEmergency101, thrive: None };
        let r = recommend(&rules(), &f);
        assert_eq!(r.rcrp.as_ref().map(|p| p.questionnaire.as_str()), Some("rcrp"));
    }

    #[test]
    fn thrive_judgements_feed_the_rules() {
        let mut draft = ThriveDraft::default();
        draft.threat.judgement = Judgement::High;
        draft.risk.judgement = Judgement::High;
        let mut h = ThriveHistory::default();
        let at = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).single().expect("time");
        let record = h.assess(draft, "PC 1", at).expect("record");
        let f = Facts { signals: &[], channel: Channel::Email, thrive: Some(record) };
        assert_eq!(recommend(&rules(), &f).grade, Grade::Emergency);
    }
}
