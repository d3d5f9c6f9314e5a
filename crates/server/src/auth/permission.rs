//! Permissions as types. Each names the roles allowed; `Authorized<P>` authenticates the caller
//! and refuses roles outside `P`, before the handler runs.

use super::Principal;
use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use fc_domain::Role;
use std::marker::PhantomData;

/// A permission: which roles hold it and how to say so.
pub trait Permission: Send + Sync + 'static {
    /// Whether `role` holds it.
    fn allows(role: Role) -> bool;
    /// What it allows, for the refusal message.
    const WHAT: &'static str;
}

macro_rules! permission {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:expr) => {
        $(#[$doc])*
        pub struct $name;
        impl Permission for $name {
            fn allows(role: Role) -> bool {
                ($check)(role)
            }
            const WHAT: &'static str = $what;
        }
    };
}

permission!(
    /// Read contacts with personal details.
    ReadContacts, "read contacts", Role::can_read_contacts
);
permission!(
    /// Create and change contacts.
    WriteContacts, "create or change contacts", Role::can_write_contacts
);
permission!(
    /// See the live queue.
    SeeQueue, "see the queue", Role::can_see_queue
);
permission!(
    /// Read the audit log.
    ReadAudit, "read the audit log", Role::can_read_audit
);
permission!(
    /// Manage users and tokens.
    ManageUsers, "manage users", Role::can_manage_users
);
permission!(
    /// Review triage decisions across contacts: grade overrides (decisions that departed from the
    /// recommended grade) and referrals raised by questionnaires.
    ReviewTriage, "review triage decisions", Role::can_review_triage
);
permission!(
    /// Take contacts from the queue: ready, break, take next.
    TakeContacts, "take contacts", Role::can_take_contacts
);
permission!(
    /// See and manage handlers' skills and states, and the live dashboard.
    SuperviseHandlers, "supervise handlers", Role::can_supervise_handlers
);
permission!(
    /// Read aggregate reports and plans (no personal data).
    ReadReports, "read reports", Role::can_read_reports
);
permission!(
    /// Open person profiles (single citizen view).
    ReadPersons, "open person profiles", Role::can_read_persons
);
permission!(
    /// Decide link reviews, undo links, set and clear markers.
    LinkPersons, "link contacts to persons", Role::can_link_persons
);
permission!(
    /// Merge and split persons.
    MergePersons, "merge or split persons", Role::can_merge_persons
);
permission!(
    /// Single citizen view figures without personal data.
    ReadPersonFigures, "read person figures", Role::can_read_reports
);
permission!(
    /// Any signed-in user.
    AnyRole, "use the service", |_| true
);

permission!(
    /// Read incidents, their logs and links.
    ReadIncidents, "read incidents", Role::can_read_incidents
);
permission!(
    /// Raise incidents from contacts and link duplicate contacts.
    RaiseIncidents, "raise incidents", Role::can_raise_incidents
);
permission!(
    /// Run incidents: remarks, status, assignments, closing, links.
    Dispatch, "dispatch", Role::can_dispatch
);
permission!(
    /// See units.
    ReadUnits, "see units", Role::can_read_units
);
permission!(
    /// Create units and change what they are.
    ManageUnits, "manage units", Role::can_manage_units
);
permission!(
    /// Report a unit's position and status.
    ReportUnits, "report unit positions and statuses", Role::can_report_units
);

/// An authenticated caller holding permission `P`.
pub struct Authorized<P: Permission> {
    /// The caller.
    pub principal: Principal,
    _p: PhantomData<P>,
}

impl<P: Permission> std::ops::Deref for Authorized<P> {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.principal
    }
}

impl<P: Permission> FromRequestParts<AppState> for Authorized<P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let principal = Principal::from_request_parts(parts, state).await?;
        if !P::allows(principal.user.role) {
            return Err(ApiError::Forbidden(format!(
                "a {} cannot {}",
                principal.user.role.label().to_lowercase(),
                P::WHAT
            )));
        }
        Ok(Self { principal, _p: PhantomData })
    }
}

permission!(
    /// See your own wellbeing figures (exposure to distressing contacts, prompts).
    SeeOwnWellbeing, "see your wellbeing figures", Role::can_see_own_wellbeing
);
permission!(
    /// See every handler's wellbeing figures and record check-ins with them.
    SupportStaff, "see staff wellbeing", Role::can_support_staff
);
permission!(
    /// Move referral tasks on: accept (assign), send to the partner agency, decline.
    WorkReferrals, "work referral tasks", Role::can_work_referrals
);
