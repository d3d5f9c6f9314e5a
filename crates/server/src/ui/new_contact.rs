//! Logging a new contact. The form posts back to itself: errors appear beside their fields with
//! what the user typed kept, and a hidden idempotency key makes a double-submit (or a retry after
//! a dropped connection) record one contact, not two.

use super::auth::Signed;
use super::error::UiError;
use super::form::{CSRF_FIELD, Form};
use super::layout::{self, Nav};
use crate::AppState;
use crate::auth::permission::WriteContacts;
use crate::auth::secrets;
use crate::error::ApiError;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use fc_domain::record::{CallerInput, LocationInput, NewContactInput};
use fc_domain::{Channel, ContactFlag, FieldError};
use fc_store::contacts::Idempotency;
use maud::{Markup, html};

/// The hidden field holding the form's idempotency key.
const IDEMPOTENCY_FIELD: &str = "_idem";

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/contacts/new", get(show).post(submit))
}

/// Reads the form into the API's input, collecting problems the types catch (a channel that is
/// not one, a latitude that is not a number) so they show beside their fields like the domain's.
pub fn parse(form: &Form) -> (Option<NewContactInput>, Vec<FieldError>) {
    let mut errors = Vec::new();
    let err = |field: &str, message: &str| FieldError { field: field.into(), message: message.into() };
    let channel = form
        .text("channel")
        .parse::<Channel>()
        .map_err(|_| errors.push(err("channel", "choose a channel")))
        .ok();
    let flags: Vec<ContactFlag> = form
        .all("flags")
        .filter_map(|f| f.parse().map_err(|_| errors.push(err("flags", "unknown flag"))).ok())
        .collect();
    let opt = |name: &str| Some(form.text(name)).filter(|v| !v.trim().is_empty());
    let mut number = |name: &str, example: &str| -> Option<f64> {
        let v = opt(name)?;
        v.trim()
            .parse::<f64>()
            .map_err(|_| {
                errors.push(FieldError { field: name.into(), message: format!("a number, e.g. {example}") })
            })
            .ok()
    };
    let lat = number("location.lat", "51.5072");
    let lon = number("location.lon", "-0.1276");
    let radius_m = number("location.radius_m", "50");
    let location = match (lat, lon) {
        (Some(lat), Some(lon)) => Some(LocationInput { lat, lon, radius_m }),
        (None, None) => None,
        (None, Some(_)) => {
            errors.push(err("location.lat", "give the latitude too, or neither"));
            None
        }
        (Some(_), None) => {
            errors.push(err("location.lon", "give the longitude too, or neither"));
            None
        }
    };
    let input = channel.map(|channel| NewContactInput {
        channel,
        offered_at: None,
        flags,
        caller: CallerInput {
            name: opt("caller.name"),
            date_of_birth: opt("caller.date_of_birth"),
            phone: opt("caller.phone"),
            email: opt("caller.email"),
            address: opt("caller.address"),
            postcode: opt("caller.postcode"),
        },
        location_text: opt("location_text"),
        location,
        narrative: form.text("narrative"),
    });
    (input, errors)
}

/// The label a person sees for a form field, for the error summary.
fn field_label(name: &str) -> &str {
    match name {
        "channel" => "Channel",
        "flags" => "Flags",
        "caller.name" => "Name",
        "caller.date_of_birth" => "Date of birth",
        "caller.phone" => "Phone",
        "caller.email" => "Email",
        "caller.address" => "Address",
        "caller.postcode" => "Postcode",
        "location_text" => "Where, in words",
        "location.lat" => "Latitude",
        "location.lon" => "Longitude",
        "location.radius_m" => "Radius",
        "narrative" => "Narrative",
        other => other,
    }
}

fn field_id(name: &str) -> String {
    format!("f-{}", name.replace(['.', '_'], "-"))
}

