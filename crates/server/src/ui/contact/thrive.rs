//! The THRIVE form on the contact screen: the six elements in order (Tab walks T, H, R, I, V, E:
//! each judgement then its notes), each with the prompts the handler should consider, pre-filled
//! from the current version so a reassessment starts from it. Opened with the `t` shortcut (or
//! the browser's access key plus T without JavaScript). Saving records a new version, never an
//! overwrite; earlier versions are listed under the form.

use super::screen;
use crate::AppState;
use crate::api::assessment::thrive::{ElementInput, ThriveInput};
use crate::auth::permission::WriteContacts;
use crate::error::ApiError;
use crate::ui::auth::Signed;
use crate::ui::error::UiError;
use crate::ui::form::{CSRF_FIELD, Form};
use crate::ui::format;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fc_domain::{Contact, FieldError};
use fc_triage::thrive::{Scale, guide};
use fc_triage::{Judgement, ThriveElement, ThriveRecord};
use maud::{Markup, html};

fn choices(scale: Scale) -> &'static [(Judgement, &'static str)] {
    match scale {
        Scale::Level => &[
            (Judgement::NotAssessed, "Not assessed"),
            (Judgement::None, "None"),
            (Judgement::Low, "Low"),
            (Judgement::Medium, "Medium"),
            (Judgement::High, "High"),
        ],
        Scale::YesNo => {
            &[(Judgement::NotAssessed, "Not assessed"), (Judgement::Yes, "Yes"), (Judgement::No, "No")]
        }
    }
}

/// What to pre-fill: a refused form as typed, else the current version, else nothing.
fn prefill(
    kept: Option<&ThriveInput>,
    current: Option<&ThriveRecord>,
    e: ThriveElement,
) -> (Judgement, String) {
    if let Some(k) = kept {
        let i: &ElementInput = match e {
            ThriveElement::Threat => &k.threat,
            ThriveElement::Harm => &k.harm,
            ThriveElement::Risk => &k.risk,
            ThriveElement::Investigation => &k.investigation,
            ThriveElement::Vulnerability => &k.vulnerability,
            ThriveElement::Engagement => &k.engagement,
        };
        return (i.judgement, i.notes.clone());
    }
    current.map_or((Judgement::NotAssessed, String::new()), |c| {
        let entry = c.assessment.entry(e);
        (entry.judgement, entry.notes.clone())
    })
}

/// One version in words: "T high · H medium ...".
fn summary(r: &ThriveRecord) -> String {
    ThriveElement::ALL
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e.as_str().chars().next().unwrap_or('?').to_ascii_uppercase(),
                r.assessment.entry(*e).judgement.as_str().replace('_', " ")
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The THRIVE section: current version, the form (for writers) and earlier versions.
pub fn section(
    c: &Contact,
    versions: &[ThriveRecord],
    can_write: bool,
    csrf: &str,
    kept: Option<&ThriveInput>,
    errors: &[FieldError],
) -> Markup {
    let current = versions.last();
    let error = |field: String| errors.iter().find(|e| e.field == field).map(|e| e.message.clone());
    html! {
        details.thrive #thrive open[kept.is_some()] {
            summary accesskey="t" aria-keyshortcuts="t" {
                "THRIVE assessment "
                @match current {
                    Some(r) => { span.muted { "(version " (r.version) ": " (summary(r)) ")" } }
                    None => { span.muted { "(not yet assessed)" } }
                }
                " " kbd { "t" }
            }
            @if can_write && !c.status.is_terminal() {
                form.thrive method="post" action={ "/contacts/" (c.reference) "/thrive" } {
                    input type="hidden" name=(CSRF_FIELD) value=(csrf);
                    @for g in guide() {
                        @let name = g.element.as_str();
                        @let (judgement, notes) = prefill(kept, current, g.element);
                        @let j_error = error(format!("{name}.judgement"));
                        @let n_error = error(format!("{name}.notes"));
                        fieldset.group.thrive-element {
                            legend { kbd { (g.letter) } " " (g.label) }
                            ul.prompts id={ "thrive-" (name) "-prompts" } { @for p in g.prompts { li { (p) } } }
                            div.field class=[j_error.as_ref().map(|_| "has-error")] {
                                label for={ "thrive-" (name) } { (g.label) ": judgement" }
                                @if let Some(e) = &j_error {
                                    p.field-error id={ "thrive-" (name) "-error" } { span.visually-hidden { "Error: " } (e) }
                                }
                                select id={ "thrive-" (name) } name={ (name) ".judgement" }
                                    aria-invalid=[j_error.as_ref().map(|_| "true")]
                                    aria-describedby={ "thrive-" (name) "-prompts" @if j_error.is_some() { " thrive-" (name) "-error" } } {
                                    @for (j, label) in choices(g.scale) {
                                        option value=(j.as_str()) selected[*j == judgement] { (label) }
                                    }
                                }
                            }
                            div.field class=[n_error.as_ref().map(|_| "has-error")] {
                                label for={ "thrive-" (name) "-notes" } { (g.label) ": notes" }
                                @if let Some(e) = &n_error {
                                    p.field-error id={ "thrive-" (name) "-notes-error" } { span.visually-hidden { "Error: " } (e) }
                                }
                                textarea id={ "thrive-" (name) "-notes" } name={ (name) ".notes" } rows="2"
                                    aria-invalid=[n_error.as_ref().map(|_| "true")] { (notes) }
                            }
                        }
                    }
                    button type="submit" {
                        @if current.is_some() { "Save reassessment (new version)" } @else { "Save THRIVE assessment" }
                    }
                }
            }
            @if !versions.is_empty() {
                h3 { "Versions" }
                ol.thrive-versions reversed {
                    @for r in versions.iter().rev() {
                        li { "Version " (r.version) " by " (r.assessed_by) " at " (format::stamp(r.assessed_at)) ": " (summary(r)) }
                    }
                }
            }
        }
    }
}

