//! A short-lived memory of resolved API tokens. Integrations send a token with every request; at
//! thousands of requests a second, reading it from the database each time costs as much as the
//! work itself. Entries live [`TOKEN_TTL`]: a token revoked or a user deactivated in the database
//! stops working within that time on every server, and at once when no entry is cached.

use fc_store::users::User;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a resolved token is trusted without asking the database again.
pub const TOKEN_TTL: Duration = Duration::from_secs(10);

/// Entries kept at most (integrations are few; this bounds memory against random tokens, which
/// are never cached because they resolve to nobody).
const MAX_ENTRIES: usize = 4_096;

/// Resolved tokens, keyed by a hash of the secret so the secrets themselves are not kept.
#[derive(Debug, Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<[u8; 32], (User, Instant)>>,
}

fn key(secret: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(secret.as_bytes()).into()
}

impl TokenCache {
    /// The user a token resolved to within the last [`TOKEN_TTL`], if any.
    pub fn get(&self, secret: &str, now: Instant) -> Option<User> {
        let entries = self.entries.lock().ok()?;
        let (user, at) = entries.get(&key(secret))?;
        (now.duration_since(*at) < TOKEN_TTL).then(|| user.clone())
    }

    /// Remembers a token's user (only tokens that resolved: unknown ones are never kept).
    pub fn put(&self, secret: &str, user: User, now: Instant) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.retain(|_, (_, at)| now.duration_since(*at) < TOKEN_TTL);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
            }
            entries.insert(key(secret), (user, now));
        }
    }

    /// Forgets every token (after a revocation or a user's change on this server, so it takes
    /// effect here at once; each token costs one database read to learn again).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> User {
        User {
            id: 1,
            username: "int".into(),
            display_name: "Integration".into(),
            role: fc_domain::Role::CallHandler,
            active: true,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn remembers_for_the_ttl_only() {
        let cache = TokenCache::default();
        let t0 = Instant::now();
        assert!(cache.get("fct_a", t0).is_none());
        cache.put("fct_a", user(), t0);
        assert_eq!(cache.get("fct_a", t0 + Duration::from_secs(9)).map(|u| u.username), Some("int".into()));
        assert!(cache.get("fct_a", t0 + TOKEN_TTL).is_none(), "expired");
        assert!(cache.get("fct_b", t0).is_none(), "another secret");
    }

    #[test]
    fn stays_bounded() {
        let cache = TokenCache::default();
        let t0 = Instant::now();
        for i in 0..(MAX_ENTRIES + 10) {
            cache.put(&format!("fct_{i}"), user(), t0);
        }
        assert!(cache.entries.lock().map(|e| e.len()).unwrap_or(usize::MAX) <= MAX_ENTRIES);
    }
}
