//! The supervisor's live dashboard at `/dashboard`: waiting per channel with the longest wait,
//! handlers by state, service levels (today, last 60 and 15 minutes) and inline SVG charts of the
//! day by hour. Complete without JavaScript; the page script re-fetches the server-rendered
//! fragment from `/ui/dashboard` after committed changes (SSE on `/ui/events`), at most every few
//! seconds.

use super::auth::Signed;
use super::error::UiError;
use super::format;
use super::layout::{self, Nav};
use crate::AppState;
use crate::auth::permission::SuperviseHandlers;
use crate::demand::dashboard::{self, Dashboard};
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::Utc;
use fc_demand::chart::{Axis, Chart, Series, Style, render_svg};
use fc_domain::{Channel, HandlerState};
use maud::{Markup, PreEscaped, html};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/dashboard", get(page)).route("/ui/dashboard", get(fragment))
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{:.1}%", 100.0 * v))
}

fn secs(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.1} s"))
}

/// The charts of the day: arrivals and 999s answered within 10 s by hour; handlers by state.
fn charts(d: &Dashboard) -> (String, String) {
    let labels: Vec<String> = d
        .hourly
        .hour_starts
        .iter()
        .map(|h| fc_domain::local_time::uk(*h).format("%H:00").to_string())
        .collect();
    let share: Vec<f64> = d
        .hourly
        .arrivals_999
        .iter()
        .zip(&d.hourly.answered_999_within_10s)
        .map(|(a, w)| if *a > 0 { 100.0 * *w as f64 / *a as f64 } else { f64::NAN })
        .collect();
    let arrivals = render_svg(&Chart {
        title: "Contacts by hour today and 999 answered within 10 s".into(),
        x_labels: labels.clone(),
        y_label: "contacts".into(),
        y2: Some(("999 within 10 s %".into(), 0.0, 100.0)),
        series: vec![
            Series {
                name: "contacts offered".into(),
                values: d.hourly.arrivals.iter().map(|v| *v as f64).collect(),
                style: Style::Bars,
                axis: Axis::Left,
                color: "#0077bb".into(),
            },
            Series {
                name: "999 offered".into(),
                values: d.hourly.arrivals_999.iter().map(|v| *v as f64).collect(),
                style: Style::Bars,
                axis: Axis::Left,
                color: "#cc3311".into(),
            },
            Series {
                name: "999 answered within 10 s %".into(),
                values: share,
                style: Style::Line,
                axis: Axis::Right,
                color: "#228833".into(),
            },
        ],
        reference: Some((90.0, "target 90%".into(), Axis::Right)),
        width: 900,
        height: 320,
    });
    let colours = ["#bbbbbb", "#77aadd", "#228833", "#cc3311", "#ee8866", "#aa3377"];
    let states = render_svg(&Chart {
        title: "Handlers by state, average over each hour".into(),
        x_labels: labels,
        y_label: "handlers".into(),
        y2: None,
        series: d
            .hourly
            .states
            .iter()
            .enumerate()
            .filter(|(_, s)| **s != HandlerState::SignedOut)
            .map(|(i, s)| Series {
                name: s.label().into(),
                values: d
                    .hourly
                    .handlers_by_state
                    .iter()
                    .map(|row| row.get(i).copied().unwrap_or(0.0))
                    .collect(),
                style: Style::Step,
                axis: Axis::Left,
                color: colours[i % colours.len()].into(),
            })
            .collect(),
        reference: None,
        width: 900,
        height: 320,
    });
    (arrivals, states)
}

