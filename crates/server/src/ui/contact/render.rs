//! Rendering the contact screen: pure functions of the contact and its log, so what people see is
//! tested without a server.

use super::triage::{self, TriageView};
use crate::ui::form::CSRF_FIELD;
use crate::ui::format;
use fc_domain::{Contact, ContactStatus, Outcome};
use fc_store::contacts::ContactEvent;
use maud::{Markup, html};
use serde_json::Value;

/// A caller-given detail; absent means the caller did not say.
fn dd_opt(label: &str, value: Option<String>) -> Markup {
    pair(label, value, "not given")
}

/// A lifecycle fact; absent means it has not happened.
fn dd_yet(label: &str, value: Option<String>) -> Markup {
    pair(label, value, "not yet")
}

fn pair(label: &str, value: Option<String>, missing: &str) -> Markup {
    html! {
        div.pair {
            dt { (label) }
            dd { @if let Some(v) = value { (v) } @else { span.muted { (missing) } } }
        }
    }
}

fn details(c: &Contact, triage: Option<&TriageView<'_>>) -> Markup {
    let caller = &c.caller;
    html! {
        section aria-labelledby="h-contact" {
            h2 #h-contact { "Contact" }
            dl.details {
                (dd_opt("Channel", Some(c.channel.label().into())))
                (dd_opt("Status", Some(format::status(c.status).into())))
                (dd_opt("Offered", Some(format::stamp(c.offered_at))))
                (dd_yet("Queued", c.queued_at.map(format::stamp)))
                (dd_yet("Answered", c.answered_at.map(|a| {
                    format!("{} ({:.0} s after offer)", format::stamp(a), c.answer_seconds().unwrap_or_default())
                })))
                (dd_yet("Handler", c.handler.clone()))
                (dd_yet("Ended", c.closed_at.map(format::stamp)))
                (dd_yet("Outcome", c.outcome.map(|o| o.label().into())))
                (dd_yet("Grade", c.grade.map(|g| g.label().into())))
            }
        }
        section aria-labelledby="h-caller" {
            h2 #h-caller { "Caller" }
            dl.details {
                (dd_opt("Name", caller.name.clone()))
                (dd_opt("Date of birth", caller.date_of_birth.map(|d| d.to_string())))
                (dd_opt("Phone", caller.phone.clone()))
                (dd_opt("Email", caller.email.clone()))
                (dd_opt("Address", caller.address.clone()))
                (dd_opt("Postcode", caller.postcode.as_ref().map(|p| p.to_string())))
            }
        }
        section aria-labelledby="h-location" {
            h2 #h-location { "Location" }
            dl.details {
                (dd_opt("In words", c.location_text.clone()))
                (dd_opt("Point", c.location.map(|l| match l.radius_m {
                    Some(r) => format!("{:.5}, {:.5} (within {r:.0} m)", l.lat, l.lon),
                    None => format!("{:.5}, {:.5}", l.lat, l.lon),
                })))
            }
        }
        section aria-labelledby="h-narrative" {
            h2 #h-narrative { "Narrative" }
            @if c.narrative.is_empty() { p.muted { "No narrative recorded." } }
            @else if let Some(t) = triage { (triage::highlighted_narrative(&c.narrative, t.assessment)) }
            @else { p.narrative { (c.narrative) } }
        }
    }
}

/// One lifecycle action as a small form: the target status, the version seen, the CSRF token,
/// and any extra fields (outcome, note).
fn action(c: &Contact, csrf: &str, to: ContactStatus, label: &str, extra: Markup) -> Markup {
    html! {
        form.action method="post" action={ "/contacts/" (c.reference) "/transition" } {
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            input type="hidden" name="to" value=(to.as_str());
            input type="hidden" name="version" value=(c.version);
            (extra)
            button type="submit" class=[(to == ContactStatus::Abandoned).then_some("secondary")] { (label) }
        }
    }
}

fn actions(c: &Contact, csrf: &str) -> Markup {
    let can = |to: ContactStatus| c.status.transition(to).is_ok();
    html! {
        section.actions aria-labelledby="h-actions" {
            h2 #h-actions { "Actions" }
            @if c.status.is_terminal() {
                p.muted { "This contact has ended; nothing more can be done to it." }
            }
            div.action-list {
                @if can(ContactStatus::Queued) { (action(c, csrf, ContactStatus::Queued, "Queue", html! {})) }
                @if can(ContactStatus::InProgress) { (action(c, csrf, ContactStatus::InProgress, "Answer", html! {})) }
                @if can(ContactStatus::Abandoned) { (action(c, csrf, ContactStatus::Abandoned, "Mark abandoned", html! {})) }
                @if can(ContactStatus::Closed) {
                    (action(c, csrf, ContactStatus::Closed, "Close contact", html! {
                        div.field {
                            label for="close-outcome" { "Outcome" }
                            select #close-outcome name="outcome" required {
                                option value="" { "Choose an outcome" }
                                @for o in Outcome::ALL { option value=(o.as_str()) { (o.label()) } }
                            }
                        }
                        div.field {
                            label for="close-note" { "Note (optional)" }
                            input #close-note type="text" name="note" autocomplete="off";
                        }
                    }))
                }
                @if can(ContactStatus::Transferred) {
                    (action(c, csrf, ContactStatus::Transferred, "Transfer", html! {
                        div.field {
                            label for="transfer-note" { "Transferred to, and why" }
                            input #transfer-note type="text" name="note" required autocomplete="off";
                        }
                    }))
                }
            }
        }
    }
}

