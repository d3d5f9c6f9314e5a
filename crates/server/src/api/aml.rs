//! `POST /api/v1/contacts/{reference}/aml`: an Advanced Mobile Location message for a 999 contact,
//! as the force's AML gateway (SMS or HTTPS) receives it. The message is parsed strictly (every bad
//! field named, nothing changed); a located message sets the contact's point and radius, and its
//! summary (method, confidence, time of fix) goes on the contact's log so the handler sees how far
//! to trust it.

use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::WriteContacts;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use fc_domain::record::FieldError;
use fc_domain::{AmlMessage, Contact};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/contacts/{reference}/aml", post(receive))
}

/// The message as the gateway received it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmlInput {
    /// The raw AML text, e.g. `A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=W;…`.
    pub message: String,
}

/// What the message said and the contact after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AmlReceipt {
    /// The parsed message.
    pub aml: AmlMessage,
    /// The contact, with its location updated when the message had one.
    pub contact: Contact,
}

/// Attach an AML message to a contact.
#[utoipa::path(post, path = "/api/v1/contacts/{reference}/aml", tag = "contacts", request_body = AmlInput,
    params(("reference" = String, Path)),
    responses((status = 200, body = AmlReceipt),
        (status = 422, description = "Malformed AML; each bad key is named as message.<key>", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn receive(
    State(state): State<AppState>,
    auth: Authorized<WriteContacts>,
    Path(reference): Path<String>,
    body: ApiJson<AmlInput>,
) -> Result<Json<AmlReceipt>, ApiError> {
    let aml = AmlMessage::parse(&body.value.message).map_err(|errors| {
        ApiError::Validation(
            errors
                .into_iter()
                .map(|e| FieldError { field: format!("message.{}", e.field), message: e.message })
                .collect(),
        )
    })?;
    let contact = state.store.record_aml(&auth.actor(), &reference, aml.location, aml.summary()).await?;
    Ok(Json(AmlReceipt { aml, contact }))
}
