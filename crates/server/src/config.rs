//! Server settings: defaults that work for the demo, overridable by a file or the environment
//! (the CLI reads those). Secrets never appear in `Debug` output.

use std::net::SocketAddr;
use std::time::Duration;

/// How the server runs.
#[derive(Clone)]
pub struct ServerConfig {
    /// Where to listen.
    pub bind: SocketAddr,
    /// Database URL (may hold a password: never printed).
    pub database_url: String,
    /// How long a sign-in lasts (a shift, by default).
    pub session_ttl: Duration,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Largest JSON body accepted.
    pub max_body_bytes: usize,
    /// The person-matching model (from `linkage_model`, a JSON file written by
    /// `firstcontact linkage train`); `None` uses the linkage crate's built-in model.
    pub linkage_model: Option<fc_linkage::Model>,
    /// Channel priorities and webchat concurrency for the live router (999 before 101 before
    /// digital, three webchats at once, by default).
    pub routing: fc_demand::routing::RoutingPolicy,
    /// How often the router looks for offers even when nothing changed (a safety net: it also
    /// runs on every committed change).
    pub routing_interval: Duration,
    /// The force's name, as it appears on the national answer-time return.
    pub force_name: String,
    /// Command and control settings: attendance targets and the incident category list.
    pub dispatch: DispatchSettings,
}

/// Command and control settings. Each force sets its own attendance targets and may extend the
/// national category list with a file of its own ([`DispatchSettings::with_category_file`]).
#[derive(Debug, Clone)]
pub struct DispatchSettings {
    /// Attendance targets per grade.
    pub attendance: fc_domain::incident::AttendanceTargets,
    /// Opening and closing classifications.
    pub categories: std::sync::Arc<fc_domain::incident::CategoryList>,
}

impl Default for DispatchSettings {
    fn default() -> Self {
        Self {
            attendance: Default::default(),
            categories: std::sync::Arc::new(fc_domain::incident::CategoryList::builtin()),
        }
    }
}

impl DispatchSettings {
    /// The shipped list extended by a force's category file (same JSON shape as the shipped one).
    pub fn with_category_file(mut self, json: &str) -> Result<Self, fc_domain::DomainError> {
        let mut list = (*self.categories).clone();
        list.extend_with(json)?;
        self.categories = std::sync::Arc::new(list);
        Ok(self)
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://data/firstcontact.db?mode=rwc".into(),
            session_ttl: Duration::from_secs(10 * 60 * 60),
            secure_cookies: false,
            max_body_bytes: 64 * 1024,
            dispatch: DispatchSettings::default(),
            routing: fc_demand::routing::RoutingPolicy::default(),
            routing_interval: Duration::from_secs(1),
            force_name: "FirstContact Constabulary".into(),
            linkage_model: None,
        }
    }
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("bind", &self.bind)
            .field("database_url", &"<redacted>")
            .field("session_ttl", &self.session_ttl)
            .field("secure_cookies", &self.secure_cookies)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("dispatch", &self.dispatch.attendance)
            .field("routing", &self.routing)
            .field("routing_interval", &self.routing_interval)
            .field("force_name", &self.force_name)
            .field("linkage_model", &self.linkage_model.as_ref().map(|m| m.training.is_some()))
            .finish()
    }
}
