//! `/overrides`: grade overrides, newest first, filtered by handler and direction.

use crate::AppState;
use crate::auth::permission::ReviewTriage;
use crate::ui::auth::Signed;
use crate::ui::error::UiError;
use crate::ui::format;
use crate::ui::layout::{self, Nav};
use axum::extract::{Query, State};
use fc_store::audit::{AuditAction, AuditEntry};
use fc_store::contacts::grading::{GradeOverride, OverrideFilter};
use maud::{Markup, html};
use serde::Deserialize;

/// The filter form's fields (all optional; unknown ones ignored so old bookmarks still work).
#[derive(Debug, Default, Deserialize)]
pub struct OverridesQuery {
    /// Handler username.
    pub actor: Option<String>,
    /// "downgrade", "upgrade" or empty.
    pub direction: Option<String>,
    /// Older than this entry (paging).
    pub before: Option<i64>,
}

const PAGE: u32 = 50;

/// The page.
pub async fn page(
    State(state): State<AppState>,
    auth: Signed<ReviewTriage>,
    Query(q): Query<OverridesQuery>,
) -> Result<Markup, UiError> {
    let direction = q.direction.as_deref().filter(|d| matches!(*d, "downgrade" | "upgrade"));
    let actor = q.actor.as_deref().map(str::trim).filter(|a| !a.is_empty());
    let filter = OverrideFilter {
        actor: actor.map(str::to_string),
        downgrades: direction.map(|d| d == "downgrade"),
        limit: PAGE,
        before: q.before,
    };
    let items = state.store.list_overrides(&filter).await?;
    state
        .store
        .audit(vec![AuditEntry {
            actor: auth.user.username.clone(),
            action: AuditAction::Consultation,
            record_type: "contact".into(),
            record_id: "overrides".into(),
            detail: format!(
                "UI reviewed {} grade overrides: {}",
                items.len(),
                items.iter().map(|o| o.reference.as_str()).collect::<Vec<_>>().join(" ")
            ),
            justification: None,
        }])
        .await?;
    let next = (items.len() == PAGE as usize).then(|| items.last().map(|o| o.id)).flatten();
    let main = render(&items, actor, direction, next);
    Ok(layout::page("Grade overrides", &auth.chrome(), Nav::Overrides, main))
}

/// Percent-encodes a query value (maud escapes HTML, not URLs).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The list and its filter form (pure, for tests).
pub fn render(
    items: &[GradeOverride],
    actor: Option<&str>,
    direction: Option<&str>,
    next: Option<i64>,
) -> Markup {
    html! {
        h1 { "Grade overrides" }
        p.hint { "Decisions where the handler chose a different grade from the recommended one, newest first. \
                  Downgrades (less urgent than recommended) are the riskier direction." }
        form.filters method="get" action="/overrides" {
            div.field {
                label for="f-actor" { "Handler (username)" }
                input #f-actor type="text" name="actor" value=(actor.unwrap_or_default()) autocomplete="off";
            }
            div.field {
                label for="f-direction" { "Direction" }
                select #f-direction name="direction" {
                    option value="" selected[direction.is_none()] { "Both" }
                    option value="downgrade" selected[direction == Some("downgrade")] { "Downgrades only" }
                    option value="upgrade" selected[direction == Some("upgrade")] { "Upgrades only" }
                }
            }
            button type="submit" { "Filter" }
        }
        @if items.is_empty() {
            p.muted #overrides-empty { "No overrides match." }
        } @else {
            table.list #overrides {
                caption.visually-hidden { "Grade overrides" }
                thead { tr { th scope="col" { "When" } th scope="col" { "Contact" } th scope="col" { "Handler" }
                    th scope="col" { "Recommended" } th scope="col" { "Chosen" } th scope="col" { "Reason" } } }
                tbody {
                    @for o in items {
                        tr class=[o.downgrade.then_some("downgrade")] {
                            td { time datetime=(format::iso(o.at)) { (format::stamp(o.at)) } }
                            td { a href={ "/contacts/" (o.reference) } { (o.reference) } }
                            td { (o.actor) }
                            td { "Grade " (o.recommended.number()) }
                            td { "Grade " (o.grade.number()) @if o.downgrade { " " strong.tag { "downgrade" } } }
                            td { (o.reason) }
                        }
                    }
                }
            }
        }
        @if let Some(before) = next {
            p { a href={ "/overrides?before=" (before)
                @if let Some(a) = actor { "&actor=" (encode(a)) }
                @if let Some(d) = direction { "&direction=" (d) } } { "Older overrides" } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use fc_domain::Grade;

    #[test]
    fn downgrades_are_marked_and_filters_kept() {
        let o = GradeOverride {
            id: 7,
            reference: "FC-20261123-000001".into(),
            at: Utc::now(),
            actor: "h.jones".into(),
            recommended: Grade::Emergency,
            grade: Grade::Scheduled,
            reason: "<script>".into(),
            downgrade: true,
            rules_version: "default@1".into(),
        };
        let html = render(&[o], Some("h j"), Some("downgrade"), Some(7)).into_string();
        assert!(html.contains("<tr class=\"downgrade\">"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("value=\"downgrade\" selected"));
        assert!(html.contains("before=7&amp;actor=h%20j&amp;direction=downgrade"), "{html}");
        assert!(render(&[], None, None, None).into_string().contains("No overrides match."));
    }
}
