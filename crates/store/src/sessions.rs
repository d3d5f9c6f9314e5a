//! Sign-in sessions and API tokens. Only SHA-256 hashes of the secrets are stored, so a copy of the
//! database does not let anyone sign in. Secrets are made by the caller (the server's auth module).

use crate::audit::{AuditAction, AuditEntry};
use crate::rows::{get, get_opt};
use crate::time::{from_micros, opt_from_micros, to_micros};
use crate::users::{User, user_from_row};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::Actor;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Hashes a session or token secret for storage and lookup.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A live session with its user.
#[derive(Debug, Clone)]
pub struct Session {
    /// The signed-in user.
    pub user: User,
    /// The token forms must echo (synchroniser-token CSRF defence).
    pub csrf_token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// An API token's public description (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    /// Id, for revoking.
    pub id: i64,
    /// Owner.
    pub username: String,
    /// What it is for ("CAD integration").
    pub name: String,
    /// When made.
    pub created_at: DateTime<Utc>,
    /// When revoked; a revoked token never works again.
    pub revoked_at: Option<DateTime<Utc>>,
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.active, u.created_at";

impl Store {
    /// Stores a new session for `user_id`.
    pub async fn create_session(
        &self,
        user_id: i64,
        secret: &str,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (hash, csrf) = (hash_secret(secret), csrf_token.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(&hash)
                    .bind(user_id)
                    .bind(&csrf)
                    .bind(to_micros(ctx.now))
                    .bind(to_micros(expires_at))
                    .execute(&mut *ctx.conn)
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// The session for a cookie secret, if it exists, has not expired and its user is active.
    pub async fn session(&self, secret: &str, now: DateTime<Utc>) -> Result<Option<Session>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(hash_secret(secret))
            .bind(to_micros(now))
            .fetch_optional(self.reads())
            .await?;
        row.map(|r| {
            Ok(Session {
                user: user_from_row(&r)?,
                csrf_token: get(&r, "csrf_token")?,
                expires_at: from_micros(get(&r, "expires_at")?)?,
            })
        })
        .transpose()
    }

    /// Ends a session (sign-out).
    pub async fn delete_session(&self, secret: &str) -> Result<(), StoreError> {
        let hash = hash_secret(secret);
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at < $2")
                        .bind(&hash)
                        .bind(to_micros(ctx.now))
                        .execute(&mut *ctx.conn)
                        .await?;
                    Ok(())
                })
            })
            .await
    }

    /// Stores a new API token for `user_id`.
    pub async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        secret: &str,
    ) -> Result<ApiToken, StoreError> {
        let (hash, name) = (hash_secret(secret), name.to_string());
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let row = sqlx::query(
                        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(user_id)
                    .bind(&name)
                    .bind(&hash)
                    .bind(to_micros(ctx.now))
                    .fetch_one(&mut *ctx.conn)
                    .await?;
                    let owner = sqlx::query("SELECT username FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *ctx.conn).await?;
                    Ok(ApiToken {
                        id: get(&row, "id")?,
                        username: get(&owner, "username")?,
                        name,
                        created_at: ctx.now,
                        revoked_at: None,
                    })
                })
            })
            .await
    }

    /// The active user owning an unrevoked token.
    pub async fn token_user(&self, secret: &str) -> Result<Option<User>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(hash_secret(secret))
            .fetch_optional(self.reads())
            .await?;
        row.map(|r| user_from_row(&r)).transpose()
    }

    /// API tokens, newest first: one user's (by id), or everyone's for an administrator.
    pub async fn list_api_tokens(&self, owner: Option<i64>) -> Result<Vec<ApiToken>, StoreError> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE $1 = 0 OR t.user_id = $2 ORDER BY t.id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(i64::from(owner.is_some()))
            .bind(owner.unwrap_or(0))
            .fetch_all(self.reads())
            .await?;
        rows.iter().map(token_from_row).collect()
    }

    /// Revokes a token so it never works again, audited. `owner` limits it to one user's tokens
    /// (anyone may revoke their own; an administrator passes `None`): another's token is "not
    /// found", so its existence is not revealed. Revoking a revoked token changes nothing and
    /// answers the same, so a retried request is harmless.
    pub async fn revoke_api_token(
        &self,
        actor: &Actor,
        id: i64,
        owner: Option<i64>,
    ) -> Result<ApiToken, StoreError> {
        let actor = actor.username.clone();
        self.writer()
            .write(move |ctx| {
                Box::pin(async move {
                    let sql = format!(
                        "SELECT {TOKEN_COLUMNS}, t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1"
                    );
                    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(id)
                        .fetch_optional(&mut *ctx.conn)
                        .await?
                        .filter(|r| owner.is_none_or(|o| get::<i64>(r, "user_id").is_ok_and(|u| u == o)))
                        .ok_or_else(|| StoreError::NotFound { what: format!("API token {id}") })?;
                    let mut token = token_from_row(&row)?;
                    if token.revoked_at.is_some() {
                        return Ok(token);
                    }
                    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
                        .bind(to_micros(ctx.now))
                        .bind(id)
                        .execute(&mut *ctx.conn)
                        .await?;
                    token.revoked_at = Some(ctx.now);
                    ctx.audit(AuditEntry {
                        actor: actor.clone(),
                        action: AuditAction::Administration,
                        record_type: "api_token".into(),
                        record_id: id.to_string(),
                        detail: format!("revoked token {:?} of {}", token.name, token.username),
                        justification: None,
                    })
                    .await?;
                    Ok(token)
                })
            })
            .await
    }
}

const TOKEN_COLUMNS: &str = "t.id, u.username, t.name, t.created_at, t.revoked_at";

fn token_from_row(row: &sqlx::any::AnyRow) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: get(row, "id")?,
        username: get(row, "username")?,
        name: get(row, "name")?,
        created_at: from_micros(get(row, "created_at")?)?,
        revoked_at: opt_from_micros(get_opt(row, "revoked_at")?)?,
    })
}
