//! The grade form's handler: the same rule as the API (`api::assessment::grade_contact`), so an
//! override without a reason is refused on the server whatever the browser did, and the screen
//! comes back with the choice and the words typed kept and the error beside the reason.

use super::screen;
use super::triage::GradeForm;
use crate::AppState;
use crate::api::assessment::grade_contact;
use crate::auth::permission::WriteContacts;
use crate::error::ApiError;
use crate::ui::auth::Signed;
use crate::ui::error::UiError;
use crate::ui::form::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fc_domain::Grade;

/// `POST /contacts/{reference}/grade`: records the grade, then back to the screen (so a reload
/// never records it twice).
pub async fn grade(
    State(state): State<AppState>,
    auth: Signed<WriteContacts>,
    Path(reference): Path<String>,
    form: Form,
) -> Result<Response, UiError> {
    form.check_csrf(&auth)?;
    let chosen = form.get("grade").and_then(|g| g.parse::<u8>().ok()).and_then(|g| Grade::try_from(g).ok());
    let reason = form.text("reason");
    let version = form.get("version").and_then(|v| v.parse().ok());
    let mut kept = GradeForm { grade: chosen, reason: reason.clone(), error: None };
    let (status, message) = match chosen {
        None => (StatusCode::UNPROCESSABLE_ENTITY, "choose a grade from 1 to 4".to_string()),
        Some(chosen) => {
            match grade_contact(&state, &auth.actor(), &reference, chosen, Some(&reason), version).await {
                Ok(g) => return Ok(Redirect::to(&format!("/contacts/{}#grade-decision", g.contact.reference)).into_response()),
                Err(ApiError::Validation(errors)) => {
                    let message = errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ");
                    kept.error = errors.iter().find(|e| e.field == "reason").map(|e| e.message.clone());
                    (StatusCode::UNPROCESSABLE_ENTITY, message)
                }
                Err(ApiError::Conflict(_)) => (
                    StatusCode::CONFLICT,
                    "someone else changed this contact while you were looking at it; this is the latest version, \
                     check the recommendation and grade again"
                        .to_string(),
                ),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let page = screen(
        &state,
        &auth,
        &reference,
        Some(&message),
        super::Kept { grade: Some(&kept), ..super::Kept::default() },
    )
    .await?;
    Ok((status, page).into_response())
}
