//! What every handler can reach: the store and the settings. Nothing else is global.

use crate::ServerConfig;
use crate::auth::throttle::LoginThrottle;
use fc_store::Store;
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
}

impl AppState {
    /// Builds the state.
    pub fn new(store: Store, config: ServerConfig) -> Self {
        Self { store, config: Arc::new(config), login_throttle: Arc::new(LoginThrottle::default()) }
    }
}
