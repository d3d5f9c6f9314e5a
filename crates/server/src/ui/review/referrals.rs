//! `/referrals`: referral tasks raised by questionnaire results (MARAC, stalking, health),
//! newest first, filtered by task kind.

use crate::AppState;
use crate::api::assessment::questionnaires::audit_list;
use crate::auth::permission::ReviewTriage;
use crate::ui::auth::Signed;
use crate::ui::error::UiError;
use crate::ui::format;
use crate::ui::layout::{self, Nav};
use axum::extract::{Query, State};
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
}

/// The page.
pub async fn page(
    State(state): State<AppState>,
    auth: Signed<ReviewTriage>,
    Query(q): Query<ReferralsQuery>,
) -> Result<Markup, UiError> {
    let task = q.task.filter(|t| !t.is_empty());
    let items = state
        .store
        .list_referrals(&ReferralFilter { task: task.clone(), limit: 200, ..Default::default() })
        .await?;
    audit_list(&state, &auth.user.username, "UI", &items).await?;
    Ok(layout::page("Referrals", &auth.chrome(), Nav::Referrals, render(&items, task.as_deref())))
}

/// The list and its filter (pure, for tests).
pub fn render(items: &[Referral], task: Option<&str>) -> Markup {
    html! {
        h1 { "Referrals" }
        p.hint { "Tasks raised by questionnaire results (e.g. a high DASH raises a MARAC referral), newest first." }
        form.filters method="get" action="/referrals" {
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
                    th scope="col" { "Level" } th scope="col" { "Task" } th scope="col" { "By" } th scope="col" { "Status" } } }
                tbody {
                    @for r in items {
                        tr {
                            td { time datetime=(format::iso(r.raised_at)) { (format::stamp(r.raised_at)) } }
                            td { a href={ "/contacts/" (r.reference) } { (r.reference) } }
                            td { (r.questionnaire.to_uppercase()) }
                            td { (r.level) }
                            td { (r.text) }
                            td { (r.raised_by) }
                            td { (r.status) }
                        }
                    }
                }
            }
        }
    }
}
