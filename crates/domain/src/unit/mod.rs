//! Resources: the units a dispatcher sends. Each has a call sign, a type, skills, a home station,
//! a last known position and a status that moves available → assigned → en route → at scene →
//! (transporting) → available. The status machine is here so that a vehicle's location feed, an
//! officer's device, the dispatcher and the demo all obey it: a unit cannot arrive before it was
//! sent.

mod call_sign;
pub mod record;

pub use call_sign::CallSign;
pub use record::{NewUnit, NewUnitInput, Unit, UnitPatch, UnitPatchInput};

use crate::DomainError;
use crate::incident::illegal;

crate::wire_enum! {
    /// What kind of unit.
    pub enum UnitType ("unit_type") {
        /// Response car.
        Response = ("response", "Response"),
        /// Armed response vehicle.
        ArmedResponse = ("armed_response", "Armed response"),
        /// Dog unit.
        Dog = ("dog", "Dog"),
        /// Roads policing.
        RoadsPolicing = ("roads_policing", "Roads policing"),
        /// Neighbourhood officer.
        Neighbourhood = ("neighbourhood", "Neighbourhood"),
        /// Police community support officer (no powers of arrest; not for grade 1 violence).
        Pcso = ("pcso", "PCSO"),
    }
}

crate::wire_enum! {
    /// A skill or equipment a unit carries.
    pub enum Skill ("skills") {
        /// Trained in first aid beyond the basic level.
        FirstAid = ("first_aid", "First aid"),
        /// Carries a Taser.
        Taser = ("taser", "Taser"),
        /// Authorised firearms officer.
        Firearms = ("firearms", "Firearms"),
        /// Advanced or response driver.
        AdvancedDriver = ("advanced_driver", "Advanced driver"),
        /// Trained in pursuits (TPAC).
        Pursuit = ("pursuit", "Pursuit"),
        /// Police dog handler.
        DogHandler = ("dog_handler", "Dog handler"),
        /// Public order trained.
        PublicOrder = ("public_order", "Public order"),
        /// Mental health trained.
        MentalHealth = ("mental_health", "Mental health"),
        /// Search trained.
        Search = ("search", "Search"),
        /// Collision investigation.
        CollisionInvestigation = ("collision_investigation", "Collision investigation"),
        /// Speaks a community language or BSL.
        Language = ("language", "Language"),
    }
}

crate::wire_enum! {
    /// Where a unit is in its work.
    pub enum UnitStatus ("status") {
        /// Free to be sent.
        Available = ("available", "Available"),
        /// Given an incident; not yet moving.
        Assigned = ("assigned", "Assigned"),
        /// Travelling to the incident.
        EnRoute = ("en_route", "En route"),
        /// Arrived.
        AtScene = ("at_scene", "At scene"),
        /// Taking someone to custody or hospital.
        Transporting = ("transporting", "Transporting"),
        /// On duty but busy (refs, paperwork, vehicle off the road).
        Unavailable = ("unavailable", "Unavailable"),
        /// Not on duty.
        OffDuty = ("off_duty", "Off duty"),
    }
}

impl UnitStatus {
    /// Checks a move to `to`. Assignment has its own operation (it names the incident), so a move
    /// to `assigned` is refused here, as is arriving without having been sent.
    pub fn transition(self, to: UnitStatus) -> Result<UnitStatus, DomainError> {
        use UnitStatus::*;
        let allowed = matches!(
            (self, to),
            (Available, Unavailable | OffDuty)
                | (Assigned, EnRoute | AtScene | Available | Unavailable)
                | (EnRoute, AtScene | Available | Unavailable)
                | (AtScene, Transporting | Available | Unavailable)
                | (Transporting, Available | AtScene | Unavailable)
                | (Unavailable, Available | OffDuty)
                | (OffDuty, Available)
        );
        if allowed { Ok(to) } else { Err(illegal("unit", self.as_str(), to.as_str())) }
    }

    /// Checks the unit may take an assignment: available, or diverted while travelling.
    pub fn can_assign(self) -> Result<(), DomainError> {
        if matches!(self, UnitStatus::Available | UnitStatus::EnRoute) {
            Ok(())
        } else {
            Err(illegal("unit", self.as_str(), "assigned"))
        }
    }

    /// Whether the unit is committed to an incident (assigned, travelling, at scene, transporting).
    pub fn is_committed(self) -> bool {
        matches!(
            self,
            UnitStatus::Assigned | UnitStatus::EnRoute | UnitStatus::AtScene | UnitStatus::Transporting
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use UnitStatus::*;
    use proptest::prelude::*;

    #[test]
    fn a_unit_cannot_arrive_before_it_is_sent() {
        assert!(Available.transition(AtScene).is_err());
        assert!(Available.transition(EnRoute).is_err());
        assert!(Available.transition(Assigned).is_err(), "assignment names an incident");
        assert!(Available.can_assign().is_ok());
        assert!(AtScene.can_assign().is_err());
        assert_eq!(Assigned.transition(EnRoute), Ok(EnRoute));
        assert_eq!(EnRoute.transition(AtScene), Ok(AtScene));
        assert_eq!(AtScene.transition(Available), Ok(Available));
        assert!(OffDuty.transition(AtScene).is_err());
    }

    proptest! {
        #[test]
        fn nothing_moves_to_itself(s in prop::sample::select(UnitStatus::ALL.to_vec())) {
            prop_assert!(s.transition(s).is_err());
        }

        #[test]
        fn only_committed_units_can_be_at_scene_next(s in prop::sample::select(UnitStatus::ALL.to_vec())) {
            if s.transition(AtScene).is_ok() {
                prop_assert!(s.is_committed());
            }
        }
    }
}
