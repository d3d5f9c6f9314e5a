//! Questionnaires on the contact screen: the prompt (DASH for domestic abuse, S-DASH for stalking,
//! RCRP for mental health) links to a form page listing every question with its answers as radio
//! buttons (Tab moves question to question, arrows choose), then professional judgement. Saving
//! records the result on the contact and raises any referral; the screen shows each result.

use crate::AppState;
use crate::api::assessment::questionnaires::{AnswersInput, JudgementInput, evaluate, record_result};
use crate::auth::permission::WriteContacts;
use crate::error::ApiError;
use crate::ui::auth::Signed;
use crate::ui::error::UiError;
use crate::ui::form::{CSRF_FIELD, Form};
use crate::ui::format;
use crate::ui::layout::{self, Nav};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fc_store::contacts::ContactEvent;
use fc_triage::{Answer, Questionnaire, RiskLevel};
use maud::{Markup, html};

const ANSWERS: [(Answer, &str, &str); 4] = [
    (Answer::Yes, "yes", "Yes"),
    (Answer::No, "no", "No"),
    (Answer::NotKnown, "not_known", "Not known"),
    (Answer::NotAsked, "not_asked", "Not asked / declined"),
];
const LEVELS: [(RiskLevel, &str); 3] =
    [(RiskLevel::Standard, "standard"), (RiskLevel::Medium, "medium"), (RiskLevel::High, "high")];

/// Where a referral raised by result entry `entry` for `task` stands now, from the contact log's
/// `referral_*` entries (the latest wins): e.g. "accepted by s.khan, assigned to d.ames".
fn referral_now(log: &[ContactEvent], entry: i64, task: &str) -> Option<String> {
    let last = log.iter().rfind(|e| {
        e.kind.starts_with("referral_")
            && e.data["result_entry"].as_i64() == Some(entry)
            && e.data["task"].as_str() == Some(task)
    })?;
    let d = &last.data;
    let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
    Some(match d["to"].as_str().unwrap_or_default() {
        "accepted" => format!("accepted by {}, assigned to {}", last.actor, text("assigned_to")),
        "sent" => format!("sent by {} to {} (ref {})", last.actor, text("agency"), text("agency_reference")),
        "declined" => format!("declined by {}: {}", last.actor, text("note")),
        other => other.to_string(),
    })
}

/// The results recorded on a contact, newest first, each referral with where it stands now (for
/// the contact screen; `log` is the contact's whole log, oldest first).
pub fn results(entries: &[ContactEvent], log: &[ContactEvent]) -> Markup {
    html! {
        @if !entries.is_empty() {
            h3 #questionnaires { "Questionnaire results" }
            ul.results {
                @for e in entries.iter().rev() {
                    @let d = &e.data;
                    li {
                        strong { (d["questionnaire"].as_str().unwrap_or_default().to_uppercase()) ": "
                            (d["final_label"].as_str().unwrap_or_default()) }
                        " (score " (d["score"]) ", by " (e.actor) " at " (format::stamp(e.at)) ")"
                        @if d["judgement"].is_object() {
                            " — raised by professional judgement: " (d["judgement"]["reason"].as_str().unwrap_or_default())
                        }
                        @if let Some(refs) = d["referrals"].as_array().filter(|r| !r.is_empty()) {
                            ul { @for r in refs {
                                @let task = r["task"].as_str().unwrap_or_default();
                                li.referral { "Referral raised: " (r["text"].as_str().unwrap_or_default())
                                    " — " (referral_now(log, e.id, task).unwrap_or_else(|| "open".into())) }
                            } }
                        }
                    }
                }
            }
        }
    }
}

