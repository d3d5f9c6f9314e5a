//! Grade rules: configurable conditions over the signals, the channel and the THRIVE judgements,
//! each naming a grade and the reason a handler will read. Data, not code, so a force can set its
//! own policy and version it; the default is embedded. The most urgent grade any rule gives is the
//! recommendation; every rule that fired is a reason, so the recommendation can always be explained.

mod recommend;

pub use recommend::{QuestionnairePrompt, RcrpPrompt, Reason, Recommendation, recommend};

use crate::TriageError;
use crate::context::ContextThresholds;
use crate::signal::{Signal, SignalKind, SignalSource};
use crate::thrive::{Judgement, ThriveElement, ThriveRecord};
use fc_domain::{Channel, Grade};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The rules shipped with FirstContact.
pub const DEFAULT_RULES_JSON: &str = include_str!("default.json");

/// A force's grade policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeRules {
    /// Who owns these rules.
    pub id: String,
    /// Version, recorded on every recommendation.
    pub version: String,
    /// The grade when no rule fires.
    pub default_grade: Grade,
    /// Per-channel grades when no rule fires (e.g. 999 defaults to priority).
    #[serde(default)]
    pub channel_defaults: BTreeMap<Channel, Grade>,
    /// Thresholds for history and contact signals.
    #[serde(default)]
    pub thresholds: ContextThresholds,
    /// The rules.
    pub rules: Vec<Rule>,
    /// Which questionnaire to prompt when (DASH for domestic abuse, S-DASH for stalking).
    #[serde(default)]
    pub questionnaire_prompts: Vec<PromptRule>,
    /// When to prompt the Right Care Right Person question.
    #[serde(default)]
    pub rcrp: Option<PromptRule>,
}

/// One rule: when the condition holds, recommend at least this grade, for this reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A stable id, recorded with the reason.
    pub id: String,
    /// The grade it recommends.
    pub grade: Grade,
    /// The condition.
    pub when: Condition,
    /// The reason, in words for the handler.
    pub reason: String,
}

/// When to prompt a questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromptRule {
    /// The condition.
    pub when: Condition,
    /// The questionnaire id.
    pub questionnaire: String,
    /// Why, for the handler.
    pub reason: String,
}

/// A condition over what is known about the contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// This signal is present.
    Signal(SignalKind),
    /// At least one of these signals is present.
    AnySignal(Vec<SignalKind>),
    /// All of these signals are present.
    AllSignals(Vec<SignalKind>),
    /// At least this many narrative signals are present.
    NarrativeSignals(usize),
    /// The contact came through one of these channels.
    Channel(Vec<Channel>),
    /// The current THRIVE judgement for an element is at least this (by [`Judgement::rank`]).
    Thrive {
        /// The element.
        element: ThriveElement,
        /// The least judgement that satisfies the condition.
        at_least: Judgement,
    },
    /// All conditions hold.
    All(Vec<Condition>),
    /// At least one condition holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
}

/// What a condition is evaluated against.
pub struct Facts<'a> {
    /// Every signal (narrative, history, contact).
    pub signals: &'a [Signal],
    /// The channel.
    pub channel: Channel,
    /// The current THRIVE record, if any.
    pub thrive: Option<&'a ThriveRecord>,
}

impl Facts<'_> {
    fn has(&self, kind: SignalKind) -> bool {
        self.signals.iter().any(|s| s.kind == kind)
    }
}

impl Condition {
    /// Whether the condition holds.
    pub fn holds(&self, f: &Facts<'_>) -> bool {
        match self {
            Condition::Signal(k) => f.has(*k),
            Condition::AnySignal(ks) => ks.iter().any(|k| f.has(*k)),
            Condition::AllSignals(ks) => ks.iter().all(|k| f.has(*k)),
            Condition::NarrativeSignals(n) => {
                f.signals.iter().filter(|s| s.source == SignalSource::Narrative).count() >= *n
            }
            Condition::Channel(cs) => cs.contains(&f.channel),
            Condition::Thrive { element, at_least } => f
                .thrive
                .is_some_and(|t| t.assessment.entry(*element).judgement.rank() >= at_least.rank().max(1)),
            Condition::All(cs) => cs.iter().all(|c| c.holds(f)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(f)),
            Condition::Not(c) => !c.holds(f),
        }
    }

    /// The signal kinds this condition mentions that are present (for the reason's evidence).
    pub fn signals_used(&self, f: &Facts<'_>, out: &mut Vec<SignalKind>) {
        let mut push = |k: SignalKind| {
            if f.has(k) && !out.contains(&k) {
                out.push(k);
            }
        };
        match self {
            Condition::Signal(k) => push(*k),
            Condition::AnySignal(ks) | Condition::AllSignals(ks) => ks.iter().for_each(|k| push(*k)),
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| c.signals_used(f, out)),
            Condition::NarrativeSignals(_)
            | Condition::Channel(_)
            | Condition::Thrive { .. }
            | Condition::Not(_) => {}
        }
    }
}

impl GradeRules {
    /// Loads rules from JSON.
    pub fn from_json(json: &str) -> Result<Self, TriageError> {
        let rules: GradeRules =
            serde_json::from_str(json).map_err(|e| TriageError::config("rules", e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = rules.rules.iter().find(|r| !seen.insert(r.id.as_str())) {
            return Err(TriageError::config("rules", format!("duplicate rule id {:?}", dup.id)));
        }
        Ok(rules)
    }

    /// The default rules.
    pub fn default_rules() -> Result<Self, TriageError> {
        Self::from_json(DEFAULT_RULES_JSON)
    }

    /// The grade when no rule fires, for this channel.
    pub fn fallback(&self, channel: Channel) -> Grade {
        self.channel_defaults.get(&channel).copied().unwrap_or(self.default_grade)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rules_load() {
        let r = GradeRules::default_rules().expect("default rules");
        assert!(!r.rules.is_empty());
        assert_eq!(r.fallback(Channel::Emergency999), Grade::Priority);
        assert_eq!(r.fallback(Channel::Email), Grade::Resolution);
    }

    #[test]
    fn duplicate_ids_and_unknown_conditions_are_rejected() {
        let dup = r#"{"id":"x","version":"1","default_grade":4,"rules":[
            {"id":"a","grade":1,"when":{"signal":"weapons"},"reason":"r"},
            {"id":"a","grade":2,"when":{"signal":"injury"},"reason":"r"}]}"#;
        assert!(GradeRules::from_json(dup).is_err());
        let bad = r#"{"id":"x","version":"1","default_grade":4,"rules":[
            {"id":"a","grade":1,"when":{"moon_phase":"full"},"reason":"r"}]}"#;
        assert!(GradeRules::from_json(bad).is_err());
    }
}
