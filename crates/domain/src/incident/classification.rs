//! The incident category list: opening and closing classifications grouped in the chapters of the
//! National Standard for Incident Recording (NSIR). The list is DATA (`data/nsir.json`, compiled
//! in), so a force extends it with its own file of the same shape without a code change; codes
//! are the stable identifiers stored on incidents.

use crate::DomainError;
use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("../../data/nsir.json");

/// One category, e.g. `TRN-RTC-INJURY` "Road traffic collision: injury".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    /// Stable code, stored on incidents.
    pub code: String,
    /// Name for screens.
    pub name: String,
    /// The chapter's code (PSW, CRM, ASB, TRN, ADM or a force's own).
    #[serde(default)]
    pub chapter: String,
    /// Words in a caller's account that hint at this category (lower case).
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// A chapter of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Chapter {
    /// Short code, e.g. `TRN`.
    pub code: String,
    /// Name, e.g. "Transport".
    pub name: String,
    /// Its categories.
    pub categories: Vec<Category>,
}

#[derive(Deserialize)]
struct File {
    chapters: Vec<Chapter>,
}

/// The whole list: the national chapters plus any force additions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryList {
    /// Chapters in order.
    pub chapters: Vec<Chapter>,
}

impl CategoryList {
    /// The list shipped with the product.
    pub fn builtin() -> Self {
        // The shipped file is checked by a test; should it ever fail, an empty list is safer than
        // a panic in a control room, and every code then reads as unknown.
        Self::parse(BUILTIN).unwrap_or(Self { chapters: Vec::new() })
    }

    /// Parses a list file (JSON of `{"chapters": [...]}`); codes must be unique.
    pub fn parse(json: &str) -> Result<Self, DomainError> {
        let file: File = serde_json::from_str(json)
            .map_err(|e| DomainError::invalid("categories", format!("not a category file: {e}")))?;
        let mut list = Self { chapters: Vec::new() };
        list.merge(file.chapters)?;
        Ok(list)
    }

    /// Adds a force's own chapters and categories (a force file of the same shape): a chapter with
    /// an existing code gains the new categories; a repeated category code is refused.
    pub fn extend_with(&mut self, json: &str) -> Result<(), DomainError> {
        let file: File = serde_json::from_str(json)
            .map_err(|e| DomainError::invalid("categories", format!("not a category file: {e}")))?;
        self.merge(file.chapters)
    }

    fn merge(&mut self, chapters: Vec<Chapter>) -> Result<(), DomainError> {
        for mut chapter in chapters {
            for c in &mut chapter.categories {
                if self.get(&c.code).is_some() {
                    return Err(DomainError::invalid(
                        "categories",
                        format!("category {} is listed twice", c.code),
                    ));
                }
                if c.code.trim().is_empty() || c.name.trim().is_empty() {
                    return Err(DomainError::invalid("categories", "every category needs a code and a name"));
                }
                c.chapter = chapter.code.clone();
                for k in &mut c.keywords {
                    *k = k.to_lowercase();
                }
            }
            match self.chapters.iter_mut().find(|c| c.code == chapter.code) {
                Some(existing) => existing.categories.extend(chapter.categories),
                None => self.chapters.push(chapter),
            }
        }
        Ok(())
    }

    /// The category with `code`.
    pub fn get(&self, code: &str) -> Option<&Category> {
        self.categories().find(|c| c.code == code)
    }

    /// Every category, chapter by chapter.
    pub fn categories(&self) -> impl Iterator<Item = &Category> {
        self.chapters.iter().flat_map(|c| c.categories.iter())
    }

    /// Checks a code, naming `field` in the error.
    pub fn check(&self, field: &'static str, code: &str) -> Result<(), DomainError> {
        if self.get(code).is_some() {
            Ok(())
        } else {
            Err(DomainError::invalid(field, format!("{code:?} is not in the incident category list")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_has_the_five_chapters() {
        let list = CategoryList::parse(BUILTIN).expect("the shipped list parses");
        let codes: Vec<&str> = list.chapters.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["PSW", "CRM", "ASB", "TRN", "ADM"]);
        assert_eq!(list.get("TRN-RTC-INJURY").map(|c| c.chapter.as_str()), Some("TRN"));
        assert!(list.check("category", "NOPE").is_err());
    }

    #[test]
    fn a_force_file_extends_and_cannot_redefine() {
        let mut list = CategoryList::builtin();
        let extra = r#"{"chapters":[{"code":"TRN","name":"Transport","categories":[{"code":"TRN-AIRPORT","name":"Airport","keywords":["Runway"]}]},
            {"code":"GMP","name":"Force","categories":[{"code":"GMP-STADIUM","name":"Stadium"}]}]}"#;
        list.extend_with(extra).expect("extends");
        assert_eq!(list.get("TRN-AIRPORT").map(|c| c.keywords.clone()), Some(vec!["runway".to_string()]));
        assert_eq!(list.chapters.len(), 6);
        let again =
            r#"{"chapters":[{"code":"X","name":"X","categories":[{"code":"CRM-THEFT","name":"Theft"}]}]}"#;
        assert!(list.extend_with(again).is_err());
        assert!(list.extend_with("not json").is_err());
    }
}
