//! `/reports`: the national answer-time return as a table with an SVG chart, for supervisors and
//! analysts, with a link to the same figures as CSV from the API. Aggregates only.

use super::auth::Signed;
use super::error::UiError;
use super::layout::{self, Nav};
use crate::AppState;
use crate::auth::permission::ReadReports;
use crate::demand::report::{self, AnswerTimeRow};
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use chrono::{Datelike, Utc};
use fc_demand::chart::{Axis, Chart, Series, Style, render_svg};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/reports", get(page))
}

/// `?from=YYYY-MM&to=YYYY-MM`; both default to the current month.
#[derive(Debug, Deserialize)]
pub struct ReportForm {
    from: Option<String>,
    to: Option<String>,
}

fn chart(rows: &[AnswerTimeRow]) -> String {
    let r999: Vec<&AnswerTimeRow> = rows.iter().filter(|r| r.channel == "999").collect();
    render_svg(&Chart {
        title: "999 calls by month and share answered in under 10 s".into(),
        x_labels: r999.iter().map(|r| r.month.clone()).collect(),
        y_label: "calls".into(),
        y2: Some(("answered under 10 s %".into(), 0.0, 100.0)),
        series: vec![
            Series {
                name: "999 calls answered".into(),
                values: r999.iter().map(|r| r.calls_answered as f64).collect(),
                style: Style::Bars,
                axis: Axis::Left,
                color: "#0077bb".into(),
            },
            Series {
                name: "under 10 s %".into(),
                values: r999.iter().map(|r| 100.0 * r.share_under_10s).collect(),
                style: Style::Line,
                axis: Axis::Right,
                color: "#228833".into(),
            },
        ],
        reference: Some((90.0, "target 90%".into(), Axis::Right)),
        width: 900,
        height: 320,
    })
}

/// The table of rows.
pub fn table(rows: &[AnswerTimeRow]) -> Markup {
    html! {
        table.measures {
            caption { "Answer times by month: 999 from BT's connection to answer; 101 wait to answer" }
            thead { tr {
                th scope="col" { "Force" } th scope="col" { "Month" } th scope="col" { "Channel" } th scope="col" { "Offered" }
                th scope="col" { "Answered" } th scope="col" { "Mean answer (s)" } th scope="col" { "Under 10 s" }
                th scope="col" { "10 to under 60 s" } th scope="col" { "60 s or more" } th scope="col" { "Abandoned" }
            } }
            tbody { @for r in rows {
                tr {
                    td { (r.force) } th scope="row" { (r.month) } td { (r.channel) } td { (r.calls_offered) } td { (r.calls_answered) }
                    td { (format!("{:.1}", r.mean_answer_secs)) }
                    td { (r.answered_under_10s) " (" (format!("{:.1}%", 100.0 * r.share_under_10s)) ")" }
                    td { (r.answered_10_to_60s) " (" (format!("{:.1}%", 100.0 * r.share_10_to_60s)) ")" }
                    td { (r.answered_60s_or_more) " (" (format!("{:.1}%", 100.0 * r.share_60s_or_more)) ")" }
                    td { (r.abandoned) " (" (format!("{:.1}%", 100.0 * r.abandonment_rate)) ")" }
                }
            } }
        }
    }
}

async fn page(
    State(state): State<AppState>,
    auth: Signed<ReadReports>,
    Query(q): Query<ReportForm>,
) -> Result<Markup, UiError> {
    let now = Utc::now();
    let this_month = format!("{:04}-{:02}", now.year(), now.month());
    let from_s = q.from.filter(|s| !s.is_empty()).unwrap_or_else(|| this_month.clone());
    let to_s = q.to.filter(|s| !s.is_empty()).unwrap_or(this_month);
    let result = match (report::parse_month("from", &from_s), report::parse_month("to", &to_s)) {
        (Ok(f), Ok(t)) => report::compute(&state.store, &state.config.force_name, f, t).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    let main = html! {
        h1 { "Answer-time report" }
        form.filter method="get" action="/reports" {
            label for="from" { "From month (YYYY-MM)" }
            input #from name="from" value=(from_s) pattern="[0-9]{4}-[0-9]{2}" inputmode="numeric";
            label for="to" { "To month (YYYY-MM)" }
            input #to name="to" value=(to_s) pattern="[0-9]{4}-[0-9]{2}" inputmode="numeric";
            button type="submit" { "Show" }
        }
        @match &result {
            Ok(rows) => {
                p { a href={ "/api/v1/reports/answer-times?format=csv&from=" (from_s) "&to=" (to_s) } { "Download as CSV" }
                    " — aggregate figures with no personal data, so not an audited disclosure." }
                figure { (PreEscaped(chart(rows))) figcaption.visually-hidden { "999 calls and share under 10 seconds by month" } }
                (table(rows))
            }
            Err(e) => {
                div #error-summary.error-summary role="alert" tabindex="-1" {
                    h2 { "There is a problem" }
                    p { (e.to_string()) ": use YYYY-MM for both months, `to` not before `from`, at most " (report::MAX_MONTHS) " months." }
                }
            }
        }
    };
    Ok(layout::page("Reports", &auth.chrome(), Nav::Reports, main))
}
