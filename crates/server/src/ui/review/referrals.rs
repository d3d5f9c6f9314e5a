//! `/referrals`: referral tasks raised by questionnaire results (MARAC, stalking, health), newest
//! first, filtered by task kind and status; supervisors move each on from the page — accept
//! (assign), send to the partner agency, decline — with keyboard-reachable forms (Tab to a task's
//! "Move on", Enter opens it). The forms post to `/referrals/{id}/transitions`, which uses the
//! same rules as the API.

use crate::AppState;
use crate::api::assessment::questionnaires::audit_list;
use crate::api::assessment::referrals::{ReferralTransitionInput, action};
use crate::auth::permission::{ReviewTriage, WorkReferrals};
use crate::ui::auth::Signed;
use crate::ui::error::{UiError, UiPath};
use crate::ui::form::{CSRF_FIELD, Form};
use crate::ui::format;
use crate::ui::layout::{self, Nav};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use fc_domain::ReferralStatus;
use fc_store::contacts::questionnaires::{Referral, ReferralFilter};
use maud::{Markup, html};
use serde::Deserialize;

/// Task kinds the shipped questionnaires raise, for the filter.
const TASKS: [(&str, &str); 3] = [
    ("marac_referral", "MARAC referral"),
    ("stalking_referral", "Stalking referral"),
    ("health_referral", "Health or social care referral"),
];

/// The filter form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct ReferralsQuery {
    /// Task kind or empty.
    pub task: Option<String>,
    /// Status or empty.
    pub status: Option<String>,
}

/// What the page shows besides the list: the filter and, for supervisors, the forms.
#[derive(Debug, Clone, Default)]
pub struct View<'a> {
    /// The task filter.
    pub task: Option<&'a str>,
    /// The status filter.
    pub status: Option<ReferralStatus>,
    /// Whether the viewer may move tasks on (supervisors).
    pub can_work: bool,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// Active usernames a task can be assigned to.
    pub users: Vec<String>,
}

/// The page.
pub async fn page(
    State(state): State<AppState>,
    auth: Signed<ReviewTriage>,
    Query(q): Query<ReferralsQuery>,
) -> Result<Markup, UiError> {
    let task = q.task.filter(|t| !t.is_empty());
    let status = q.status.filter(|s| !s.is_empty()).and_then(|s| s.parse::<ReferralStatus>().ok());
    let items = state
        .store
        .list_referrals(&ReferralFilter { task: task.clone(), status, limit: 200, ..Default::default() })
        .await?;
    audit_list(&state, &auth.user.username, "UI", &items).await?;
    let can_work = auth.user.role.can_work_referrals();
    let users = if can_work {
        state.store.list_users().await?.into_iter().filter(|u| u.active).map(|u| u.username).collect()
    } else {
        Vec::new()
    };
    let view = View { task: task.as_deref(), status, can_work, csrf: auth.csrf(), users };
    Ok(layout::page("Referrals", &auth.chrome(), Nav::Referrals, render(&items, &view)))
}

/// `POST /referrals/{id}/transitions`: one move from the page's forms, then back to the list
/// with the same filters.
pub async fn transition(
    State(state): State<AppState>,
    auth: Signed<WorkReferrals>,
    UiPath(id): UiPath<i64>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let field = |name: &str| form.get(name).map(str::to_string).filter(|v| !v.trim().is_empty());
    let input = ReferralTransitionInput {
        to: form.get("to").and_then(|t| t.parse().ok()),
        assignee: field("assignee"),
        agency: field("agency"),
        reference: field("reference"),
        note: field("note"),
        reason: field("reason"),
    };
    let version = form.get("version").and_then(|v| v.parse::<i64>().ok());
    state.store.move_referral(&auth.actor(), id, action(input)?, version, None).await?;
    let back = form.get("back").filter(|b| b.starts_with("/referrals")).unwrap_or("/referrals");
    Ok(Redirect::to(&format!("{back}#referral-{id}")).into_response())
}

/// Where a form returns to: the list with the filters in use.
fn back(view: &View<'_>) -> String {
    let mut q = Vec::new();
    if let Some(t) = view.task {
        q.push(format!("task={t}"));
    }
    if let Some(s) = view.status {
        q.push(format!("status={s}"));
    }
    if q.is_empty() { "/referrals".into() } else { format!("/referrals?{}", q.join("&")) }
}

