//! The triage panel on the contact screen: the risk signals with the words that raised them
//! highlighted in the narrative, what was set aside and why, the recommended grade with its
//! reasons and prompts, the decision once made, and the grade form. Pure rendering, so what the
//! handler sees is tested without a server; maud escapes every piece of text.

use crate::ui::form::CSRF_FIELD;
use crate::ui::format;
use fc_domain::{Contact, Grade};
use fc_store::contacts::ContactEvent;
use fc_store::contacts::grading::GRADED;
use fc_triage::{Assessment, DiscountReason, Evidence, Modality, Signal, SignalKind, TriageEngine};
use maud::{Markup, html};
use serde_json::Value;

/// What the handler sent in the grade form, kept when it is refused so nothing typed is lost.
#[derive(Debug, Clone, Default)]
pub struct GradeForm {
    /// The grade chosen.
    pub grade: Option<Grade>,
    /// The reason typed.
    pub reason: String,
    /// Why it was refused, shown beside the reason.
    pub error: Option<String>,
}

/// Everything the panel needs.
pub struct TriageView<'a> {
    /// The engine's assessment of the contact as it is now.
    pub assessment: &'a Assessment,
    /// The engine (for questionnaire titles).
    pub engine: &'a TriageEngine,
    /// Whether the user may grade (holds the write permission).
    pub can_grade: bool,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// A refused grade form to show again.
    pub form: Option<&'a GradeForm>,
    /// The THRIVE section (rendered by `thrive::section`), shown before the grade form.
    pub thrive: Option<&'a Markup>,
    /// The questionnaire results recorded (rendered by `questionnaire::results`).
    pub results: Option<&'a Markup>,
    /// The vulnerability markers section (rendered by `markers::section`).
    pub markers: Option<&'a Markup>,
}

fn modality_word(m: Modality) -> Option<&'static str> {
    match m {
        Modality::Asserted => None,
        Modality::Reported => Some("reported second-hand"),
        Modality::Uncertain => Some("uncertain"),
    }
}

fn modality_class(m: Modality) -> &'static str {
    match m {
        Modality::Asserted => "asserted",
        Modality::Reported => "reported",
        Modality::Uncertain => "uncertain",
    }
}

fn discount_word(r: DiscountReason) -> &'static str {
    match r {
        DiscountReason::Negated => "negated",
        DiscountReason::Hypothetical => "a hypothetical or general question",
        DiscountReason::NotReal => "not about real events",
    }
}

/// A highlighted phrase: byte start and end in the narrative, the signal, how it was put.
type Mark = (usize, usize, SignalKind, Modality);

