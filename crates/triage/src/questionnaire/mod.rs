//! Risk questionnaires as data: questions, which answer marks risk, scoring thresholds, critical
//! questions, referrals and versions. Ships DASH, S-DASH and the Right Care Right Person threshold;
//! a force adds its own (e.g. DARA) by loading JSON. Professional judgement may raise the level,
//! never lower it: the engine refuses a lower level rather than silently ignoring it.

mod library;

pub use library::QuestionnaireLibrary;

use crate::TriageError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A risk level from a questionnaire. Ordered: standard < medium < high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Standard (no threshold met).
    Standard,
    /// Medium.
    Medium,
    /// High.
    High,
}

impl RiskLevel {
    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Standard => "standard",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }
}

/// An answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Yes.
    Yes,
    /// No.
    No,
    /// The person does not know.
    NotKnown,
    /// Not asked, or the person declined to answer.
    NotAsked,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id, used in stored answers.
    pub id: String,
    /// The question as the handler asks it.
    pub text: String,
    /// The answer that marks risk (usually yes).
    #[serde(default = "yes")]
    pub risk_answer: Answer,
    /// Points for a risk answer.
    #[serde(default = "one")]
    pub weight: u32,
    /// A risk answer raises the level to at least the scoring's `critical_level`.
    #[serde(default)]
    pub critical: bool,
    /// Extra guidance for the handler.
    #[serde(default)]
    pub guidance: Option<String>,
}

fn yes() -> Answer {
    Answer::Yes
}
fn one() -> u32 {
    1
}

/// A threshold: this score or more gives this level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The level.
    pub level: RiskLevel,
    /// The least score for it.
    pub min_score: u32,
}

/// How answers become a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// Thresholds (any order).
    pub thresholds: Vec<Threshold>,
    /// The least level when any critical question has a risk answer.
    #[serde(default)]
    pub critical_level: Option<RiskLevel>,
}

/// A task raised when the final level is in a range (e.g. MARAC referral at high).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralRule {
    /// The least level that raises it.
    pub at_least: RiskLevel,
    /// The highest level that raises it (none: no upper bound).
    #[serde(default)]
    pub at_most: Option<RiskLevel>,
    /// The task kind, for the task queue ("marac_referral").
    pub task: String,
    /// What to do, for the handler.
    pub text: String,
}

/// A questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Stable id ("dash").
    pub id: String,
    /// Version, stored with every result.
    pub version: String,
    /// Title for screens.
    pub title: String,
    /// What it is for.
    #[serde(default)]
    pub purpose: String,
    /// Names for levels where the defaults do not fit (RCRP: "Police response").
    #[serde(default)]
    pub level_labels: BTreeMap<RiskLevel, String>,
    /// The questions, in the order asked.
    pub questions: Vec<Question>,
    /// Scoring.
    pub scoring: Scoring,
    /// Referrals.
    #[serde(default)]
    pub referrals: Vec<ReferralRule>,
}

/// The handler's professional judgement: a level and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfessionalJudgement {
    /// The level the handler judges right.
    pub level: RiskLevel,
    /// Why.
    pub reason: String,
}

/// A task to raise (MARAC referral, health referral...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralTask {
    /// The task kind.
    pub task: String,
    /// What to do.
    pub text: String,
}

/// The recorded result: answers, score, levels and referrals. Stored on the contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionnaireResult {
    /// Questionnaire id.
    pub questionnaire: String,
    /// Questionnaire version.
    pub version: String,
    /// The answers given, by question id.
    pub answers: BTreeMap<String, Answer>,
    /// The score.
    pub score: u32,
    /// The questions with a risk answer, in order.
    pub risk_answers: Vec<String>,
    /// The level the answers give.
    pub computed_level: RiskLevel,
    /// The level after professional judgement (never below `computed_level`).
    pub final_level: RiskLevel,
    /// The label for the final level.
    pub final_label: String,
    /// The judgement, if the handler raised the level.
    pub judgement: Option<ProfessionalJudgement>,
    /// Tasks to raise.
    pub referrals: Vec<ReferralTask>,
}

impl Questionnaire {
    /// Loads a questionnaire from JSON and checks question ids are unique.
    pub fn from_json(json: &str) -> Result<Self, TriageError> {
        let q: Questionnaire =
            serde_json::from_str(json).map_err(|e| TriageError::config("questionnaire", e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = q.questions.iter().find(|x| !seen.insert(x.id.as_str())) {
            return Err(TriageError::config(
                "questionnaire",
                format!("{}: duplicate question {:?}", q.id, dup.id),
            ));
        }
        Ok(q)
    }

    /// The label for a level.
    pub fn label(&self, level: RiskLevel) -> String {
        self.level_labels.get(&level).cloned().unwrap_or_else(|| level.as_str().to_string())
    }

    /// Scores the answers and applies professional judgement (which may raise, never lower).
    pub fn evaluate(
        &self,
        answers: &BTreeMap<String, Answer>,
        judgement: Option<ProfessionalJudgement>,
    ) -> Result<QuestionnaireResult, TriageError> {
        if let Some(unknown) = answers.keys().find(|id| !self.questions.iter().any(|q| &q.id == *id)) {
            return Err(TriageError::UnknownQuestion {
                questionnaire: self.id.clone(),
                question: unknown.clone(),
            });
        }
        let risky: Vec<&Question> =
            self.questions.iter().filter(|q| answers.get(&q.id) == Some(&q.risk_answer)).collect();
        let score = risky.iter().map(|q| q.weight).sum();
        let by_score = self
            .scoring
            .thresholds
            .iter()
            .filter(|t| score >= t.min_score)
            .map(|t| t.level)
            .max()
            .unwrap_or(RiskLevel::Standard);
        let by_critical = match self.scoring.critical_level {
            Some(level) if risky.iter().any(|q| q.critical) => level,
            _ => RiskLevel::Standard,
        };
        let computed_level = by_score.max(by_critical);
        let judgement = judgement.filter(|j| j.level != computed_level);
        if let Some(j) = &judgement {
            if j.level < computed_level {
                return Err(TriageError::JudgementCannotLower {
                    computed: computed_level.as_str().to_string(),
                    requested: j.level.as_str().to_string(),
                });
            }
            if j.reason.trim().is_empty() {
                return Err(TriageError::config("questionnaire", "raising the level needs a reason"));
            }
        }
        let final_level = judgement.as_ref().map_or(computed_level, |j| j.level);
        let referrals = self
            .referrals
            .iter()
            .filter(|r| final_level >= r.at_least && r.at_most.is_none_or(|m| final_level <= m))
            .map(|r| ReferralTask { task: r.task.clone(), text: r.text.clone() })
            .collect();
        Ok(QuestionnaireResult {
            questionnaire: self.id.clone(),
            version: self.version.clone(),
            answers: answers.clone(),
            score,
            risk_answers: risky.iter().map(|q| q.id.clone()).collect(),
            computed_level,
            final_level,
            final_label: self.label(final_level),
            judgement,
            referrals,
        })
    }
}

#[cfg(test)]
mod tests;
