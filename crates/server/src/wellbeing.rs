//! Staff wellbeing in the product: each handler's exposure to distressing contacts this shift and
//! this week, the break prompted after the worst, and the supervisor check-in due. The rules are
//! the pure `fc-wellbeing` crate's; this module gathers what they need from the store (contacts
//! the handler answered, check-ins, breaks) and runs the triage engine over each narrative, so a
//! contact counts as distressing for the same words that raised its risk signals.
//!
//! Who may see it is decided by the callers (the API and the pages): the person themselves and
//! supervisors only; a supervisor's view is audited as a consultation of the handler's record.

use crate::AppState;
use crate::error::ApiError;
use chrono::{DateTime, Duration, Utc};
use fc_domain::{Actor, Channel, Contact, HandlerState};
use fc_store::audit::{AuditAction, AuditEntry};
use fc_store::handlers::Handler;
use fc_store::wellbeing::CheckIn;
use fc_triage::{ContactInput, PersonHistory};
use fc_wellbeing::{CheckInRecord, Exposure, HandledContact, Level, Policy, Summary};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;
use utoipa::ToSchema;

use fc_store::wellbeing::RECORD_TYPE;

/// One handler's wellbeing: the summary the rules give, the contacts behind it, and the
/// check-ins recorded with them this week.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandlerWellbeing {
    /// Sign-in name.
    pub username: String,
    /// Name shown on screens.
    pub display_name: String,
    /// Their state now (a break prompt is moot once they are on a break).
    #[schema(value_type = String)]
    pub state: HandlerState,
    /// Totals for the shift and week, per UK day, the check-in due and the break prompted.
    pub summary: Summary,
    /// This week's distressing and severe contacts, newest first, with why each counted.
    pub exposures: Vec<ExposureEntry>,
    /// This week's check-ins, newest first.
    pub check_ins: Vec<CheckIn>,
}

/// A contact that counted towards a handler's exposure, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExposureEntry {
    /// The contact.
    pub reference: String,
    /// Its channel.
    #[schema(value_type = String)]
    pub channel: Channel,
    /// When the handler answered it.
    pub answered_at: DateTime<Utc>,
    /// When it closed (absent while still open).
    pub closed_at: Option<DateTime<Utc>>,
    /// `distressing` or `severe`.
    pub level: Level,
    /// What made it count ("suicide or self-harm"...).
    pub reasons: Vec<String>,
}

/// The rules in force. One place, so the API, the pages and the tests agree.
pub fn policy() -> Policy {
    Policy::default()
}

/// How far back the figures read: the week, plus a day so the oldest UK day is whole.
fn window_start(now: DateTime<Utc>, policy: &Policy) -> DateTime<Utc> {
    now - Duration::days(policy.week_days + 1)
}

/// How a stored contact counts, by the triage engine's signals on its narrative and flags.
fn exposure_of(state: &AppState, contact: &Contact) -> Exposure {
    state.wellbeing.exposures.get_or(contact, || {
        let input =
            ContactInput { flags: &contact.flags, ..ContactInput::new(contact.channel, &contact.narrative) };
        let assessment = state.triage.assess(&input, &PersonHistory::default(), None);
        let kinds: Vec<_> = assessment.signals.iter().map(|s| s.kind).collect();
        fc_wellbeing::classify(contact.channel, &contact.flags, &kinds)
    })
}

/// What staff wellbeing keeps between looks, in this server's memory only (a restart just works
/// it out again).
#[derive(Debug, Default)]
pub struct Remembered {
    /// Each contact's exposure.
    pub exposures: ExposureMemo,
    /// The dashboard's count of check-ins due.
    pub due: DueCount,
}

/// Contacts remembered before the memo starts again: a week of a large force's contacts, a few
/// tens of megabytes at most.
const EXPOSURES_REMEMBERED: usize = 200_000;

/// Each contact's exposure, by reference and version: the triage engine reads a narrative once,
/// not on every look at the team (a force's week is tens of thousands of contacts, about 15 µs
/// each), and again only when the contact changes.
#[derive(Debug, Default)]
pub struct ExposureMemo {
    seen: Mutex<HashMap<String, (i64, Exposure)>>,
}

