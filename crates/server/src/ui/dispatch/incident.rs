//! The incident screen, `/incidents/{reference}`: details with live attendance, the log, linked
//! contacts, recommended units each with an assign button (keys 1–5), and forms for a remark, a
//! status move, closing and reopening. Forms post, then redirect back; a refused action re-renders
//! the screen with the reason and changes nothing.

use crate::AppState;
use crate::auth::permission::{Dispatch, ReadIncidents};
use crate::dispatch::{self, UnitRecommendation};
use crate::error::ApiError;
use crate::ui::auth::Signed;
use crate::ui::error::UiError;
use crate::ui::form::{CSRF_FIELD, Form};
use crate::ui::format;
use crate::ui::layout::{self, Nav};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use fc_domain::incident::{IncidentCloseInput, IncidentResult};
use fc_domain::{Incident, IncidentStatus};
use fc_store::incidents::IncidentEntry;
use maud::{Markup, html};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/incidents/{reference}", get(show)).route("/incidents/{reference}/act", post(act))
}

fn hidden(csrf: &str, action: &str) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(csrf); input type="hidden" name="action" value=(action); }
}

fn recommendations(i: &Incident, recs: &[UnitRecommendation], csrf: &str) -> Markup {
    html! {
        section aria-labelledby="h-recs" {
            h2 #h-recs { "Recommended units" }
            @if recs.is_empty() { p.muted { "No suitable available unit (or the incident has no point on the map)." } }
            ol.recs {
                @for (n, r) in recs.iter().enumerate() {
                    li {
                        form.action method="post" action={ "/incidents/" (i.reference) "/act" } data-shortcut=(n + 1) {
                            (hidden(csrf, "assign"))
                            input type="hidden" name="call_sign" value=(r.call_sign);
                            button type="submit" { "Assign " (r.call_sign) " " kbd { (n + 1) } }
                        }
                        " " strong { (r.unit_type.label()) } " — about " (r.eta_minutes.ceil()) " min. "
                        span.muted { (r.reasons.join("; ")) }
                    }
                }
            }
        }
    }
}

fn forms(i: &Incident, csrf: &str, categories: &fc_domain::incident::CategoryList) -> Markup {
    let r = i.reference.to_string();
    html! {
        section.actions aria-labelledby="h-act" {
            h2 #h-act { "Actions" }
            form.action method="post" action={ "/incidents/" (r) "/act" } {
                (hidden(csrf, "remark"))
                div.field { label for="remark" { "Remark" } input #remark type="text" name="text" required autocomplete="off"; }
                button type="submit" { "Add remark" }
            }
            @if i.status.is_open() {
                form.action method="post" action={ "/incidents/" (r) "/act" } {
                    (hidden(csrf, "status"))
                    div.field {
                        label for="status-to" { "Status" }
                        select #status-to name="to" {
                            @for s in [IncidentStatus::Open, IncidentStatus::Resourced, IncidentStatus::AtScene] {
                                option value=(s.as_str()) selected[s == i.status] { (s.label()) }
                            }
                        }
                    }
                    button.secondary type="submit" { "Change status" }
                }
                form.action method="post" action={ "/incidents/" (r) "/act" } {
                    (hidden(csrf, "close"))
                    div.field {
                        label for="close-category" { "Closing classification" }
                        select #close-category name="category" required {
                            @for c in categories.categories() { option value=(c.code) selected[c.code == i.category] { (c.code) " — " (c.name) } }
                        }
                    }
                    div.field {
                        label for="close-result" { "Result" }
                        select #close-result name="result" required {
                            @for x in IncidentResult::ALL { option value=(x.as_str()) { (x.label()) } }
                        }
                    }
                    button type="submit" { "Close incident" }
                }
            } @else {
                form.action method="post" action={ "/incidents/" (r) "/act" } {
                    (hidden(csrf, "reopen"))
                    div.field { label for="reopen-reason" { "Reason for reopening" } input #reopen-reason type="text" name="reason" required; }
                    button type="submit" { "Reopen" }
                }
            }
        }
    }
}

fn log_list(log: &[IncidentEntry]) -> Markup {
    html! {
        section aria-labelledby="h-log" {
            h2 #h-log { "Log" }
            ol.log {
                @for e in log {
                    li {
                        time datetime=(format::iso(e.at)) { (format::stamp(e.at)) } " "
                        span.actor { (e.actor) } " "
                        span.what { (e.kind.replace('_', " ")) }
                        @if let Some(t) = e.data.get("text").and_then(|t| t.as_str()) { ": " (t) }
                        @if let Some(c) = e.data.get("call_sign").and_then(|t| t.as_str()) { ": " (c) }
                        @if let Some(c) = e.data.get("contact").and_then(|t| t.as_str()) { ": " a href={ "/contacts/" (c) } { (c) } }
                        @if let Some(c) = e.data.get("reason").and_then(|t| t.as_str()) { ": " (c) }
                        @if let Some(c) = e.data.get("result").and_then(|t| t.as_str()) { ": " (c.replace('_', " ")) }
                    }
                }
            }
        }
    }
}

