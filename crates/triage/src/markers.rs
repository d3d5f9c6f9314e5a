//! Vulnerability markers on persons and contacts: a configurable list (code and label), so a
//! force can add its own without a code change. The default is the list in issue 4.

use crate::TriageError;
use serde::{Deserialize, Serialize};

/// One marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    /// Stable code, stored on persons and contacts.
    pub code: String,
    /// Label for screens.
    pub label: String,
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

const DEFAULT: [(&str, &str); 12] = [
    ("adult_at_risk", "Adult at risk"),
    ("child_abuse", "Child abuse"),
    ("cse", "Child sexual exploitation"),
    ("domestic_abuse", "Domestic abuse"),
    ("fgm", "Female genital mutilation"),
    ("forced_marriage_hba", "Forced marriage and honour-based abuse"),
    ("modern_slavery", "Modern slavery and trafficking"),
    ("mental_health", "Mental health"),
    ("missing_person", "Missing person"),
    ("stalking_harassment", "Stalking and harassment"),
    ("serious_sexual_offence", "Serious sexual offences"),
    ("hate", "Hate"),
];

impl Default for MarkerList {
    fn default() -> Self {
        MarkerList {
            version: "default-2025.1".to_string(),
            markers: DEFAULT
                .iter()
                .map(|(code, label)| Marker { code: code.to_string(), label: label.to_string() })
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_list_matches_the_issue_and_round_trips() {
        let list = MarkerList::default();
        assert_eq!(list.markers.len(), 12);
        assert!(list.get("fgm").is_some());
        let json = serde_json::to_string(&list).expect("json");
        assert_eq!(MarkerList::from_json(&json).expect("parses"), list);
        let dup = r#"{"version":"1","markers":[{"code":"a","label":"A"},{"code":"a","label":"B"}]}"#;
        assert!(MarkerList::from_json(dup).is_err());
    }
}