/// A text field with its label, hint and error, wired with `aria-describedby`.
fn text_field(
    form: &Form,
    errors: &[FieldError],
    name: &str,
    label: &str,
    hint: Option<&str>,
    attrs: &str,
) -> Markup {
    let id = field_id(name);
    let error = errors.iter().find(|e| e.field == name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described: Vec<&str> =
        [hint.map(|_| hint_id.as_str()), error.map(|_| error_id.as_str())].into_iter().flatten().collect();
    let described = (!described.is_empty()).then(|| described.join(" "));
    html! {
        div class={ "field" @if error.is_some() { " has-error" } } {
            label for=(id) { (label) }
            @if let Some(h) = hint { p.hint #(hint_id) { (h) } }
            @if let Some(e) = error { p.field-error #(error_id) { span.visually-hidden { "Error: " } (e.message) } }
            @if attrs == "textarea" {
                textarea #(id) name=(name) rows="6" aria-describedby=[described.as_deref()]
                    aria-invalid=[error.map(|_| "true")] { (form.text(name)) }
            } @else {
                input #(id) name=(name) type="text" inputmode=[(attrs == "decimal").then_some("decimal")]
                    autocomplete="off" value=(form.text(name))
                    aria-describedby=[described.as_deref()] aria-invalid=[error.map(|_| "true")];
            }
        }
    }
}

/// The form, with `errors` summarised at the top (each linking to its field) and shown beside
/// each field. Pure, so its rendering is tested without a server.
pub fn contact_form(form: &Form, errors: &[FieldError], csrf: &str, idempotency_key: &str) -> Markup {
    let selected = form.get("channel").unwrap_or(Channel::Emergency999.as_str());
    let flags: Vec<&str> = form.all("flags").collect();
    let channel_error = errors.iter().find(|e| e.field == "channel");
    let flags_error = errors.iter().find(|e| e.field == "flags");
    let t = |name, label, hint, attrs| text_field(form, errors, name, label, hint, attrs);
    html! {
        @if !errors.is_empty() {
            div.error-summary #error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
                h2 #error-summary-title { "There is a problem" }
                ul {
                    @for e in errors {
                        li {
                            @if e.field.is_empty() { (e.message) }
                            @else { a href={ "#" (field_id(&e.field)) } { (field_label(&e.field)) ": " (e.message) } }
                        }
                    }
                }
            }
        }
        form.stack method="post" action="/contacts/new" novalidate {
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            input type="hidden" name=(IDEMPOTENCY_FIELD) value=(idempotency_key);
            div class={ "field" @if channel_error.is_some() { " has-error" } } {
                label for="f-channel" { "Channel" }
                @if let Some(e) = channel_error { p.field-error #f-channel-error { (e.message) } }
                select #f-channel name="channel" autofocus aria-describedby=[channel_error.map(|_| "f-channel-error")] {
                    @for ch in Channel::ALL {
                        option value=(ch.as_str()) selected[ch.as_str() == selected] { (ch.label()) }
                    }
                }
            }
            fieldset #f-flags class={ "field" @if flags_error.is_some() { " has-error" } } {
                legend { "Flags" }
                @if let Some(e) = flags_error { p.field-error { (e.message) } }
                div.checks {
                    @for f in ContactFlag::ALL {
                        @let id = format!("f-flag-{}", f.as_str());
                        div.check {
                            input #(id) type="checkbox" name="flags" value=(f.as_str()) checked[flags.contains(&f.as_str())];
                            label for=(id) { (f.label()) }
                        }
                    }
                }
            }
            fieldset.group {
                legend { "Caller" }
                (t("caller.name", "Name", None, ""))
                (t("caller.date_of_birth", "Date of birth", Some("Year, year-month or full date: 1984, 1984-07 or 1984-07-21"), ""))
                (t("caller.phone", "Phone", None, ""))
                (t("caller.email", "Email", None, ""))
                (t("caller.address", "Address", None, ""))
                (t("caller.postcode", "Postcode", None, ""))
            }
            fieldset.group {
                legend { "Location" }
                (t("location_text", "Where, in words", Some("As the caller describes it"), ""))
                div.row {
                    (t("location.lat", "Latitude (optional)", None, "decimal"))
                    (t("location.lon", "Longitude (optional)", None, "decimal"))
                    (t("location.radius_m", "Radius in metres (optional)", None, "decimal"))
                }
            }
            (t("narrative", "Narrative", Some("What the caller says is happening"), "textarea"))
            button type="submit" { "Record contact" }
        }
    }
}

fn render(auth: &Signed<WriteContacts>, form: &Form, errors: &[FieldError], key: &str) -> Markup {
    let main = html! {
        h1 { "New contact" }
        (contact_form(form, errors, auth.csrf(), key))
    };
    layout::page(
        if errors.is_empty() { "New contact" } else { "Error: new contact" },
        &auth.chrome(),
        Nav::NewContact,
        main,
    )
}

async fn show(auth: Signed<WriteContacts>) -> Markup {
    render(&auth, &Form::default(), &[], &secrets::new_secret("ui-"))
}

async fn submit(
    State(state): State<AppState>,
    auth: Signed<WriteContacts>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let key = Some(form.text(IDEMPOTENCY_FIELD))
        .filter(|k| !k.is_empty() && k.len() <= 128 && k.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or_else(|| secrets::new_secret("ui-"));
    let invalid = |errors: Vec<FieldError>| {
        (StatusCode::UNPROCESSABLE_ENTITY, render(&auth, &form, &errors, &key)).into_response()
    };
    let (input, mut errors) = parse(&form);
    let Some(input) = input.filter(|_| errors.is_empty()) else { return Ok(invalid(errors)) };
    use sha2::Digest;
    let fingerprint = hex::encode(sha2::Sha256::digest(serde_json::to_vec(&input).unwrap_or_default()));
    let new = match input.validate(Utc::now()) {
        Ok(new) => new,
        Err(mut e) => {
            errors.append(&mut e);
            return Ok(invalid(errors));
        }
    };
    let idempotency = Idempotency { key: key.clone(), fingerprint };
    match state.store.create_contact(&auth.actor(), new, Some(idempotency)).await.map_err(ApiError::from) {
        Ok(created) => {
            state.persons.enqueue(&created.contact.reference.to_string());
            Ok(Redirect::to(&format!("/contacts/{}", created.contact.reference)).into_response())
        }
        Err(ApiError::Validation(errors)) => Ok(invalid(errors)),
        Err(ApiError::Conflict(_)) => Ok(invalid(vec![FieldError {
            field: String::new(),
            message: "this form was already used to record a different contact: open a new contact form"
                .into(),
        }])),
        Err(e) => Err(e.into()),
    }
}
