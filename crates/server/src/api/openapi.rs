//! The OpenAPI 3 document, generated from the handlers and types, served at
//! `/api/v1/openapi.json`.

use super::{audit, contacts, link_reviews, persons, session, users};
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "FirstContact API", description = "Contacts from every channel, for police force control rooms. \
        Errors are RFC 9457 problem+json. Authenticate with a session cookie (browsers; send X-CSRF-Token on changes) \
        or `Authorization: Bearer <token>` (integrations)."),
    paths(
        contacts::create, contacts::list, contacts::read, contacts::update, contacts::transition,
        contacts::add_note, contacts::log, contacts::queue,
        session::login, session::me, session::logout, session::create_token,
        users::list, users::create, users::update,
        audit::search, audit::verify,
        crate::live::events,
        persons::search, persons::stats, persons::read, persons::contact_person, persons::merge, persons::split,
        persons::undo, persons::set_marker, persons::clear_marker, link_reviews::list, link_reviews::decide,
    ),
    components(schemas(crate::error::Problem, fc_domain::FieldError)),
    modifiers(&Security),
    tags((name = "contacts", description = "Contacts from every channel"), (name = "session", description = "Signing in"),
        (name = "users", description = "Users and roles"), (name = "audit", description = "The DPA 2018 s.62 audit log"),
        (name = "live", description = "Server-sent events"),
        (name = "persons", description = "Single citizen view: persons, links, reviews, markers"))
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("fc_session"))),
        );
    }
}

/// Routes.
pub fn router() -> Router<crate::AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