/// The list and its filter (pure, for tests).
pub fn render(items: &[Referral], view: &View<'_>) -> Markup {
    let (task, status) = (view.task, view.status);
    html! {
        h1 { "Referrals" }
        p.hint { "Tasks raised by questionnaire results (e.g. a high DASH raises a MARAC referral), newest first. "
            "Open → accepted (assigned) → sent to the partner agency, or declined with a reason. Keys: "
            kbd { "s" } " status filter; " kbd { "Tab" } " to a task's " em { "Move on" } ", " kbd { "Enter" } " opens it." }
        form.filters method="get" action="/referrals" {
            div.field {
                label for="f-status" { "Status" }
                select #f-status name="status" data-key="s" {
                    option value="" selected[status.is_none()] { "Any status" }
                    @for s in ReferralStatus::ALL { option value=(s.as_str()) selected[status == Some(s)] { (s.label()) } }
                }
            }
            div.field {
                label for="f-task" { "Task" }
                select #f-task name="task" {
                    option value="" selected[task.is_none()] { "All tasks" }
                    @for (v, l) in TASKS { option value=(v) selected[task == Some(v)] { (l) } }
                }
            }
            button type="submit" { "Filter" }
        }
        @if items.is_empty() {
            p.muted #referrals-empty { "No referrals match." }
        } @else {
            table.list #referrals {
                caption.visually-hidden { "Referrals" }
                thead { tr { th scope="col" { "Raised" } th scope="col" { "Contact" } th scope="col" { "Questionnaire" }
                    th scope="col" { "Level" } th scope="col" { "Task" } th scope="col" { "By" } th scope="col" { "Status" }
                    @if view.can_work { th scope="col" { "Move on" } } } }
                tbody {
                    @for r in items {
                        tr id={ "referral-" (r.id) } {
                            td { time datetime=(format::iso(r.raised_at)) { (format::stamp(r.raised_at)) } }
                            td { a href={ "/contacts/" (r.reference) } { (r.reference) } }
                            td { (r.questionnaire.to_uppercase()) }
                            td { (r.level) }
                            td { (r.text) }
                            td { (r.raised_by) }
                            td { (status_cell(r)) }
                            @if view.can_work { td { (moves(r, view)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The status with who holds it and what happened.
fn status_cell(r: &Referral) -> Markup {
    html! {
        span class={ "status st-" (r.status.as_str()) } { (r.status.label()) }
        @if let Some(who) = &r.assigned_to { br; span.muted { "Assigned to " (who) } }
        @if let (Some(agency), Some(reference)) = (&r.agency, &r.agency_reference) {
            br; span.muted { "To " (agency) ", ref " (reference) }
        }
        @if let Some(note) = &r.note { br; span.muted { (note) } }
        @if let (Some(by), Some(at)) = (&r.updated_by, r.updated_at) {
            br; span.muted { "by " (by) " " (format::stamp(at)) }
        }
    }
}

/// The hidden fields every move carries.
fn common(r: &Referral, view: &View<'_>, to: ReferralStatus) -> Markup {
    html! {
        input type="hidden" name=(CSRF_FIELD) value=(view.csrf);
        input type="hidden" name="to" value=(to.as_str());
        input type="hidden" name="version" value=(r.version);
        input type="hidden" name="back" value=(back(view));
    }
}

/// The forms for the moves open to this task now.
fn moves(r: &Referral, view: &View<'_>) -> Markup {
    if r.status.is_final() {
        return html! { span.muted { "Done" } };
    }
    let id = r.id;
    let action = format!("/referrals/{id}/transitions");
    html! {
        details.move-on {
            summary { "Move on" }
            form.action method="post" action=(action) {
                (common(r, view, ReferralStatus::Accepted))
                div.field {
                    label for={ "assignee-" (id) } { @if r.status == ReferralStatus::Open { "Accept and assign to" } @else { "Reassign to" } }
                    select id={ "assignee-" (id) } name="assignee" required {
                        @for u in &view.users {
                            @if r.assigned_to.as_deref() != Some(u.as_str()) { option value=(u) { (u) } }
                        }
                    }
                }
                button type="submit" { @if r.status == ReferralStatus::Open { "Accept" } @else { "Reassign" } }
            }
            @if r.status == ReferralStatus::Accepted {
                form.action method="post" action=(action) {
                    (common(r, view, ReferralStatus::Sent))
                    div.field {
                        label for={ "agency-" (id) } { "Sent to (agency)" }
                        input id={ "agency-" (id) } type="text" name="agency" required maxlength="200" autocomplete="off";
                    }
                    div.field {
                        label for={ "reference-" (id) } { "Their reference" }
                        input id={ "reference-" (id) } type="text" name="reference" required maxlength="200" autocomplete="off";
                    }
                    div.field {
                        label for={ "note-" (id) } { "Note (optional)" }
                        input id={ "note-" (id) } type="text" name="note" maxlength="2000" autocomplete="off";
                    }
                    button type="submit" { "Mark sent" }
                }
            }
            form.action method="post" action=(action) {
                (common(r, view, ReferralStatus::Declined))
                div.field {
                    label for={ "reason-" (id) } { "Decline: reason (required)" }
                    input id={ "reason-" (id) } type="text" name="reason" required minlength="3" maxlength="2000" autocomplete="off";
                }
                button.secondary type="submit" { "Decline" }
            }
        }
    }
}