/// The replaceable part of the page. `check_ins_due` is shown to supervisors only (staff
/// wellbeing is theirs and the person's): a count, no names, with a link to the wellbeing page.
pub fn dashboard_fragment(d: &Dashboard, check_ins_due: Option<usize>) -> Markup {
    let (arrivals, states) = charts(d);
    html! {
        div #dashboard-body data-now=(d.generated_at.timestamp_millis()) {
            p.status { "Updated " time datetime=(format::iso(d.generated_at)) { (format::clock(d.generated_at)) } }
            @if let Some(n) = check_ins_due.filter(|n| *n > 0) {
                p.notice #check-ins-due {
                    strong { (n) " wellbeing check-in" @if n > 1 { "s" } " due" }
                    " after severe contacts or heavy shifts: " a href="/wellbeing" { "see staff wellbeing" } "."
                }
            }
            div.tiles {
                section aria-labelledby="waiting-h" {
                    h2 #waiting-h { "Waiting now" }
                    @if d.waiting.is_empty() { p.empty { "No contacts waiting." } } @else {
                        table { thead { tr { th scope="col" { "Channel" } th scope="col" { "Waiting" } th scope="col" { "Longest wait" } } }
                            tbody { @for w in &d.waiting {
                                tr class={ "ch-" (w.channel.as_str()) @if w.channel == Channel::Emergency999 && w.longest_wait_secs > 10 { " late" } } {
                                    th scope="row" { (w.channel.label()) } td { (w.waiting) } td { (format::waited(w.longest_wait_secs)) }
                                }
                            } }
                        }
                    }
                }
                section aria-labelledby="handlers-h" {
                    h2 #handlers-h { "Handlers now" }
                    table { tbody { @for s in &d.handlers { @if s.state != HandlerState::SignedOut {
                        tr { th scope="row" { (s.state.label()) } td { (s.handlers) } }
                    } } } }
                }
            }
            section aria-labelledby="sl-h" {
                h2 #sl-h { "Service levels" }
                table.measures {
                    caption.visually-hidden { "Service levels by period and channel" }
                    thead { tr {
                        th scope="col" { "Period" } th scope="col" { "Channel" } th scope="col" { "Offered" } th scope="col" { "Answered" }
                        th scope="col" { "Within 10 s" } th scope="col" { "Mean answer / first response" } th scope="col" { "90th percentile" }
                        th scope="col" { "Abandoned" }
                    } }
                    tbody { @for p in &d.periods { @for c in &p.channels {
                        tr {
                            th scope="row" { (match p.name.as_str() { "today" => "Today", "last_60_min" => "Last 60 min", _ => "Last 15 min" }) }
                            td { (c.channel.label()) }
                            td { (c.measures.offered) } td { (c.measures.answered) }
                            td { @if c.channel == Channel::Emergency999 { (pct(c.measures.share_within)) } @else { "–" } }
                            td { (secs(c.measures.mean_answer_secs)) } td { (secs(c.measures.p90_answer_secs)) }
                            td { (pct(c.measures.abandonment_rate)) }
                        }
                    } } }
                }
            }
            figure { (PreEscaped(arrivals)) figcaption.visually-hidden { "Contacts by hour and share of 999 calls answered within 10 seconds" } }
            figure { (PreEscaped(states)) figcaption.visually-hidden { "Handlers by state by hour" } }
        }
    }
}

async fn page(State(state): State<AppState>, auth: Signed<SuperviseHandlers>) -> Result<Markup, UiError> {
    let now = Utc::now();
    let d = dashboard::compute(&state.store, now).await?;
    let due = check_ins_due(&state, &auth, now).await;
    let main = html! {
        h1 { "Dashboard" }
        p { "999 answer time runs from BT's connection to the answer; national target 90% within 10 seconds." }
        div #dashboard data-src="/ui/dashboard" data-events="/ui/events" aria-live="off" { (dashboard_fragment(&d, due)) }
    };
    Ok(layout::page("Dashboard", &auth.chrome(), Nav::Dashboard, main))
}

async fn fragment(State(state): State<AppState>, auth: Signed<SuperviseHandlers>) -> Result<Markup, UiError> {
    let now = Utc::now();
    let d = dashboard::compute(&state.store, now).await?;
    Ok(dashboard_fragment(&d, check_ins_due(&state, &auth, now).await))
}

/// For supervisors, how many wellbeing check-ins are due; the dashboard still shows if the count
/// cannot be worked out (the failure is logged).
async fn check_ins_due(
    state: &AppState,
    auth: &Signed<SuperviseHandlers>,
    now: chrono::DateTime<Utc>,
) -> Option<usize> {
    if !auth.user.role.can_support_staff() {
        return None;
    }
    match state.wellbeing.due.get(state, now).await {
        Ok(n) => Some(n),
        Err(e) => {
            tracing::warn!(error = %e, "counting the wellbeing check-ins due for the dashboard failed");
            None
        }
    }
}
