//! Who does what in a control room. Roles decide what a user may see and change; the permission
//! checks themselves live beside the routes, which ask these questions.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Answers contacts and records them.
    CallHandler,
    /// Assigns resources to incidents.
    Dispatcher,
    /// Oversees handlers and the queue; reviews overrides.
    Supervisor,
    /// Reads figures and reports; sees no personal details beyond what reports need.
    Analyst,
    /// Reads the audit log; changes nothing.
    Auditor,
    /// Manages users and configuration.
    Administrator,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] = [
        Role::CallHandler,
        Role::Dispatcher,
        Role::Supervisor,
        Role::Analyst,
        Role::Auditor,
        Role::Administrator,
    ];

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::CallHandler => "call_handler",
            Role::Dispatcher => "dispatcher",
            Role::Supervisor => "supervisor",
            Role::Analyst => "analyst",
            Role::Auditor => "auditor",
            Role::Administrator => "administrator",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            Role::CallHandler => "Call handler",
            Role::Dispatcher => "Dispatcher",
            Role::Supervisor => "Supervisor",
            Role::Analyst => "Analyst",
            Role::Auditor => "Auditor",
            Role::Administrator => "Administrator",
        }
    }

    /// May read contacts with their personal details.
    pub fn can_read_contacts(self) -> bool {
        matches!(self, Role::CallHandler | Role::Dispatcher | Role::Supervisor)
    }

    /// May create and change contacts.
    pub fn can_write_contacts(self) -> bool {
        matches!(self, Role::CallHandler | Role::Supervisor)
    }

    /// May see the live queue (no personal details beyond a summary).
    pub fn can_see_queue(self) -> bool {
        matches!(self, Role::CallHandler | Role::Dispatcher | Role::Supervisor)
    }

    /// May read the audit log.
    pub fn can_read_audit(self) -> bool {
        matches!(self, Role::Auditor | Role::Administrator)
    }

    /// May manage users and tokens.
    pub fn can_manage_users(self) -> bool {
        matches!(self, Role::Administrator)
    }

    /// May read incidents, their logs and links (the control room's working picture).
    pub fn can_read_incidents(self) -> bool {
        matches!(self, Role::CallHandler | Role::Dispatcher | Role::Supervisor)
    }

    /// May raise incidents from contacts and link further contacts to them (duplicates).
    pub fn can_raise_incidents(self) -> bool {
        matches!(self, Role::CallHandler | Role::Dispatcher | Role::Supervisor)
    }

    /// May run incidents: remarks, status, assignments, closing, reopening, links.
    pub fn can_dispatch(self) -> bool {
        matches!(self, Role::Dispatcher | Role::Supervisor)
    }

    /// May see units (no personal data: call signs, types, positions, statuses).
    pub fn can_read_units(self) -> bool {
        matches!(
            self,
            Role::CallHandler | Role::Dispatcher | Role::Supervisor | Role::Analyst | Role::Administrator
        )
    }

    /// May create units and change what they are (type, skills, station).
    pub fn can_manage_units(self) -> bool {
        matches!(self, Role::Supervisor | Role::Administrator)
    }

    /// May report a unit's position and status (dispatchers, and the tokens of vehicle location
    /// systems and officers' devices, which act as a dispatcher-role integration user).
    pub fn can_report_units(self) -> bool {
        matches!(self, Role::Dispatcher | Role::Supervisor | Role::Administrator)
    }

    /// May open person profiles (the single citizen view). Auditors may too, read-only, to check
    /// what was combined and why.
    pub fn can_read_persons(self) -> bool {
        matches!(self, Role::CallHandler | Role::Dispatcher | Role::Supervisor | Role::Auditor)
    }

    /// May decide link reviews, undo a link and set or clear markers (always with a reason).
    pub fn can_link_persons(self) -> bool {
        matches!(self, Role::CallHandler | Role::Supervisor)
    }

    /// May merge or split persons: a wrong merge is harmful, so only supervisors.
    pub fn can_merge_persons(self) -> bool {
        matches!(self, Role::Supervisor)
    }

    /// May read aggregate figures (no personal data).
    pub fn can_read_reports(self) -> bool {
        matches!(self, Role::Supervisor | Role::Analyst | Role::Administrator)
    }

    /// May review triage decisions across contacts: handlers' grade overrides and the referrals
    /// questionnaires raised (supervisors check them; auditors read them, changing nothing).
    pub fn can_review_triage(self) -> bool {
        matches!(self, Role::Supervisor | Role::Auditor)
    }

    /// May move referral tasks on (accept, send to the partner agency, decline): supervisors
    /// only. Auditors see the referrals but never act on them.
    pub fn can_work_referrals(self) -> bool {
        matches!(self, Role::Supervisor)
    }

    /// May take contacts from the queue (has a handler state: ready, on contact, break...).
    /// Supervisors take calls in a surge, so they may too.
    pub fn can_take_contacts(self) -> bool {
        matches!(self, Role::CallHandler | Role::Supervisor)
    }

    /// May see their own wellbeing figures: everyone who takes contacts, since it is their
    /// exposure to distressing ones. Nobody else's, unless they support staff.
    pub fn can_see_own_wellbeing(self) -> bool {
        self.can_take_contacts()
    }

    /// May see every handler's wellbeing figures and record check-ins with them. Staff
    /// wellbeing is visible only to the person and their supervisors: not to administrators,
    /// analysts or auditors (who see in the audit log *that* it was viewed, not what).
    pub fn can_support_staff(self) -> bool {
        matches!(self, Role::Supervisor)
    }

    /// May see and manage handlers (skills, states) and the live dashboard. No personal details
    /// of callers are involved, so administrators, who set skills up, may too.
    pub fn can_supervise_handlers(self) -> bool {
        matches!(self, Role::Supervisor | Role::Administrator)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = crate::DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            crate::DomainError::invalid(
                "role",
                format!("unknown role {s:?}; expected one of {}", Role::ALL.map(|r| r.as_str()).join(", ")),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_supervisors_and_auditors_review_triage_decisions() {
        let reviewers: Vec<Role> = Role::ALL.into_iter().filter(|r| r.can_review_triage()).collect();
        assert_eq!(reviewers, vec![Role::Supervisor, Role::Auditor]);
    }

    #[test]
    fn only_supervisors_work_referrals() {
        let workers: Vec<Role> = Role::ALL.into_iter().filter(|r| r.can_work_referrals()).collect();
        assert_eq!(workers, vec![Role::Supervisor]);
    }

    #[test]
    fn auditors_and_analysts_cannot_write_contacts() {
        assert!(!Role::Auditor.can_write_contacts());
        assert!(!Role::Analyst.can_write_contacts());
        assert!(!Role::Analyst.can_read_contacts());
        assert!(Role::Auditor.can_read_audit());
        assert!(!Role::CallHandler.can_read_audit());
    }

    #[test]
    fn wellbeing_is_for_the_person_and_supervisors_only() {
        let own: Vec<Role> = Role::ALL.into_iter().filter(|r| r.can_see_own_wellbeing()).collect();
        assert_eq!(own, vec![Role::CallHandler, Role::Supervisor]);
        let others: Vec<Role> = Role::ALL.into_iter().filter(|r| r.can_support_staff()).collect();
        assert_eq!(others, vec![Role::Supervisor]);
    }

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
    }
}
