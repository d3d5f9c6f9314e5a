//! `/api/v1/users`: administrators manage who may sign in and in which role.

use crate::AppState;
use crate::auth::permission::ManageUsers;
use crate::auth::{Authorized, password};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use fc_domain::{FieldError, Role};
use fc_store::users::{NewUser, User};
use serde::Deserialize;
use utoipa::ToSchema;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/users", get(list).post(create)).route("/users/{username}", patch(update))
}

/// A new user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserInput {
    /// Sign-in name: letters, digits, '.', '-', '_'.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// At least 12 characters.
    pub password: String,
}

/// A change to a user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// New role.
    pub role: Option<Role>,
    /// Enable or disable (disabling signs them out and stops their tokens).
    pub active: Option<bool>,
}

/// Every user.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", responses((status = 200, body = Vec<User>),
    (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<ManageUsers>,
) -> Result<Json<Vec<User>>, ApiError> {
    Ok(Json(state.store.list_users().await?))
}

/// Create a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserInput,
    responses((status = 201, body = User), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    auth: Authorized<ManageUsers>,
    body: ApiJson<NewUserInput>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let input = body.value;
    let mut errors = Vec::new();
    if input.password.chars().count() < password::MIN_PASSWORD_CHARS {
        errors.push(FieldError {
            field: "password".into(),
            message: format!("at least {} characters", password::MIN_PASSWORD_CHARS),
        });
    }
    let display_name = input.display_name.trim().to_string();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        errors.push(FieldError { field: "display_name".into(), message: "1 to 100 characters".into() });
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let password_hash = password::hash_async(input.password).await.map_err(ApiError::Internal)?;
    let user = state
        .store
        .create_user(
            &auth.actor(),
            NewUser { username: input.username, display_name, role: input.role, password_hash },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// Change a user's role or disable them.
#[utoipa::path(patch, path = "/api/v1/users/{username}", tag = "users", request_body = UserPatch,
    params(("username" = String, Path)), responses((status = 200, body = User)))]
pub async fn update(
    State(state): State<AppState>,
    auth: Authorized<ManageUsers>,
    Path(username): Path<String>,
    body: ApiJson<UserPatch>,
) -> Result<Json<User>, ApiError> {
    if username == auth.user.username && body.value.active == Some(false) {
        return Err(ApiError::Unprocessable("you cannot disable yourself".into()));
    }
    let user = state.store.update_user(&auth.actor(), &username, body.value.role, body.value.active).await?;
    // A new role or a disabled account applies to this server's cached tokens at once.
    state.tokens.clear();
    Ok(Json(user))
}
