//! Signing in and out in the browser. Sign-in reuses the API's checks (same timing and the same
//! answer whether or not the username exists, audited); sign-out needs the CSRF token so another
//! site cannot sign a handler out mid-call.

use super::error::{UiError, safe_next};
use super::form::Form;
use super::layout;
use crate::AppState;
use crate::api::session::{authenticate, end_session, start_session};
use crate::auth::{Principal, SESSION_COOKIE};
use crate::error::ApiError;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use maud::{Markup, html};
use serde::Deserialize;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/login", get(show).post(submit)).route("/logout", post(logout))
}

/// `?next=` on the sign-in page.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in form; `error` is shown above it and the username typed is kept.
pub fn login_form(username: &str, next: &str, error: Option<&str>) -> Markup {
    html! {
        h1 { "Sign in" }
        @if let Some(e) = error {
            div.error-summary role="alert" tabindex="-1" #error-summary {
                h2 { "You are not signed in" }
                p { (e) }
            }
        }
        form.stack method="post" action="/login" {
            input type="hidden" name="next" value=(next);
            div.field {
                label for="username" { "Username" }
                input #username name="username" type="text" autocomplete="username" required
                    autocapitalize="none" spellcheck="false" value=(username) autofocus[error.is_none()];
            }
            div.field {
                label for="password" { "Password" }
                input #password name="password" type="password" autocomplete="current-password" required;
            }
            button type="submit" { "Sign in" }
        }
    }
}

async fn show(Query(q): Query<NextQuery>) -> Markup {
    layout::bare("Sign in", login_form("", safe_next(q.next.as_deref()), None))
}

async fn submit(State(state): State<AppState>, jar: CookieJar, form: Form) -> Result<Response, UiError> {
    let username = form.text("username");
    let next = safe_next(form.get("next")).to_string();
    match authenticate(&state, username.trim(), &form.text("password")).await {
        Ok(user) => {
            let (cookie, _csrf) = start_session(&state, &user).await?;
            Ok((jar.add(cookie), Redirect::to(&next)).into_response())
        }
        Err(ApiError::Unauthenticated) => {
            let page = layout::bare(
                "Sign in",
                login_form(&username, &next, Some("The username or password is not right. Try again.")),
            );
            Ok((StatusCode::UNAUTHORIZED, page).into_response())
        }
        Err(ApiError::TooManyRequests(secs)) => {
            let message = format!(
                "Too many failed attempts for this username. Try again in {} minutes, or ask a supervisor.",
                secs.div_ceil(60)
            );
            let page = layout::bare("Sign in", login_form(&username, &next, Some(&message)));
            Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    principal: Result<Principal, ApiError>,
    form: Form,
) -> Result<Response, UiError> {
    let principal = match principal {
        Ok(p) => p,
        // Already signed out (or the session expired): nothing to end.
        Err(ApiError::Unauthenticated) => return Ok(Redirect::to("/login").into_response()),
        Err(e) => return Err(e.into()),
    };
    form.check_csrf(&principal)?;
    end_session(&state, &principal).await?;
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/")), Redirect::to("/login")).into_response())
}
