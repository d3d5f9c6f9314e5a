//! Users and their roles. Passwords arrive already hashed (argon2id, by the server's auth module):
//! the store never sees a password.

use crate::audit::{AuditAction, AuditEntry};
use crate::rows::get;
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::{Actor, Role};
use serde::Serialize;

/// A user as others may see them (no password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Internal id.
    pub id: i64,
    /// Unique sign-in name.
    pub username: String,
    /// Name shown on screens and in logs.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Disabled users cannot sign in and their tokens stop working.
    pub active: bool,
    /// When created.
    pub created_at: DateTime<Utc>,
}

/// A user with the password hash, for sign-in only.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    /// The user.
    pub user: User,
    /// The argon2 PHC string.
    pub password_hash: String,
}

/// What creating a user needs.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Unique sign-in name.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: String,
}

pub(crate) fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    let role: String = get(row, "role")?;
    let active: i64 = get(row, "active")?;
    Ok(User {
        id: get(row, "id")?,
        username: get(row, "username")?,
        display_name: get(row, "display_name")?,
        role: role.parse().map_err(|e: fc_domain::DomainError| StoreError::Corrupt(e.to_string()))?,
        active: active != 0,
        created_at: from_micros(get(row, "created_at")?)?,
    })
}

/// Checks a username: 2-64 characters of letters, digits, dot, dash, underscore.
pub fn validate_username(u: &str) -> Result<(), StoreError> {
    let ok =
        (2..=64).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(vec![fc_domain::FieldError {
            field: "username".into(),
            message: "2 to 64 letters, digits, '.', '-' or '_'".into(),
        }]))
    }
}

impl Store {
    /// Creates a user; a taken username is a conflict.
    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User, StoreError> {
        validate_username(&new.username)?;
        let actor = actor.clone();
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let now = to_micros(ctx.now);
                    let row = sqlx::query(
                        "INSERT INTO users (username, display_name, role, password_hash, active, created_at) \
                         VALUES ($1, $2, $3, $4, 1, $5) RETURNING id",
                    )
                    .bind(&new.username)
                    .bind(&new.display_name)
                    .bind(new.role.as_str())
                    .bind(&new.password_hash)
                    .bind(now)
                    .fetch_one(&mut *ctx.conn)
                    .await
                    .map_err(|e| match StoreError::from(e) {
                        StoreError::Conflict(_) => {
                            StoreError::Conflict(format!("username {:?} is taken", new.username))
                        }
                        other => other,
                    })?;
                    ctx.audit(AuditEntry {
                        actor: actor.username.clone(),
                        action: AuditAction::Administration,
                        record_type: "user".into(),
                        record_id: new.username.clone(),
                        detail: format!("created with role {}", new.role),
                        justification: None,
                    })
                    .await?;
                    Ok(User {
                        id: get(&row, "id")?,
                        username: new.username,
                        display_name: new.display_name,
                        role: new.role,
                        active: true,
                        created_at: ctx.now,
                    })
                })
            })
            .await
    }

    /// Looks a user up with their password hash, for sign-in.
    pub async fn user_credentials(&self, username: &str) -> Result<Option<UserCredentials>, StoreError> {
        let row = sqlx::query(
            "SELECT id, username, display_name, role, active, created_at, password_hash FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(self.reads())
        .await?;
        row.map(|r| {
            Ok(UserCredentials { user: user_from_row(&r)?, password_hash: get(&r, "password_hash")? })
        })
        .transpose()
    }

    /// Every user, by username.
    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, username, display_name, role, active, created_at FROM users ORDER BY username",
        )
        .fetch_all(self.reads())
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Changes a user's role or disables them; both are audited.
    pub async fn update_user(
        &self,
        actor: &Actor,
        username: &str,
        role: Option<Role>,
        active: Option<bool>,
    ) -> Result<User, StoreError> {
        let (actor, username) = (actor.clone(), username.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let row = sqlx::query("SELECT id, username, display_name, role, active, created_at FROM users WHERE username = $1")
                        .bind(&username)
                        .fetch_optional(&mut *ctx.conn)
                        .await?
                        .ok_or_else(|| StoreError::NotFound { what: format!("user {username}") })?;
                    let mut user = user_from_row(&row)?;
                    let mut detail = Vec::new();
                    if let Some(r) = role.filter(|r| *r != user.role) {
                        detail.push(format!("role {} -> {}", user.role, r));
                        user.role = r;
                    }
                    if let Some(a) = active.filter(|a| *a != user.active) {
                        detail.push(if a { "enabled".to_string() } else { "disabled".to_string() });
                        user.active = a;
                    }
                    if detail.is_empty() {
                        return Ok(user);
                    }
                    sqlx::query("UPDATE users SET role = $1, active = $2 WHERE id = $3")
                        .bind(user.role.as_str())
                        .bind(i64::from(user.active))
                        .bind(user.id)
                        .execute(&mut *ctx.conn)
                        .await?;
                    if !user.active {
                        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.id).execute(&mut *ctx.conn).await?;
                    }
                    ctx.audit(AuditEntry {
                        actor: actor.username.clone(),
                        action: AuditAction::Administration,
                        record_type: "user".into(),
                        record_id: username.clone(),
                        detail: detail.join("; "),
                        justification: None,
                    })
                    .await?;
                    Ok(user)
                })
            })
            .await
    }

    /// Counts users (the demo and `user add` check for a first administrator).
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users").fetch_one(self.reads()).await?;
        get(&row, "n")
    }
}
