//! The prompts the UI shows for each THRIVE element while the handler is on the call. Data, so the
//! UI renders it without knowing THRIVE, and a force can reword it in one place.

use super::{Scale, ThriveElement};
use serde::Serialize;

/// What the UI needs to guide the handler through one element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElementGuide {
    /// The element.
    pub element: ThriveElement,
    /// Its letter (keyboard shortcut).
    pub letter: char,
    /// Its name.
    pub label: &'static str,
    /// Which judgements it takes.
    pub scale: Scale,
    /// Questions to consider, in order.
    pub prompts: &'static [&'static str],
}

/// The guide for all six elements, in THRIVE order.
pub fn guide() -> Vec<ElementGuide> {
    ThriveElement::ALL.into_iter().map(element_guide).collect()
}

fn element_guide(element: ThriveElement) -> ElementGuide {
    let (letter, label, prompts): (char, &'static str, &'static [&'static str]) = match element {
        ThriveElement::Threat => (
            'T',
            "Threat",
            &[
                "What threat exists, and to whom (caller, children, others, officers)?",
                "Is the suspect present or nearby? Are weapons involved or accessible?",
                "Have threats been made (to kill, to harm, to self)?",
            ],
        ),
        ThriveElement::Harm => (
            'H',
            "Harm",
            &[
                "What harm has been caused (injury, damage, loss)?",
                "What harm could be caused if police do not respond now?",
                "Is anyone in need of medical help?",
            ],
        ),
        ThriveElement::Risk => (
            'R',
            "Risk",
            &[
                "How likely is further harm, and how soon?",
                "Is the risk escalating (history, repeat contact, recent separation)?",
                "Would the risk change if the response were delayed?",
            ],
        ),
        ThriveElement::Investigation => (
            'I',
            "Investigation",
            &[
                "Is an investigation needed? Is a crime disclosed?",
                "What evidence must be secured now (forensics, CCTV, witnesses, injuries)?",
                "Is there a suspect to locate or arrest?",
            ],
        ),
        ThriveElement::Vulnerability => (
            'V',
            "Vulnerability",
            &[
                "Is the person vulnerable? Why (age, disability, mental health, abuse, isolation)?",
                "Are children or adults at risk in the household?",
                "Do existing markers or history add to the vulnerability?",
            ],
        ),
        ThriveElement::Engagement => (
            'E',
            "Engagement",
            &[
                "Is engagement needed to resolve this, and with whom (partners, health, social care)?",
                "Could it be resolved now, by phone, online or referral?",
                "What does the caller need from us, and what have they been told?",
            ],
        ),
    };
    ElementGuide { element, letter, label, scale: element.scale(), prompts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_element_has_prompts_and_a_unique_letter() {
        let g = guide();
        assert_eq!(g.len(), 6);
        let letters: String = g.iter().map(|e| e.letter).collect();
        assert_eq!(letters, "THRIVE");
        assert!(g.iter().all(|e| !e.prompts.is_empty()));
    }
}
