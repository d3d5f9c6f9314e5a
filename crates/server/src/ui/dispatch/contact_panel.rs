//! On the contact screen: the incidents this contact is linked to, "probably the same incident"
//! suggestions each with a one-key link (keys 1–3), and a form to raise an incident from it with
//! the category pre-selected from the caller's words.

use crate::AppState;
use crate::auth::permission::RaiseIncidents;
use crate::dispatch;
use crate::error::ApiError;
use crate::ui::auth::Signed;
use crate::ui::error::UiError;
use crate::ui::form::{CSRF_FIELD, Form};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use fc_domain::incident::{NewIncidentInput, Qualifier};
use fc_domain::record::LocationInput;
use fc_domain::{Contact, Grade, Role};
use maud::{Markup, html};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/contacts/{reference}/raise-incident", post(raise))
        .route("/contacts/{reference}/link-incident", post(link))
}

/// The panel for the contact screen (empty for roles that cannot raise incidents).
pub async fn contact_panel(state: &AppState, c: &Contact, role: Role, csrf: &str) -> Result<Markup, UiError> {
    if !role.can_raise_incidents() {
        return Ok(html! {});
    }
    let r = c.reference.to_string();
    let linked = state.store.incidents_for_contact(&r).await?;
    let suggestions = dispatch::duplicates_for_contact(state, &r).await?;
    let categories = &state.config.dispatch.categories;
    let hint = fc_dispatch::category_hint(&c.narrative, categories);
    Ok(html! {
        section.incident-panel aria-labelledby="h-incidents" {
            h2 #h-incidents { "Incidents" }
            @if !linked.is_empty() {
                p { "Linked to: " @for i in &linked { a href={ "/incidents/" (i) } { (i) } " " } }
            }
            h3 { "Probably the same incident" }
            @if suggestions.is_empty() { p.muted { "No open incident nearby looks like this one." } }
            ol.recs {
                @for (n, s) in suggestions.iter().enumerate() {
                    li {
                        form.action method="post" action={ "/contacts/" (r) "/link-incident" } data-shortcut=(n + 1) {
                            input type="hidden" name=(CSRF_FIELD) value=(csrf);
                            input type="hidden" name="incident" value=(s.reference);
                            button type="submit" { "Link to " (s.reference) " " kbd { (n + 1) } }
                        }
                        " " a href={ "/incidents/" (s.reference) } { (s.summary) } " (" (s.category) "). "
                        span.muted { (s.reasons.join("; ")) }
                    }
                }
            }
            h3 { "Raise an incident" }
            form.action method="post" action={ "/contacts/" (r) "/raise-incident" } {
                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                div.field {
                    label for="raise-category" { "Opening classification" }
                    select #raise-category name="category" required {
                        @for cat in categories.categories() {
                            option value=(cat.code) selected[hint.as_deref() == Some(cat.code.as_str())] { (cat.code) " — " (cat.name) }
                        }
                    }
                }
                div.field {
                    label for="raise-grade" { "Grade" }
                    select #raise-grade name="grade" {
                        @for g in Grade::ALL { option value=(g.number()) selected[Some(g) == c.grade] { (g) " — " (g.label()) } }
                    }
                }
                div.field {
                    label for="raise-summary" { "Summary" }
                    input #raise-summary type="text" name="summary" required value=(c.narrative.chars().take(120).collect::<String>());
                }
                div.field {
                    label for="raise-thrive" { "THRIVE summary" }
                    textarea #raise-thrive name="thrive" rows="3" {}
                }
                fieldset.field {
                    legend { "Qualifiers" }
                    @for q in Qualifier::ALL {
                        label.check { input type="checkbox" name="qualifiers" value=(q.as_str()); " " (q.label()) }
                    }
                }
                button type="submit" { "Raise incident" }
            }
        }
    })
}

async fn raise(
    State(state): State<AppState>,
    auth: Signed<RaiseIncidents>,
    Path(reference): Path<String>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let c = state.store.get_contact(&reference).await?;
    let grade: Grade = form
        .text("grade")
        .parse::<u8>()
        .ok()
        .and_then(|g| Grade::try_from(g).ok())
        .ok_or_else(|| UiError::from(ApiError::BadRequest("choose a grade".into())))?;
    let qualifiers = form
        .all("qualifiers")
        .map(str::parse)
        .collect::<Result<Vec<Qualifier>, _>>()
        .map_err(ApiError::from)?;
    let input = NewIncidentInput {
        contacts: vec![reference.clone()],
        category: form.text("category"),
        qualifiers,
        grade,
        area: None,
        location_text: c.location_text.clone(),
        location: c.location.map(|l| LocationInput { lat: l.lat, lon: l.lon, radius_m: l.radius_m }),
        summary: form.text("summary"),
        thrive: form.text("thrive"),
    };
    let new = input.validate(&state.config.dispatch.categories).map_err(ApiError::Validation)?;
    let created = state.store.create_incident(&auth.actor(), new, None).await?;
    Ok(Redirect::to(&format!("/incidents/{}", created.incident.reference)).into_response())
}

async fn link(
    State(state): State<AppState>,
    auth: Signed<RaiseIncidents>,
    Path(reference): Path<String>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    state.store.link_contact_to_incident(&auth.actor(), &form.text("incident"), &reference).await?;
    Ok(Redirect::to(&format!("/contacts/{reference}")).into_response())
}
