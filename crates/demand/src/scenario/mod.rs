//! Scenario files: a force's demand, roster and surges in a TOML file a planner can edit.
//!
//! [`Scenario::parse`] turns text into a validated scenario or an error naming the line and field;
//! [`Scenario::to_sim_config`] expands it (daily shifts, hour-of-day and weekday shapes, surges)
//! into the simulator's absolute-time configuration. Reading the file is the caller's job.

mod parse;
mod raw;
#[cfg(test)]
mod tests;

use crate::error::DemandError;
use crate::queueing::staffing::Target;
use crate::sim::{Arrivals, BreakSpec, HandleDist, QueueSpec, ShiftSpec, SimConfig, StreamSpec, TeamSpec};
use chrono::{Datelike, NaiveDateTime, Timelike};
use fc_domain::Channel;

/// A typical control-room day, relative demand by hour (00:00 first): quiet before dawn, rising
/// through the day, peaking in the evening. Used when a channel gives no `hourly_shape`.
pub const DEFAULT_HOURLY_SHAPE: [f64; 24] = [
    3.4, 2.8, 2.3, 1.9, 1.6, 1.5, 1.8, 2.6, 3.6, 4.3, 4.6, 4.8, 4.9, 5.0, 5.0, 5.1, 5.3, 5.5, 5.6, 5.5, 5.2,
    4.8, 4.3, 3.8,
];

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Title for reports.
    pub name: String,
    /// Seed for the simulator.
    pub seed: u64,
    /// Local date and time the run starts (for labels, hour of day and weekday).
    pub start: NaiveDateTime,
    /// Days simulated.
    pub days: u32,
    /// Reporting interval, minutes (divides 60).
    pub interval_minutes: u32,
    /// Demand and service targets per channel.
    pub channels: Vec<ChannelPlan>,
    /// Teams and their daily shifts.
    pub teams: Vec<Team>,
    /// Surges on top of the normal pattern.
    pub surges: Vec<Surge>,
}

/// Normal demand and service parameters for one channel.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelPlan {
    /// The channel.
    pub channel: Channel,
    /// Mean contacts per day (over a week, before weekday shape).
    pub contacts_per_day: f64,
    /// Relative demand per hour of day.
    pub hourly_shape: [f64; 24],
    /// Relative demand per weekday, Monday first.
    pub weekday_shape: [f64; 7],
    /// Handle time distribution.
    pub handle: HandleDist,
    /// Mean patience, seconds; None for contacts that never abandon (online reports, email).
    pub patience_secs: Option<f64>,
    /// Service-level target.
    pub target: Target,
    /// Queue priority, lower first.
    pub priority: u8,
    /// Contacts a handler can hold at once.
    pub concurrency: u8,
}

/// A team and its repeating daily shifts.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// Name for reports.
    pub name: String,
    /// Channels it may take.
    pub skills: Vec<Channel>,
    /// Daily shifts.
    pub shifts: Vec<Shift>,
}

/// A shift pattern repeated on chosen weekdays.
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    /// Start, minutes after midnight.
    pub start_minute: u32,
    /// Length, minutes (may cross midnight).
    pub minutes: u32,
    /// Handlers on it.
    pub handlers: u32,
    /// Weekdays it runs, Monday first.
    pub weekdays: [bool; 7],
    /// Breaks each handler takes.
    pub breaks: Vec<Break>,
}

/// A break within a shift.
#[derive(Debug, Clone, PartialEq)]
pub struct Break {
    /// Minutes after the shift starts that the first handler goes.
    pub after_minutes: f64,
    /// Length, minutes.
    pub minutes: f64,
    /// The shift's handlers' breaks are spread over this many minutes.
    pub stagger_minutes: f64,
}

/// Extra demand in a window: New Year's Eve, a storm, a major incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Surge {
    /// Label.
    pub name: String,
    /// Channel affected.
    pub channel: Channel,
    /// Local start.
    pub start: NaiveDateTime,
    /// Length, minutes.
    pub minutes: f64,
    /// Extra contacts spread evenly over the window (e.g. hundreds of calls about one incident).
    pub extra_contacts: f64,
    /// Factor on normal demand during the window.
    pub multiplier: f64,
    /// Handle time of the extra contacts (duplicate incident calls are often short).
    pub handle: Option<HandleDist>,
    /// Patience of the extra contacts, seconds.
    pub patience_secs: Option<f64>,
}

impl Scenario {
    /// Parses and validates a scenario file's text.
    pub fn parse(text: &str) -> Result<Scenario, DemandError> {
        parse::parse(text)
    }

    /// Reporting interval in seconds.
    pub fn interval_secs(&self) -> f64 {
        f64::from(self.interval_minutes) * 60.0
    }

