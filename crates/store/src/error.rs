//! What can go wrong in storage, in terms the caller can act on. Constraint violations arrive as
//! [`StoreError::Conflict`], never as an opaque database error.

use fc_domain::{DomainError, FieldError};
use thiserror::Error;

/// A storage failure.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The record does not exist (or the caller may not know it exists).
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, e.g. "contact FC-20261122-000123".
        what: String,
    },
    /// The change clashes with what is stored: a duplicate, a stale version, a reused key.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A domain rule refused the change (e.g. an illegal status transition).
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Input failed validation, field by field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The database URL or options are wrong.
    #[error("configuration: {0}")]
    Config(String),
    /// Stored data could not be read back (a bug or tampering); never caused by a client.
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// The database could not make the write durable; nothing was stored. Safe to retry.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// The writer has stopped (shutting down).
    #[error("the store is shutting down")]
    Closed,
    /// The database failed.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// Applying migrations failed.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return StoreError::Conflict(format!("already exists ({})", db.message()));
            }
            if db.is_foreign_key_violation() {
                return StoreError::Conflict(format!("refers to a missing record ({})", db.message()));
            }
        }
        StoreError::Database(e)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}
