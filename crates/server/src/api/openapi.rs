//! The OpenAPI 3 document, generated from the handlers and types, served at
//! `/api/v1/openapi.json`.

use super::{
    aml, assessment, audit, contacts, demand, handlers, incidents, link_reviews, person_pairs, persons,
    session, units, users, wellbeing,
};
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
        contacts::add_note, contacts::log, contacts::queue, aml::receive,
        assessment::assessment, assessment::grade, assessment::overrides,
        assessment::thrive::record, assessment::thrive::list,
        assessment::questionnaires::answer, assessment::questionnaires::results,
        assessment::questionnaires::definition, assessment::questionnaires::referrals,
        assessment::markers::list, assessment::markers::set, assessment::markers::clear,
        assessment::referrals::read, assessment::referrals::transition, assessment::markers::available,
        session::login, session::me, session::logout, session::create_token, session::list_tokens,
        session::revoke_token,
        users::list, users::create, users::update,
        audit::search, audit::verify,
        crate::live::events,
        incidents::create, incidents::list, incidents::read, incidents::log, incidents::remark, incidents::transition,
        incidents::close, incidents::reopen, incidents::link_contact, incidents::link_incident, incidents::link_person,
        incidents::recommendations, incidents::assign, incidents::duplicates, incidents::figures,
        units::create, units::list, units::read, units::update, units::history, units::events,
        handlers::list, handlers::skills, handlers::set_skills, handlers::set_state, handlers::take_next,
        demand::get_dashboard, demand::answer_times, demand::queue_position, demand::request_callback,
        demand::callback_outcome,
        persons::search, persons::stats, persons::read, persons::contact_person, persons::merge, persons::split,
        persons::undo, persons::set_marker, persons::clear_marker, link_reviews::list, link_reviews::decide,
        person_pairs::list, person_pairs::one, person_pairs::decide,
        wellbeing::team, wellbeing::me, wellbeing::one, wellbeing::check_in,
    ),
    // Types only query parameters name are not collected from the paths: registered here.
    components(schemas(crate::error::Problem, fc_domain::FieldError, assessment::Direction)),
    modifiers(&Security),
    tags((name = "contacts", description = "Contacts from every channel"), (name = "session", description = "Signing in"),
        (name = "triage", description = "Risk signals, the recommended grade and the handler's decision"),
        (name = "users", description = "Users and roles"), (name = "audit", description = "The DPA 2018 s.62 audit log"),
        (name = "live", description = "Server-sent events"),
        (name = "incidents", description = "Command and control: incidents, links, recommendations, assignments"),
        (name = "units", description = "Units: positions, statuses, history; the dispatcher's live stream"),
        (name = "handlers", description = "Handlers' skills and states, and taking the next contact"),
        (name = "demand", description = "Live service levels, the national answer-time return, 101 virtual hold"),
        (name = "persons", description = "Single citizen view: persons, links, reviews, markers"),
        (name = "wellbeing", description = "Staff wellbeing: exposure to distressing contacts, breaks and supervisor check-ins"))
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
