//! What a simulation run reports: the live dashboard's measures, overall and per interval.
//!
//! Contacts are counted in the interval they arrived in, as control rooms report "offered".

use crate::measures::{ChannelMeasures, NationalAnswerTimes, summarise};
use fc_domain::Channel;
use serde::Serialize;

/// Counts for one channel in one interval.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct IntervalChannel {
    /// Contacts that arrived.
    pub offered: u32,
    /// Of those, answered.
    pub answered: u32,
    /// Of those, abandoned.
    pub abandoned: u32,
    /// Of those, answered within the channel's threshold.
    pub answered_within: u32,
    /// Total wait of the answered ones, seconds.
    pub answered_wait_secs: f64,
}

impl IntervalChannel {
    /// Share answered within threshold, of those answered.
    pub fn share_within(&self) -> Option<f64> {
        (self.answered > 0).then(|| f64::from(self.answered_within) / f64::from(self.answered))
    }

    /// Mean answer time, seconds.
    pub fn mean_answer_secs(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.answered_wait_secs / f64::from(self.answered))
    }
}

/// One reporting interval across channels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalStats {
    /// Interval start, seconds from the simulation start.
    pub start_secs: f64,
    /// Handlers rostered on at the interval start (before breaks).
    pub rostered: u32,
    /// Per channel, in the order of [`SimResult::channels`].
    pub channels: Vec<IntervalChannel>,
}

/// Whole-run measures for one channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelResult {
    /// The channel.
    pub channel: Channel,
    /// Threshold used for "answered within", seconds.
    pub threshold_secs: f64,
    /// Target share for that threshold.
    pub target_share: f64,
    /// Dashboard measures (share within threshold, mean and p90 answer, abandonment).
    pub measures: ChannelMeasures,
    /// The national return's answer-time bands.
    pub national: NationalAnswerTimes,
    /// Contacts still waiting when the run ended (neither answered nor abandoned).
    pub waiting_at_end: u64,
}

/// Everything a run produces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimResult {
    /// Per channel, in the order of the configuration's queues.
    pub channels: Vec<ChannelResult>,
    /// Per-interval series.
    pub series: Vec<IntervalStats>,
    /// Share of rostered handler time spent on contacts (a chat counts as a share of a handler).
    pub occupancy: f64,
    /// Events processed (for benchmarks).
    pub events: u64,
}

/// Running tallies while the engine works.
pub(crate) struct Tally {
    pub(crate) waits: Vec<Vec<f64>>,
    pub(crate) abandoned: Vec<u64>,
    pub(crate) series: Vec<IntervalStats>,
    pub(crate) thresholds: Vec<f64>,
    interval_secs: f64,
}

impl Tally {
    pub(crate) fn new(channels: usize, intervals: usize, interval_secs: f64, thresholds: Vec<f64>) -> Self {
        Tally {
            waits: vec![Vec::new(); channels],
            abandoned: vec![0; channels],
            series: (0..intervals)
                .map(|i| IntervalStats {
                    start_secs: i as f64 * interval_secs,
                    rostered: 0,
                    channels: vec![IntervalChannel::default(); channels],
                })
                .collect(),
            thresholds,
            interval_secs,
        }
    }

    #[inline]
    fn slot(&mut self, arrival: f64, q: usize) -> &mut IntervalChannel {
        let i = ((arrival / self.interval_secs) as usize).min(self.series.len() - 1);
        &mut self.series[i].channels[q]
    }

    #[inline]
    pub(crate) fn offered(&mut self, arrival: f64, q: usize) {
        self.slot(arrival, q).offered += 1;
    }

    #[inline]
    pub(crate) fn answered(&mut self, arrival: f64, q: usize, wait: f64) {
        self.waits[q].push(wait);
        let within = wait <= self.thresholds[q];
        let s = self.slot(arrival, q);
        s.answered += 1;
        s.answered_within += u32::from(within);
        s.answered_wait_secs += wait;
    }

    #[inline]
    pub(crate) fn abandoned(&mut self, arrival: f64, q: usize) {
        self.abandoned[q] += 1;
        self.slot(arrival, q).abandoned += 1;
    }

    pub(crate) fn finish(
        self,
        queues: &[super::QueueSpec],
        waiting_at_end: Vec<u64>,
        occupancy: f64,
        events: u64,
    ) -> SimResult {
        let channels = queues
            .iter()
            .enumerate()
            .map(|(i, q)| ChannelResult {
                channel: q.channel,
                threshold_secs: q.target.threshold_secs,
                target_share: q.target.share,
                measures: summarise(&self.waits[i], self.abandoned[i], q.target.threshold_secs),
                national: NationalAnswerTimes::from_waits(&self.waits[i]),
                waiting_at_end: waiting_at_end[i],
            })
            .collect();
        SimResult { channels, series: self.series, occupancy, events }
    }
}
