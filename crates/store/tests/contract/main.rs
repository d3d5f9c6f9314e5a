//! The storage contract: every test runs against SQLite and against PostgreSQL.
//!
//! PostgreSQL runs when `FC_TEST_POSTGRES_URL` names a server where the user may create
//! databases (each test gets a fresh database). Without it, the PostgreSQL tests say so on the
//! terminal and pass without running, and the build prints a warning.

mod harness;

mod audit;
mod contacts;
mod demand;
mod grading;
mod handlers;
mod history;
mod incidents;
mod markers;
mod person_pairs;
mod persons;
mod questionnaires;
mod referrals;
mod thrive;
mod users;
mod wellbeing;
