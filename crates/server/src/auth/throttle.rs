//! Slowing down password guessing: after a few failed sign-ins for one username, further
//! attempts for it are refused for a while without checking the password at all.
//!
//! Counted per username (case-insensitive) rather than per address, because control-room PCs
//! often share one address behind a proxy, and a guesser aims at accounts. Only failures count,
//! so a handler who signs in and out all night is never locked out; a success clears the count.
//! The table is in memory: a restart forgets it, which is acceptable for a brake on guessing
//! (the audit log keeps every failed attempt for investigation).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many failures, within what window, lock a username.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// Failures that lock the username.
    pub max_failures: u32,
    /// The window they are counted in; the lock lasts until it ends.
    pub window: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self { max_failures: 5, window: Duration::from_secs(15 * 60) }
    }
}

/// Usernames tracked at most; beyond it expired entries are dropped first, then the oldest.
const MAX_TRACKED: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    since: Instant,
}

/// Failed sign-ins per username.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    policy: ThrottlePolicy,
    failures: Mutex<HashMap<String, Failures>>,
}

impl LoginThrottle {
    /// A throttle with the given policy.
    pub fn new(policy: ThrottlePolicy) -> Self {
        Self { policy, failures: Mutex::new(HashMap::new()) }
    }

    /// `Err(wait)` when `username` is locked at `now`, with how long until it may try again.
    pub fn check(&self, username: &str, now: Instant) -> Result<(), Duration> {
        let key = username.to_lowercase();
        let Ok(map) = self.failures.lock() else { return Ok(()) };
        match map.get(&key) {
            Some(f) if f.count >= self.policy.max_failures => {
                let until = f.since + self.policy.window;
                if until > now { Err(until - now) } else { Ok(()) }
            }
            _ => Ok(()),
        }
    }

    /// Records a failed attempt for `username` at `now`.
    pub fn failed(&self, username: &str, now: Instant) {
        let key = username.to_lowercase();
        let Ok(mut map) = self.failures.lock() else { return };
        if map.len() >= MAX_TRACKED && !map.contains_key(&key) {
            let window = self.policy.window;
            map.retain(|_, f| now.duration_since(f.since) < window);
            if map.len() >= MAX_TRACKED
                && let Some(oldest) = map.iter().min_by_key(|(_, f)| f.since).map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
        let entry = map.entry(key).or_insert(Failures { count: 0, since: now });
        if now.duration_since(entry.since) >= self.policy.window {
            *entry = Failures { count: 0, since: now };
        }
        entry.count += 1;
    }

    /// Clears `username`'s failures after a successful sign-in.
    pub fn succeeded(&self, username: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&username.to_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottlePolicy { max_failures: 3, window: Duration::from_secs(60) })
    }

    #[test]
    fn locks_after_the_allowed_failures_until_the_window_ends() {
        let t = throttle();
        let start = Instant::now();
        for _ in 0..2 {
            t.failed("Alice", start);
        }
        assert!(t.check("alice", start).is_ok(), "two failures are allowed");
        t.failed("ALICE", start);
        let wait = t.check("alice", start + Duration::from_secs(10)).expect_err("locked");
        assert_eq!(wait, Duration::from_secs(50));
        assert!(t.check("alice", start + Duration::from_secs(61)).is_ok(), "the lock ends with the window");
        assert!(t.check("bob", start).is_ok(), "other users are not affected");
    }

    #[test]
    fn success_clears_and_old_failures_expire() {
        let t = throttle();
        let start = Instant::now();
        t.failed("alice", start);
        t.failed("alice", start);
        t.succeeded("alice");
        t.failed("alice", start);
        t.failed("alice", start + Duration::from_secs(120));
        t.failed("alice", start + Duration::from_secs(121));
        assert!(t.check("alice", start + Duration::from_secs(122)).is_ok(), "the first failure expired");
    }

    #[test]
    fn the_table_stays_bounded() {
        let t = throttle();
        let now = Instant::now();
        for i in 0..(MAX_TRACKED + 50) {
            t.failed(&format!("user{i}"), now);
        }
        assert!(t.failures.lock().map(|m| m.len()).unwrap_or(0) <= MAX_TRACKED);
    }
}
