//! The triage engine: one compiled lexicon, one rule set and the loaded questionnaires, built once
//! at start-up and shared. `assess` is the one call the server makes per contact; it is pure and
//! fast (well under a millisecond), so it can run on every keystroke of the narrative if wanted.

use crate::TriageError;
use crate::analyser::{Analyser, Discounted};
use crate::context::{ContactInput, PersonHistory, contact_signals, history_signals};
use crate::lexicon::Lexicon;
use crate::markers::MarkerList;
use crate::questionnaire::QuestionnaireLibrary;
use crate::rules::{Facts, GradeRules, Recommendation, recommend};
use crate::signal::Signal;
use crate::thrive::ThriveRecord;
use serde::{Deserialize, Serialize};

/// Everything a force configures for triage.
#[derive(Debug, Clone)]
pub struct TriageEngine {
    analyser: Analyser,
    rules: GradeRules,
    questionnaires: QuestionnaireLibrary,
    markers: MarkerList,
}

/// The engine's answer for one contact: the signals with evidence, what was set aside, and the
/// recommendation. Serialisable as stored on the contact and sent to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// Every signal (narrative, history, contact).
    pub signals: Vec<Signal>,
    /// Narrative matches set aside (negated, hypothetical, not real), shown so nothing is silent.
    pub discounted: Vec<Discounted>,
    /// Whether only the start of a very long narrative was read.
    pub narrative_truncated: bool,
    /// The recommended grade, reasons and prompts.
    pub recommendation: Recommendation,
    /// The lexicon id and version used.
    pub lexicon_version: String,
}

impl TriageEngine {
    /// An engine from a force's configuration.
    pub fn new(
        lexicon: &Lexicon,
        rules: GradeRules,
        questionnaires: QuestionnaireLibrary,
        markers: MarkerList,
    ) -> Result<Self, TriageError> {
        Ok(TriageEngine { analyser: Analyser::new(lexicon)?, rules, questionnaires, markers })
    }

    /// The engine with everything shipped by default.
    pub fn with_defaults() -> Result<Self, TriageError> {
        Self::new(
            &Lexicon::default_lexicon()?,
            GradeRules::default_rules()?,
            QuestionnaireLibrary::with_defaults()?,
            MarkerList::default(),
        )
    }

    /// Assesses one contact: signals from its narrative, its facts and the person's history, then
    /// the recommended grade from the rules (and the current THRIVE record, if one exists yet).
    pub fn assess(
        &self,
        contact: &ContactInput<'_>,
        history: &PersonHistory,
        thrive: Option<&ThriveRecord>,
    ) -> Assessment {
        let findings = self.analyser.analyse(contact.narrative);
        let mut signals = findings.signals;
        signals.extend(history_signals(history, &self.rules.thresholds));
        signals.extend(contact_signals(contact, &self.rules.thresholds));
        let facts = Facts { signals: &signals, channel: contact.channel, thrive };
        let recommendation = recommend(&self.rules, &facts);
        let (id, version) = self.analyser.lexicon_version();
        Assessment {
            lexicon_version: format!("{id}@{version}"),
            signals,
            discounted: findings.discounted,
            narrative_truncated: findings.truncated,
            recommendation,
        }
    }

    /// The narrative analyser alone (for highlighting while typing).
    pub fn analyser(&self) -> &Analyser {
        &self.analyser
    }

    /// The grade rules.
    pub fn rules(&self) -> &GradeRules {
        &self.rules
    }

    /// The loaded questionnaires.
    pub fn questionnaires(&self) -> &QuestionnaireLibrary {
        &self.questionnaires
    }

    /// The vulnerability marker list.
    pub fn markers(&self) -> &MarkerList {
        &self.markers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::SignalKind;
    use fc_domain::{Channel, ContactFlag, Grade};

    #[test]
    fn assess_combines_narrative_history_and_contact() {
        let engine = TriageEngine::with_defaults().expect("engine");
        let flags = [ContactFlag::Silent999];
        let contact = ContactInput {
            flags: &flags,
            ..ContactInput::new(Channel::Emergency999, "woman crying, male shouting, her ex partner hit her")
        };
        let history = PersonHistory { contacts_last_7_days: 3, ..PersonHistory::default() };
        let a = engine.assess(&contact, &history, None);
        let kinds: Vec<SignalKind> = a.signals.iter().map(|s| s.kind).collect();
        assert!(kinds.contains(&SignalKind::DomesticAbuse));
        assert!(kinds.contains(&SignalKind::RepeatContact7Days));
        assert!(kinds.contains(&SignalKind::Silent999));
        assert_eq!(a.recommendation.grade, Grade::Emergency);
        assert!(a.recommendation.questionnaires.iter().any(|q| q.questionnaire == "dash"));
        let json = serde_json::to_string(&a).expect("serialises");
        assert!(json.contains("\"grade\":1"));
    }

    #[test]
    fn an_empty_contact_still_gets_a_reasoned_grade() {
        let engine = TriageEngine::with_defaults().expect("engine");
        let a = engine.assess(&ContactInput::new(Channel::OnlineReport, ""), &PersonHistory::default(), None);
        assert_eq!(a.recommendation.grade, Grade::Resolution);
        assert!(!a.recommendation.reasons.is_empty());
    }
}
