//! Resolving the caller from a bearer token or the session cookie.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::{Method, header, request::Parts};
use axum_extra::extract::CookieJar;
use fc_domain::Actor;
use fc_store::users::User;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "fc_session";

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    /// Browser session; forms and API calls that change things must echo the CSRF token.
    Session {
        /// The cookie secret (to sign out).
        secret: String,
        /// The session's CSRF token.
        csrf: String,
    },
    /// API token (no ambient credentials, so no CSRF risk).
    Token,
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The user.
    pub user: User,
    /// How they authenticated.
    pub via: Via,
}

impl Principal {
    /// The actor for attribution.
    pub fn actor(&self) -> Actor {
        Actor { username: self.user.username.clone(), role: self.user.role }
    }

    /// The session's CSRF token, for forms.
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Token => "",
        }
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(token) = bearer(parts) {
            let now = std::time::Instant::now();
            if let Some(user) = state.tokens.get(token, now) {
                return Ok(Principal { user, via: Via::Token });
            }
            let user = state.store.token_user(token).await?.ok_or(ApiError::Unauthenticated)?;
            state.tokens.put(token, user.clone(), now);
            return Ok(Principal { user, via: Via::Token });
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let secret =
            jar.get(SESSION_COOKIE).map(|c| c.value().to_string()).ok_or(ApiError::Unauthenticated)?;
        let session =
            state.store.session(&secret, chrono::Utc::now()).await?.ok_or(ApiError::Unauthenticated)?;
        // A browser session changing things through the JSON API must prove the request came
        // from our own page. (UI forms carry the token in the body and are checked there.)
        let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        // Nested routers see a stripped path; the original says whether this is the API.
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map(|u| u.0.path().to_string())
            .unwrap_or_else(|| parts.uri.path().to_string());
        if unsafe_method && path.starts_with("/api/") {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !crate::auth::secrets::equal(sent, &session.csrf_token) {
                return Err(ApiError::Forbidden("missing or wrong X-CSRF-Token header".into()));
            }
        }
        Ok(Principal { user: session.user, via: Via::Session { secret, csrf: session.csrf_token } })
    }
}
