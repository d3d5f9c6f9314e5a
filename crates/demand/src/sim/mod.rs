//! A discrete-event simulator of the control room: "what if" for surges and rosters.
//!
//! Contacts arrive per stream (a Poisson profile per interval, or replayed times), wait in one queue
//! per channel, and are offered oldest-first from the highest-priority queue a ready handler has the
//! skill for. Callers hang up after their patience; handlers work shifts with breaks (a break waits
//! for the current contact to end); webchat-like channels let a handler hold several contacts.
//! Deterministic by seed. It never reads a clock or a file: times are seconds from the start.

mod engine;
mod result;
mod sample;
#[cfg(test)]
mod tests;

pub use engine::simulate;
pub use result::{ChannelResult, IntervalChannel, IntervalStats, SimResult};
pub use sample::HandleDist;
pub(crate) use sample::Sampler;

use crate::error::DemandError;
use crate::queueing::staffing::Target;
use fc_domain::Channel;

/// Everything the simulator needs: the queues, the demand, the roster and the seed.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Simulated time, seconds.
    pub duration_secs: f64,
    /// Length of the reporting intervals, seconds (900 for the usual 15 minutes).
    pub interval_secs: f64,
    /// One queue per channel.
    pub queues: Vec<QueueSpec>,
    /// Arrival streams; several may feed one queue (e.g. a surge with shorter calls).
    pub streams: Vec<StreamSpec>,
    /// Teams of handlers with their skills and shifts.
    pub teams: Vec<TeamSpec>,
    /// Seed for every random draw.
    pub seed: u64,
}

/// A channel's queue: its priority, service-level target and concurrency.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueSpec {
    /// The channel.
    pub channel: Channel,
    /// Lower is served first (see `Channel::default_priority`).
    pub priority: u8,
    /// Service-level target, used for the "answered within" counts.
    pub target: Target,
    /// Contacts of this channel a handler can hold at once (webchat: 2-4; calls: 1).
    pub concurrency: u8,
}

/// Where a stream's arrival times come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Arrivals {
    /// Poisson arrivals; the expected number of contacts in each reporting interval (the last
    /// value repeats if the list is shorter than the run).
    Profile(Vec<f64>),
    /// Exact arrival times, seconds from the start, ascending (replayed history).
    Replay(Vec<f64>),
}

/// One stream of arriving contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamSpec {
    /// The queue it joins.
    pub channel: Channel,
    /// When contacts arrive.
    pub arrivals: Arrivals,
    /// How long each takes to handle (talk plus wrap-up).
    pub handle: HandleDist,
    /// Mean of exponential patience, seconds; `None` means callers never hang up.
    pub patience_secs: Option<f64>,
}

/// A team: handlers sharing skills.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamSpec {
    /// A name for reports.
    pub name: String,
    /// Channels the team may take.
    pub skills: Vec<Channel>,
    /// Shifts, in absolute simulation time.
    pub shifts: Vec<ShiftSpec>,
}

/// A block of handlers on duty together.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftSpec {
    /// Start, seconds from the simulation start.
    pub start_secs: f64,
    /// End, seconds from the simulation start (after start).
    pub end_secs: f64,
    /// Handlers on this shift.
    pub handlers: u32,
    /// Breaks each handler takes.
    pub breaks: Vec<BreakSpec>,
}

/// A break, staggered across the shift's handlers so they do not all leave at once.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakSpec {
    /// First handler's break starts this long after the shift starts, seconds.
    pub after_secs: f64,
    /// Break length, seconds.
    pub duration_secs: f64,
    /// Handlers' break starts are spread evenly over this window, seconds.
    pub stagger_secs: f64,
}

impl SimConfig {
    /// Checks the configuration so the engine can trust it (no NaNs, no empty roster...).
    pub fn validate(&self) -> Result<(), DemandError> {
        let pos = |v: f64| v.is_finite() && v > 0.0;
        if !pos(self.duration_secs) {
            return Err(DemandError::invalid("duration_secs", "must be > 0"));
        }
        if !pos(self.interval_secs) {
            return Err(DemandError::invalid("interval_secs", "must be > 0"));
        }
        if self.duration_secs / self.interval_secs > 10_000_000.0 {
            return Err(DemandError::invalid("interval_secs", "too many intervals for the duration"));
        }
        for (i, q) in self.queues.iter().enumerate() {
            if self.queues[..i].iter().any(|p| p.channel == q.channel) {
                return Err(DemandError::invalid("queues", format!("channel {} listed twice", q.channel)));
            }
            if q.concurrency == 0 || q.concurrency > 6 {
                return Err(DemandError::invalid("concurrency", "must be between 1 and 6"));
            }
        }
        for s in &self.streams {
            if !self.queues.iter().any(|q| q.channel == s.channel) {
                return Err(DemandError::invalid("streams", format!("no queue for channel {}", s.channel)));
            }
            match &s.arrivals {
                Arrivals::Profile(v) if v.iter().any(|x| !(x.is_finite() && *x >= 0.0)) => {
                    return Err(DemandError::invalid(
                        "arrivals",
                        "expected contacts must be finite and >= 0",
                    ));
                }
                Arrivals::Replay(v)
                    if v.windows(2).any(|w| w[1] < w[0]) || v.iter().any(|x| !x.is_finite()) =>
                {
                    return Err(DemandError::invalid(
                        "arrivals",
                        "replayed times must be finite and ascending",
                    ));
                }
                _ => {}
            }
            let (m, sd) = match s.handle {
                HandleDist::Exponential { mean_secs } => (mean_secs, 1.0),
                HandleDist::LogNormal { mean_secs, sd_secs } => (mean_secs, sd_secs),
            };
            if !(pos(m) && sd.is_finite() && sd >= 0.0) {
                return Err(DemandError::invalid("handle", "mean must be > 0 and sd >= 0"));
            }
            if s.patience_secs.is_some_and(|p| !pos(p)) {
                return Err(DemandError::invalid("patience_secs", "must be > 0"));
            }
        }
        let mut handlers = 0u64;
        for t in &self.teams {
            for sh in &t.shifts {
                if !(sh.start_secs.is_finite() && sh.end_secs.is_finite() && sh.end_secs > sh.start_secs) {
                    return Err(DemandError::invalid(
                        "shift",
                        format!("team {}: end must be after start", t.name),
                    ));
                }
                if sh
                    .breaks
                    .iter()
                    .any(|b| !(pos(b.duration_secs) && b.after_secs >= 0.0 && b.stagger_secs >= 0.0))
                {
                    return Err(DemandError::invalid("break", format!("team {}: bad break times", t.name)));
                }
                handlers += u64::from(sh.handlers);
            }
        }
        if handlers == 0 {
            return Err(DemandError::invalid("teams", "the roster has no handlers"));
        }
        if handlers > u64::from(u32::MAX / 2) {
            return Err(DemandError::invalid("teams", "too many handlers"));
        }
        Ok(())
    }
}
