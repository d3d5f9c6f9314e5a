//! Who is calling and what they may do.
//!
//! A caller is authenticated by a session cookie (people, in the browser) or a bearer token
//! (integrations). Permissions are types: a handler asks for `Authorized<WriteContacts>` and does
//! not compile without saying which permission it needs.

pub mod password;
pub mod permission;
mod principal;
pub mod secrets;
pub mod throttle;
pub mod token_cache;

pub use permission::Authorized;
pub use principal::{Principal, SESSION_COOKIE, Via};
