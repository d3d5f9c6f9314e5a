//! What demand measures read from contacts: per-contact timings for a window (the live dashboard
//! computes its figures from these with `fc_demand::measures`), answer-time totals per channel for
//! the national return (summed in the database, so a year of a large force is not loaded), and
//! arrivals per interval for the forecast. No personal details are read.

use crate::rows::{get, get_opt};
use crate::time::{from_micros, opt_from_micros, to_micros};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use fc_domain::{Channel, ContactStatus};
use std::collections::BTreeMap;

/// The times of one contact: enough for every service-level measure.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactTiming {
    /// Channel.
    pub channel: Channel,
    /// Status now.
    pub status: ContactStatus,
    /// When it reached the force (999: BT's connection).
    pub offered_at: DateTime<Utc>,
    /// When a handler answered (digital: first response).
    pub answered_at: Option<DateTime<Utc>>,
    /// When it ended (closed, abandoned, transferred).
    pub closed_at: Option<DateTime<Utc>>,
}

impl ContactTiming {
    /// Seconds from offer to answer, when answered.
    pub fn answer_secs(&self) -> Option<f64> {
        self.answered_at.map(|a| (a - self.offered_at).num_microseconds().unwrap_or(0) as f64 / 1e6)
    }

    /// Seconds waited before abandoning, when abandoned.
    pub fn abandon_secs(&self) -> Option<f64> {
        (self.status == ContactStatus::Abandoned)
            .then_some(self.closed_at)
            .flatten()
            .map(|c| (c - self.offered_at).num_microseconds().unwrap_or(0) as f64 / 1e6)
    }
}

/// Answer-time totals for one channel over a period, in the national return's bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AnswerTotals {
    /// Contacts offered in the period.
    pub offered: i64,
    /// Answered.
    pub answered: i64,
    /// Sum of answer times, microseconds.
    pub answer_micros: i64,
    /// Answered in under 10 s.
    pub under_10s: i64,
    /// Answered in 10 s to under 60 s.
    pub from_10_to_60s: i64,
    /// Answered in 60 s or more.
    pub over_60s: i64,
    /// Abandoned before answer.
    pub abandoned: i64,
}

impl Store {
    /// Timings of contacts offered at or after `from` and before `to`, oldest first.
    pub async fn contact_timings(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ContactTiming>, StoreError> {
        let rows = sqlx::query(
            "SELECT channel, status, offered_at, answered_at, closed_at FROM contacts \
             WHERE offered_at >= $1 AND offered_at < $2 ORDER BY offered_at",
        )
        .bind(to_micros(from))
        .bind(to_micros(to))
        .fetch_all(self.reads())
        .await?;
        let corrupt = |e: fc_domain::DomainError| StoreError::Corrupt(e.to_string());
        rows.iter()
            .map(|r| {
                let channel: String = get(r, "channel")?;
                let status: String = get(r, "status")?;
                Ok(ContactTiming {
                    channel: channel.parse().map_err(corrupt)?,
                    status: status.parse().map_err(corrupt)?,
                    offered_at: from_micros(get(r, "offered_at")?)?,
                    answered_at: opt_from_micros(get_opt(r, "answered_at")?)?,
                    closed_at: opt_from_micros(get_opt(r, "closed_at")?)?,
                })
            })
            .collect()
    }

    /// Answer-time totals per channel for contacts offered at or after `from` and before `to`.
    /// Bands: under 10 s, 10 s to under 60 s, 60 s or more, measured from `offered_at`.
    pub async fn answer_totals(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<BTreeMap<Channel, AnswerTotals>, StoreError> {
        let rows = sqlx::query(
            "SELECT channel, COUNT(*) AS offered, \
             CAST(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS answered, \
             CAST(COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN answered_at - offered_at ELSE 0 END), 0) AS BIGINT) AS answer_micros, \
             CAST(SUM(CASE WHEN answered_at IS NOT NULL AND answered_at - offered_at < 10000000 THEN 1 ELSE 0 END) AS BIGINT) AS under_10s, \
             CAST(SUM(CASE WHEN answered_at IS NOT NULL AND answered_at - offered_at >= 10000000 \
                 AND answered_at - offered_at < 60000000 THEN 1 ELSE 0 END) AS BIGINT) AS from_10_to_60s, \
             CAST(SUM(CASE WHEN answered_at IS NOT NULL AND answered_at - offered_at >= 60000000 THEN 1 ELSE 0 END) AS BIGINT) AS over_60s, \
             CAST(SUM(CASE WHEN status = 'abandoned' THEN 1 ELSE 0 END) AS BIGINT) AS abandoned \
             FROM contacts WHERE offered_at >= $1 AND offered_at < $2 GROUP BY channel",
        )
        .bind(to_micros(from))
        .bind(to_micros(to))
        .fetch_all(self.reads())
        .await?;
        let mut out = BTreeMap::new();
        for r in &rows {
            let channel: String = get(r, "channel")?;
            let channel: Channel = channel.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?;
            out.insert(
                channel,
                AnswerTotals {
                    offered: get(r, "offered")?,
                    answered: get(r, "answered")?,
                    answer_micros: get(r, "answer_micros")?,
                    under_10s: get(r, "under_10s")?,
                    from_10_to_60s: get(r, "from_10_to_60s")?,
                    over_60s: get(r, "over_60s")?,
                    abandoned: get(r, "abandoned")?,
                },
            );
        }
        Ok(out)
    }

    /// Contacts offered per `slot_secs` interval from `from` for `slots` intervals, per channel
    /// (zeros filled in): the history a forecast is fitted to.
    pub async fn arrival_counts(
        &self,
        from: DateTime<Utc>,
        slot_secs: i64,
        slots: usize,
    ) -> Result<BTreeMap<Channel, Vec<f64>>, StoreError> {
        let slot_us = slot_secs.max(1) * 1_000_000;
        let start = to_micros(from);
        let end = start + slot_us * slots as i64;
        let rows = sqlx::query(
            "SELECT channel, (offered_at - $1) / $2 AS slot, COUNT(*) AS n FROM contacts \
             WHERE offered_at >= $1 AND offered_at < $3 GROUP BY channel, (offered_at - $1) / $2",
        )
        .bind(start)
        .bind(slot_us)
        .bind(end)
        .fetch_all(self.reads())
        .await?;
        let mut out: BTreeMap<Channel, Vec<f64>> = BTreeMap::new();
        for r in &rows {
            let channel: String = get(r, "channel")?;
            let channel: Channel = channel.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?;
            let slot: i64 = get(r, "slot")?;
            let n: i64 = get(r, "n")?;
            if let Some(v) = usize::try_from(slot).ok().filter(|s| *s < slots) {
                out.entry(channel).or_insert_with(|| vec![0.0; slots])[v] += n as f64;
            }
        }
        Ok(out)
    }
}
