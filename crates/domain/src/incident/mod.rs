//! Incidents: what the control room deploys to. An incident is opened from one or more contacts
//! with an opening classification, a location, a grade and a THRIVE summary; it moves open →
//! resourced → at scene → closed (with a closing classification and a result), and may be
//! reopened, which the log records. The lifecycle rules live here so the API, the UI and the demo
//! all enforce the same ones.

pub mod attendance;
pub mod classification;
pub mod record;
mod reference;

pub use attendance::{Area, Attendance, AttendanceTargets};
pub use classification::{Category, CategoryList, Chapter};
pub use record::{Incident, IncidentClose, IncidentCloseInput, NewIncident, NewIncidentInput};
pub use reference::IncidentRef;

use crate::DomainError;

crate::wire_enum! {
    /// Where an incident is in its life.
    pub enum IncidentStatus ("status") {
        /// Raised; no unit assigned yet.
        Open = ("open", "Open"),
        /// At least one unit assigned or travelling.
        Resourced = ("resourced", "Resourced"),
        /// A unit has arrived.
        AtScene = ("at_scene", "At scene"),
        /// Finished, with a closing classification and a result.
        Closed = ("closed", "Closed"),
    }
}

impl IncidentStatus {
    /// Checks a move to `to`. Closing and reopening have their own operations (they need a
    /// classification, and a reopen is logged as such), so they are refused here.
    pub fn transition(self, to: IncidentStatus) -> Result<IncidentStatus, DomainError> {
        use IncidentStatus::*;
        let allowed = matches!(
            (self, to),
            (Open, Resourced) | (Resourced, Open | AtScene) | (AtScene, Resourced | Open)
        );
        if allowed { Ok(to) } else { Err(illegal("incident", self.as_str(), to.as_str())) }
    }

    /// Checks that an incident in this status may close.
    pub fn can_close(self) -> Result<(), DomainError> {
        if self == IncidentStatus::Closed { Err(illegal("incident", "closed", "closed")) } else { Ok(()) }
    }

    /// Checks that an incident in this status may be reopened (only a closed one).
    pub fn can_reopen(self) -> Result<(), DomainError> {
        if self == IncidentStatus::Closed {
            Ok(())
        } else {
            Err(illegal("incident", self.as_str(), "reopened"))
        }
    }

    /// Whether the incident still needs the control room.
    pub fn is_open(self) -> bool {
        self != IncidentStatus::Closed
    }
}

pub(crate) fn illegal(what: &'static str, from: &str, to: &str) -> DomainError {
    DomainError::IllegalMove { what, from: from.to_string(), to: to.to_string() }
}

crate::wire_enum! {
    /// Facts about an incident that change how it is handled and what it is counted as.
    pub enum Qualifier ("qualifiers") {
        /// Domestic abuse.
        Domestic = ("domestic", "Domestic"),
        /// Mental health is a factor.
        MentalHealth = ("mental_health", "Mental health"),
        /// A repeat location, victim or caller.
        Repeat = ("repeat", "Repeat"),
        /// Hate motivated.
        Hate = ("hate", "Hate"),
        /// Alcohol is a factor.
        Alcohol = ("alcohol", "Alcohol"),
        /// Drugs are a factor.
        Drugs = ("drugs", "Drugs"),
        /// Firearms involved or suspected.
        Firearms = ("firearms", "Firearms"),
        /// Other weapons (knives...).
        Weapons = ("weapons", "Weapons"),
        /// A child is involved or at risk.
        Child = ("child", "Child"),
        /// A vulnerable adult is involved.
        VulnerableAdult = ("vulnerable_adult", "Vulnerable adult"),
        /// Missing from care or home.
        Missing = ("missing", "Missing"),
    }
}

crate::wire_enum! {
    /// What came of an incident, recorded on closing.
    pub enum IncidentResult ("result") {
        /// A crime was recorded.
        CrimeRecorded = ("crime_recorded", "Crime recorded"),
        /// Someone was arrested.
        Arrest = ("arrest", "Arrest made"),
        /// Dealt with at scene, no crime.
        ResolvedAtScene = ("resolved_at_scene", "Resolved at scene"),
        /// Advice given.
        AdviceGiven = ("advice_given", "Advice given"),
        /// Passed to a partner agency.
        ReferredToPartner = ("referred_to_partner", "Referred to partner"),
        /// Nobody or nothing found on arrival.
        NoTrace = ("no_trace", "No trace on arrival"),
        /// The same event as another incident.
        Duplicate = ("duplicate", "Duplicate"),
        /// A false alarm (good intent or malicious).
        FalseAlarm = ("false_alarm", "False alarm"),
        /// No further action.
        NoFurtherAction = ("no_further_action", "No further action"),
    }
}

crate::wire_enum! {
    /// How a person is involved in an incident.
    pub enum PersonRole ("role") {
        /// Harmed or at risk.
        Victim = ("victim", "Victim"),
        /// Suspected of an offence.
        Suspect = ("suspect", "Suspect"),
        /// Saw or heard what happened.
        Witness = ("witness", "Witness"),
        /// Reported it.
        Caller = ("caller", "Caller"),
        /// The person the incident is about (a missing person, a concern for welfare).
        Subject = ("subject", "Subject"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IncidentStatus::*;
    use proptest::prelude::*;

    #[test]
    fn the_usual_life_is_allowed_and_shortcuts_are_not() {
        assert_eq!(Open.transition(Resourced), Ok(Resourced));
        assert_eq!(Resourced.transition(AtScene), Ok(AtScene));
        assert!(Open.transition(AtScene).is_err(), "nobody can arrive before being sent");
        assert!(AtScene.transition(Closed).is_err(), "closing has its own operation");
        assert!(Closed.transition(Open).is_err(), "reopening has its own operation");
        assert!(Closed.can_reopen().is_ok());
        assert!(Open.can_reopen().is_err());
        assert!(Closed.can_close().is_err());
    }

    proptest! {
        #[test]
        fn closed_never_moves_by_transition(to in prop::sample::select(IncidentStatus::ALL.to_vec())) {
            prop_assert!(Closed.transition(to).is_err());
        }

        #[test]
        fn wire_names_round_trip(q in prop::sample::select(Qualifier::ALL.to_vec())) {
            prop_assert_eq!(q.as_str().parse::<Qualifier>(), Ok(q));
            prop_assert_eq!(serde_json::to_string(&q).expect("json"), format!("\"{}\"", q.as_str()));
        }
    }
}