/// A matched phrase's place in the narrative, if the span is valid for this text.
fn valid(text: &str, start: usize, end: usize) -> bool {
    start < end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

/// The narrative with every word that raised a signal marked (each mark has an id the signal list
/// links to). Overlapping spans are marked once; spans that do not fit the text are ignored, so a
/// stale assessment can never break the page.
pub fn highlighted_narrative(narrative: &str, a: &Assessment) -> Markup {
    let mut marks: Vec<Mark> = a
        .signals
        .iter()
        .flat_map(|s| {
            s.evidence.iter().filter_map(move |e| match e {
                Evidence::Phrase { span, modality, .. } => Some((span.start, span.end, s.kind, *modality)),
                _ => None,
            })
        })
        .filter(|(start, end, ..)| valid(narrative, *start, *end))
        .collect();
    marks.sort_by_key(|(start, end, ..)| (*start, std::cmp::Reverse(*end)));
    // Plain text before each mark, then the mark; overlapping marks are dropped.
    let mut pieces: Vec<(&str, Option<Mark>)> = Vec::new();
    let mut cursor = 0;
    for m in marks {
        if m.0 >= cursor {
            pieces.push((&narrative[cursor..m.0], Some(m)));
            cursor = m.1;
        }
    }
    let rest = &narrative[cursor..];
    html! {
        p.narrative {
            @for (before, mark) in pieces {
                (before)
                @if let Some((start, end, kind, modality)) = mark {
                    mark id={ "ev-" (start) } class={ "sig m-" (modality_class(modality)) } title=(kind.label()) {
                        (&narrative[start..end])
                        span.visually-hidden { " (" (kind.label()) ")" }
                    }
                }
            }
            (rest)
        }
    }
}

fn evidence(e: &Evidence) -> Markup {
    match e {
        Evidence::Phrase { text, span, fuzzy, modality, .. } => html! {
            a href={ "#ev-" (span.start) } { "“" (text) "”" }
            @if *fuzzy { span.marker { " spelling tolerated" } }
            @if let Some(m) = modality_word(*modality) { span.marker { " " (m) } }
        },
        Evidence::Records { note, ids } => html! { (note) @if !ids.is_empty() { ": " (ids.join(", ")) } },
        Evidence::Fact { note } => html! { (note) },
    }
}

fn signal_item(s: &Signal) -> Markup {
    html! {
        li {
            strong { (s.kind.label()) }
            @if let Some(m) = modality_word(s.modality) { " " span class={ "marker m-" (modality_class(s.modality)) } { "(" (m) ")" } }
            ul.evidence { @for e in &s.evidence { li { (evidence(e)) } } }
        }
    }
}

fn signals(a: &Assessment) -> Markup {
    html! {
        @if a.signals.is_empty() {
            p.muted { "No risk signals found in the narrative or the contact's details." }
        } @else {
            ul.signals { @for s in &a.signals { (signal_item(s)) } }
        }
        @if !a.discounted.is_empty() {
            details.discounted {
                summary { (a.discounted.len()) @if a.discounted.len() == 1 { " match" } @else { " matches" } " set aside" }
                ul {
                    @for d in &a.discounted {
                        li { (d.kind.label()) ": “" (d.text) "” — " (discount_word(d.reason)) " (“" (d.cue) "”)" }
                    }
                }
            }
        }
        @if a.narrative_truncated { p.hint { "Only the start of this very long narrative was read." } }
    }
}

fn recommendation(a: &Assessment, engine: &TriageEngine, c: &Contact, can_write: bool) -> Markup {
    let r = &a.recommendation;
    html! {
        h3 #h-recommended { "Recommended grade " (r.grade.number()) " — " (r.grade.label()) }
        ol.reasons {
            @for reason in &r.reasons {
                li {
                    (reason.text) " " span.muted { "(grade " (reason.grade.number())
                    @if !reason.signals.is_empty() {
                        ": " (reason.signals.iter().map(|k| k.label()).collect::<Vec<_>>().join(", "))
                    }
                    ")" }
                }
            }
        }
        @if let Some(p) = &r.rcrp {
            div.prompt.rcrp role="note" {
                strong { "Right Care, Right Person" } p { (p.text) }
                @if can_write { p { a href={ "/contacts/" (c.reference) "/questionnaires/" (p.questionnaire) } { "Answer the RCRP threshold questions" } } }
            }
        }
        @for q in &r.questionnaires {
            div.prompt role="note" {
                strong { "Complete the " (engine.questionnaires().get(&q.questionnaire).map_or(q.questionnaire.to_uppercase(), |x| x.title.clone())) }
                p { (q.reason) }
                @if can_write { p { a href={ "/contacts/" (c.reference) "/questionnaires/" (q.questionnaire) } { "Open the " (q.questionnaire.to_uppercase()) " form" } } }
            }
        }
        p.hint { "Rules " (r.rules_version) " · lexicon " (a.lexicon_version)
            ". History: the caller's person in the single citizen view, and earlier contacts from the same phone number or email." }
    }
}

/// The latest grading decision in the log, in words.
fn decision(log: &[ContactEvent]) -> Markup {
    let Some(e) = log.iter().rev().find(|e| e.kind == GRADED) else { return html! {} };
    html! {
        div.decision #grade-decision {
            strong { "Graded " (e.data["grade"]) } " by " (e.actor) " at " (format::stamp(e.at))
            @if e.data["override"] == Value::Bool(true) {
                " — overriding the recommended grade " (e.data["recommended"]) ": " (e.data["reason"].as_str().unwrap_or_default())
            } @else { " — as recommended" }
        }
    }
}

