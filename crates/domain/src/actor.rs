//! Who is acting. Every change and every view is attributed to an actor, so the audit log and the
//! contact log can say who did what.

use crate::Role;
use serde::{Deserialize, Serialize};

/// A person or integration acting through the product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Username (unique); integrations act as the user who owns their token.
    pub username: String,
    /// The role they act in.
    pub role: Role,
}

impl Actor {
    /// The actor for work the system does by itself (the demo's live generator, migrations).
    pub fn system() -> Self {
        Self { username: "system".into(), role: Role::Administrator }
    }
}
