//! Rendering the single citizen view: the person profile, the person panel on the contact
//! screen, and the review queue's side-by-side candidates. Pure functions of the data.

use crate::profile::{
    CandidateView, ContactPerson, IdentityValue, PersonProfile, RepeatCounts, TimelineItem,
};
use crate::ui::form::CSRF_FIELD;
use crate::ui::format;
use fc_store::persons::Marker;
use fc_triage::{MarkerCategory, MarkerList};
use maud::{Markup, html};
use serde_json::Value;

fn field_label(f: &str) -> &str {
    match f {
        "name" => "Name",
        "date_of_birth" => "Date of birth",
        "phone" => "Phone",
        "email" => "Email",
        "address" => "Address",
        "postcode" => "Postcode",
        "given_name" => "Given name",
        "surname" => "Surname",
        "dob" => "Date of birth",
        "geo" => "Located point",
        other => other,
    }
}

/// A channel as a small labelled badge.
pub fn channel_badge(c: fc_domain::Channel) -> Markup {
    html! { span class={ "chip ch-" (c.as_str()) } { (c.label()) } }
}

/// "2 in 7 days · 3 in 30 days · 5 in 90 days · 9 in all".
pub fn repeat_line(r: &RepeatCounts) -> Markup {
    html! {
        p.repeat {
            strong { (r.last_7_days) } " in 7 days · " strong { (r.last_30_days) } " in 30 days · "
            strong { (r.last_90_days) } " in 90 days · " (r.total) " in all"
        }
    }
}

/// Markers, warnings first, each with who set it and when. Labels and categories come from the
/// force's list; a code the force has since removed shows as the code itself.
pub fn markers(list: &[&Marker], codes: &MarkerList) -> Markup {
    markers_with(list, codes, |_| html! {})
}

/// The CSS class of a marker: warnings stand out, patterns are quieter.
fn marker_class(codes: &MarkerList, code: &str, base: &str) -> String {
    match codes.category(code) {
        MarkerCategory::Warning => format!("{base} warning"),
        MarkerCategory::Pattern => format!("{base} pattern"),
        MarkerCategory::Vulnerability => base.to_string(),
    }
}

/// Warnings first, then vulnerabilities, then patterns; newest first within each.
fn ordered<'a>(list: &[&'a Marker], codes: &MarkerList) -> Vec<&'a Marker> {
    let mut out = list.to_vec();
    out.sort_by_key(|m| {
        let rank = MarkerCategory::ALL.iter().position(|c| *c == codes.category(&m.code)).unwrap_or(0);
        (rank, std::cmp::Reverse(m.set_at))
    });
    out
}

/// Markers with something after each (the clear form on the profile page).
fn markers_with(list: &[&Marker], codes: &MarkerList, after: impl Fn(&Marker) -> Markup) -> Markup {
    html! {
        @if list.is_empty() { p.muted { "No markers." } }
        @else {
            ul.markers {
                @for m in ordered(list, codes) {
                    li class=(marker_class(codes, &m.code, "marker")) {
                        strong { (codes.label(&m.code)) } ": " (m.note)
                        span.muted { " — set by " (m.set_by) " " time datetime=(format::iso(m.set_at)) { (format::stamp(m.set_at)) } }
                        @if let (Some(by), Some(at)) = (&m.cleared_by, m.cleared_at) {
                            span.muted { " — cleared by " (by) " " (format::stamp(at)) ": " (m.cleared_reason.clone().unwrap_or_default()) }
                        }
                        (after(m))
                    }
                }
            }
        }
    }
}

/// The keyboard-reachable form that clears one active marker (a reason is required; it is kept
/// with the marker and in the person's log).
fn clear_form(person: &str, m: &Marker, csrf: &str) -> Markup {
    html! {
        details.clear-marker {
            summary { "Clear this marker" }
            form.action method="post" action={ "/persons/" (person) "/markers/" (m.id) "/clear" } {
                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                (reason_field(&format!("clear-marker-{}", m.id)))
                button.secondary type="submit" { "Clear" }
            }
        }
    }
}