/// The form page (pure, for tests).
pub fn form_page(
    reference: &str,
    q: &Questionnaire,
    csrf: &str,
    kept: Option<&AnswersInput>,
    problem: Option<&str>,
) -> Markup {
    let answer_of = |id: &str| kept.and_then(|k| k.answers.get(id).copied());
    let judgement = kept.and_then(|k| k.judgement.as_ref());
    html! {
        p { a href={ "/contacts/" (reference) } { "Back to " (reference) } }
        h1 { (q.title) " — " (reference) }
        p.hint { (q.purpose) " Version " (q.version) "." }
        @if let Some(p) = problem {
            div.error-summary #error-summary role="alert" tabindex="-1" { h2 { "This could not be saved" } p { (p) } }
        }
        form.questionnaire method="post" action={ "/contacts/" (reference) "/questionnaires/" (q.id) } {
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            ol.questions {
                @for (n, question) in q.questions.iter().enumerate() {
                    li {
                        fieldset.group {
                            legend { (question.text) @if question.critical { " " strong.tag { "critical" } } }
                            @if let Some(g) = &question.guidance { p.hint { (g) } }
                            div.choices {
                                @for (a, value, label) in ANSWERS {
                                    @let id = format!("q-{}-{value}", question.id);
                                    @let checked = answer_of(&question.id).map_or(a == Answer::NotAsked, |x| x == a);
                                    span.radio {
                                        input type="radio" id=(id) name={ "a." (question.id) } value=(value) checked[checked]
                                            autofocus[n == 0 && a == Answer::NotAsked];
                                        label for=(id) { (label) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            fieldset.group {
                legend { "Professional judgement (optional: raise the level, never lower it)" }
                div.field {
                    label for="j-level" { "Level" }
                    select #j-level name="judgement_level" {
                        option value="" selected[judgement.is_none()] { "As the answers give" }
                        @for (l, v) in LEVELS { option value=(v) selected[judgement.is_some_and(|j| j.level == l)] { (q.label(l)) } }
                    }
                }
                div.field {
                    label for="j-reason" { "Why" }
                    textarea #j-reason name="judgement_reason" rows="2" { (judgement.map(|j| j.reason.as_str()).unwrap_or_default()) }
                }
            }
            button type="submit" { "Save " (q.title) }
        }
    }
}

fn parse(form: &Form, q: &Questionnaire) -> Result<AnswersInput, String> {
    let mut input = AnswersInput::default();
    for question in &q.questions {
        let v = form.get(&format!("a.{}", question.id)).unwrap_or("not_asked");
        let a = ANSWERS
            .iter()
            .find(|(_, value, _)| *value == v)
            .map(|(a, ..)| *a)
            .ok_or(format!("{v:?} is not an answer"))?;
        input.answers.insert(question.id.clone(), a);
    }
    input.judgement = match form.get("judgement_level").filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => {
            let level = LEVELS
                .iter()
                .find(|(_, v)| *v == l)
                .map(|(x, _)| *x)
                .ok_or(format!("{l:?} is not a level"))?;
            Some(JudgementInput { level, reason: form.text("judgement_reason") })
        }
    };
    Ok(input)
}

fn get_q<'a>(state: &'a AppState, id: &str) -> Result<&'a Questionnaire, UiError> {
    Ok(state
        .triage
        .questionnaires()
        .get(id)
        .map_err(|_| ApiError::NotFound(format!("no questionnaire {id:?}")))?)
}

/// `GET /contacts/{reference}/questionnaires/{id}`: the form (the contact view is audited).
pub async fn show(
    State(state): State<AppState>,
    auth: Signed<WriteContacts>,
    Path((reference, id)): Path<(String, String)>,
) -> Result<Markup, UiError> {
    let q = get_q(&state, &id)?;
    state.store.view_contact(&auth.actor(), &reference, "UI questionnaire form").await?;
    Ok(layout::page(&q.title, &auth.chrome(), Nav::Other, form_page(&reference, q, auth.csrf(), None, None)))
}

/// `POST /contacts/{reference}/questionnaires/{id}`: scores, records, back to the contact.
pub async fn save(
    State(state): State<AppState>,
    auth: Signed<WriteContacts>,
    Path((reference, id)): Path<(String, String)>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let q = get_q(&state, &id)?;
    let input = match parse(&form, q) {
        Ok(i) => i,
        Err(m) => {
            let page = form_page(&reference, q, auth.csrf(), None, Some(&m));
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::page(&q.title, &auth.chrome(), Nav::Other, page),
            )
                .into_response());
        }
    };
    let message = match evaluate(q, &input) {
        Ok(result) => {
            record_result(&state, &auth.actor(), &reference, &result, None).await?;
            return Ok(Redirect::to(&format!("/contacts/{reference}#questionnaires")).into_response());
        }
        Err(ApiError::Validation(errors)) => {
            errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")
        }
        Err(e) => return Err(e.into()),
    };
    let page = form_page(&reference, q, auth.csrf(), Some(&input), Some(&message));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, layout::page(&q.title, &auth.chrome(), Nav::Other, page))
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fc_triage::QuestionnaireLibrary;

    #[test]
    fn every_question_has_labelled_answers_and_lowering_is_refused() {
        let lib = QuestionnaireLibrary::with_defaults().expect("library");
        let dash = lib.get("dash").expect("dash");
        let html = form_page("FC-20261123-000001", dash, "tok", None, None).into_string();
        assert_eq!(html.matches("type=\"radio\"").count(), dash.questions.len() * 4);
        assert_eq!(html.matches("<label for=\"q-").count(), dash.questions.len() * 4);
        let all_yes: Vec<(String, String)> =
            dash.questions.iter().map(|q| (format!("a.{}", q.id), "yes".into())).collect();
        let mut pairs: Vec<(&str, &str)> = all_yes.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        pairs.push(("judgement_level", "standard"));
        pairs.push(("judgement_reason", "seems fine"));
        let input = parse(&Form::from_pairs(&pairs), dash).expect("parses");
        assert!(
            matches!(evaluate(dash, &input), Err(ApiError::Validation(e)) if e[0].field == "judgement.level")
        );
    }
}
