//! `/wellbeing`: staff wellbeing for people. A handler sees their own exposure to distressing
//! contacts (this shift, this week, a chart per day) and the prompts it raised; a supervisor sees
//! every handler at a glance, opens one (audited) and records a check-in with a keyboard-reachable
//! form. The break prompt after a severe contact also appears above the queue
//! ([`break_prompt`]).

use super::auth::Signed;
use super::error::{UiError, UiPath};
use super::form::{CSRF_FIELD, Form};
use super::format;
use super::layout::{self, Nav};
use crate::AppState;
use crate::auth::permission::{SeeOwnWellbeing, SupportStaff};
use crate::error::ApiError;
use crate::wellbeing::{self, HandlerWellbeing};
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use fc_demand::chart::{Axis, Chart, Series, Style, render_svg};
use fc_domain::{CheckInOutcome, HandlerState};
use fc_store::wellbeing::NewCheckIn;
use fc_wellbeing::{Level, Summary, Totals};
use maud::{Markup, PreEscaped, html};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/wellbeing", get(page))
        .route("/wellbeing/{username}", get(one))
        .route("/wellbeing/{username}/check-ins", post(check_in))
}

/// Supervisors get everyone; everyone else who takes contacts gets their own figures.
async fn page(State(state): State<AppState>, auth: Signed<SeeOwnWellbeing>) -> Result<Markup, UiError> {
    let now = Utc::now();
    if auth.user.role.can_support_staff() {
        let team = wellbeing::team(&state, now).await?;
        wellbeing::audit_views(
            &state,
            &auth.actor(),
            team.iter().map(|w| w.username.as_str()),
            "wellbeing overview (UI)",
        )
        .await?;
        return Ok(layout::page("Staff wellbeing", &auth.chrome(), Nav::Wellbeing, team_view(&team)));
    }
    let mine = wellbeing::for_handler(&state, &auth.user.username, now).await?;
    let main = html! {
        h1 { "Your wellbeing" }
        p.hint { "Only you and your supervisors see this page. It counts the contacts you answered that "
            "were distressing or severe, and how long you spent on them." }
        (detail(&mine, None))
    };
    Ok(layout::page("Your wellbeing", &auth.chrome(), Nav::Wellbeing, main))
}

/// One handler, for a supervisor (audited), or the handler's own page under their name.
async fn one(
    State(state): State<AppState>,
    auth: Signed<SeeOwnWellbeing>,
    UiPath(username): UiPath<String>,
) -> Result<Markup, UiError> {
    let view =
        wellbeing::for_viewer(&state, &auth.actor(), &username, Utc::now(), "wellbeing figures (UI)").await?;
    let supports = auth.user.role.can_support_staff();
    let form = supports.then(|| check_in_form(&view, auth.csrf()));
    let main = html! {
        p { a href="/wellbeing" { "← Staff wellbeing" } }
        h1 { (view.display_name) " " span.muted { "(" (view.username) ")" } }
        (detail(&view, form))
    };
    Ok(layout::page(&format!("Wellbeing: {}", view.display_name), &auth.chrome(), Nav::Wellbeing, main))
}

/// `POST /wellbeing/{username}/check-ins`: the supervisor's check-in, then back to the handler.
async fn check_in(
    State(state): State<AppState>,
    auth: Signed<SupportStaff>,
    UiPath(username): UiPath<String>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let outcome: CheckInOutcome = form.text("outcome").parse().map_err(ApiError::from)?;
    let note = form.get("note").map(str::to_string);
    let contact = form.get("contact").map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    let new = NewCheckIn { handler: username.clone(), contact, outcome, note };
    state.store.record_check_in(&auth.actor(), new, None).await?;
    state.wellbeing.due.forget();
    Ok(Redirect::to(&format!("/wellbeing/{username}#check-ins")).into_response())
}

/// The banner above the queue after a severe contact: a break is suggested, one key away.
pub fn break_prompt(view: &HandlerWellbeing, csrf: &str) -> Option<Markup> {
    let prompt = view.summary.break_prompt.as_ref()?;
    if view.state == HandlerState::Break || view.state.transition(HandlerState::Break).is_err() {
        return None;
    }
    Some(html! {
        section #break-prompt.notice role="status" aria-label="A break" {
            p {
                strong { "That was a hard contact" } " (" a href={ "/contacts/" (prompt.after_contact) } { (prompt.after_contact) } "). "
                "Take a few minutes away from the phones before the next one, until "
                time datetime=(format::iso(prompt.until)) { (format::clock(prompt.until)) } ". "
                "Your supervisor has been told."
            }
            form.inline method="post" action="/handler/state" {
                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                input type="hidden" name="state" value=(HandlerState::Break.as_str());
                button #break-now type="submit" data-key="b" { "Take a break " kbd { "b" } }
            }
        }
    })
}