async fn screen(
    state: &AppState,
    auth: &Signed<ReadIncidents>,
    reference: &str,
    problem: Option<&str>,
) -> Result<Markup, UiError> {
    let i = state.store.get_incident(reference).await?;
    let log = state.store.incident_log(reference).await?;
    let contacts = state.store.incident_contacts(reference).await?;
    let can_act = auth.user.role.can_dispatch();
    let recs =
        if can_act && i.status.is_open() { dispatch::recommendations(state, &i).await? } else { Vec::new() };
    let v = dispatch::view(state, i, Utc::now());
    let i = &v.incident;
    let main = html! {
        div.page-head {
            h1 { (i.reference) }
            span class={ "grade g" (i.grade.number()) } { (i.grade) }
            span.badge { (i.status.label()) }
            @if v.attendance.breached { span.badge.late-tag { "Past attendance target" } }
        }
        @if let Some(p) = problem {
            div.error-summary #error-summary role="alert" tabindex="-1" { h2 { "That action was not carried out" } p { (p) } }
        }
        div.contact-grid {
            div {
                dl.details {
                    div.pair { dt { "Category" } dd { (i.category) } }
                    div.pair { dt { "Summary" } dd { (i.summary) } }
                    div.pair { dt { "Qualifiers" } dd { @for q in &i.qualifiers { span.flag { (q.label()) } " " } } }
                    div.pair { dt { "Location" } dd { (i.location_text.clone().unwrap_or_default()) @if let Some(p) = i.location { " (" (format!("{:.5}, {:.5}", p.lat, p.lon)) ")" } } }
                    div.pair { dt { "Raised" } dd { (format::stamp(i.created_at)) " by " (i.created_by) } }
                    div.pair { dt { "Attendance" } dd {
                        (format::waited(v.attendance.elapsed_seconds))
                        @if let Some(t) = v.attendance.target_seconds { " of " (t / 60) " min target" }
                        @if v.attendance.attended { " (attended)" }
                    } }
                    div.pair { dt { "THRIVE" } dd { (i.thrive) } }
                    div.pair { dt { "Contacts" } dd { @for c in &contacts { a href={ "/contacts/" (c) } { (c) } " " } } }
                    @if let Some(c) = &i.closing_category { div.pair { dt { "Closed as" } dd { (c) " — " (i.result.map(|r| r.label()).unwrap_or_default()) } } }
                }
                @if can_act && i.status.is_open() { (recommendations(i, &recs, auth.csrf())) }
            }
            div {
                @if can_act { (forms(i, auth.csrf(), &state.config.dispatch.categories)) }
                (log_list(&log))
            }
        }
    };
    Ok(layout::page(&i.reference.to_string(), &auth.chrome(), Nav::Other, main))
}

async fn show(
    State(state): State<AppState>,
    auth: Signed<ReadIncidents>,
    Path(reference): Path<String>,
) -> Result<Markup, UiError> {
    screen(&state, &auth, &reference, None).await
}

async fn act(
    State(state): State<AppState>,
    auth: Signed<ReadIncidents>,
    _dispatch: Signed<Dispatch>,
    Path(reference): Path<String>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let actor = auth.actor();
    let s = &state.store;
    let result: Result<(), ApiError> = async {
        match form.text("action").as_str() {
            "assign" => s.assign_unit(&actor, &reference, &form.text("call_sign")).await.map(|_| ())?,
            "remark" => s.add_incident_remark(&actor, &reference, form.text("text")).await.map(|_| ())?,
            "status" => {
                let to: IncidentStatus = form.text("to").parse()?;
                s.transition_incident(&actor, &reference, to, None, None).await.map(|_| ())?
            }
            "close" => {
                let result: IncidentResult = form.text("result").parse()?;
                let c = IncidentCloseInput { category: form.text("category"), result, note: None }
                    .validate(&state.config.dispatch.categories)
                    .map_err(ApiError::Validation)?;
                s.close_incident(&actor, &reference, c, None).await.map(|_| ())?
            }
            "reopen" => s.reopen_incident(&actor, &reference, form.text("reason"), None).await.map(|_| ())?,
            _ => return Err(ApiError::BadRequest("unknown action".into())),
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/incidents/{reference}")).into_response()),
        Err(ApiError::NotFound(m)) if m.contains("incident") => Err(ApiError::NotFound(m).into()),
        Err(
            e @ (ApiError::Validation(_)
            | ApiError::Unprocessable(_)
            | ApiError::Conflict(_)
            | ApiError::NotFound(_)
            | ApiError::BadRequest(_)),
        ) => {
            let message = match &e {
                ApiError::Validation(errors) => {
                    errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ")
                }
                other => other.to_string(),
            };
            let page = screen(&state, &auth, &reference, Some(&message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
