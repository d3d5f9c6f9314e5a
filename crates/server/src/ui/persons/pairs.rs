//! The possible-same-person queue (`/person-pairs`): two persons side by side — what each has
//! given us, how often they call, their markers — with the evidence that they may be one, and the
//! supervisor's decision (keep A, keep B, or keep apart) with a reason. Keys on the first pair:
//! `a`/`b` merge into that person, `k` keep apart, `r` the reason. Every profile shown is audited.

use super::render;
use crate::AppState;
use crate::api::persons::load_profile;
use crate::auth::permission::MergePersons;
use crate::profile::PersonProfile;
use crate::ui::auth::Signed;
use crate::ui::error::{UiError, UiPath};
use crate::ui::form::{CSRF_FIELD, Form};
use crate::ui::layout::{self, Nav};
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fc_store::persons::{PairDecision, PairReview};
use fc_triage::markers::MarkerList;
use maud::{Markup, html};
use serde_json::Value;

/// Pairs shown on one page: each costs two audited profile reads.
const PAGE: u32 = 10;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/person-pairs", get(queue)).route("/person-pairs/{id}/decision", post(decide))
}

async fn queue(State(state): State<AppState>, auth: Signed<MergePersons>) -> Result<Markup, UiError> {
    let pending = state.store.list_pair_reviews("pending", PAGE).await?;
    let mut items = Vec::with_capacity(pending.len());
    for r in pending {
        let why = "UI possible same person review";
        let a = load_profile(&state, &auth.actor(), &r.person_a, why).await?;
        let b = load_profile(&state, &auth.actor(), &r.person_b, why).await?;
        items.push((r, a, b));
    }
    let csrf = auth.csrf();
    let main = html! {
        h1 { "Possible same person" }
        p { (items.len()) " pairs waiting (at most " (PAGE) " shown). Each pair is two person records the evidence says may be one. "
            "Merging moves every contact and marker to the person kept; the other stays on record as merged. "
            "Keys on the first pair: " kbd { "a" } " or " kbd { "b" } " keep that person, " kbd { "k" } " keep apart, "
            kbd { "r" } " the reason, " kbd { "Enter" } " decide." }
        @if items.is_empty() { p.muted { "Nothing waiting." } }
        @for (i, (r, a, b)) in items.iter().enumerate() {
            (pair(i == 0, r, (a, b), csrf, state.triage.markers()))
        }
    };
    Ok(layout::page("Possible same person", &auth.chrome(), Nav::Other, main))
}

fn pair(
    first: bool,
    r: &PairReview,
    (a, b): (&PersonProfile, &PersonProfile),
    csrf: &str,
    codes: &MarkerList,
) -> Markup {
    let key = |k: &'static str| first.then_some(k);
    html! {
        section.review id={ "pair-" (r.id) } aria-labelledby={ "h-pair-" (r.id) } {
            h2 id={ "h-pair-" (r.id) } {
                a href={ "/persons/" (a.reference) } { (a.reference) } " and " a href={ "/persons/" (b.reference) } { (b.reference) }
                " " span.muted { "weight " (format!("{:.1}", r.weight)) " · " (source_label(&r.source)) }
            }
            div.side-by-side {
                (person_column("A", a, codes))
                (person_column("B", b, codes))
            }
            (evidence(&r.evidence))
            form.action method="post" action={ "/person-pairs/" (r.id) "/decision" } {
                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                fieldset {
                    legend { "Are they one person?" }
                    div.choice {
                        input type="radio" name="choice" value=(a.reference) id={ "pair-" (r.id) "-a" } required data-key=[key("a")];
                        label for={ "pair-" (r.id) "-a" } { "(a) One person: keep " (a.reference) }
                    }
                    div.choice {
                        input type="radio" name="choice" value=(b.reference) id={ "pair-" (r.id) "-b" } data-key=[key("b")];
                        label for={ "pair-" (r.id) "-b" } { "(b) One person: keep " (b.reference) }
                    }
                    div.choice {
                        input type="radio" name="choice" value="apart" id={ "pair-" (r.id) "-k" } data-key=[key("k")];
                        label for={ "pair-" (r.id) "-k" } { "(k) Two people: keep apart" }
                    }
                }
                div.field {
                    label for={ "pair-reason-" (r.id) } { "Reason (required)" }
                    input id={ "pair-reason-" (r.id) } type="text" name="reason" required minlength="3" maxlength="2000"
                        autocomplete="off" data-key=[key("r")];
                }
                button type="submit" { "Decide" }
            }
        }
    }
}

fn source_label(source: &str) -> &'static str {
    match source {
        "realtime" => "one contact matched both",
        "batch" => "held back by the anti-chaining guard",
        _ => "other evidence",
    }
}

fn person_column(label: &str, p: &PersonProfile, codes: &MarkerList) -> Markup {
    let markers: Vec<_> = p.active_markers().collect();
    html! {
        div.person-column {
            h3 { (label) ": " a href={ "/persons/" (p.reference) } { (p.reference) } }
            dl {
                @for v in &p.identity {
                    dt { (v.field) } dd { (v.value) " " span.muted { "(" (v.sources.len()) " contacts)" } }
                }
            }
            (render::repeat_line(&p.repeat))
            (render::markers(&markers, codes))
        }
    }
}

fn evidence(e: &Value) -> Markup {
    html! {
        details {
            summary { "Evidence" }
            @if let Some(c) = e["contact"].as_str() {
                p { "Contact " a href={ "/contacts/" (c) } { (c) } " matched both above the link threshold." }
                h4 { "Against A" } (render::explanation(&e["a"]["explanation"]))
                h4 { "Against B" } (render::explanation(&e["b"]["explanation"]))
            }
            @if let Some(held) = e["held_by"].as_str() {
                p { (held) }
                @if let Some(cs) = e["contacts"].as_array() {
                    p { "Contacts: " @for c in cs { @if let Some(c) = c.as_str() { a href={ "/contacts/" (c) } { (c) } " " } } }
                }
                (render::explanation(&e["explanation"]))
            }
        }
    }
}

async fn decide(
    State(state): State<AppState>,
    auth: Signed<MergePersons>,
    UiPath(id): UiPath<i64>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let decision = match form.text("choice").as_str() {
        "" => return Err(super::invalid("choice", "choose a person to keep, or keep them apart")),
        "apart" => PairDecision::KeepApart,
        p => PairDecision::Merge { survivor: p.to_string() },
    };
    state.store.decide_pair_review(&auth.actor(), id, decision, &form.text("reason")).await?;
    Ok(Redirect::to("/person-pairs").into_response())
}