/// Everyone at a glance, the ones needing a check-in first.
pub fn team_view(team: &[HandlerWellbeing]) -> Markup {
    let mut rows: Vec<&HandlerWellbeing> = team.iter().collect();
    rows.sort_by_key(|w| {
        (std::cmp::Reverse(w.summary.status), w.summary.check_in_due.as_ref().map(|d| d.since))
    });
    let due = team.iter().filter(|w| w.summary.check_in_due.is_some()).count();
    html! {
        h1 { "Staff wellbeing" }
        p.hint { "Exposure to distressing and severe contacts, this shift (last 12 hours) and this week. "
            "Only supervisors and the person see these figures; opening someone's page is audited." }
        p #wellbeing-status.status role="status" {
            @if due == 0 { "No check-ins due." } @else { (due) " check-in" @if due > 1 { "s" } " due." }
        }
        table.list #wellbeing-team {
            caption.visually-hidden { "Handlers' wellbeing" }
            thead { tr {
                th scope="col" { "Handler" } th scope="col" { "Status" } th scope="col" { "State" }
                th scope="col" { "Shift: distressing / severe" } th scope="col" { "Shift minutes" }
                th scope="col" { "Week: distressing / severe" } th scope="col" { "Week minutes" }
                th scope="col" { "Check-in" }
            } }
            tbody { @for w in rows {
                tr id={ "handler-" (w.username) } {
                    th scope="row" { a id={ "wb-" (w.username) } href={ "/wellbeing/" (w.username) } { (w.display_name) } }
                    td { (status_badge(&w.summary)) }
                    td { (w.state.label()) }
                    td { (w.summary.shift.distressing) " / " (w.summary.shift.severe) }
                    td { (w.summary.shift.high_harm_minutes) }
                    td { (w.summary.week.distressing) " / " (w.summary.week.severe) }
                    td { (w.summary.week.high_harm_minutes) @if w.summary.heavy_week { " " span.tag { "heavy week" } } }
                    td { @match &w.summary.check_in_due {
                        Some(d) => { strong { "Due" } " since " time datetime=(format::iso(d.since)) { (format::stamp(d.since)) } }
                        None => { @match w.check_ins.first() {
                            Some(c) => { span.muted { (c.outcome.label()) ", " (format::stamp(c.recorded_at)) } }
                            None => { span.muted { "–" } }
                        } }
                    } }
                }
            } }
        }
    }
}

fn status_badge(s: &Summary) -> Markup {
    html! { span class={ "status wb-" (s.status.as_str()) } { (s.status.label()) } }
}

fn totals_row(label: &str, t: &Totals) -> Markup {
    html! {
        tr {
            th scope="row" { (label) }
            td { (t.contacts) } td { (t.distressing) } td { (t.severe) } td { (t.high_harm_minutes) }
        }
    }
}

/// Exposure per UK day this week, as bars (counts) with the minutes as a line.
fn chart(s: &Summary) -> String {
    render_svg(&Chart {
        title: "Distressing and severe contacts per day, and minutes spent on them".into(),
        x_labels: s.days.iter().map(|d| d.day.format("%a %d").to_string()).collect(),
        y_label: "contacts".into(),
        y2: Some((
            "minutes".into(),
            0.0,
            s.days.iter().map(|d| d.high_harm_minutes as f64).fold(60.0, f64::max),
        )),
        series: vec![
            Series {
                name: "distressing".into(),
                values: s.days.iter().map(|d| f64::from(d.distressing)).collect(),
                style: Style::Bars,
                axis: Axis::Left,
                color: "#ee7733".into(),
            },
            Series {
                name: "severe".into(),
                values: s.days.iter().map(|d| f64::from(d.severe)).collect(),
                style: Style::Bars,
                axis: Axis::Left,
                color: "#cc3311".into(),
            },
            Series {
                name: "minutes".into(),
                values: s.days.iter().map(|d| d.high_harm_minutes as f64).collect(),
                style: Style::Line,
                axis: Axis::Right,
                color: "#0077bb".into(),
            },
        ],
        reference: None,
        width: 720,
        height: 260,
    })
}

