//! Queueing mathematics for staffing: Erlang B/C/A, the staffing search and patience estimation.
//!
//! Pure functions of rates and counts. Nothing here knows about channels or clocks: the caller
//! turns a forecast into a [`Load`] per interval.

pub mod erlang_a;
pub mod erlang_c;
pub mod patience;
#[cfg(test)]
mod props;
pub mod staffing;

use crate::error::DemandError;

/// Offered traffic for one interval: how many arrive and how long each takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// Mean arrival rate, contacts per second.
    pub arrivals_per_sec: f64,
    /// Mean handle time (talk plus wrap-up), seconds.
    pub handle_secs: f64,
}

impl Load {
    /// A load from contacts per interval, which is how forecasts come out.
    pub fn per_interval(contacts: f64, interval_secs: f64, handle_secs: f64) -> Self {
        Load { arrivals_per_sec: contacts / interval_secs, handle_secs }
    }

    /// Offered load in erlangs: the average number of handlers kept busy.
    pub fn erlangs(&self) -> f64 {
        self.arrivals_per_sec * self.handle_secs
    }

    /// Rejects negative, NaN or infinite values before they reach the recurrences.
    pub fn validate(&self) -> Result<(), DemandError> {
        if !(self.arrivals_per_sec.is_finite() && self.arrivals_per_sec >= 0.0) {
            return Err(DemandError::invalid("arrivals_per_sec", "must be a finite number >= 0"));
        }
        if !(self.handle_secs.is_finite() && self.handle_secs > 0.0) {
            return Err(DemandError::invalid("handle_secs", "must be a finite number > 0"));
        }
        Ok(())
    }
}
