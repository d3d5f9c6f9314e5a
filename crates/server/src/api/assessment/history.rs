//! The person's history the triage engine weighs, built from the store. One function boundary,
//! [`history_for`], so the person-linkage work can later swap phone/email matching for
//! person-based history without touching the engine, the API or the screen.

use crate::AppState;
use crate::error::ApiError;
use chrono::Duration;
use fc_domain::{Contact, Grade};
use fc_store::contacts::questionnaires::QUESTIONNAIRE_COMPLETED;
use fc_triage::{
    ContactInput, MarkerCategory, MarkerList, PersonHistory, PriorRecord, SignalKind, TriageEngine,
};

/// Days of earlier contacts counted as "recent" (the engine's 30-day repeat-contact signal).
pub const REPEAT_WINDOW_DAYS: i64 = 30;
/// Days looked back for earlier high-risk or domestic abuse contacts.
pub const HIGH_RISK_WINDOW_DAYS: i64 = 90;

/// Signals on an earlier contact that make it a high-risk record for the person's history.
const HIGH_RISK: [SignalKind; 5] = [
    SignalKind::Weapons,
    SignalKind::ImmediateDanger,
    SignalKind::SuicideSelfHarm,
    SignalKind::SexualOffence,
    SignalKind::ChildAtRisk,
];

fn prior(c: &Contact, what: &str) -> PriorRecord {
    PriorRecord {
        id: c.reference.to_string(),
        summary: format!(
            "{what}, {} contact, {}",
            c.channel.label(),
            fc_domain::local_time::uk(c.offered_at).format("%d %b %Y %H:%M %Z")
        ),
    }
}

/// The history of the person in `contact`, as of the time the contact reached the force: earlier
/// contacts of the same person in the single citizen view (whatever details each gave) or from the
/// same phone number or email (7 and 30 days), the person's vulnerability and warning markers,
/// whether they are a repeat victim, and those contacts among the last
/// [`HIGH_RISK_WINDOW_DAYS`] days that showed domestic abuse or other high-risk signals (each
/// re-read by the engine, graded 1 by a handler, or with a HIGH questionnaire result), and the
/// vulnerability markers set on this
/// contact or those earlier ones. An unlinked contact with neither phone nor email has only its
/// own markers.
pub async fn history_for(state: &AppState, contact: &Contact) -> Result<PersonHistory, ApiError> {
    let since = contact.offered_at - Duration::days(HIGH_RISK_WINDOW_DAYS);
    let mut earlier = state.store.contacts_sharing_caller(contact, since).await?;
    // The single citizen view: the person's other contacts, whatever details they gave, and the
    // person's markers (vulnerability and warning) in force.
    let person = state.store.person_triage_history(&contact.reference.to_string(), since).await?;
    for c in person.contacts {
        if c.reference != contact.reference
            && c.offered_at <= contact.offered_at
            && !earlier.iter().any(|e| e.reference == c.reference)
        {
            earlier.push(c);
        }
    }
    earlier.sort_by_key(|c| std::cmp::Reverse(c.offered_at));
    let mut h = summarise(&state.triage, contact, &earlier);
    for m in &person.markers {
        add_marker(state.triage.markers(), &mut h, &m.code);
    }
    // A place with a history: grade 1 or domestic / weapons-flagged incidents near the caller.
    if let Some(at) = contact.location {
        let radius = at.radius_m.unwrap_or(0.0).clamp(LOCATION_RADIUS_M, 2.0 * LOCATION_RADIUS_M);
        for i in state.store.incidents_near(&at, radius, since).await? {
            let serious = i.grade == Grade::Emergency
                || i.qualifiers.iter().any(|q| matches!(q.as_str(), "domestic" | "firearms" | "weapons"));
            if serious && i.created_at <= contact.offered_at {
                h.location_high_risk_incidents.push(PriorRecord {
                    id: i.reference.to_string(),
                    summary: format!(
                        "{} incident {}, {}",
                        i.grade,
                        i.category,
                        i.created_at.format("%d %b %Y")
                    ),
                });
            }
        }
    }
    h.repeat_victim |=
        person.markers.iter().any(|m| m.code == DOMESTIC_ABUSE) || h.previous_domestic_abuse.len() >= 2;
    // Earlier questionnaire results at HIGH (a DASH that raised MARAC) are high-risk history too.
    for e in &earlier {
        let reference = e.reference.to_string();
        let results = state.store.contact_entries(&reference, QUESTIONNAIRE_COMPLETED).await?;
        let high = results.iter().find(|r| r.data["final_level"] == "high");
        if let Some(r) = high.filter(|_| !h.previous_high_risk.iter().any(|p| p.id == reference)) {
            let what = format!(
                "{} high",
                r.data["questionnaire"].as_str().unwrap_or("questionnaire").to_uppercase()
            );
            h.previous_high_risk.push(prior(e, &what));
        }
    }
    // Markers on this contact and on the person's earlier ones, once each.
    for c in std::iter::once(contact).chain(earlier.iter()) {
        for m in state.store.contact_markers(&c.reference.to_string()).await? {
            add_marker(state.triage.markers(), &mut h, &m.code);
        }
    }
    Ok(h)
}

