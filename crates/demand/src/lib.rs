//! Demand management for force control rooms: how many handlers each interval needs, what a
//! roster would achieve, and what happens when the night goes wrong.
//!
//! - [`queueing`]: Erlang B/C/A with stable recurrences, staffing search, patience estimation.
//! - [`forecast`]: arrivals per channel per 15-minute interval from history, with measured error.
//! - [`sim`]: a seeded discrete-event simulator of the control room (priorities, skills, rosters,
//!   breaks, webchat concurrency, abandonment, surges).
//! - [`scenario`]: scenario files (TOML) with errors that name the line and field.
//! - [`routing`]: the live router's choice of offers (priority, age, skills, concurrency).
//! - [`measures`]: the service-level figures shared with the live dashboard and national return.
//! - [`chart`]: SVG charts as strings, for the CLI and the web UI.
//!
//! This crate is pure: no I/O, no clock. Randomness comes from seeds passed in, so every result is
//! reproducible.

pub mod chart;
pub mod error;
pub mod forecast;
pub mod measures;
pub mod planning;
pub mod queueing;
pub mod routing;
pub mod scenario;
pub mod sim;

pub use error::DemandError;
