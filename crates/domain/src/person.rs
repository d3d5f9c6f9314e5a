//! The single citizen view's vocabulary: how a contact came to be linked to a person and the
//! public person reference. (Which markers exist is a force's configurable list in `fc-triage`,
//! shared with contact markers, so it is not a fixed enum here.) Kept here so the store, the API
//! and the import all accept exactly the same values.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How a contact was linked to a person: the answer to "who decided this?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LinkHow {
    /// The matcher was sure enough (at or above the link threshold).
    Auto,
    /// The matcher found nobody likely, so a new person was made.
    New,
    /// A person decided, from the review queue or by hand.
    Manual,
    /// Moved when two persons were merged.
    Merge,
    /// Moved when a person was split.
    Split,
    /// Linked in bulk when contacts were imported or seeded.
    Batch,
}

impl LinkHow {
    /// Every kind.
    pub const ALL: [LinkHow; 6] =
        [LinkHow::Auto, LinkHow::New, LinkHow::Manual, LinkHow::Merge, LinkHow::Split, LinkHow::Batch];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkHow::Auto => "auto",
            LinkHow::New => "new",
            LinkHow::Manual => "manual",
            LinkHow::Merge => "merge",
            LinkHow::Split => "split",
            LinkHow::Batch => "batch",
        }
    }
}

impl FromStr for LinkHow {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LinkHow::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| DomainError::invalid("how", format!("unknown link kind {s:?}")))
    }
}

impl fmt::Display for LinkHow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The public reference of person number `id`, e.g. `P-000123`.
pub fn person_reference(id: i64) -> String {
    format!("P-{id:06}")
}

/// A reason a person gave for a change: required for every manual link decision, undo, merge,
/// split and cleared marker (DPA 2018 s.62 wants the justification recorded). Trimmed, 3 to 2000
/// characters.
pub fn parse_reason(reason: &str) -> Result<String, DomainError> {
    let r = reason.trim();
    let n = r.chars().count();
    if !(3..=2000).contains(&n) {
        return Err(DomainError::invalid("reason", "give a reason of 3 to 2000 characters"));
    }
    Ok(r.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_references_pad() {
        for k in LinkHow::ALL {
            assert_eq!(k.as_str().parse::<LinkHow>().ok(), Some(k));
        }
        assert_eq!(person_reference(123), "P-000123");
        assert!(parse_reason("  ").is_err());
        assert_eq!(parse_reason(" same DOB and phone ").ok().as_deref(), Some("same DOB and phone"));
    }
}
