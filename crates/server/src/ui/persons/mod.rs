//! Single citizen view pages: the person profile (`/persons/{ref}`), setting markers, and the link
//! review queue (`/link-reviews`) where handlers and supervisors decide, keyboard first (1–5 pick
//! a candidate, 0 a new person, r the reason, Enter decides). Every profile shown is audited.

mod pairs;
mod render;

pub use render::{contact_banner, contact_panel};

use super::auth::Signed;
use super::error::{UiError, UiPath};
use super::form::{CSRF_FIELD, Form};
use super::layout::{self, Nav};
use crate::AppState;
use crate::api::persons::{load_contact_person, load_profile};
use crate::auth::permission::{LinkPersons, MergePersons, ReadPersons};
use crate::error::ApiError;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fc_domain::FieldError;
use fc_store::persons::Decision;
use maud::{Markup, html};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/persons/{reference}", get(profile))
        .route("/persons/{reference}/markers", post(set_marker))
        .route("/persons/{reference}/markers/{id}/clear", post(clear_marker))
        .route("/persons/{reference}/merge", post(merge))
        .route("/persons/{reference}/split", post(split))
        .route("/person-links/{id}/undo", post(undo))
        .route("/link-reviews", get(reviews))
        .route("/link-reviews/{id}/decision", post(decide))
        .merge(pairs::router())
}

async fn profile(
    State(state): State<AppState>,
    auth: Signed<ReadPersons>,
    Path(reference): Path<String>,
) -> Result<Markup, UiError> {
    let p = load_profile(&state, &auth.actor(), &reference, "UI person profile").await?;
    let powers =
        render::Powers { link: auth.user.role.can_link_persons(), merge: auth.user.role.can_merge_persons() };
    let main = render::profile_main(&p, powers, auth.csrf(), state.triage.markers());
    Ok(layout::page(&p.reference, &auth.chrome(), Nav::Other, main))
}

fn invalid(field: &str, message: &str) -> UiError {
    ApiError::Validation(vec![FieldError { field: field.into(), message: message.into() }]).into()
}

async fn set_marker(
    State(state): State<AppState>,
    auth: Signed<LinkPersons>,
    Path(reference): Path<String>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let code = form.text("code");
    crate::api::persons::known_marker(&state, &code)?;
    state.store.set_marker(&auth.actor(), &reference, &code, &form.text("note"), None).await?;
    Ok(Redirect::to(&format!("/persons/{reference}")).into_response())
}

/// `POST /persons/{ref}/markers/{id}/clear`: clears one marker with the reason given (required);
/// the store logs and audits it like setting one.
async fn clear_marker(
    State(state): State<AppState>,
    auth: Signed<LinkPersons>,
    UiPath((reference, id)): UiPath<(String, i64)>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    state.store.clear_marker(&auth.actor(), &reference, id, &form.text("reason")).await?;
    Ok(Redirect::to(&format!("/persons/{reference}#h-markers")).into_response())
}

async fn reviews(State(state): State<AppState>, auth: Signed<LinkPersons>) -> Result<Markup, UiError> {
    let pending = state.store.list_link_reviews("pending", 10).await?;
    let mut items = Vec::new();
    for r in &pending {
        let contact = state.store.view_contact(&auth.actor(), &r.contact, "UI link review queue").await?;
        let cp = load_contact_person(&state, &auth.actor(), &r.contact).await?;
        items.push((r.id, contact, cp));
    }
    let csrf = auth.csrf();
    let main = html! {
        h1 { "Link reviews" }
        @if auth.user.role.can_merge_persons() {
            p { a href="/person-pairs" { "Possible same person: pairs of persons to merge or keep apart" } }
        }
        p { (pending.len()) " contacts waiting for a person to decide who the caller is."
            " Keys on the first review: " kbd { "1" } "–" kbd { "5" } " choose a candidate, " kbd { "0" } " someone new, "
            kbd { "r" } " the reason, " kbd { "Enter" } " decide." }
        @for (i, (id, contact, cp)) in items.iter().enumerate() {
            section.review id={ "review-" (id) } aria-labelledby={ "h-review-" (id) } {
                h2 id={ "h-review-" (id) } { "Contact " a href={ "/contacts/" (contact.reference) } { (contact.reference) }
                    " " (render::channel_badge(contact.channel)) }
                p { "Caller gave: "
                    (contact.caller.name.clone().unwrap_or_else(|| "no name".into()))
                    @if let Some(d) = contact.caller.date_of_birth { ", born " (d.to_string()) }
                    @if let Some(p) = &contact.caller.phone { ", phone " (p) }
                    @if let Some(p) = &contact.caller.postcode { ", " (p.to_string()) } }
                (render_candidates(cp))
                form.action method="post" action={ "/link-reviews/" (id) "/decision" } {
                    input type="hidden" name=(CSRF_FIELD) value=(csrf);
                    fieldset {
                        legend { "Who is this caller?" }
                        @for (n, c) in cp.candidates.iter().enumerate() {
                            div.choice {
                                input type="radio" name="choice" value=(c.person) id={ "choice-" (id) "-" (n) } required
                                    data-key=[(i == 0).then(|| (n + 1).to_string())];
                                label for={ "choice-" (id) "-" (n) } { "(" (n + 1) ") " (c.person) }
                            }
                        }
                        div.choice {
                            input type="radio" name="choice" value="new" id={ "choice-" (id) "-new" } data-key=[(i == 0).then_some("0")];
                            label for={ "choice-" (id) "-new" } { "(0) Someone new" }
                        }
                    }
                    div.field {
                        label for={ "reason-" (id) } { "Reason (required)" }
                        input id={ "reason-" (id) } type="text" name="reason" required minlength="3" maxlength="2000"
                            autocomplete="off" data-key=[(i == 0).then_some("r")];
                    }
                    button type="submit" { "Decide" }
                }
            }
        }
    };
    Ok(layout::page("Link reviews", &auth.chrome(), Nav::Other, main))
}

fn render_candidates(cp: &crate::profile::ContactPerson) -> Markup {
    render::candidates(&cp.candidates)
}

async fn decide(
    State(state): State<AppState>,
    auth: Signed<LinkPersons>,
    UiPath(id): UiPath<i64>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let decision = match form.text("choice").as_str() {
        "" => return Err(invalid("choice", "choose a candidate or someone new")),
        "new" => Decision::NewPerson,
        p => Decision::Link(p.to_string()),
    };
    state.store.decide_link_review(&auth.actor(), id, decision, &form.text("reason")).await?;
    Ok(Redirect::to("/link-reviews").into_response())
}

async fn merge(
    State(state): State<AppState>,
    auth: Signed<MergePersons>,
    Path(reference): Path<String>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let from = form.text("from").trim().to_uppercase();
    state.store.merge_persons(&auth.actor(), &from, &reference, &form.text("reason")).await?;
    Ok(Redirect::to(&format!("/persons/{reference}")).into_response())
}

async fn split(
    State(state): State<AppState>,
    auth: Signed<MergePersons>,
    Path(reference): Path<String>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let contacts: Vec<String> = form.all("contact").map(str::to_string).collect();
    let (new, _) =
        state.store.split_person(&auth.actor(), &reference, contacts, &form.text("reason"), None).await?;
    Ok(Redirect::to(&format!("/persons/{}", new.reference)).into_response())
}

async fn undo(
    State(state): State<AppState>,
    auth: Signed<LinkPersons>,
    UiPath(id): UiPath<i64>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let link = state.store.undo_link(&auth.actor(), id, &form.text("reason")).await?;
    Ok(Redirect::to(&format!("/persons/{}", link.person)).into_response())
}
