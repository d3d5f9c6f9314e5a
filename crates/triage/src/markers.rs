//! Markers on persons and contacts: one configurable list (code, label, category), so a force can
//! add its own without a code change and persons and contacts always speak the same codes. The
//! default is issue 4's twelve vulnerabilities plus the warnings and the contact pattern a control
//! room needs. Codes are stored as text: a code a force later removes must still display (its
//! label is then the code itself) and never fail.

use crate::TriageError;
use serde::{Deserialize, Serialize};

/// What a marker says about the person, which decides how triage and screens treat it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerCategory {
    /// Risk *to* the person (the issue's list); feeds the vulnerability-marker history signal.
    #[default]
    Vulnerability,
    /// Risk *from* the person or the place (violence, weapons, officer safety); shown first and
    /// highlighted, feeds the warning-marker history signal.
    Warning,
    /// A contact pattern (high-intensity caller): shown, but not a risk signal on its own.
    Pattern,
}

impl MarkerCategory {
    /// Every category, in display order.
    pub const ALL: [MarkerCategory; 3] =
        [MarkerCategory::Warning, MarkerCategory::Vulnerability, MarkerCategory::Pattern];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerCategory::Vulnerability => "vulnerability",
            MarkerCategory::Warning => "warning",
            MarkerCategory::Pattern => "pattern",
        }
    }
}

/// One marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    /// Stable code, stored on persons and contacts.
    pub code: String,
    /// Label for screens.
    pub label: String,
    /// Vulnerability (the default, so force files written before categories still parse),
    /// warning or pattern.
    #[serde(default)]
    pub category: MarkerCategory,
}

/// The markers a force uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerList {
    /// Version.
    pub version: String,
    /// The markers, in display order.
    pub markers: Vec<Marker>,
}

const DEFAULT: [(&str, &str, MarkerCategory); 16] = {
    use MarkerCategory::{Pattern, Vulnerability as V, Warning};
    [
        ("adult_at_risk", "Adult at risk", V),
        ("child_abuse", "Child abuse", V),
        ("cse", "Child sexual exploitation", V),
        ("domestic_abuse", "Domestic abuse", V),
        ("fgm", "Female genital mutilation", V),
        ("forced_marriage_hba", "Forced marriage and honour-based abuse", V),
        ("modern_slavery", "Modern slavery and trafficking", V),
        ("mental_health", "Mental health", V),
        ("missing_person", "Missing person", V),
        ("stalking_harassment", "Stalking and harassment", V),
        ("serious_sexual_offence", "Serious sexual offences", V),
        ("hate", "Hate", V),
        ("violence", "Warning: violence", Warning),
        ("weapons", "Warning: weapons", Warning),
        ("officer_safety", "Warning: officer safety", Warning),
        ("high_intensity_caller", "High-intensity caller", Pattern),
    ]
};

impl Default for MarkerList {
    fn default() -> Self {
        MarkerList {
            version: "default-2026.1".to_string(),
            markers: DEFAULT
                .iter()
                .map(|(code, label, category)| Marker {
                    code: code.to_string(),
                    label: label.to_string(),
                    category: *category,
                })
                .collect(),
        }
    }
}

impl MarkerList {
    /// Loads a list from JSON, refusing duplicate or blank codes.
    pub fn from_json(json: &str) -> Result<Self, TriageError> {
        let list: MarkerList =
            serde_json::from_str(json).map_err(|e| TriageError::config("markers", e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for m in &list.markers {
            if m.code.trim().is_empty() || !seen.insert(m.code.as_str()) {
                return Err(TriageError::config("markers", format!("blank or duplicate code {:?}", m.code)));
            }
        }
        Ok(list)
    }

    /// The marker with this code, if the force uses it (to validate codes at the edge).
    pub fn get(&self, code: &str) -> Option<&Marker> {
        self.markers.iter().find(|m| m.code == code)
    }

    /// The label to show for a stored code: the list's label, or the code itself when the force
    /// has since removed it from its list (old records must still display).
    pub fn label<'a>(&'a self, code: &'a str) -> &'a str {
        self.get(code).map_or(code, |m| m.label.as_str())
    }

    /// The category of a stored code; a code no longer in the list counts as a vulnerability,
    /// so a removed code is still weighed rather than silently dropped.
    pub fn category(&self, code: &str) -> MarkerCategory {
        self.get(code).map_or(MarkerCategory::Vulnerability, |m| m.category)
    }

    /// The codes, comma separated, for error messages that list what is allowed.
    pub fn codes(&self) -> String {
        self.markers.iter().map(|m| m.code.as_str()).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_list_matches_the_issue_and_round_trips() {
        let list = MarkerList::default();
        assert_eq!(list.markers.len(), 16);
        let vulnerabilities =
            list.markers.iter().filter(|m| m.category == MarkerCategory::Vulnerability).count();
        assert_eq!(vulnerabilities, 12, "the issue's twelve");
        assert!(list.get("fgm").is_some());
        assert_eq!(list.category("weapons"), MarkerCategory::Warning);
        assert_eq!(list.category("high_intensity_caller"), MarkerCategory::Pattern);
        let json = serde_json::to_string(&list).expect("json");
        assert_eq!(MarkerList::from_json(&json).expect("parses"), list);
        let dup = r#"{"version":"1","markers":[{"code":"a","label":"A"},{"code":"a","label":"B"}]}"#;
        assert!(MarkerList::from_json(dup).is_err());
    }

    #[test]
    fn a_force_file_without_categories_still_parses_as_vulnerabilities() {
        let old = r#"{"version":"1","markers":[{"code":"x","label":"X"}]}"#;
        let list = MarkerList::from_json(old).expect("parses");
        assert_eq!(list.category("x"), MarkerCategory::Vulnerability);
        let bad = r#"{"version":"1","markers":[{"code":"x","label":"X","category":"nope"}]}"#;
        assert!(MarkerList::from_json(bad).is_err());
    }

    #[test]
    fn a_removed_code_displays_as_itself() {
        let list = MarkerList::default();
        assert_eq!(list.label("vulnerable_adult"), "vulnerable_adult");
        assert_eq!(list.label("hate"), "Hate");
        assert_eq!(list.category("vulnerable_adult"), MarkerCategory::Vulnerability);
        assert!(list.codes().starts_with("adult_at_risk, child_abuse"));
    }
}
