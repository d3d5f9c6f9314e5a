//! What every handler can reach: the store, the settings and the triage engine. Nothing else is
//! global.

use crate::ServerConfig;
use crate::auth::throttle::LoginThrottle;
use crate::matcher::PersonMatcher;
use fc_store::Store;
use fc_triage::TriageEngine;
use std::sync::Arc;

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    /// Persistence.
    pub store: Store,
    /// Settings.
    pub config: Arc<ServerConfig>,
    /// Failed sign-ins per username, to slow password guessing.
    pub login_throttle: Arc<LoginThrottle>,
    /// The risk triage engine: its lexicon compiles once at start (a few milliseconds), then every
    /// assessment is a pure, fast call shared by all requests.
    pub triage: Arc<TriageEngine>,
    /// Links contacts to persons (single citizen view).
    pub persons: PersonMatcher,
    /// API tokens resolved in the last few seconds (saves a database read per integration call).
    pub tokens: Arc<crate::auth::token_cache::TokenCache>,
    /// What staff wellbeing remembers between looks: each contact's exposure, and the dashboard's
    /// count of check-ins due.
    pub wellbeing: Arc<crate::wellbeing::Remembered>,
}

impl AppState {
    /// Builds the state with the triage engine's shipped defaults.
    ///
    /// # Panics
    /// Only if the embedded default lexicon, rules or questionnaires fail to load, which the
    /// `fc-triage` tests rule out: a broken build, not a runtime condition.
    #[allow(clippy::expect_used)]
    pub fn new(store: Store, config: ServerConfig) -> Self {
        let engine = TriageEngine::with_defaults().expect("the embedded triage defaults load");
        Self::with_triage(store, config, engine)
    }

    /// Builds the state with a force's own triage engine (its lexicon, rules, questionnaires).
    pub fn with_triage(store: Store, config: ServerConfig, triage: TriageEngine) -> Self {
        let model = config.linkage_model.clone().unwrap_or_default();
        let persons = PersonMatcher::new(store.clone(), model);
        Self {
            store,
            config: Arc::new(config),
            triage: Arc::new(triage),
            login_throttle: Arc::new(LoginThrottle::default()),
            persons,
            tokens: Arc::default(),
            wellbeing: Arc::default(),
        }
    }
}
