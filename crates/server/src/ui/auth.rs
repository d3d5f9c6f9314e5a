//! Authentication and roles for pages: the API's `Authorized<P>`, but failing as the UI fails
//! (a redirect to sign in, or a 403 page) instead of problem+json.

use super::error::UiError;
use super::layout::Chrome;
use crate::AppState;
use crate::auth::Authorized;
use crate::auth::permission::Permission;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// A signed-in user holding permission `P`, for a page handler.
pub struct Signed<P: Permission>(pub Authorized<P>);

impl<P: Permission> Signed<P> {
    /// The header's view of the user.
    pub fn chrome(&self) -> Chrome<'_> {
        Chrome { user: &self.0.user, csrf: self.0.csrf() }
    }
}

impl<P: Permission> std::ops::Deref for Signed<P> {
    type Target = crate::auth::Principal;
    fn deref(&self) -> &Self::Target {
        &self.0.principal
    }
}

impl<P: Permission> FromRequestParts<AppState> for Signed<P> {
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Authorized::<P>::from_request_parts(parts, state)
            .await
            .map(Signed)
            .map_err(|e| UiError::from(e).returning_to(parts))
    }
}
