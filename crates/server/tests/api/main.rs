//! HTTP tests of the JSON API: the real server on port 0 over a fresh SQLite database per test.
//! Folders mirror the URLs; assertions check stored state and side effects, not just statuses.

mod app;

mod audit;
mod auth;
mod contacts;
mod demand;
mod handlers;
mod incidents;
mod openapi;
mod person_pairs;
mod persons;
mod roles;
mod triage;
mod wellbeing;