    /// Number of reporting intervals.
    pub fn intervals(&self) -> usize {
        (self.days * 24 * 60 / self.interval_minutes) as usize
    }

    /// Local start time of interval `i`.
    pub fn interval_start(&self, i: usize) -> NaiveDateTime {
        self.start + chrono::Duration::minutes(i as i64 * i64::from(self.interval_minutes))
    }

    /// Expected normal contacts per interval for a channel (no surges): the forecast-shaped profile.
    pub fn baseline_profile(&self, plan: &ChannelPlan) -> Vec<f64> {
        let hourly_total: f64 = plan.hourly_shape.iter().sum();
        let weekday_mean: f64 = plan.weekday_shape.iter().sum::<f64>() / 7.0;
        let per_hour_share = f64::from(self.interval_minutes) / 60.0;
        (0..self.intervals())
            .map(|i| {
                let t = self.interval_start(i);
                let h = plan.hourly_shape[t.hour() as usize] / hourly_total;
                let w = plan.weekday_shape[t.weekday().num_days_from_monday() as usize] / weekday_mean;
                plan.contacts_per_day * w * h * per_hour_share
            })
            .collect()
    }

    /// Share of interval `i` covered by a surge window (0 to 1).
    fn overlap(&self, i: usize, s: &Surge) -> f64 {
        let iv = self.interval_secs();
        let a = (s.start - self.start).num_seconds() as f64;
        let b = a + s.minutes * 60.0;
        let (lo, hi) = (i as f64 * iv, (i + 1) as f64 * iv);
        ((hi.min(b) - lo.max(a)).max(0.0)) / iv
    }

    /// Expands the scenario into the simulator's configuration.
    pub fn to_sim_config(&self) -> SimConfig {
        let iv = self.interval_secs();
        let mut streams = Vec::new();
        let queues = self
            .channels
            .iter()
            .map(|p| QueueSpec {
                channel: p.channel,
                priority: p.priority,
                target: p.target,
                concurrency: p.concurrency,
            })
            .collect();
        for p in &self.channels {
            let mut profile = self.baseline_profile(p);
            for s in self.surges.iter().filter(|s| s.channel == p.channel) {
                for (i, v) in profile.iter_mut().enumerate() {
                    *v *= 1.0 + (s.multiplier - 1.0) * self.overlap(i, s);
                }
            }
            streams.push(StreamSpec {
                channel: p.channel,
                arrivals: Arrivals::Profile(profile),
                handle: p.handle,
                patience_secs: p.patience_secs,
            });
            for s in self.surges.iter().filter(|s| s.channel == p.channel && s.extra_contacts > 0.0) {
                let per_interval = s.extra_contacts * iv / (s.minutes * 60.0);
                let profile = (0..self.intervals()).map(|i| per_interval * self.overlap(i, s)).collect();
                streams.push(StreamSpec {
                    channel: p.channel,
                    arrivals: Arrivals::Profile(profile),
                    handle: s.handle.unwrap_or(p.handle),
                    patience_secs: s.patience_secs.or(p.patience_secs),
                });
            }
        }
        let teams = self.teams.iter().map(|t| TeamSpec {
            name: t.name.clone(),
            skills: t.skills.clone(),
            shifts: self.expand_shifts(t),
        });
        SimConfig {
            duration_secs: f64::from(self.days) * 86_400.0,
            interval_secs: iv,
            queues,
            streams,
            teams: teams.collect(),
            seed: self.seed,
        }
    }

    /// Daily shifts as absolute blocks, including the night shift that started the day before.
    fn expand_shifts(&self, team: &Team) -> Vec<ShiftSpec> {
        let start_of_day0 = self.start.date().and_hms_opt(0, 0, 0).unwrap_or(self.start);
        let offset = (self.start - start_of_day0).num_seconds() as f64;
        let end = f64::from(self.days) * 86_400.0;
        let mut out = Vec::new();
        for day in -1..=self.days as i64 {
            let weekday = (start_of_day0 + chrono::Duration::days(day)).weekday().num_days_from_monday();
            for sh in team.shifts.iter().filter(|s| s.weekdays[weekday as usize]) {
                let a = day as f64 * 86_400.0 + f64::from(sh.start_minute) * 60.0 - offset;
                let b = a + f64::from(sh.minutes) * 60.0;
                if b <= 0.0 || a >= end || sh.handlers == 0 {
                    continue;
                }
                out.push(ShiftSpec {
                    start_secs: a,
                    end_secs: b,
                    handlers: sh.handlers,
                    breaks: sh
                        .breaks
                        .iter()
                        .map(|br| BreakSpec {
                            after_secs: br.after_minutes * 60.0,
                            duration_secs: br.minutes * 60.0,
                            stagger_secs: br.stagger_minutes * 60.0,
                        })
                        .collect(),
                });
            }
        }
        out
    }
}