/// Reads the form into the API's input (unknown judgement words are a field error).
fn parse(form: &Form) -> Result<ThriveInput, String> {
    let mut input = ThriveInput::default();
    for e in ThriveElement::ALL {
        let name = e.as_str();
        let j = form.get(&format!("{name}.judgement")).unwrap_or("not_assessed");
        let judgement: Judgement = serde_json::from_value(serde_json::Value::String(j.to_string()))
            .map_err(|_| format!("{name}: {j:?} is not a judgement"))?;
        let el = ElementInput { judgement, notes: form.text(&format!("{name}.notes")) };
        match e {
            ThriveElement::Threat => input.threat = el,
            ThriveElement::Harm => input.harm = el,
            ThriveElement::Risk => input.risk = el,
            ThriveElement::Investigation => input.investigation = el,
            ThriveElement::Vulnerability => input.vulnerability = el,
            ThriveElement::Engagement => input.engagement = el,
        }
    }
    Ok(input)
}

/// `POST /contacts/{reference}/thrive`: records a new version, then back to the screen.
pub async fn record(
    State(state): State<AppState>,
    auth: Signed<WriteContacts>,
    Path(reference): Path<String>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let input = match parse(&form) {
        Ok(i) => i,
        Err(message) => {
            let page = screen(&state, &auth, &reference, Some(&message), super::Kept::default()).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let errors = match input.validate() {
        Err(errors) => errors,
        Ok(draft) => {
            let json = serde_json::to_value(&draft).map_err(|e| ApiError::Internal(e.to_string()))?;
            state.store.record_thrive(&auth.actor(), &reference, json, None).await.map_err(ApiError::from)?;
            return Ok(Redirect::to(&format!("/contacts/{reference}#thrive")).into_response());
        }
    };
    let message = format!(
        "THRIVE not saved: check {}",
        errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>().join(", ")
    );
    let kept = super::Kept { thrive: Some(&input), thrive_errors: &errors, ..super::Kept::default() };
    let page = screen(&state, &auth, &reference, Some(&message), kept).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_order_follows_thrive_and_errors_sit_beside_their_field() {
        let input: fc_domain::record::NewContactInput =
            serde_json::from_value(serde_json::json!({"channel": "101"})).expect("input");
        let new = input.validate(chrono::Utc::now()).expect("valid");
        let c = Contact {
            reference: fc_domain::ContactRef::parse("FC-20261123-000001").expect("ref"),
            channel: new.channel,
            status: fc_domain::ContactStatus::InProgress,
            flags: vec![],
            caller: new.caller,
            location_text: None,
            location: None,
            narrative: String::new(),
            grade: None,
            outcome: None,
            handler: None,
            offered_at: new.offered_at,
            queued_at: None,
            answered_at: None,
            closed_at: None,
            created_at: new.offered_at,
            updated_at: new.offered_at,
            version: 1,
        };
        let errors = [FieldError { field: "risk.notes".into(), message: "at most 4000 characters".into() }];
        let html = section(&c, &[], true, "tok", Some(&ThriveInput::default()), &errors).into_string();
        let order: Vec<usize> = ["threat", "harm", "risk", "investigation", "vulnerability", "engagement"]
            .iter()
            .map(|n| html.find(&format!("name=\"{n}.judgement\"")).expect("field"))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "fields in THRIVE order");
        assert!(html.contains("id=\"thrive-risk-notes-error\""), "{html}");
        assert!(html.contains("<details class=\"thrive\" id=\"thrive\" open>"), "a refused form stays open");
        assert_eq!(html.matches("aria-invalid=\"true\"").count(), 1);
    }
}
