//! A deterministic synthetic UK population with ground truth, to prove record linkage on and to
//! drive demos. Pure: no I/O, no clock; randomness comes only from the seed (ChaCha8).
//!
//! ```
//! use fc_synth::Population;
//! let pop = Population::new(42, 1_000);          // seed, number of records
//! let people: Vec<_> = pop.records().take(3)    // a streaming iterator
//!     .map(|rec| rec.person_id)                  // ground truth travels with each record
//!     .collect();
//! assert_eq!(people.len(), 3);
//! ```
//!
//! People live in households (shared surname, address and landline; sometimes twins with the same
//! birthday), have one to thirty records each, and every record is damaged the way real records are
//! ([`Corruption`]): typos, nicknames, swapped names, missing fields, old addresses, wrong or
//! transposed dates of birth, and varied writing of phones, postcodes and dates. Names follow a
//! realistic frequency (Smith about 1%) with a long tail, so ten million records are not absurdly
//! collision-heavy.

pub mod corrupt;
pub mod names;
pub mod places;
pub mod population;

pub use corrupt::Corruption;
pub use population::{COLUMNS, Population, Records, SynthRecord};
