//! The demand crate's one error type. It knows nothing of HTTP or files: the CLI and server map it.

use thiserror::Error;

/// Everything that can go wrong in demand planning and simulation.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DemandError {
    /// A numeric or structural argument is out of range (negative rate, empty history...).
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The argument or field at fault.
        field: String,
        /// What is wrong with it, in words a planner understands.
        reason: String,
    },
    /// A scenario file is malformed or holds a bad value; names the line and field.
    #[error("scenario line {line}, field `{field}`: {reason}")]
    Scenario {
        /// 1-based line in the scenario file (0 when the whole file is at fault).
        line: usize,
        /// The TOML path of the offending field, e.g. `channel[2].rate_per_hour`.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The target service level cannot be met with any sensible number of handlers.
    #[error("target unreachable: {0}")]
    Unreachable(String),
}

impl DemandError {
    /// Shorthand for [`DemandError::Invalid`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        DemandError::Invalid { field: field.into(), reason: reason.into() }
    }
}