fn identity(values: &[IdentityValue]) -> Markup {
    html! {
        table.identity {
            caption.visually-hidden { "Identity details and the contacts that gave them" }
            thead { tr { th scope="col" { "Detail" } th scope="col" { "Value" } th scope="col" { "Given on" } } }
            tbody {
                @for v in values {
                    tr {
                        th scope="row" { (field_label(&v.field)) }
                        td { (v.value) }
                        td {
                            @for (i, s) in v.sources.iter().enumerate() {
                                @if i > 0 { ", " }
                                a href={ "/contacts/" (s) } { (s) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Field-by-field contributions of a match weight, from the stored explanation.
pub fn explanation(e: &Value) -> Markup {
    let fields = e["fields"].as_array().cloned().unwrap_or_default();
    html! {
        table.explanation {
            caption { "Why: each field's contribution (bits; positive means more likely the same person)" }
            thead { tr { th scope="col" { "Field" } th scope="col" { "Agreement" } th scope="col" { "Contribution" } } }
            tbody {
                @for f in &fields {
                    @let total = f["weight"].as_f64().unwrap_or(0.0) + f["tf_adjustment"].as_f64().unwrap_or(0.0);
                    tr {
                        th scope="row" { (field_label(f["field"].as_str().unwrap_or("?"))) }
                        td { (f["level_name"].as_str().unwrap_or("")) }
                        td.num { (format!("{total:+.1}")) }
                    }
                }
                @if let Some(p) = e["prior"].as_f64() { tr { th scope="row" { "Prior" } td {} td.num { (format!("{p:+.1}")) } } }
            }
            @if let Some(w) = e["weight"].as_f64() {
                tfoot { tr { th scope="row" { "Total" } td { (format!("probability {:.1}%", e["probability"].as_f64().unwrap_or(0.0) * 100.0)) } td.num { (format!("{w:+.1}")) } } }
            }
        }
    }
}

fn timeline_item(t: &TimelineItem) -> Markup {
    html! {
        li.timeline-item {
            (channel_badge(t.channel)) " "
            time datetime=(format::iso(t.offered_at)) { (format::stamp(t.offered_at)) } " "
            a href={ "/contacts/" (t.contact) } { (t.contact) } " "
            span.muted { (format::status(t.status)) }
            @if let Some(g) = t.grade { " · grade " (g) }
            p { (t.summary) }
            details {
                summary { "Linked " (t.link.how.as_str()) " by " (t.link.linked_by)
                    @if let Some(w) = t.link.weight { " (weight " (format!("{w:.1}")) ")" } }
                @if let Some(e) = &t.link.explanation { (explanation(e)) }
                @else { p.muted { "No match explanation (new person, batch link or moved by a person)." } }
            }
        }
    }
}

/// What the viewer may change on a profile.
#[derive(Debug, Clone, Copy, Default)]
pub struct Powers {
    /// Set markers and undo links.
    pub link: bool,
    /// Merge and split.
    pub merge: bool,
}

fn reason_field(id: &str) -> Markup {
    html! {
        div.field {
            label for=(id) { "Reason (required)" }
            input id=(id) type="text" name="reason" required minlength="3" maxlength="2000" autocomplete="off";
        }
    }
}

fn changes(p: &PersonProfile, csrf: &str) -> Markup {
    html! {
        section aria-labelledby="h-changes" {
            h2 #h-changes { "Merge or split (supervisors)" }
            form.action method="post" action={ "/persons/" (p.reference) "/merge" } {
                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                div.field {
                    label for="merge-from" { "Merge this person into " (p.reference) " (their reference)" }
                    input #merge-from type="text" name="from" required pattern="P-[0-9]+" autocomplete="off";
                }
                (reason_field("merge-reason"))
                button type="submit" { "Merge" }
            }
            form.action method="post" action={ "/persons/" (p.reference) "/split" } {
                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                fieldset {
                    legend { "Move these contacts to a new person" }
                    @for (i, t) in p.timeline.iter().enumerate() {
                        div.choice {
                            input type="checkbox" name="contact" value=(t.contact) id={ "split-" (i) };
                            label for={ "split-" (i) } { (t.contact) " (" (t.channel.label()) ", " (format::stamp(t.offered_at)) ")" }
                        }
                    }
                }
                (reason_field("split-reason"))
                button type="submit" { "Split off" }
            }
        }
    }
}

/// The heading of a group of markers in the select.
fn category_label(c: MarkerCategory) -> &'static str {
    match c {
        MarkerCategory::Warning => "Warnings (risk from the person)",
        MarkerCategory::Vulnerability => "Vulnerabilities (risk to the person)",
        MarkerCategory::Pattern => "Contact patterns",
    }
}

/// The whole profile page's main content.
pub fn profile_main(p: &PersonProfile, powers: Powers, csrf: &str, codes: &MarkerList) -> Markup {
    let can_mark = powers.link;
    let active: Vec<&Marker> = p.active_markers().collect();
    let cleared: Vec<&Marker> = p.markers.iter().filter(|m| m.cleared_at.is_some()).collect();
    html! {
        h1 { "Person " (p.reference) @if let Some(n) = p.name() { ": " (n) } }
        @if let Some(into) = &p.merged_into {
            p.notice { "This person was merged into " a href={ "/persons/" (into) } { (into) } "." }
        }
        section aria-labelledby="h-markers" {
            h2 #h-markers { "Markers" }
            @if can_mark && p.merged_into.is_none() {
                (markers_with(&active, codes, |m| clear_form(&p.reference, m, csrf)))
            } @else {
                (markers(&active, codes))
            }
            @if can_mark && p.merged_into.is_none() {
                form.action method="post" action={ "/persons/" (p.reference) "/markers" } {
                    input type="hidden" name=(CSRF_FIELD) value=(csrf);
                    div.field {
                        label for="marker-code" { "Marker" }
                        select #marker-code name="code" required {
                            option value="" { "Choose a marker" }
                            @for c in MarkerCategory::ALL {
                                optgroup label=(category_label(c)) {
                                    @for m in codes.markers.iter().filter(|m| m.category == c) {
                                        option value=(m.code) { (m.label) }
                                    }
                                }
                            }
                        }
                    }
                    div.field {
                        label for="marker-note" { "What the next handler needs to know" }
                        input #marker-note type="text" name="note" required maxlength="2000" autocomplete="off";
                    }
                    button type="submit" { "Set marker" }
                }
            }
        }
        section aria-labelledby="h-repeat" {
            h2 #h-repeat { "Contacts" }
            (repeat_line(&p.repeat))
        }
        section aria-labelledby="h-identity" {
            h2 #h-identity { "Identity" }
            (identity(&p.identity))
        }
        section aria-labelledby="h-timeline" {
            h2 #h-timeline { "Timeline across channels" }
            ol.timeline { @for t in &p.timeline {
                (timeline_item(t))
                @if powers.link && p.merged_into.is_none() {
                    details.undo {
                        summary { "Not this person? Undo the link of " (t.contact) }
                        form.action method="post" action={ "/person-links/" (t.link.id) "/undo" } {
                            input type="hidden" name=(CSRF_FIELD) value=(csrf);
                            input type="hidden" name="person" value=(p.reference);
                            (reason_field(&format!("undo-{}", t.link.id)))
                            button.secondary type="submit" { "Undo link" }
                        }
                    }
                }
            } }
        }
        @if powers.merge && p.merged_into.is_none() { (changes(p, csrf)) }
        @if !cleared.is_empty() {
            section aria-labelledby="h-cleared" { h2 #h-cleared { "Cleared markers" } (markers(&cleared, codes)) }
        }
        @if !p.ended_links.is_empty() {
            section aria-labelledby="h-ended" {
                h2 #h-ended { "Links undone or moved" }
                ul { @for l in &p.ended_links {
                    li { a href={ "/contacts/" (l.contact) } { (l.contact) } " — ended by " (l.ended_by.clone().unwrap_or_default())
                        ": " (l.ended_reason.clone().unwrap_or_default()) }
                } }
            }
        }
        details {
            summary { "Person log (" (p.log.len()) " entries)" }
            ol.log { @for e in &p.log {
                li { time datetime=(format::iso(e.at)) { (format::stamp(e.at)) } " " strong { (e.kind) } " by " (e.actor)
                    @if let Some(r) = &e.reason { " — " (r) } }
            } }
        }
    }
}

/// Candidates side by side: each column a candidate, rows the identity and each field's part.
pub fn candidates(list: &[CandidateView]) -> Markup {
    html! {
        div.candidates {
            @for (i, c) in list.iter().enumerate() {
                section.candidate aria-labelledby={ "cand-" (i) } {
                    h3 id={ "cand-" (i) } { (i + 1) ". " a href={ "/persons/" (c.person) } { (c.person) }
                        " — " (format!("{:.0}%", c.probability * 100.0)) }
                    (repeat_line(&c.repeat))
                    (identity(&c.identity))
                    (explanation(&c.explanation))
                }
            }
        }
    }
}

/// A one-line banner above the contact screen when the caller is a known person, so markers and
/// repeat contact are seen at once on a live call (the full panel is further down).
pub fn contact_banner(cp: &ContactPerson, codes: &MarkerList) -> Markup {
    let Some(p) = cp.person.as_ref().filter(|_| cp.state == "linked") else {
        return match cp.state.as_str() {
            "in_review" => html! { p.person-banner role="note" { "The caller may be a known person: "
            a href="#h-person" { "see the candidates" } } },
            _ => html! {},
        };
    };
    let active: Vec<&Marker> = p.active_markers().collect();
    html! {
        p.person-banner role="note" {
            "Known caller " a href={ "/persons/" (p.reference) } { (p.reference) } ": "
            (p.repeat.last_7_days) " contacts in 7 days, " (p.repeat.last_90_days) " in 90"
            @for m in ordered(&active, codes) { " · " span class=(marker_class(codes, &m.code, "marker-chip")) { (codes.label(&m.code)) } }
            " · " a href="#h-person" { "history" }
        }
    }
}

/// The person panel on the contact screen.
pub fn contact_panel(cp: &ContactPerson, codes: &MarkerList) -> Markup {
    html! {
        section.person-panel aria-labelledby="h-person" {
            h2 #h-person { "Caller as a person" }
            @match cp.state.as_str() {
                "linked" => @if let Some(p) = &cp.person {
                    p { a href={ "/persons/" (p.reference) } { (p.reference) @if let Some(n) = p.name() { ": " (n) } } }
                    @let active: Vec<&Marker> = p.active_markers().collect();
                    (markers(&active, codes))
                    (repeat_line(&p.repeat))
                    h3 { "Recent contacts" }
                    ol.timeline { @for t in p.timeline.iter().take(5) { (timeline_item(t)) } }
                },
                "in_review" => {
                    p { "The caller may be one of these people. "
                        @if let Some(r) = &cp.review { a href={ "/link-reviews#review-" (r.id) } { "Decide in the review queue" } } }
                    (candidates(&cp.candidates))
                },
                "undone" => p.muted { "A link to a person was undone; a person will decide who this is." },
                "unlinked" => p.muted { "Not matched yet." },
                _ => p.muted { "No caller details to match on." },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn marker(id: i64, code: &str, minute: u32) -> Marker {
        Marker {
            id,
            person: "P-000001".into(),
            code: code.into(),
            note: format!("note {id}"),
            set_by: "h.jones".into(),
            set_at: Utc.with_ymd_and_hms(2026, 11, 23, 9, minute, 0).single().expect("time"),
            cleared_by: None,
            cleared_at: None,
            cleared_reason: None,
        }
    }

    #[test]
    fn markers_show_warnings_first_and_a_removed_code_as_itself() {
        let codes = MarkerList::default();
        let list = [marker(1, "mental_health", 1), marker(2, "vulnerable_adult", 2), marker(3, "weapons", 0)];
        let refs: Vec<&Marker> = list.iter().collect();
        let html = markers(&refs, &codes).into_string();
        let weapons = html.find("Warning: weapons").expect("warning shown");
        let removed = html.find("<strong>vulnerable_adult</strong>").expect("a removed code shows as itself");
        assert!(weapons < removed && html.contains("marker warning"), "{html}");
        assert!(html.find("Mental health").is_some_and(|i| i > removed), "newest first within a category");
    }
}
