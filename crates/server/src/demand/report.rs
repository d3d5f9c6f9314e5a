//! The national answer-time return, in the shape the Home Office publishes: per force and month,
//! 999 calls with mean answer time and the counts and shares answered in under 10 s, 10 to under
//! 60 s and 60 s or more (the clock from BT's connection, `offered_at`, to answer); the same for
//! 101 with its average wait to answer and abandonment.
//!
//! Months are calendar months in UK time (from local midnight on the 1st: 23:00 UTC the evening
//! before while BST is in force), as the force's own day is. The figures are aggregates with no personal data, so an
//! export is not a disclosure under DPA 2018 s.62 and is not written to the audit log.

use chrono::{Datelike, NaiveDate};
use fc_demand::measures::NationalAnswerTimes;
use fc_domain::local_time::uk_midnight;
use fc_domain::{Channel, FieldError};
use fc_store::demand::AnswerTotals;
use fc_store::{Store, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// The most months one report may span.
pub const MAX_MONTHS: usize = 36;

/// One row: a force, a month, a channel.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AnswerTimeRow {
    /// The force.
    pub force: String,
    /// `YYYY-MM`.
    pub month: String,
    /// `999` or `101`.
    pub channel: String,
    /// Calls offered (answered plus abandoned plus any still open).
    pub calls_offered: u64,
    /// Calls answered.
    pub calls_answered: u64,
    /// Mean answer time (101: average wait to answer), seconds.
    pub mean_answer_secs: f64,
    /// Answered in under 10 s.
    pub answered_under_10s: u64,
    /// Share of answered in under 10 s.
    pub share_under_10s: f64,
    /// Answered in 10 s to under 60 s.
    pub answered_10_to_60s: u64,
    /// Share answered in 10 s to under 60 s.
    pub share_10_to_60s: f64,
    /// Answered in 60 s or more.
    pub answered_60s_or_more: u64,
    /// Share answered in 60 s or more.
    pub share_60s_or_more: f64,
    /// Abandoned before answer.
    pub abandoned: u64,
    /// Abandoned / offered.
    pub abandonment_rate: f64,
}

fn bad(message: String) -> StoreError {
    StoreError::Invalid(vec![FieldError { field: "month".into(), message }])
}

/// Parses `YYYY-MM` (the field name goes in the error).
pub fn parse_month(field: &str, s: &str) -> Result<NaiveDate, StoreError> {
    let err = || {
        StoreError::Invalid(vec![FieldError {
            field: field.into(),
            message: format!("{s:?} is not a month: use YYYY-MM"),
        }])
    };
    let (y, m) = s.split_once('-').ok_or_else(err)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(err());
    }
    let (y, m) = (y.parse::<i32>().map_err(|_| err())?, m.parse::<u32>().map_err(|_| err())?);
    NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(err)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

/// One row from the stored totals, using the shared band definitions for the shares.
pub fn row(force: &str, month: NaiveDate, channel: Channel, t: AnswerTotals) -> AnswerTimeRow {
    let u = |v: i64| u64::try_from(v).unwrap_or(0);
    let n = NationalAnswerTimes {
        calls: u(t.answered),
        mean_answer_secs: if t.answered > 0 { t.answer_micros as f64 / 1e6 / t.answered as f64 } else { 0.0 },
        under_10s: u(t.under_10s),
        from_10_to_60s: u(t.from_10_to_60s),
        over_60s: u(t.over_60s),
    };
    let [s1, s2, s3] = n.shares();
    AnswerTimeRow {
        force: force.to_string(),
        month: month.format("%Y-%m").to_string(),
        channel: channel.as_str().to_string(),
        calls_offered: u(t.offered),
        calls_answered: n.calls,
        mean_answer_secs: n.mean_answer_secs,
        answered_under_10s: n.under_10s,
        share_under_10s: s1,
        answered_10_to_60s: n.from_10_to_60s,
        share_10_to_60s: s2,
        answered_60s_or_more: n.over_60s,
        share_60s_or_more: s3,
        abandoned: u(t.abandoned),
        abandonment_rate: if t.offered > 0 { t.abandoned as f64 / t.offered as f64 } else { 0.0 },
    }
}

/// The report from month `from` to month `to`, inclusive: a 999 and a 101 row per month.
pub async fn compute(
    store: &Store,
    force: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AnswerTimeRow>, StoreError> {
    if to < from {
        return Err(bad("`to` is before `from`".into()));
    }
    let months = ((to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1) as usize;
    if months > MAX_MONTHS {
        return Err(bad(format!("at most {MAX_MONTHS} months at once, not {months}")));
    }
    let mut rows = Vec::with_capacity(months * 2);
    let mut m = from;
    while m <= to {
        let end = next_month(m);
        let (start_utc, end_utc) = (uk_midnight(m), uk_midnight(end));
        let totals = store.answer_totals(start_utc, end_utc).await?;
        for ch in [Channel::Emergency999, Channel::NonEmergency101] {
            rows.push(row(force, m, ch, totals.get(&ch).copied().unwrap_or_default()));
        }
        m = end;
    }
    Ok(rows)
}

/// The rows as CSV (RFC 4180; no field needs quoting except the force name, which is quoted).
pub fn to_csv(rows: &[AnswerTimeRow]) -> String {
    let mut out = String::from(
        "force,month,channel,calls_offered,calls_answered,mean_answer_secs,answered_under_10s,share_under_10s,\
         answered_10_to_60s,share_10_to_60s,answered_60s_or_more,share_60s_or_more,abandoned,abandonment_rate\r\n",
    );
    for r in rows {
        out.push_str(&format!(
            "\"{}\",{},{},{},{},{:.1},{},{:.4},{},{:.4},{},{:.4},{},{:.4}\r\n",
            r.force.replace('"', "\"\""),
            r.month,
            r.channel,
            r.calls_offered,
            r.calls_answered,
            r.mean_answer_secs,
            r.answered_under_10s,
            r.share_under_10s,
            r.answered_10_to_60s,
            r.share_10_to_60s,
            r.answered_60s_or_more,
            r.share_60s_or_more,
            r.abandoned,
            r.abandonment_rate
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_strictly() {
        assert_eq!(parse_month("from", "2026-03").ok(), NaiveDate::from_ymd_opt(2026, 3, 1));
        for bad in ["2026-13", "2026-3", "26-03", "2026/03", "", "2026-00", "abcd-ef"] {
            assert!(parse_month("from", bad).is_err(), "{bad}");
        }
        assert_eq!(
            next_month(NaiveDate::from_ymd_opt(2026, 12, 1).expect("d")),
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("d")
        );
    }

    #[test]
    fn a_row_has_the_published_shares() {
        let t = AnswerTotals {
            offered: 5,
            answered: 4,
            answer_micros: 80_000_000,
            under_10s: 2,
            from_10_to_60s: 1,
            over_60s: 1,
            abandoned: 1,
        };
        let month = NaiveDate::from_ymd_opt(2026, 3, 1).expect("d");
        let r = row("Demo", month, Channel::Emergency999, t);
        assert_eq!((r.calls_answered, r.mean_answer_secs, r.share_under_10s), (4, 20.0, 0.5));
        assert_eq!(r.abandonment_rate, 0.2);
        let csv = to_csv(&[r]);
        assert!(
            csv.lines()
                .nth(1)
                .expect("row")
                .starts_with("\"Demo\",2026-03,999,5,4,20.0,2,0.5000,1,0.2500,1,0.2500,1,0.2000"),
            "{csv}"
        );
    }
}
