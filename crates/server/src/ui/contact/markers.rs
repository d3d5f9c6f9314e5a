//! Markers on the contact screen (the force's one list, shared with person markers): one
//! checkbox per marker in the list, ticked where set (with who and when); saving sets the newly
//! ticked and clears the unticked, each as its own log entry, with one note for why (required
//! when a marker is cleared, as for person markers).

use crate::AppState;
use crate::auth::permission::WriteContacts;
use crate::error::ApiError;
use crate::ui::auth::Signed;
use crate::ui::error::UiError;
use crate::ui::form::{CSRF_FIELD, Form};
use crate::ui::format;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use fc_domain::Contact;
use fc_store::contacts::markers::MarkerState;
use fc_triage::MarkerList;
use maud::{Markup, html};

/// The markers section.
pub fn section(c: &Contact, list: &MarkerList, set: &[MarkerState], can_write: bool, csrf: &str) -> Markup {
    let on = |code: &str| set.iter().find(|m| m.code == code);
    html! {
        section.markers aria-labelledby="h-markers" {
            h3 #h-markers { "Markers (vulnerability, warning, pattern)" }
            @if can_write && !c.status.is_terminal() {
                form.markers method="post" action={ "/contacts/" (c.reference) "/markers" } {
                    input type="hidden" name=(CSRF_FIELD) value=(csrf);
                    fieldset.group {
                        legend.visually-hidden { "Markers on this contact" }
                        @for m in &list.markers {
                            div.check {
                                input type="checkbox" id={ "marker-" (m.code) } name="marker" value=(m.code) checked[on(&m.code).is_some()];
                                label for={ "marker-" (m.code) } {
                                    (m.label)
                                    @if let Some(s) = on(&m.code) { span.muted { " — set by " (s.set_by) " at " (format::stamp(s.set_at)) } }
                                }
                            }
                        }
                    }
                    (removed(list, set))
                    div.field {
                        label for="marker-note" { "Why (recorded with each change; required to clear one)" }
                        input #marker-note type="text" name="note" autocomplete="off";
                    }
                    button type="submit" { "Save markers" }
                }
            } @else {
                @if set.is_empty() { p.muted { "None." } }
                ul { @for s in set { li { (list.get(&s.code).map_or(s.code.as_str(), |m| m.label.as_str())) " — " (s.set_by) " at " (format::stamp(s.set_at)) } } }
            }
        }
    }
}

/// Markers set with a code the force has since removed from its list: shown (label = code) but
/// not offered as checkboxes, and left alone when the form is saved.
fn removed(list: &MarkerList, set: &[MarkerState]) -> Markup {
    let gone: Vec<&MarkerState> = set.iter().filter(|s| list.get(&s.code).is_none()).collect();
    html! {
        @if !gone.is_empty() {
            p.muted { "Also set (no longer on the force's list): "
                @for (i, s) in gone.iter().enumerate() {
                    @if i > 0 { ", " } (s.code) " — " (s.set_by) " at " (format::stamp(s.set_at))
                }
            }
        }
    }
}

/// `POST /contacts/{reference}/markers`: applies the difference, then back to the screen. Only
/// codes on the list (the checkboxes shown) are cleared by being unticked.
pub async fn save(
    State(state): State<AppState>,
    auth: Signed<WriteContacts>,
    Path(reference): Path<String>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let wanted: Vec<&str> = form.all("marker").collect();
    for code in &wanted {
        crate::api::assessment::markers::known(&state, code)?;
    }
    let note = Some(form.text("note"));
    let now = state.store.contact_markers(&reference).await?;
    let listed = |code: &str| state.triage.markers().get(code).is_some();
    let clearing = now.iter().any(|m| listed(&m.code) && !wanted.contains(&m.code.as_str()));
    if clearing && form.text("note").trim().chars().count() < 3 {
        // Clearing a marker removes a warning the next handler would have seen: say why, as
        // clearing a person marker requires.
        return Err(ApiError::Validation(vec![fc_domain::FieldError {
            field: "note".into(),
            message: "say why you clear a marker (3 characters or more)".into(),
        }])
        .into());
    }
    for code in wanted.iter().filter(|c| !now.iter().any(|m| m.code == **c)) {
        state
            .store
            .change_marker(&auth.actor(), &reference, code, true, note.clone())
            .await
            .map_err(ApiError::from)?;
    }
    for m in now.iter().filter(|m| listed(&m.code) && !wanted.contains(&m.code.as_str())) {
        state
            .store
            .change_marker(&auth.actor(), &reference, &m.code, false, note.clone())
            .await
            .map_err(ApiError::from)?;
    }
    Ok(Redirect::to(&format!("/contacts/{reference}#h-markers")).into_response())
}
