//! The demo control room: generated people and contacts (deterministic by seed), a seeded day of
//! history, and live traffic with simulated colleagues working the queue.

pub mod dispatch;
pub mod generator;
pub mod live;
mod narratives;
mod people;
pub mod triage;
