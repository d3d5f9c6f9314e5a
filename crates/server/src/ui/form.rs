//! Submitted forms: every `name=value` pair as sent (so repeated names such as checkboxes keep all
//! their values), and the CSRF check every state-changing form must pass.

use super::error::UiError;
use crate::auth::{Principal, Via, secrets};
use crate::error::ApiError;
use axum::extract::{FromRequest, Request};

/// The hidden field carrying the session's CSRF token.
pub const CSRF_FIELD: &str = "_csrf";

/// An `application/x-www-form-urlencoded` body as ordered pairs.
#[derive(Debug, Default)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = UiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|e| UiError::from(ApiError::BadRequest(e.body_text())))?;
        Ok(Self { pairs })
    }
}

impl Form {
    /// The first value of `name`, if sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, or empty.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }

    /// Every value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Refuses the form unless it carries the session's CSRF token (compared in constant time).
    /// A request authenticated by an API token carries no ambient credential, so has nothing to
    /// forge.
    pub fn check_csrf(&self, principal: &Principal) -> Result<(), UiError> {
        match &principal.via {
            Via::Token => Ok(()),
            Via::Session { csrf, .. } => {
                let sent = self.get(CSRF_FIELD).unwrap_or_default();
                if !csrf.is_empty() && secrets::equal(sent, csrf) { Ok(()) } else { Err(UiError::bad_csrf()) }
            }
        }
    }

    #[cfg(test)]
    /// A form from pairs, for tests.
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Self { pairs: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
    }
}