fn grade_form(c: &Contact, v: &TriageView<'_>) -> Markup {
    let recommended = v.assessment.recommendation.grade;
    let empty = GradeForm::default();
    let form = v.form.unwrap_or(&empty);
    let chosen = form.grade.unwrap_or(recommended);
    let described =
        if form.error.is_some() { "grade-reason-hint grade-reason-error" } else { "grade-reason-hint" };
    html! {
        form.grade method="post" action={ "/contacts/" (c.reference) "/grade" } {
            input type="hidden" name=(CSRF_FIELD) value=(v.csrf);
            input type="hidden" name="version" value=(c.version);
            fieldset.group {
                legend { "Your grade" }
                @for g in Grade::ALL {
                    div.radio {
                        input type="radio" name="grade" id={ "grade-" (g.number()) } value=(g.number()) checked[g == chosen];
                        label for={ "grade-" (g.number()) } {
                            "Grade " (g.number()) " — " (g.label()) @if g == recommended { strong { " (recommended)" } }
                        }
                    }
                }
            }
            div.field class=[form.error.as_ref().map(|_| "has-error")] {
                label for="grade-reason" { "Reason for a different grade" }
                p.hint #grade-reason-hint { "Required when your grade differs from the recommended grade " (recommended.number()) "." }
                @if let Some(e) = &form.error {
                    p.field-error #grade-reason-error { span.visually-hidden { "Error: " } (e) }
                }
                textarea #grade-reason name="reason" rows="3" aria-describedby=(described)
                    aria-invalid=[form.error.as_ref().map(|_| "true")] { (form.reason) }
            }
            button type="submit" { "Record grade" }
        }
    }
}

/// The part of the panel that follows the contact live during a call (signals, recommendation,
/// prompts), replaced in place by the page script when the contact changes; the forms below it
/// are left alone so nothing being typed is lost.
pub fn live(c: &Contact, v: &TriageView<'_>) -> Markup {
    html! {
        (signals(v.assessment))
        (recommendation(v.assessment, v.engine, c, v.can_grade))
    }
}

/// The whole panel.
pub fn panel(c: &Contact, log: &[ContactEvent], v: &TriageView<'_>) -> Markup {
    html! {
        section.triage #risk-panel aria-labelledby="h-triage" data-ref=(c.reference) data-version=(c.version)
            data-src={ "/ui/contacts/" (c.reference) "/risk" } data-events="/ui/events" {
            h2 #h-triage { "Risk signals" }
            p.hint { "Shortcuts: " kbd { "t" } " THRIVE form · " kbd { "1" } "–" kbd { "4" } " choose a grade. "
                "Updates live when the contact changes." }
            div #risk-live aria-live="polite" { (live(c, v)) }
            @if let Some(r) = v.results { (r) }
            @if let Some(t) = v.thrive { (t) }
            (decision(log))
            @if v.can_grade && !c.status.is_terminal() { (grade_form(c, v)) }
            @if let Some(m) = v.markers { (m) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fc_domain::Channel;
    use fc_triage::{ContactInput, PersonHistory};

    #[test]
    fn marks_matched_words_and_escapes_the_rest() {
        let engine = TriageEngine::with_defaults().expect("engine");
        let text = "<b>help</b> he has got a knife & she is bleeding";
        let a =
            engine.assess(&ContactInput::new(Channel::Emergency999, text), &PersonHistory::default(), None);
        let html = highlighted_narrative(text, &a).into_string();
        assert!(html.contains("&lt;b&gt;help&lt;/b&gt;"), "{html}");
        assert!(html.contains(">knife<span class=\"visually-hidden\"> (Weapons)</span></mark>"), "{html}");
        assert!(html.contains("&amp; she <mark"), "{html}");
        assert!(!html.contains("<b>"));
    }

    #[test]
    fn bad_spans_are_ignored_not_fatal() {
        let engine = TriageEngine::with_defaults().expect("engine");
        let a = engine.assess(
            &ContactInput::new(Channel::Emergency999, "he has a knife"),
            &PersonHistory::default(),
            None,
        );
        // The narrative changed after the assessment: spans point past the end or mid-character.
        let html = highlighted_narrative("é", &a).into_string();
        assert_eq!(html, "<p class=\"narrative\">é</p>");
    }
}
