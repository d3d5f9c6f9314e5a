//! The one place UI failures become responses: not signed in → a redirect to the sign-in page
//! (coming back afterwards), anything else → an HTML page with the status, a plain-words
//! explanation and the request id. The UI never shows problem+json, and causes of 500s are logged,
//! never shown.

use super::layout;
use crate::error::ApiError;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use fc_store::StoreError;
use maud::html;

/// A failed UI request: the API's error (so the store and extractors map once) plus where to
/// return after signing in.
#[derive(Debug)]
pub struct UiError {
    /// What went wrong.
    pub error: ApiError,
    /// For a page that needs a signed-in user: the page to come back to after signing in.
    next: Option<String>,
    /// A fragment or event stream fetched by script: answer 401 rather than redirect, so the
    /// script can send the whole page to sign in.
    fragment: bool,
}

impl UiError {
    /// Remembers the request's page so signing in returns there; fragment requests (under
    /// `/ui/`) are marked so they get a 401 instead of a redirect.
    pub fn returning_to(mut self, parts: &Parts) -> Self {
        let path = parts.uri.path();
        if path.starts_with("/ui/") {
            self.fragment = true;
        } else if parts.method == axum::http::Method::GET {
            self.next = Some(parts.uri.path_and_query().map_or(path, |p| p.as_str()).to_string());
        }
        self
    }

    /// A 403 for a form without the session's CSRF token.
    pub fn bad_csrf() -> Self {
        ApiError::Forbidden(
            "this form has expired or did not come from FirstContact: go back, reload the page and try again"
                .into(),
        )
        .into()
    }
}

/// A path parameter whose parse failure (`/person-pairs/abc` where a number belongs) is the UI's
/// own error page, not axum's plain-text 400.
pub struct UiPath<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> axum::extract::FromRequestParts<S> for UiPath<T> {
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let crate::extract::ApiPath(value) =
            crate::extract::ApiPath::<T>::from_request_parts(parts, state).await?;
        Ok(Self(value))
    }
}

impl From<ApiError> for UiError {
    fn from(error: ApiError) -> Self {
        Self { error, next: None, fragment: false }
    }
}

impl From<StoreError> for UiError {
    fn from(e: StoreError) -> Self {
        ApiError::from(e).into()
    }
}

/// Where to go after signing in: only a path on this site (never `//host` or a scheme), so the
/// sign-in page cannot be used to send people elsewhere.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/",
    }
}

fn login_url(next: Option<&str>) -> String {
    match next {
        Some(n) if safe_next(Some(n)) != "/" => {
            let encoded: String = n
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("/login?next={encoded}")
        }
        _ => "/login".into(),
    }
}

/// The page title and the sentence a person reads for each status.
fn explain(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        403 => ("Not allowed", "Your role does not allow this."),
        404 => ("Page not found", "There is nothing at this address. Check the reference and try again."),
        409 => ("Changed by someone else", "Reload the page to see the latest version, then try again."),
        400 | 413 | 415 | 422 => ("That did not work", "Go back, check what you entered and try again."),
        503 => {
            ("Try again shortly", "The service could not save or read this just now. Nothing was changed.")
        }
        _ => {
            ("Something went wrong", "This is a fault on our side. Quote the request id when you report it.")
        }
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self.error {
            tracing::error!(%cause, "internal error");
        }
        if matches!(self.error, ApiError::Unauthenticated) && !self.fragment {
            return Redirect::to(&login_url(self.next.as_deref())).into_response();
        }
        let problem = self.error.problem();
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (title, advice) = explain(status);
        let body = html! {
            h1 { (title) }
            p.lead { (advice) }
            @if !matches!(self.error, ApiError::Internal(_)) {
                p { (problem.detail) }
            }
            @if let Some(id) = &problem.request_id {
                p.muted { "Request id: " code { (id) } }
            }
            p { a href="/" { "Go to the queue" } " · " a href="/login" { "Sign in as someone else" } }
        };
        (status, layout::bare(title, body)).into_response()
    }
}

/// A 404 page for any address the UI and API do not know.
pub async fn not_found() -> UiError {
    ApiError::NotFound("no page at this address".into()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(e: ApiError) -> (StatusCode, Option<String>) {
        let res = UiError::from(e).into_response();
        let loc = res.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
        (res.status(), loc)
    }

    #[test]
    fn each_error_maps_to_a_page_or_a_redirect() {
        assert_eq!(render(ApiError::Unauthenticated), (StatusCode::SEE_OTHER, Some("/login".into())));
        assert_eq!(render(ApiError::Forbidden("x".into())).0, StatusCode::FORBIDDEN);
        assert_eq!(render(ApiError::NotFound("x".into())).0, StatusCode::NOT_FOUND);
        assert_eq!(render(ApiError::Conflict("x".into())).0, StatusCode::CONFLICT);
        assert_eq!(render(ApiError::Internal("secret cause".into())).0, StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn sign_in_returns_only_to_this_site() {
        assert_eq!(safe_next(Some("/contacts/FC-20261122-000001")), "/contacts/FC-20261122-000001");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(login_url(Some("/contacts/new?x=1")), "/login?next=/contacts/new%3Fx%3D1");
        assert_eq!(login_url(Some("/")), "/login");
    }
}
