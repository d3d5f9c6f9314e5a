//! The supervisor's live figures, computed from the store on request: who waits and for how long,
//! handlers by state, service levels today and over the last 15 and 60 minutes, and per-hour
//! series for the day. All measures come from `fc_demand::measures`, the same definitions as the
//! simulator and the national return. No personal details are read.
//!
//! Definitions: the 999 clock runs from `offered_at` (BT's connection) to `answered_at`; a contact
//! counts in the period it was offered in; digital first response time is offer to answer (the
//! handler's first reply). "Today" starts at 00:00 UTC.

use chrono::{DateTime, Duration, Utc};
use fc_demand::measures::{ChannelMeasures, summarise};
use fc_domain::handler::time_in_states;
use fc_domain::{Channel, ContactStatus, HandlerState};
use fc_store::demand::ContactTiming;
use fc_store::{Store, StoreError};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// The 999 answer threshold, seconds.
pub const THRESHOLD_999_SECS: f64 = 10.0;

/// Contacts waiting on one channel.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChannelWaiting {
    /// The channel.
    #[schema(value_type = String)]
    pub channel: Channel,
    /// How many wait.
    pub waiting: usize,
    /// The longest wait now, seconds.
    pub longest_wait_secs: i64,
}

/// Handlers in one state now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StateCount {
    /// The state.
    #[schema(value_type = String)]
    pub state: HandlerState,
    /// How many handlers are in it.
    pub handlers: usize,
}

/// One channel's figures over one period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChannelFigures {
    /// The channel.
    #[schema(value_type = String)]
    pub channel: Channel,
    /// Offered, answered, abandoned, share answered within 10 s (meaningful for 999), mean and
    /// 90th percentile answer time (for digital channels: first response time), abandonment rate.
    #[schema(value_type = Object)]
    pub measures: ChannelMeasures,
}

/// Figures for one period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Period {
    /// `today`, `last_60_min` or `last_15_min`.
    pub name: String,
    /// Start of the period.
    pub from: DateTime<Utc>,
    /// Per channel with any contact offered in the period.
    pub channels: Vec<ChannelFigures>,
}

/// Per-hour series for the UK day so far (index 0 is the hour from local midnight; a clock-change
/// day has 23 or 25 hours).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Hourly {
    /// When each hour began (UTC); screens label them in UK time.
    pub hour_starts: Vec<DateTime<Utc>>,
    /// Contacts offered, all channels.
    pub arrivals: Vec<u64>,
    /// 999 calls offered.
    pub arrivals_999: Vec<u64>,
    /// 999 calls answered within 10 s.
    pub answered_999_within_10s: Vec<u64>,
    /// Average handlers in each state over the hour, in the order of `states`.
    pub handlers_by_state: Vec<Vec<f64>>,
    /// The states, in the order used by `handlers_by_state`.
    #[schema(value_type = Vec<String>)]
    pub states: Vec<HandlerState>,
}

/// The dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dashboard {
    /// When computed.
    pub generated_at: DateTime<Utc>,
    /// Waiting now, per channel, in priority order.
    pub waiting: Vec<ChannelWaiting>,
    /// Handlers by state now.
    pub handlers: Vec<StateCount>,
    /// Today, the last 60 minutes, the last 15 minutes.
    pub periods: Vec<Period>,
    /// The day by hour.
    pub hourly: Hourly,
}

fn figures(timings: &[&ContactTiming]) -> Vec<ChannelFigures> {
    let mut by: HashMap<Channel, (Vec<f64>, u64)> = HashMap::new();
    for t in timings {
        let e = by.entry(t.channel).or_default();
        if let Some(w) = t.answer_secs() {
            e.0.push(w);
        } else if t.status == ContactStatus::Abandoned {
            e.1 += 1;
        }
    }
    Channel::ALL
        .into_iter()
        .filter_map(|c| {
            by.get(&c)
                .map(|(w, a)| ChannelFigures { channel: c, measures: summarise(w, *a, THRESHOLD_999_SECS) })
        })
        .collect()
}

/// Computes the dashboard at `now`.
pub async fn compute(store: &Store, now: DateTime<Utc>) -> Result<Dashboard, StoreError> {
    let day = fc_domain::local_time::start_of_uk_day(now);
    let timings = store.contact_timings(day, now + Duration::seconds(1)).await?;
    let queue = store.queue(1000).await?;
    let waiting = Channel::ALL
        .into_iter()
        .filter_map(|c| {
            let on: Vec<_> = queue.iter().filter(|q| q.channel == c).collect();
            (!on.is_empty()).then(|| ChannelWaiting {
                channel: c,
                waiting: on.len(),
                longest_wait_secs: on
                    .iter()
                    .map(|q| (now - q.offered_at).num_seconds())
                    .max()
                    .unwrap_or(0)
                    .max(0),
            })
        })
        .collect();
    let handlers = store.list_handlers().await?;
    let handler_counts = HandlerState::ALL
        .into_iter()
        .map(|s| StateCount { state: s, handlers: handlers.iter().filter(|h| h.state == s).count() })
        .collect();
    let periods = [
        ("today", day),
        ("last_60_min", now - Duration::minutes(60)),
        ("last_15_min", now - Duration::minutes(15)),
    ]
    .into_iter()
    .map(|(name, from)| {
        let inside: Vec<&ContactTiming> = timings.iter().filter(|t| t.offered_at >= from).collect();
        Period { name: name.into(), from, channels: figures(&inside) }
    })
    .collect();

    let hours = ((now - day).num_hours() + 1).clamp(1, 25) as usize;
    let mut hourly = Hourly {
        hour_starts: (0..hours).map(|h| day + Duration::hours(h as i64)).collect(),
        arrivals: vec![0; hours],
        arrivals_999: vec![0; hours],
        answered_999_within_10s: vec![0; hours],
        handlers_by_state: vec![vec![0.0; HandlerState::ALL.len()]; hours],
        states: HandlerState::ALL.to_vec(),
    };
    for t in &timings {
        let h = ((t.offered_at - day).num_hours().max(0) as usize).min(hours - 1);
        hourly.arrivals[h] += 1;
        if t.channel == Channel::Emergency999 {
            hourly.arrivals_999[h] += 1;
            if t.answer_secs().is_some_and(|w| w < THRESHOLD_999_SECS) {
                hourly.answered_999_within_10s[h] += 1;
            }
        }
    }
    let changes = store.handler_state_changes(day, now + Duration::seconds(1)).await?;
    for h in &handlers {
        let mine: Vec<(i64, HandlerState)> =
            changes.iter().filter(|c| c.username == h.username).map(|c| (c.at.timestamp(), c.to)).collect();
        let initial = changes.iter().find(|c| c.username == h.username).map_or(h.state, |c| c.from);
        for (i, row) in hourly.handlers_by_state.iter_mut().enumerate() {
            let from = (day + Duration::hours(i as i64)).timestamp();
            let to = (day + Duration::hours(i as i64 + 1)).timestamp().min(now.timestamp());
            if to <= from {
                continue;
            }
            let secs = time_in_states(initial, &mine, from, to);
            for (cell, s) in row.iter_mut().zip(secs) {
                *cell += s as f64 / (to - from) as f64;
            }
        }
    }
    Ok(Dashboard { generated_at: now, waiting, handlers: handler_counts, periods, hourly })
}
