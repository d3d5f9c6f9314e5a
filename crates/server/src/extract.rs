//! Extractors that turn bad input into clear problems: JSON bodies parsed with the failing field's
//! path, query strings and paths with messages a developer understands, idempotency keys, and
//! `If-Match` versions.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use fc_domain::FieldError;
use serde::de::DeserializeOwned;

/// A JSON body. Unlike `axum::Json`, errors name the field (`caller.date_of_birth: …`), and the
/// raw body's fingerprint is kept for idempotency checks.
pub struct ApiJson<T> {
    /// The parsed body.
    pub value: T,
    /// SHA-256 of the raw body, hex.
    pub fingerprint: String,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim();
                m.eq_ignore_ascii_case("application/json") || m.ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| match e {
            BytesRejection::FailedToBufferBody(inner) if inner.status().as_u16() == 413 => {
                ApiError::PayloadTooLarge
            }
            other => ApiError::BadRequest(other.body_text()),
        })?;
        let value = parse_json(&bytes)?;
        use sha2::Digest;
        Ok(Self { value, fingerprint: hex::encode(sha2::Sha256::digest(&bytes)) })
    }
}

/// Parses JSON, reporting syntax errors with their position and type errors with their field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::BadRequest(format!("the body is not valid JSON: {inner}"))
        } else {
            let field = if path == "." { String::new() } else { path };
            // serde's own words ("unknown variant `fax`, expected one of …") without the position.
            let message = inner.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_string();
            ApiError::Validation(vec![FieldError { field, message }])
        }
    })
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::Validation(vec![FieldError { field: "query".into(), message: e.body_text() }])
    }
}

impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> Self {
        ApiError::BadRequest(e.body_text())
    }
}

/// A path parameter whose parse failure (`/tokens/abc` where a number belongs) is a problem+json
/// 400 naming the parameter, like every other error of the API, not axum's plain-text one.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(value) = axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Self(value))
    }
}

/// The optional `Idempotency-Key` header: 1 to 128 visible ASCII characters.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(v) = parts.headers.get("idempotency-key") else { return Ok(Self(None)) };
        let key = v
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|k| !k.is_empty() && k.len() <= 128 && k.bytes().all(|b| b.is_ascii_graphic()));
        match key {
            Some(k) => Ok(Self(Some(k.to_string()))),
            None => Err(ApiError::Validation(vec![FieldError {
                field: "Idempotency-Key".into(),
                message: "1 to 128 visible ASCII characters".into(),
            }])),
        }
    }
}

/// The optional `If-Match` header holding the version the client last saw (`"3"` or `3`).
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(v) = parts.headers.get(header::IF_MATCH) else { return Ok(Self(None)) };
        let version = v
            .to_str()
            .ok()
            .map(|s| s.trim().trim_start_matches("W/").trim_matches('"'))
            .and_then(|s| s.parse().ok());
        match version {
            Some(n) => Ok(Self(Some(n))),
            None => Err(ApiError::Validation(vec![FieldError {
                field: "If-Match".into(),
                message: "send the contact's version, e.g. \"3\"".into(),
            }])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fc_domain::record::NewContactInput;

    fn field_of(json: &str) -> (u16, Vec<FieldError>) {
        let e = parse_json::<NewContactInput>(json.as_bytes()).expect_err("should fail");
        let p = e.problem();
        (p.status, p.errors)
    }

    #[test]
    fn wrong_types_and_unknown_values_name_the_field() {
        let (status, errors) = field_of(r#"{"channel":"fax"}"#);
        assert_eq!(status, 422);
        assert_eq!(errors[0].field, "channel");
        assert!(errors[0].message.contains("fax"), "{}", errors[0].message);
        let (_, errors) = field_of(r#"{"channel":"999","caller":{"name":42}}"#);
        assert_eq!(errors[0].field, "caller.name");
        let (_, errors) = field_of(r#"{"channel":"999","offered_at":"2026-02-30T10:00:00Z"}"#);
        assert_eq!(errors[0].field, "offered_at");
        let (_, errors) = field_of(r#"{"channel":"999","nonsense":true}"#);
        assert!(errors[0].message.contains("nonsense"));
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        let (status, _) = field_of(r#"{"channel": "#);
        assert_eq!(status, 400);
        let (status, _) = field_of("not json");
        assert_eq!(status, 400);
    }
}
