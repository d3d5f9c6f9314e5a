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
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://data/firstcontact.db?mode=rwc".into(),
            session_ttl: Duration::from_secs(10 * 60 * 60),
            secure_cookies: false,
            max_body_bytes: 64 * 1024,
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
            .field("linkage_model", &self.linkage_model.as_ref().map(|m| m.training.is_some()))
            .finish()
    }
}
