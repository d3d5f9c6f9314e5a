//! The questionnaires a force has loaded: the shipped ones plus its own.

use super::Questionnaire;
use crate::TriageError;
use std::collections::BTreeMap;

/// DASH, as shipped.
pub const DASH_JSON: &str = include_str!("data/dash.json");
/// S-DASH, as shipped.
pub const SDASH_JSON: &str = include_str!("data/sdash.json");
/// The Right Care Right Person threshold, as shipped.
pub const RCRP_JSON: &str = include_str!("data/rcrp.json");

/// Questionnaires by id.
#[derive(Debug, Clone, Default)]
pub struct QuestionnaireLibrary {
    by_id: BTreeMap<String, Questionnaire>,
}

impl QuestionnaireLibrary {
    /// DASH, S-DASH and RCRP.
    pub fn with_defaults() -> Result<Self, TriageError> {
        let mut lib = QuestionnaireLibrary::default();
        for json in [DASH_JSON, SDASH_JSON, RCRP_JSON] {
            lib.add(Questionnaire::from_json(json)?);
        }
        Ok(lib)
    }

    /// Adds a questionnaire, replacing any with the same id (a force's newer version).
    pub fn add(&mut self, q: Questionnaire) {
        self.by_id.insert(q.id.clone(), q);
    }

    /// A questionnaire by id.
    pub fn get(&self, id: &str) -> Result<&Questionnaire, TriageError> {
        self.by_id.get(id).ok_or_else(|| TriageError::UnknownQuestionnaire(id.to_string()))
    }

    /// All loaded questionnaires, by id.
    pub fn all(&self) -> impl Iterator<Item = &Questionnaire> {
        self.by_id.values()
    }
}
