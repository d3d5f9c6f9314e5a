//! The coming week's plan from stored history: arrivals per 15-minute interval forecast with
//! `fc_demand::forecast::WeeklyModel` (hour-of-week shape times a weekly trend) fitted to the last
//! whole weeks of contacts, and the handlers each interval needs under Erlang A (Erlang C when no
//! caller abandoned, so patience cannot be estimated), with `fc_demand`'s SVG chart.
//!
//! History is the rolling weeks ending at the current 15-minute boundary (up to [`MAX_WEEKS`]);
//! the first forecast interval starts there. With less than a week stored (a fresh demo), the
//! one week that is fitted is mostly empty, and the plan says so.

use chrono::{DateTime, Duration, DurationRound, Utc};
use fc_demand::chart::plan_chart;
use fc_demand::forecast::WeeklyModel;
use fc_demand::queueing::Load;
use fc_demand::queueing::patience::estimate_patience;
use fc_demand::queueing::staffing::{Model, Target, required_servers};
use fc_domain::{Channel, ContactStatus};
use fc_store::{Store, StoreError};

/// Interval length, seconds.
pub const INTERVAL_SECS: i64 = 15 * 60;
/// Intervals in a week.
pub const SLOTS: usize = 7 * 24 * 4;
/// Most weeks of history fitted.
pub const MAX_WEEKS: usize = 8;

/// One channel's plan.
#[derive(Debug, Clone)]
pub struct ChannelPlan {
    /// The channel.
    pub channel: Channel,
    /// Target planned for.
    pub target: Target,
    /// "Erlang A (patience N s)" or "Erlang C".
    pub model: String,
    /// Mean handle time used, seconds.
    pub handle_secs: f64,
    /// Forecast contacts per interval.
    pub forecast: Vec<f64>,
    /// Handlers required per interval.
    pub required: Vec<u32>,
    /// The chart (SVG).
    pub svg: String,
}

/// The week's plan.
#[derive(Debug, Clone)]
pub struct Plan {
    /// First interval's start.
    pub start: DateTime<Utc>,
    /// Whole weeks of history fitted.
    pub history_weeks: usize,
    /// Contacts in that history.
    pub history_contacts: f64,
    /// Per planned channel.
    pub channels: Vec<ChannelPlan>,
}

/// Planned channels with their default targets and handle times (used when none closed lately).
/// Forces set their own targets; these are common ones (999: 90% in 10 s).
const CHANNELS: [(Channel, Target, f64); 3] = [
    (Channel::Emergency999, Target::EMERGENCY_999, 300.0),
    (Channel::NonEmergency101, Target { threshold_secs: 60.0, share: 0.8 }, 420.0),
    (Channel::Webchat, Target { threshold_secs: 120.0, share: 0.8 }, 900.0),
];

/// Builds the plan at `now`.
pub async fn compute(store: &Store, now: DateTime<Utc>) -> Result<Plan, StoreError> {
    let end = now.duration_trunc(Duration::minutes(15)).unwrap_or(now);
    let mut weeks = MAX_WEEKS;
    let mut history =
        store.arrival_counts(end - Duration::weeks(weeks as i64), INTERVAL_SECS, SLOTS * weeks).await?;
    // Keep only the weeks with data, most recent last, so a new system is not averaged with zeros.
    let first_used = (0..weeks)
        .find(|w| history.values().any(|v| v[w * SLOTS..(w + 1) * SLOTS].iter().any(|x| *x > 0.0)))
        .unwrap_or(weeks - 1);
    weeks -= first_used;
    for v in history.values_mut() {
        v.drain(..first_used * SLOTS);
    }
    let recent = store.contact_timings(end - Duration::days(28), now).await?;
    let history_contacts = history.values().flatten().sum();
    let mut channels = Vec::new();
    for (channel, target, default_handle) in CHANNELS {
        let hist = history.get(&channel).cloned().unwrap_or_else(|| vec![0.0; SLOTS * weeks]);
        // No history at all on a channel cannot be fitted: its forecast is zero.
        let forecast =
            WeeklyModel::fit(&hist, SLOTS).map(|m| m.forecast(1)).unwrap_or_else(|_| vec![0.0; SLOTS]);
        let mine: Vec<_> = recent.iter().filter(|t| t.channel == channel).collect();
        let handles: Vec<f64> = mine
            .iter()
            .filter(|t| t.status == ContactStatus::Closed)
            .filter_map(|t| Some((t.closed_at? - t.answered_at?).num_milliseconds() as f64 / 1000.0))
            .filter(|s| *s > 0.0)
            .collect();
        let handle_secs = if handles.is_empty() {
            default_handle
        } else {
            handles.iter().sum::<f64>() / handles.len() as f64
        };
        let answered: Vec<f64> = mine.iter().filter_map(|t| t.answer_secs()).collect();
        let abandoned: Vec<f64> = mine.iter().filter_map(|t| t.abandon_secs()).collect();
        let model = match estimate_patience(&answered, &abandoned) {
            Ok(p) if p.mean_secs.is_finite() && p.mean_secs > 0.0 => {
                Model::ErlangA { patience_secs: p.mean_secs }
            }
            _ => Model::ErlangC,
        };
        // Webchat handlers hold three chats: plan servers as chat slots, then divide.
        let concurrency = if channel == Channel::Webchat { 3.0 } else { 1.0 };
        let required: Vec<u32> = forecast
            .iter()
            .map(|&c| {
                required_servers(&Load::per_interval(c, INTERVAL_SECS as f64, handle_secs), model, target)
                    .map(|o| (f64::from(o.servers) / concurrency).ceil() as u32)
                    .unwrap_or(0)
            })
            .collect();
        let labels: Vec<String> = (0..SLOTS)
            .map(|i| (end + Duration::minutes(15 * i as i64)).format("%a %H:%M").to_string())
            .collect();
        let title = format!(
            "{} — forecast and handlers required, week from {}",
            channel.label(),
            end.format("%a %d %b %H:%M")
        );
        let svg = plan_chart(&title, &labels, &forecast, &required, None, None, target.share);
        let model = match model {
            Model::ErlangA { patience_secs } => format!("Erlang A (mean patience {patience_secs:.0} s)"),
            Model::ErlangC => "Erlang C".into(),
        };
        channels.push(ChannelPlan { channel, target, model, handle_secs, forecast, required, svg });
    }
    Ok(Plan { start: end, history_weeks: weeks, history_contacts, channels })
}
