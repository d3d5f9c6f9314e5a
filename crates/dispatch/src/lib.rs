//! Dispatch decisions for the control room, as pure functions:
//!
//! - [`duplicates`]: "probably the same incident" — given a new contact (where, when, and a
//!   category hinted by the caller's words) and the open incidents, rank the incidents it most
//!   likely belongs to, so twenty calls about one collision become one incident, not twenty.
//! - [`recommend`]: the nearest suitable available units for an incident, by estimated travel
//!   time ([`travel::TravelTime`], straight-line with a speed model today, a road network later),
//!   found through a spatial grid ([`grid`]) so thousands of units answer in microseconds.
//! - [`surge`]: a generated surge day with ground truth, to measure the duplicate ranking.
//!
//! No I/O, no clock, no global randomness: time and seeds come in as arguments.

pub mod duplicates;
pub mod grid;
pub mod hint;
pub mod recommend;
pub mod surge;
pub mod travel;

pub use duplicates::{DuplicateParams, OpenIncident, Report, Suggestion, suggest};
pub use hint::category_hint;
pub use recommend::{Candidate, Recommendation, Requirement, UnitIndex};
pub use travel::{StraightLine, TravelTime};
