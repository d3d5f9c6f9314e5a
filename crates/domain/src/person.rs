//! The single citizen view's vocabulary: how a contact came to be linked to a person, what a
//! marker on a person may say, and the public person reference. Kept here so the store, the API
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

/// A vulnerability or warning marker on a person: what a handler must know on the next contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// Vulnerable adult (age, disability, exploitation).
    VulnerableAdult,
    /// A child at risk is connected to this person.
    ChildAtRisk,
    /// Mental health crisis history.
    MentalHealth,
    /// Suicide or self-harm risk.
    SelfHarm,
    /// Victim of domestic abuse.
    DomesticAbuseVictim,
    /// Frequent (high-intensity) caller.
    HighIntensityCaller,
    /// Warning: violence towards others.
    Violence,
    /// Warning: weapons.
    Weapons,
    /// Warning: risk to attending officers.
    OfficerSafety,
}

impl MarkerKind {
    /// Every kind.
    pub const ALL: [MarkerKind; 9] = [
        MarkerKind::VulnerableAdult,
        MarkerKind::ChildAtRisk,
        MarkerKind::MentalHealth,
        MarkerKind::SelfHarm,
        MarkerKind::DomesticAbuseVictim,
        MarkerKind::HighIntensityCaller,
        MarkerKind::Violence,
        MarkerKind::Weapons,
        MarkerKind::OfficerSafety,
    ];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerKind::VulnerableAdult => "vulnerable_adult",
            MarkerKind::ChildAtRisk => "child_at_risk",
            MarkerKind::MentalHealth => "mental_health",
            MarkerKind::SelfHarm => "self_harm",
            MarkerKind::DomesticAbuseVictim => "domestic_abuse_victim",
            MarkerKind::HighIntensityCaller => "high_intensity_caller",
            MarkerKind::Violence => "violence",
            MarkerKind::Weapons => "weapons",
            MarkerKind::OfficerSafety => "officer_safety",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            MarkerKind::VulnerableAdult => "Vulnerable adult",
            MarkerKind::ChildAtRisk => "Child at risk",
            MarkerKind::MentalHealth => "Mental health",
            MarkerKind::SelfHarm => "Suicide / self-harm",
            MarkerKind::DomesticAbuseVictim => "Domestic abuse victim",
            MarkerKind::HighIntensityCaller => "High-intensity caller",
            MarkerKind::Violence => "Warning: violence",
            MarkerKind::Weapons => "Warning: weapons",
            MarkerKind::OfficerSafety => "Warning: officer safety",
        }
    }

    /// True for warnings (risk from the person) rather than vulnerabilities (risk to them).
    pub fn is_warning(self) -> bool {
        matches!(self, MarkerKind::Violence | MarkerKind::Weapons | MarkerKind::OfficerSafety)
    }
}

impl FromStr for MarkerKind {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MarkerKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| DomainError::invalid("kind", format!("unknown marker kind {s:?}")))
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
        for k in MarkerKind::ALL {
            assert_eq!(k.as_str().parse::<MarkerKind>().ok(), Some(k));
        }
        for k in LinkHow::ALL {
            assert_eq!(k.as_str().parse::<LinkHow>().ok(), Some(k));
        }
        assert_eq!(person_reference(123), "P-000123");
        assert!(parse_reason("  ").is_err());
        assert_eq!(parse_reason(" same DOB and phone ").ok().as_deref(), Some("same DOB and phone"));
    }
}
