//! 101 virtual hold: where a waiting caller stands and how long they may wait.
//!
//! Position counts the contacts on the same channel offered before this one and still waiting
//! (the router serves a channel oldest first; 999s are taken by the same handlers only where they
//! hold both skills, which the estimate does not model). The expected wait uses Erlang C on the
//! live figures: arrivals on the channel over the last hour, the mean handle time of today's
//! closed contacts on it, and the handlers on it now (ready or on contact, with the skill).
//! With all of them busy, the caller at position `k` waits for `k` departures at rate `n/h`; the
//! Erlang C average wait of a new caller is returned beside it.

use chrono::{DateTime, Duration, Utc};
use fc_demand::queueing::Load;
use fc_demand::queueing::erlang_c::erlang_c;
use fc_domain::{Channel, Contact, ContactStatus, HandlerState, Skill};
use fc_store::{Store, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// Handle time assumed when no contact on the channel closed today, seconds.
pub const DEFAULT_HANDLE_SECS: f64 = 420.0;

/// A waiting caller's place.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueuePosition {
    /// The contact.
    pub reference: String,
    /// Its channel.
    #[schema(value_type = String)]
    pub channel: Channel,
    /// 1 = next to be answered on this channel.
    pub position: usize,
    /// Whether it is a callback request (virtual hold).
    pub callback: bool,
    /// Seconds waited so far.
    pub waited_secs: i64,
    /// Handlers on this channel now (ready or on contact with the skill).
    pub handlers: usize,
    /// Of which ready.
    pub handlers_ready: usize,
    /// Arrivals on this channel over the last hour, per hour.
    pub arrivals_per_hour: f64,
    /// Mean handle time used, seconds.
    pub handle_secs: f64,
    /// Expected further wait for this caller, seconds; absent when no handler is on the channel.
    pub expected_wait_secs: Option<f64>,
    /// Erlang C average wait of a caller arriving now, seconds (absent when overloaded or unstaffed).
    pub erlang_c_wait_secs: Option<f64>,
}

/// Computes the position of `reference` at `now`. A contact that is no longer waiting is a
/// conflict for the caller to handle (it has been answered or ended).
pub async fn compute(
    store: &Store,
    reference: &str,
    now: DateTime<Utc>,
) -> Result<QueuePosition, StoreError> {
    let c: Contact = store.get_contact(reference).await?;
    if !c.status.is_waiting() {
        return Err(StoreError::Conflict(format!(
            "contact {reference} is {} and no longer waiting",
            c.status
        )));
    }
    let queue = store.queue(1000).await?;
    let position = queue.iter().filter(|q| q.channel == c.channel && q.offered_at < c.offered_at).count() + 1;
    let skill = Skill::for_channel(c.channel);
    let handlers = store.list_handlers().await?;
    let on: Vec<_> = handlers
        .iter()
        .filter(|h| {
            h.skills.contains(&skill) && matches!(h.state, HandlerState::Ready | HandlerState::OnContact)
        })
        .collect();
    let ready = on.iter().filter(|h| h.state == HandlerState::Ready).count();
    let recent = store.contact_timings(now - Duration::hours(1), now + Duration::seconds(1)).await?;
    let arrivals = recent.iter().filter(|t| t.channel == c.channel).count() as f64;
    let day = now - Duration::hours(24);
    let closed: Vec<f64> = store
        .contact_timings(day, now + Duration::seconds(1))
        .await?
        .into_iter()
        .filter(|t| t.channel == c.channel && t.status == ContactStatus::Closed)
        .filter_map(|t| Some((t.closed_at? - t.answered_at?).num_milliseconds() as f64 / 1000.0))
        .filter(|s| *s > 0.0)
        .collect();
    let handle = if closed.is_empty() {
        DEFAULT_HANDLE_SECS
    } else {
        closed.iter().sum::<f64>() / closed.len() as f64
    };
    let n = on.len();
    let load = Load { arrivals_per_sec: arrivals / 3600.0, handle_secs: handle };
    let erlang = (n > 0).then(|| erlang_c(&load, n as u32, 0.0).ok()).flatten();
    let erlang_c_wait_secs = erlang.map(|e| e.asa_secs).filter(|w| w.is_finite());
    let expected_wait_secs = (n > 0).then(|| {
        let ahead_beyond_free = position.saturating_sub(ready) as f64;
        ahead_beyond_free * handle / n as f64
    });
    Ok(QueuePosition {
        reference: reference.to_string(),
        channel: c.channel,
        position,
        callback: c.flags.contains(&fc_domain::ContactFlag::CallbackRequested),
        waited_secs: (now - c.offered_at).num_seconds().max(0),
        handlers: n,
        handlers_ready: ready,
        arrivals_per_hour: arrivals,
        handle_secs: handle,
        expected_wait_secs,
        erlang_c_wait_secs,
    })
}
