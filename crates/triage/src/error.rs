//! Errors from the triage engine. They say what was wrong in words a developer (or a force's
//! configuration author) understands, and know nothing of HTTP: the server maps them once.

use thiserror::Error;

/// Something the triage rules refused, or configuration that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TriageError {
    /// A lexicon, rule set, questionnaire or marker list could not be parsed.
    #[error("{what} configuration is invalid: {message}")]
    Config {
        /// Which configuration (lexicon, rules, questionnaire, markers, corpus).
        what: &'static str,
        /// What was wrong.
        message: String,
    },
    /// The handler's final grade differs from the recommendation and no reason was given.
    #[error(
        "the final grade ({chosen}) differs from the recommended grade ({recommended}); a reason is required"
    )]
    OverrideReasonRequired {
        /// The grade the engine recommended.
        recommended: fc_domain::Grade,
        /// The grade the handler chose.
        chosen: fc_domain::Grade,
    },
    /// A THRIVE judgement does not fit the element's scale (e.g. "medium" for a yes/no element).
    #[error("THRIVE {element}: judgement {judgement} does not fit this element (expected {expected})")]
    JudgementOutOfScale {
        /// The element's name.
        element: &'static str,
        /// The judgement given.
        judgement: &'static str,
        /// What the element accepts.
        expected: &'static str,
    },
    /// A reassessment is dated before the version it replaces.
    #[error("a THRIVE reassessment cannot be dated before the version it replaces")]
    ReassessmentBeforePrevious,
    /// The THRIVE assessor was blank.
    #[error("a THRIVE record needs the assessor's identity")]
    MissingAssessor,
    /// Professional judgement tried to lower a questionnaire's computed risk level.
    #[error(
        "professional judgement may raise the risk level, never lower it ({computed} computed, {requested} requested)"
    )]
    JudgementCannotLower {
        /// The level the answers give.
        computed: String,
        /// The level the handler asked for.
        requested: String,
    },
    /// An answer names a question the questionnaire does not have.
    #[error("questionnaire {questionnaire} has no question {question:?}")]
    UnknownQuestion {
        /// The questionnaire id.
        questionnaire: String,
        /// The unknown question id.
        question: String,
    },
    /// No questionnaire with this id is loaded.
    #[error("no questionnaire {0:?} is loaded")]
    UnknownQuestionnaire(String),
}

impl TriageError {
    /// Shorthand for configuration errors.
    pub(crate) fn config(what: &'static str, message: impl Into<String>) -> Self {
        Self::Config { what, message: message.into() }
    }
}
