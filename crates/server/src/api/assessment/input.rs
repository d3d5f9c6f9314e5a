//! From a stored contact to the triage engine's input: the facts the engine needs, computed the
//! same way for the API and the contact screen so both show the same assessment.

use fc_domain::{Contact, ContactFlag};
use fc_triage::{Assessment, ContactInput, PersonHistory, ThriveRecord, TriageEngine};

/// Below this age (from the caller's full date of birth) the caller counts as a child.
const ADULT_AGE: u32 = 18;

/// A location radius at or under this many metres counts as fully confident.
const CONFIDENT_RADIUS_M: f64 = 100.0;

/// Assesses a stored contact with the person's history (and its current THRIVE record): its channel, narrative, flags, the UK
/// local time it reached the force, its location radius as a confidence, and the caller's age
/// when a full date of birth was given (under 18 counts as the "caller is a child" flag, as if
/// the handler had set it).
pub fn assess_contact(
    engine: &TriageEngine,
    contact: &Contact,
    history: &PersonHistory,
    thrive: Option<&ThriveRecord>,
) -> Assessment {
    let mut flags = contact.flags.clone();
    if caller_age(contact).is_some_and(|age| age < ADULT_AGE) && !flags.contains(&ContactFlag::CallerIsChild)
    {
        flags.push(ContactFlag::CallerIsChild);
    }
    let input = ContactInput {
        channel: contact.channel,
        narrative: &contact.narrative,
        flags: &flags,
        local_time: Some(fc_domain::local_time::uk(contact.offered_at).time()),
        location_confidence: contact.location.and_then(|l| l.radius_m).map(location_confidence),
    };
    engine.assess(&input, history, thrive)
}

/// The caller's age in whole years when the contact arrived, if a full date of birth was given.
pub fn caller_age(contact: &Contact) -> Option<u32> {
    contact.caller.date_of_birth.and_then(|d| d.age_on(contact.offered_at.date_naive()))
}

/// The contact's location radius as a confidence percentage for the engine: 100% within
/// `CONFIDENT_RADIUS_M` (a GNSS or good wifi fix), falling in proportion beyond it (200 m is 50%,
/// 1 km is 10%), so a cell-sized area raises the "caller location uncertain" signal. AML also
/// carries its own `lc` confidence; once contacts store it, it should be preferred.
pub fn location_confidence(radius_m: f64) -> u8 {
    if !radius_m.is_finite() {
        return 0;
    }
    if radius_m <= CONFIDENT_RADIUS_M {
        return 100;
    }
    (100.0 * CONFIDENT_RADIUS_M / radius_m).round().clamp(0.0, 100.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radius_becomes_confidence() {
        assert_eq!(location_confidence(25.0), 100);
        assert_eq!(location_confidence(100.0), 100);
        assert_eq!(location_confidence(200.0), 50);
        assert_eq!(location_confidence(1000.0), 10);
        assert_eq!(location_confidence(f64::NAN), 0);
    }
}