/// Adds a marker code to the history by the force list's category: warnings to
/// `warning_markers`, vulnerabilities to `vulnerability_markers`, contact patterns
/// (high-intensity caller) nowhere (they are not a risk on their own). A code the force has
/// removed from its list counts as a vulnerability, so it is still weighed.
pub fn add_marker(codes: &MarkerList, h: &mut PersonHistory, code: &str) {
    let list = match codes.category(code) {
        MarkerCategory::Warning => &mut h.warning_markers,
        MarkerCategory::Vulnerability => &mut h.vulnerability_markers,
        MarkerCategory::Pattern => return,
    };
    if !list.iter().any(|c| c == code) {
        list.push(code.to_string());
    }
}

/// How near (metres) an earlier incident counts as the same place.
const LOCATION_RADIUS_M: f64 = 150.0;

/// The person marker code that makes the person a repeat victim of domestic abuse.
const DOMESTIC_ABUSE: &str = "domestic_abuse";

/// Turns earlier contacts into the engine's [`PersonHistory`] (pure, so it is tested directly).
pub fn summarise(engine: &TriageEngine, contact: &Contact, earlier: &[Contact]) -> PersonHistory {
    let mut h = PersonHistory::default();
    for e in earlier {
        let age = contact.offered_at - e.offered_at;
        if age <= Duration::days(7) {
            h.contacts_last_7_days += 1;
        }
        if age <= Duration::days(REPEAT_WINDOW_DAYS) {
            h.contacts_last_30_days += 1;
            h.recent_contacts.push(prior(e, "earlier contact"));
        }
        let input = ContactInput { flags: &e.flags, ..ContactInput::new(e.channel, &e.narrative) };
        let a = engine.assess(&input, &PersonHistory::default(), None);
        let has = |k: SignalKind| a.signals.iter().any(|s| s.kind == k);
        if has(SignalKind::DomesticAbuse) {
            h.previous_domestic_abuse.push(prior(e, "domestic abuse"));
        }
        if e.grade == Some(Grade::Emergency) || HIGH_RISK.into_iter().any(has) {
            h.previous_high_risk.push(prior(e, "high risk"));
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_go_to_the_history_by_category() {
        let codes = MarkerList::default();
        let mut h = PersonHistory::default();
        for code in ["weapons", "mental_health", "high_intensity_caller", "weapons", "vulnerable_adult"] {
            add_marker(&codes, &mut h, code);
        }
        assert_eq!(h.warning_markers, vec!["weapons".to_string()], "once each");
        assert_eq!(
            h.vulnerability_markers,
            vec!["mental_health".to_string(), "vulnerable_adult".to_string()],
            "a removed code is still weighed; a pattern is not a signal"
        );
    }
}
