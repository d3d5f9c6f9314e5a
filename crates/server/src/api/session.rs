//! Signing in and out, and API tokens for integrations.

use crate::AppState;
use crate::auth::permission::AnyRole;
use crate::auth::{Authorized, Principal, SESSION_COOKIE, Via, password, secrets};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use fc_store::audit::{AuditAction, AuditEntry};
use fc_store::users::User;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(login).get(me).delete(logout))
        .route("/tokens", post(create_token).get(list_tokens))
        .route("/tokens/{id}", delete(revoke_token))
}

/// Credentials.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    /// Username.
    pub username: String,
    /// Password.
    pub password: String,
}

impl std::fmt::Debug for LoginInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginInput")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The signed-in user and the token to echo in `X-CSRF-Token` on changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    /// The user.
    pub user: User,
    /// Echo in `X-CSRF-Token` on POST/PATCH/DELETE when using the cookie.
    pub csrf_token: String,
}

/// Checks credentials; the same answer whether the user is unknown or the password wrong.
/// After repeated failures for one username, attempts are refused for a while without checking
/// the password (see [`crate::auth::throttle`]); the refusal is audited like a failure.
pub async fn authenticate(state: &AppState, username: &str, password: &str) -> Result<User, ApiError> {
    let started = std::time::Instant::now();
    if let Err(wait) = state.login_throttle.check(username, started) {
        state
            .store
            .audit(vec![AuditEntry {
                actor: username.chars().take(64).collect(),
                action: AuditAction::Authentication,
                record_type: "user".into(),
                record_id: username.chars().take(64).collect(),
                detail: "sign-in refused: too many failed attempts".into(),
                justification: None,
            }])
            .await?;
        return Err(ApiError::TooManyRequests(wait.as_secs().max(1)));
    }
    let creds = state.store.user_credentials(username).await?;
    let ok = match &creds {
        Some(c) if c.user.active => {
            password::verify_async(password.to_string(), c.password_hash.clone()).await
        }
        _ => {
            // Spend the same time as a real check so timing does not reveal which users exist.
            let _ = password::verify_async(password.to_string(), dummy_hash().to_string()).await;
            false
        }
    };
    state
        .store
        .audit(vec![AuditEntry {
            actor: username.chars().take(64).collect(),
            action: AuditAction::Authentication,
            record_type: "user".into(),
            record_id: username.chars().take(64).collect(),
            detail: if ok { "signed in".into() } else { "failed sign-in".into() },
            justification: None,
        }])
        .await?;
    match creds {
        Some(c) if ok => {
            state.login_throttle.succeeded(username);
            Ok(c.user)
        }
        _ => {
            state.login_throttle.failed(username, started);
            Err(ApiError::Unauthenticated)
        }
    }
}

/// A real hash of nothing in particular, made once, to verify against for unknown users.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| password::hash("no such user, no such password").unwrap_or_default())
}

/// Starts a session and returns the cookie to set with it.
pub async fn start_session(state: &AppState, user: &User) -> Result<(Cookie<'static>, String), ApiError> {
    let secret = secrets::new_secret("fcs_");
    let csrf = secrets::new_secret("");
    let ttl = state.config.session_ttl;
    let expires = chrono::Utc::now() + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::hours(10));
    state.store.create_session(user.id, &secret, &csrf, expires).await?;
    let cookie = Cookie::build((SESSION_COOKIE, secret))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config.secure_cookies)
        .path("/")
        .max_age(time_dur(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX)))
        .build();
    Ok((cookie, csrf))
}

fn time_dur(secs: i64) -> cookie::time::Duration {
    cookie::time::Duration::seconds(secs)
}

/// Sign in with a password; sets the session cookie (HttpOnly, SameSite=Strict).
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginInput,
    responses((status = 200, body = SessionInfo), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this username; see Retry-After", body = Problem, content_type = "application/problem+json")))]
pub async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    body: ApiJson<LoginInput>,
) -> Result<(CookieJar, Json<SessionInfo>), ApiError> {
    let user = authenticate(&state, &body.value.username, &body.value.password).await?;
    let (cookie, csrf_token) = start_session(&state, &user).await?;
    Ok((jar.add(cookie), Json(SessionInfo { user, csrf_token })))
}

