//! What every handler can reach: the store and the settings. Nothing else is global.

use crate::ServerConfig;
use crate::matcher::PersonMatcher;
use fc_store::Store;
use std::sync::Arc;

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    /// Persistence.
    pub store: Store,
    /// Settings.
    pub config: Arc<ServerConfig>,
    /// Links contacts to persons (single citizen view).
    pub persons: PersonMatcher,
}

impl AppState {
    /// Builds the state.
    pub fn new(store: Store, config: ServerConfig) -> Self {
        let model = config.linkage_model.clone().unwrap_or_default();
        let persons = PersonMatcher::new(store.clone(), model);
        Self { store, config: Arc::new(config), persons }
    }
}
