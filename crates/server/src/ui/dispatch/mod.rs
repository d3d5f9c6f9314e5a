//! The dispatcher's view, `/dispatch`: open incidents by grade and age (past-target ones
//! highlighted), units by status, and a map of both, kept live over SSE (the script re-fetches the
//! server-rendered fragment after each committed change or breach). Lists are capped so the page
//! stays usable with thousands of open incidents; the map draws them all.

mod contact_panel;
mod incident;
mod map;

pub use contact_panel::contact_panel;

use super::auth::Signed;
use super::error::UiError;
use super::format;
use super::layout::{self, Nav};
use crate::AppState;
use crate::auth::permission::ReadIncidents;
use crate::dispatch::{self, IncidentView};
use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use chrono::Utc;
use fc_domain::{Grade, Unit, UnitStatus};
use futures::Stream;
use maud::{Markup, html};
use std::convert::Infallible;

/// Most incident rows listed; the rest are counted and mapped.
const LIST_LIMIT: usize = 150;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dispatch", get(page))
        .route("/ui/dispatch", get(fragment))
        .route("/ui/dispatch/events", get(events))
        .merge(incident::router())
        .merge(contact_panel::router())
}

fn incident_rows(items: &[IncidentView]) -> Markup {
    let now = Utc::now();
    html! {
        table.queue {
            caption.visually-hidden { "Open incidents, most urgent first" }
            thead { tr {
                th scope="col" { "Incident" } th scope="col" { "Grade" } th scope="col" { "Category" }
                th scope="col" { "Summary" } th scope="col" { "Status" } th scope="col" { "Age" } th scope="col" { "Target" }
            } }
            tbody {
                @for v in items.iter().take(LIST_LIMIT) {
                    @let i = &v.incident;
                    tr class=[v.attendance.breached.then_some("late")] {
                        th scope="row" { a href={ "/incidents/" (i.reference) } { (i.reference) } }
                        td { span class={ "grade g" (i.grade.number()) } { (i.grade.number()) } }
                        td { (i.category) }
                        td { (i.summary) }
                        td { (i.status.label()) }
                        td { (format::waited((now - i.created_at).num_seconds())) }
                        td {
                            @match v.attendance.target_seconds {
                                None => span.muted { "none" },
                                Some(t) => {
                                    @if v.attendance.breached { strong { "past target" } " (" (t / 60) " min)" }
                                    @else if v.attendance.attended { "met (" (t / 60) " min)" }
                                    @else { (format::waited(t - v.attendance.elapsed_seconds)) " left" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if items.len() > LIST_LIMIT {
            p.muted { "Showing the " (LIST_LIMIT) " most urgent of " (items.len()) " open incidents; all are on the map." }
        }
    }
}

fn unit_summary(units: &[Unit]) -> Markup {
    html! {
        ul.counts aria-label="Units by status" {
            @for s in UnitStatus::ALL {
                @let n = units.iter().filter(|u| u.status == *s).count();
                @if n > 0 { li.chip { (s.label()) ": " strong { (n) } } }
            }
        }
        details {
            summary { "Units (" (units.len()) ")" }
            table.queue {
                thead { tr { th scope="col" { "Call sign" } th scope="col" { "Type" } th scope="col" { "Status" } th scope="col" { "Incident" } th scope="col" { "Station" } } }
                tbody {
                    @for u in units.iter().take(300) {
                        tr {
                            th scope="row" { (u.call_sign) }
                            td { (u.unit_type.label()) }
                            td { (u.status.label()) }
                            td { @if let Some(r) = u.incident { a href={ "/incidents/" (r) } { (r) } } }
                            td { (u.home_station) }
                        }
                    }
                }
            }
        }
    }
}

/// The replaceable part of the dispatcher's view.
pub fn board(items: &[IncidentView], units: &[Unit]) -> Markup {
    let breached = items.iter().filter(|v| v.attendance.breached).count();
    let pairs: Vec<(&fc_domain::Incident, bool)> =
        items.iter().map(|v| (&v.incident, v.attendance.breached)).collect();
    let summary = format!(
        "{} open incidents, {breached} past target; {} units available.",
        items.len(),
        units.iter().filter(|u| u.status == UnitStatus::Available).count()
    );
    html! {
        div #dispatch-body data-summary=(summary) {
            ul.counts aria-label="Open incidents by grade" {
                @for g in Grade::ALL {
                    li class={ "chip grade-chip g" (g.number()) } { (g) ": " strong { (items.iter().filter(|v| v.incident.grade == g).count()) } }
                }
                li.chip { "Past target: " strong { (breached) } }
            }
            div.dispatch-grid {
                div { h2 { "Open incidents" } (incident_rows(items)) }
                div { h2 { "Map" } (map::map(&pairs, units)) h2 { "Units" } (unit_summary(units)) }
            }
        }
    }
}

async fn load(state: &AppState) -> Result<(Vec<IncidentView>, Vec<Unit>), UiError> {
    let items = dispatch::open_incidents(state, dispatch::MAX_OPEN).await?;
    let units = state.store.list_units(None).await?;
    Ok((items, units))
}

async fn page(State(state): State<AppState>, auth: Signed<ReadIncidents>) -> Result<Markup, UiError> {
    let (items, units) = load(&state).await?;
    let main = html! {
        div.page-head { h1 { "Dispatch" } }
        p #dispatch-status.status role="status" aria-live="polite" {}
        div #dispatch data-src="/ui/dispatch" data-events="/ui/dispatch/events" { (board(&items, &units)) }
    };
    Ok(layout::page("Dispatch", &auth.chrome(), Nav::Other, main))
}

async fn fragment(State(state): State<AppState>, _auth: Signed<ReadIncidents>) -> Result<Markup, UiError> {
    let (items, units) = load(&state).await?;
    Ok(board(&items, &units))
}

async fn events(
    State(state): State<AppState>,
    _auth: Signed<ReadIncidents>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    Sse::new(crate::api::units::dispatch_stream(state)).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fc_domain::incident::{Area, Attendance};
    use fc_domain::{GeoPoint, Incident, IncidentRef, IncidentStatus};

    fn incident(n: u32) -> IncidentView {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let now = Utc::now();
        IncidentView {
            incident: Incident {
                reference: IncidentRef::new(day, n)
                    .unwrap_or_else(|_| IncidentRef::new(day, 1).expect("ref")),
                status: IncidentStatus::Open,
                category: "CRM-THEFT".into(),
                qualifiers: vec![],
                grade: Grade::try_from((n % 4 + 1) as u8).unwrap_or(Grade::Priority),
                area: Area::Urban,
                location_text: None,
                location: GeoPoint::parse(
                    53.35 + f64::from(n % 300) * 0.001,
                    -2.6 + f64::from(n % 500) * 0.001,
                    None,
                )
                .ok(),
                summary: format!("Theft <{n}>"),
                thrive: String::new(),
                closing_category: None,
                result: None,
                created_by: "h".into(),
                created_at: now,
                first_at_scene_at: None,
                closed_at: None,
                reopened: 0,
                updated_at: now,
                version: 1,
            },
            attendance: Attendance {
                target_seconds: Some(900),
                elapsed_seconds: 1000,
                attended: false,
                breached: n.is_multiple_of(7),
            },
        }
    }

    #[test]
    fn two_thousand_open_incidents_list_a_page_and_map_them_all() {
        let items: Vec<IncidentView> = (1..=2000).map(incident).collect();
        let html = board(&items, &[]).into_string();
        assert_eq!(html.matches("<circle").count(), 2000, "every incident is on the map");
        assert_eq!(
            html.matches("<th scope=\"row\"><a href=\"/incidents/").count(),
            LIST_LIMIT,
            "the list is capped"
        );
        assert!(html.contains("all are on the map"));
        assert!(
            html.contains("Theft &lt;7&gt;") && !html.contains("Theft <7>"),
            "summaries are escaped, in the list and the map"
        );
        assert_eq!(html.matches(" breach\"").count(), 2000 / 7, "breaches are marked on the map");
    }
}