/// Who am I.
#[utoipa::path(get, path = "/api/v1/session", tag = "session", responses((status = 200, body = SessionInfo)))]
pub async fn me(auth: Authorized<AnyRole>) -> Json<SessionInfo> {
    Json(SessionInfo { user: auth.user.clone(), csrf_token: auth.csrf().to_string() })
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    principal: Principal,
    jar: CookieJar,
) -> Result<(CookieJar, StatusCode), ApiError> {
    end_session(&state, &principal).await?;
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/")), StatusCode::NO_CONTENT))
}

/// Ends the caller's session, if they have one.
pub async fn end_session(state: &AppState, principal: &Principal) -> Result<(), ApiError> {
    if let Via::Session { secret, .. } = &principal.via {
        state.store.delete_session(secret).await?;
        state
            .store
            .audit(vec![AuditEntry {
                actor: principal.user.username.clone(),
                action: AuditAction::Authentication,
                record_type: "user".into(),
                record_id: principal.user.username.clone(),
                detail: "signed out".into(),
                justification: None,
            }])
            .await?;
    }
    Ok(())
}

/// A new token's name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// What it is for ("CAD integration").
    pub name: String,
}

/// A new token: the secret is shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewToken {
    /// Description.
    pub token: fc_store::sessions::ApiToken,
    /// Send as `Authorization: Bearer <secret>`. Not retrievable later.
    pub secret: String,
}

/// Create an API token acting as yourself (for integrations).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "session", request_body = TokenInput, responses((status = 201, body = NewToken)))]
pub async fn create_token(
    State(state): State<AppState>,
    auth: Authorized<AnyRole>,
    body: ApiJson<TokenInput>,
) -> Result<(StatusCode, Json<NewToken>), ApiError> {
    let name = body.value.name.trim().to_string();
    if name.is_empty() || name.len() > 100 {
        return Err(ApiError::Validation(vec![fc_domain::FieldError {
            field: "name".into(),
            message: "1 to 100 characters".into(),
        }]));
    }
    let secret = secrets::new_secret("fct_");
    let token = state.store.create_api_token(auth.user.id, &name, &secret).await?;
    state
        .store
        .audit(vec![AuditEntry {
            actor: auth.user.username.clone(),
            action: AuditAction::Administration,
            record_type: "api_token".into(),
            record_id: token.id.to_string(),
            detail: format!("created token {name:?}"),
            justification: None,
        }])
        .await?;
    Ok((StatusCode::CREATED, Json(NewToken { token, secret })))
}

/// Whose tokens a user may see and revoke: their own, or everyone's for an administrator.
fn token_scope(user: &User) -> Option<i64> {
    (user.role != fc_domain::Role::Administrator).then_some(user.id)
}

/// List API tokens (never their secrets): your own, or every user's for an administrator.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "session",
    responses((status = 200, body = Vec<fc_store::sessions::ApiToken>)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    auth: Authorized<AnyRole>,
) -> Result<Json<Vec<fc_store::sessions::ApiToken>>, ApiError> {
    Ok(Json(state.store.list_api_tokens(token_scope(&auth.user)).await?))
}

/// Revoke an API token (a leaked or retired integration's) without disabling its owner. Your own,
/// or any for an administrator; another user's token is not found. Retrying is harmless.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "session",
    params(("id" = i64, Path, description = "The token's id")),
    responses(
        (status = 200, description = "Revoked (now or earlier)", body = fc_store::sessions::ApiToken),
        (status = 404, description = "No such token of yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke_token(
    State(state): State<AppState>,
    auth: Authorized<AnyRole>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<fc_store::sessions::ApiToken>, ApiError> {
    let token = state.store.revoke_api_token(&auth.actor(), id, token_scope(&auth.user)).await?;
    // Stops at once on this server; other servers stop within the cache's lifetime.
    state.tokens.clear();
    Ok(Json(token))
}
