//! The one place errors become HTTP: RFC 9457 `application/problem+json` with a stable `type`,
//! a human `detail`, field-level `errors`, and the request id. Causes of 500s are logged, never
//! sent.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fc_domain::{DomainError, FieldError};
use fc_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body or query had bad fields.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The request could not be understood (malformed JSON, wrong content type).
    #[error("{0}")]
    BadRequest(String),
    /// No valid session or token.
    #[error("sign in first")]
    Unauthenticated,
    /// Signed in, but the role does not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// No such record.
    #[error("{0}")]
    NotFound(String),
    /// Clashes with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// A domain rule refused it (e.g. illegal transition).
    #[error("{0}")]
    Unprocessable(String),
    /// Body over the size limit.
    #[error("the body is larger than this endpoint accepts")]
    PayloadTooLarge,
    /// Not JSON.
    #[error("send Content-Type: application/json")]
    UnsupportedMediaType,
    /// Too many failed attempts; try again after this many seconds.
    #[error("too many failed attempts; try again in {0} seconds")]
    TooManyRequests(u64),
    /// Storage could not make the change durable; safe to retry.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an outage; the cause is logged, not sent.
    #[error("internal error")]
    Internal(String),
}

/// The problem document (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; stable for clients to match on.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong this time, for a person.
    pub detail: String,
    /// The request's id, to quote when reporting the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Field-level messages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl ApiError {
    /// Status, problem type slug and title.
    pub fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation", "Invalid request"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad-request", "Malformed request"),
            ApiError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated", "Not signed in"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Not allowed for your role"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            ApiError::Unprocessable(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "rule", "Not allowed by the rules")
            }
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too-large", "Body too large"),
            ApiError::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "media-type", "Unsupported media type")
            }
            ApiError::TooManyRequests(_) => {
                (StatusCode::TOO_MANY_REQUESTS, "too-many-requests", "Too many attempts")
            }
            ApiError::Unavailable(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Temporarily unavailable")
            }
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal error"),
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let (status, slug, title) = self.parts();
        let detail = match self {
            ApiError::Validation(errors) => {
                let fields: Vec<&str> =
                    errors.iter().map(|e| e.field.as_str()).filter(|f| !f.is_empty()).collect();
                if fields.is_empty() {
                    errors.first().map(|e| e.message.clone()).unwrap_or_else(|| "invalid request".into())
                } else {
                    format!("check these fields: {}", fields.join(", "))
                }
            }
            ApiError::Internal(_) => {
                "something went wrong on our side; quote the request id when reporting it".into()
            }
            other => other.to_string(),
        };
        Problem {
            kind: format!("/problems/{slug}"),
            title: title.into(),
            status: status.as_u16(),
            detail,
            request_id: crate::request_id::current(),
            errors: match self {
                ApiError::Validation(e) => e.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let problem = self.problem();
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut res = (status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response();
        if let ApiError::TooManyRequests(secs) = &self
            && let Ok(v) = header::HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if matches!(self, ApiError::Unauthenticated) {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        res
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what } => ApiError::NotFound(format!("{what} does not exist")),
            StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::Domain(d) => d.into(),
            StoreError::Invalid(errors) => ApiError::Validation(errors),
            StoreError::Unavailable(m) => ApiError::Unavailable(m),
            StoreError::Closed => ApiError::Unavailable("the service is shutting down".into()),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid { field, message } => {
                ApiError::Validation(vec![FieldError { field: field.into(), message }])
            }
            other => ApiError::Unprocessable(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_of(e: ApiError) -> u16 {
        e.problem().status
    }

    #[test]
    fn each_store_error_maps_to_its_status() {
        assert_eq!(status_of(StoreError::NotFound { what: "contact X".into() }.into()), 404);
        assert_eq!(status_of(StoreError::Conflict("dup".into()).into()), 409);
        assert_eq!(status_of(StoreError::Invalid(vec![]).into()), 422);
        assert_eq!(status_of(StoreError::Unavailable("disk".into()).into()), 503);
        assert_eq!(status_of(StoreError::Closed.into()), 503);
        assert_eq!(status_of(StoreError::Corrupt("bad row".into()).into()), 500);
        let illegal = fc_domain::ContactStatus::Closed.transition(fc_domain::ContactStatus::Queued);
        assert_eq!(status_of(StoreError::Domain(illegal.expect_err("illegal")).into()), 422);
    }

    #[test]
    fn internal_causes_are_not_sent() {
        let p = ApiError::Internal("password=hunter2 at db".into()).problem();
        assert!(!p.detail.contains("hunter2"));
        assert_eq!(p.kind, "/problems/internal");
    }

    #[test]
    fn validation_lists_fields() {
        let p =
            ApiError::Validation(vec![FieldError { field: "caller.postcode".into(), message: "bad".into() }])
                .problem();
        assert_eq!(p.detail, "check these fields: caller.postcode");
        assert_eq!(p.errors.len(), 1);
    }
}