fn status_word(v: &Value) -> &'static str {
    v.as_str().and_then(|s| s.parse().ok()).map(format::status).unwrap_or("?")
}

fn entry_text(e: &ContactEvent) -> Markup {
    let d = &e.data;
    match e.kind.as_str() {
        "created" => html! {
            "Recorded the contact ("
            (d.get("channel").and_then(Value::as_str).and_then(|c| c.parse::<fc_domain::Channel>().ok()).map_or("?", |c| c.label()))
            ")"
        },
        "status_changed" => html! {
            (status_word(&d["from"])) " → " strong { (status_word(&d["to"])) }
            @if let Some(o) = d["outcome"].as_str().and_then(|o| o.parse::<Outcome>().ok()) { ": " (o.label()) }
            @if let Some(n) = d["note"].as_str() { span.note { " — " (n) } }
        },
        "updated" => html! {
            "Changed "
            (d.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>().join(", ")).unwrap_or_default())
        },
        "note" => html! { "Note: " (d["text"].as_str().unwrap_or_default()) },
        "graded" => html! {
            "Graded " strong { (d["grade"]) }
            @if d["override"] == Value::Bool(true) {
                " (recommended " (d["recommended"]) "): " (d["reason"].as_str().unwrap_or_default())
            } @else { " as recommended" }
        },
        "aml" => html! { (d["text"].as_str().unwrap_or("AML message received")) },
        "imported" => html! { "Imported from an earlier record" },
        "thrive" => html! { "THRIVE assessment recorded (version " (d["version"]) ")" },
        "questionnaire" => html! { "Risk questionnaire recorded" },
        "marker_set" => html! { "Marker set: " (text_of(d, "code")) },
        "marker_cleared" => html! { "Marker cleared: " (text_of(d, "code")) },
        "callback_requested" => html! { "Callback requested (keeps their place in the queue)" },
        "callback_outcome" => html! { "Callback: " (text_of(d, "outcome")) },
        other => html! { (readable(other)) },
    }
}

fn text_of<'a>(d: &'a Value, key: &str) -> &'a str {
    d[key].as_str().unwrap_or("?")
}

/// An entry kind without a sentence of its own, as words: `referral_accepted` → "Referral accepted".
fn readable(kind: &str) -> String {
    let words = kind.replace('_', " ");
    let mut chars = words.chars();
    chars.next().map(|f| f.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The contact's log, oldest first: when, who, what.
pub fn log_list(log: &[ContactEvent]) -> Markup {
    html! {
        section aria-labelledby="h-log" {
            h2 #h-log { "Log" }
            ol.log {
                @for e in log {
                    li {
                        time datetime=(format::iso(e.at)) { (format::stamp(e.at)) }
                        " "
                        span.actor { (e.actor) }
                        " "
                        span.what { (entry_text(e)) }
                    }
                }
            }
        }
    }
}

/// The whole `main` of the contact screen.
pub fn contact_main(
    c: &Contact,
    log: &[ContactEvent],
    can_act: bool,
    csrf: &str,
    problem: Option<&str>,
    triage: Option<&TriageView<'_>>,
) -> Markup {
    html! {
        div.page-head {
            h1 { (c.reference) }
            span class={ "chip ch-" (c.channel.as_str()) } { (c.channel.label()) }
            span class={ "badge status-" (c.status.as_str()) } { (format::status(c.status)) }
            @for f in &c.flags { span class={ "flag flag-" (f.as_str()) } { (f.label()) } }
        }
        @if let Some(p) = problem {
            div.error-summary #error-summary role="alert" tabindex="-1" {
                h2 { "That action was not carried out" }
                p { (p) }
            }
        }
        div.contact-grid {
            div { (details(c, triage)) }
            div {
                @if let Some(t) = triage { (triage::panel(c, log, t)) }
                @if can_act { (actions(c, csrf)) }
                (log_list(log))
            }
        }
    }
}

#[cfg(test)]
mod entry_tests {
    #[test]
    fn kinds_read_as_words() {
        assert_eq!(super::readable("referral_accepted"), "Referral accepted");
        assert_eq!(super::readable(""), "");
    }
}