/// One handler's figures, prompts, contacts and check-ins (pure, for tests).
pub fn detail(w: &HandlerWellbeing, form: Option<Markup>) -> Markup {
    let s = &w.summary;
    html! {
        p { "Status: " (status_badge(s)) " · now " (w.state.label()) }
        @if let Some(d) = &s.check_in_due {
            div.notice #check-in-due role="status" {
                p { strong { "A supervisor check-in is due" } " (since "
                    time datetime=(format::iso(d.since)) { (format::stamp(d.since)) } "): " (d.reasons.join("; ")) "." }
            }
        }
        @if let Some(b) = &s.break_prompt {
            p.notice { "A break is suggested after " a href={ "/contacts/" (b.after_contact) } { (b.after_contact) }
                ", until " time datetime=(format::iso(b.until)) { (format::clock(b.until)) } "." }
        }
        table.measures #wellbeing-totals {
            caption { "Exposure" }
            thead { tr { th scope="col" { "" } th scope="col" { "Contacts answered" } th scope="col" { "Distressing" }
                th scope="col" { "Severe" } th scope="col" { "Minutes on them" } } }
            tbody { (totals_row("This shift", &s.shift)) (totals_row("This week", &s.week)) }
        }
        figure { (PreEscaped(chart(s))) figcaption.visually-hidden { "Distressing and severe contacts per day this week, and minutes spent on them" } }
        @if let Some(form) = form { (form) }
        h2 { "This week's distressing and severe contacts" }
        @if w.exposures.is_empty() {
            p.muted #exposures-empty { "None this week." }
        } @else {
            table.list #exposures {
                caption.visually-hidden { "Distressing and severe contacts" }
                thead { tr { th scope="col" { "Answered" } th scope="col" { "Contact" } th scope="col" { "Channel" }
                    th scope="col" { "Level" } th scope="col" { "Why it counts" } } }
                tbody { @for e in &w.exposures {
                    tr {
                        td { time datetime=(format::iso(e.answered_at)) { (format::stamp(e.answered_at)) } }
                        td { a href={ "/contacts/" (e.reference) } { (e.reference) } }
                        td { (e.channel.label()) }
                        td { span class={ "status wb-" (if e.level == Level::Severe { "red" } else { "amber" }) } { (e.level.label()) } }
                        td { (e.reasons.join("; ")) }
                    }
                } }
            }
        }
        h2 #check-ins { "Check-ins this week" }
        @if w.check_ins.is_empty() {
            p.muted { "None recorded." }
        } @else {
            ul.check-ins { @for c in &w.check_ins {
                li {
                    time datetime=(format::iso(c.recorded_at)) { (format::stamp(c.recorded_at)) } " · "
                    strong { (c.outcome.label()) } " · by " (c.recorded_by)
                    @if let Some(contact) = &c.contact { " · after " a href={ "/contacts/" (contact) } { (contact) } }
                    @if let Some(note) = &c.note { br; span.muted { (note) } }
                }
            } }
        }
    }
}

/// The supervisor's check-in form, prefilled with the contact that made it due.
fn check_in_form(w: &HandlerWellbeing, csrf: &str) -> Markup {
    let contact = w.summary.check_in_due.as_ref().and_then(|d| d.contact.clone()).unwrap_or_default();
    html! {
        form.panel #check-in-form method="post" action={ "/wellbeing/" (w.username) "/check-ins" } {
            h2 { "Record a check-in" }
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            div.field {
                label for="ci-outcome" { "Outcome" }
                select #ci-outcome name="outcome" required {
                    @for o in CheckInOutcome::ALL { option value=(o.as_str()) { (o.label()) } }
                }
            }
            div.field {
                label for="ci-contact" { "After contact (optional)" }
                input #ci-contact type="text" name="contact" value=(contact) autocomplete="off";
            }
            div.field {
                label for="ci-note" { "Note (optional, at most 2,000 characters)" }
                textarea #ci-note name="note" rows="2" maxlength="2000" {}
            }
            button type="submit" { "Record check-in" }
        }
    }
}
