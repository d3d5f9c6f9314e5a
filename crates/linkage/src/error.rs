//! Errors of the linkage engine. Bad record fields are not errors (they become missing values with
//! a [`crate::normalise::FieldIssue`]); these are for things the caller must fix.

use thiserror::Error;

/// Something the linkage engine cannot work with.
#[derive(Debug, Error)]
pub enum LinkageError {
    /// The model file was written by an incompatible version of the engine.
    #[error(
        "model version {found} is not supported (this engine reads version {expected}); retrain the model"
    )]
    ModelVersion {
        /// Version in the file.
        found: u32,
        /// Version this engine reads.
        expected: u32,
    },
    /// The model file parses but its contents are inconsistent.
    #[error("model is invalid: {0}")]
    ModelInvalid(String),
    /// The model file is not valid JSON for a model.
    #[error("model is not readable JSON: {0}")]
    ModelJson(#[from] serde_json::Error),
    /// Training needs more records than were given.
    #[error("training needs at least {needed} records, got {got}")]
    TooFewRecords {
        /// Minimum accepted.
        needed: usize,
        /// Number given.
        got: usize,
    },
}