impl ExposureMemo {
    /// The remembered exposure of this version of `contact`, or `work` out and remember it.
    pub fn get_or(&self, contact: &Contact, work: impl FnOnce() -> Exposure) -> Exposure {
        let key = contact.reference.to_string();
        if let Ok(seen) = self.seen.lock()
            && let Some((version, exposure)) = seen.get(&key)
            && *version == contact.version
        {
            return exposure.clone();
        }
        let exposure = work();
        if let Ok(mut seen) = self.seen.lock() {
            if seen.len() >= EXPOSURES_REMEMBERED {
                seen.clear();
            }
            seen.insert(key, (contact.version, exposure.clone()));
        }
        exposure
    }
}

/// The pieces one handler's summary is made of.
#[derive(Default)]
struct Gathered {
    handled: Vec<HandledContact>,
    check_ins: Vec<CheckIn>,
    last_break: Option<DateTime<Utc>>,
}

/// Everything the summaries rest on, by handler: the contacts they answered in the window, their
/// check-ins, and their latest break. One handler's, or everyone's when `handler` is `None`; three
/// reads either way.
async fn gather(
    state: &AppState,
    handler: Option<&str>,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<HashMap<String, Gathered>, ApiError> {
    let since = window_start(now, policy);
    let contacts = state.store.contacts_handled(handler, since).await?;
    let check_ins = state.store.check_ins(handler, since).await?;
    let breaks = state.store.last_breaks(handler, since, now + Duration::seconds(1)).await?;
    let mut gathered: HashMap<String, Gathered> = HashMap::new();
    for c in &contacts {
        if let (Some(h), Some(answered)) = (&c.handler, c.answered_at) {
            gathered.entry(h.clone()).or_default().handled.push(handled_contact(state, c, answered));
        }
    }
    for c in check_ins {
        gathered.entry(c.handler.clone()).or_default().check_ins.push(c);
    }
    for (username, at) in breaks {
        gathered.entry(username).or_default().last_break = Some(at);
    }
    Ok(gathered)
}

/// One handler's view from what was gathered for them. A handler on a break now started it at
/// `state_since`, which may be before the window.
fn view(h: Handler, gathered: Option<Gathered>, now: DateTime<Utc>, policy: &Policy) -> HandlerWellbeing {
    let gathered = gathered.unwrap_or_default();
    let current_break = (h.state == HandlerState::Break).then_some(h.state_since);
    let last_break = gathered.last_break.max(current_break);
    let records: Vec<CheckInRecord> =
        gathered.check_ins.iter().map(|c| CheckInRecord { at: c.recorded_at, outcome: c.outcome }).collect();
    let summary = fc_wellbeing::summarise(now, &gathered.handled, &records, last_break, policy);
    let week_start = now - Duration::days(policy.week_days);
    let mut exposures: Vec<ExposureEntry> = gathered
        .handled
        .into_iter()
        .filter(|c| c.exposure.level > Level::Routine && c.answered_at >= week_start)
        .map(|c| ExposureEntry {
            reference: c.reference,
            channel: c.channel,
            answered_at: c.answered_at,
            closed_at: c.closed_at,
            level: c.exposure.level,
            reasons: c.exposure.reasons,
        })
        .collect();
    exposures.sort_by_key(|e| std::cmp::Reverse(e.answered_at));
    HandlerWellbeing {
        username: h.username,
        display_name: h.display_name,
        state: h.state,
        summary,
        exposures,
        // The store gives them newest first.
        check_ins: gathered.check_ins,
    }
}

/// Every handler's wellbeing, for supervisors. Reads the week once for everyone, then
/// summarises each handler. Audited by the caller (see [`audit_views`]).
pub async fn team(state: &AppState, now: DateTime<Utc>) -> Result<Vec<HandlerWellbeing>, ApiError> {
    let policy = policy();
    let handlers = state.store.list_handlers().await?;
    let mut gathered = gather(state, None, now, &policy).await?;
    Ok(handlers
        .into_iter()
        .map(|h| {
            let mine = gathered.remove(&h.username);
            view(h, mine, now, &policy)
        })
        .collect())
}

/// One handler's wellbeing. The caller checks who may see it and audits a supervisor's view.
pub async fn for_handler(
    state: &AppState,
    username: &str,
    now: DateTime<Utc>,
) -> Result<HandlerWellbeing, ApiError> {
    let policy = policy();
    let h = state.store.handler(username).await?;
    let mut gathered = gather(state, Some(username), now, &policy).await?;
    Ok(view(h, gathered.remove(username), now, &policy))
}

fn handled_contact(state: &AppState, c: &Contact, answered_at: DateTime<Utc>) -> HandledContact {
    HandledContact {
        reference: c.reference.to_string(),
        channel: c.channel,
        answered_at,
        closed_at: c.closed_at,
        exposure: exposure_of(state, c),
    }
}

/// One handler's wellbeing for `actor`, who must be that handler (and one who takes contacts) or
/// a supervisor; a supervisor's view is audited with `purpose`. The API and the pages both ask
/// through here, so both refuse and record alike.
pub async fn for_viewer(
    state: &AppState,
    actor: &Actor,
    username: &str,
    now: DateTime<Utc>,
    purpose: &str,
) -> Result<HandlerWellbeing, ApiError> {
    let own = username == actor.username && actor.role.can_see_own_wellbeing();
    if !own && !actor.role.can_support_staff() {
        return Err(ApiError::Forbidden(format!(
            "a {} cannot see another person's wellbeing figures",
            actor.role.label().to_lowercase()
        )));
    }
    let view = for_handler(state, username, now).await?;
    audit_views(state, actor, [username], purpose).await?;
    Ok(view)
}

/// Records that `actor` saw these handlers' wellbeing figures: one consultation per handler, in
/// one write. A handler's look at their own figures is not a disclosure and is not recorded.
pub async fn audit_views(
    state: &AppState,
    actor: &Actor,
    usernames: impl IntoIterator<Item = &str>,
    detail: &str,
) -> Result<(), ApiError> {
    let entries: Vec<AuditEntry> = usernames
        .into_iter()
        .filter(|u| *u != actor.username)
        .map(|u| AuditEntry {
            actor: actor.username.clone(),
            action: AuditAction::Consultation,
            record_type: RECORD_TYPE.into(),
            record_id: u.to_string(),
            detail: detail.to_string(),
            justification: None,
        })
        .collect();
    if !entries.is_empty() {
        state.store.audit(entries).await?;
    }
    Ok(())
}

/// How long the dashboard's count of check-ins due may be old: it reads every handler's week, and
/// the dashboard refreshes every few seconds while open. A check-in recorded here resets it.
const DUE_COUNT_FOR: Duration = Duration::seconds(60);

/// The number of handlers with a check-in due, for the supervisor's dashboard: worked out at most
/// once a minute, and again at once after a check-in is recorded on this server.
#[derive(Debug, Default)]
pub struct DueCount {
    last: Mutex<Option<(DateTime<Utc>, usize)>>,
}

impl DueCount {
    /// The count as of at most a minute ago.
    pub async fn get(&self, state: &AppState, now: DateTime<Utc>) -> Result<usize, ApiError> {
        if let Some((at, n)) = self.last.lock().ok().and_then(|l| *l)
            && now - at < DUE_COUNT_FOR
        {
            return Ok(n);
        }
        let n = team(state, now).await?.iter().filter(|w| w.summary.check_in_due.is_some()).count();
        if let Ok(mut last) = self.last.lock() {
            *last = Some((now, n));
        }
        Ok(n)
    }

    /// Forgets the count: a check-in was recorded, so the next look works it out again.
    pub fn forget(&self) {
        if let Ok(mut last) = self.last.lock() {
            *last = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(version: i64) -> Contact {
        let input: fc_domain::record::NewContactInput =
            serde_json::from_value(serde_json::json!({"channel": "101", "narrative": "n"})).expect("input");
        let new = input.validate(Utc::now()).expect("valid");
        Contact {
            reference: fc_domain::ContactRef::new(Utc::now().date_naive(), 7).expect("ref"),
            channel: new.channel,
            status: fc_domain::ContactStatus::Closed,
            flags: new.flags,
            caller: new.caller,
            location_text: None,
            location: None,
            narrative: new.narrative,
            grade: None,
            outcome: None,
            handler: Some("h".into()),
            offered_at: new.offered_at,
            queued_at: None,
            answered_at: None,
            closed_at: None,
            created_at: new.offered_at,
            updated_at: new.offered_at,
            version,
        }
    }

    #[test]
    fn a_contact_is_assessed_once_per_version() {
        let memo = ExposureMemo::default();
        let severe = || Exposure { level: Level::Severe, reasons: vec!["x".into()] };
        assert_eq!(memo.get_or(&contact(1), severe).level, Level::Severe);
        let mut ran = false;
        let again = memo.get_or(&contact(1), || {
            ran = true;
            Exposure::routine()
        });
        assert!(!ran && again.level == Level::Severe, "remembered");
        assert_eq!(
            memo.get_or(&contact(2), Exposure::routine).level,
            Level::Routine,
            "a new version is assessed"
        );
    }
}
