//! `/plan`: the coming week's forecast and Erlang A staffing per 15-minute interval from stored
//! history, per channel, with `fc_demand`'s plan chart, for supervisors and analysts.

use super::auth::Signed;
use super::error::UiError;
use super::layout::{self, Nav};
use crate::AppState;
use crate::auth::permission::ReadReports;
use crate::demand::plan::{self, Plan};
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::Utc;
use maud::{Markup, PreEscaped, html};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/plan", get(page))
}

/// The plan's content.
pub fn plan_body(p: &Plan) -> Markup {
    html! {
        p { "Fitted to " (p.history_weeks) " week(s) of history (" (format!("{:.0}", p.history_contacts)) " contacts) ending "
            (fc_domain::local_time::uk(p.start).format("%a %d %b %H:%M %Z")) ". "
            @if p.history_weeks < 2 { strong { "Little history is stored yet: the forecast repeats what there is." } } }
        @for c in &p.channels {
            section aria-labelledby={ "plan-" (c.channel.as_str()) } {
                h2 id={ "plan-" (c.channel.as_str()) } { (c.channel.label()) }
                p { "Target " (format!("{:.0}%", 100.0 * c.target.share)) " answered within " (format!("{:.0}", c.target.threshold_secs)) " s; "
                    (c.model) "; mean handle time " (format!("{:.0}", c.handle_secs)) " s. Forecast for the week: "
                    (format!("{:.0}", c.forecast.iter().sum::<f64>())) " contacts; peak " (c.required.iter().max().copied().unwrap_or(0))
                    " handlers." }
                figure { (PreEscaped(c.svg.clone())) figcaption.visually-hidden { "Forecast contacts and handlers required per 15 minutes" } }
            }
        }
    }
}

async fn page(State(state): State<AppState>, auth: Signed<ReadReports>) -> Result<Markup, UiError> {
    let p = plan::compute(&state.store, Utc::now()).await?;
    let main = html! { h1 { "Staffing plan: the coming week" } (plan_body(&p)) };
    Ok(layout::page("Plan", &auth.chrome(), Nav::Plan, main))
}
