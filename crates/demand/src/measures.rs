//! Service-level measures from recorded answer times: one definition for the live dashboard, the
//! national return and the simulator, so the three can never disagree.
//!
//! Inputs are plain numbers (seconds waited before answer, and a count of abandoned contacts); this
//! module never reads a clock or a store.

use serde::Serialize;

/// The dashboard's measures for one channel over one period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChannelMeasures {
    /// Contacts offered: answered plus abandoned.
    pub offered: u64,
    /// Contacts answered by a handler.
    pub answered: u64,
    /// Contacts that hung up or left before being answered.
    pub abandoned: u64,
    /// Answered contacts whose wait was within the threshold (`wait <= threshold`).
    pub answered_within: u64,
    /// `answered_within / answered`: how the national 999 figure is stated. None when none answered.
    pub share_within: Option<f64>,
    /// Mean answer time of answered contacts, seconds.
    pub mean_answer_secs: Option<f64>,
    /// 90th percentile answer time of answered contacts (nearest rank), seconds.
    pub p90_answer_secs: Option<f64>,
    /// `abandoned / offered`.
    pub abandonment_rate: Option<f64>,
}

/// Summarises answer waits (seconds) and an abandoned count against a threshold (seconds).
///
/// Non-finite or negative waits are ignored rather than poisoning the dashboard.
pub fn summarise(answer_waits: &[f64], abandoned: u64, threshold_secs: f64) -> ChannelMeasures {
    let mut waits: Vec<f64> = answer_waits.iter().copied().filter(|w| w.is_finite() && *w >= 0.0).collect();
    let answered = waits.len() as u64;
    let answered_within = waits.iter().filter(|&&w| w <= threshold_secs).count() as u64;
    let offered = answered + abandoned;
    let mean = (answered > 0).then(|| waits.iter().sum::<f64>() / answered as f64);
    ChannelMeasures {
        offered,
        answered,
        abandoned,
        answered_within,
        share_within: (answered > 0).then(|| answered_within as f64 / answered as f64),
        mean_answer_secs: mean,
        p90_answer_secs: percentile_in_place(&mut waits, 0.9),
        abandonment_rate: (offered > 0).then(|| abandoned as f64 / offered as f64),
    }
}

/// Nearest-rank percentile (`q` in [0, 1]) of `values`, reordering them. None when empty.
///
/// Nearest rank (not interpolation) so the figure is always a wait someone actually had.
pub fn percentile_in_place(values: &mut [f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let q = if q.is_nan() { 0.5 } else { q.clamp(0.0, 1.0) };
    let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len());
    let (_, v, _) = values.select_nth_unstable_by(rank - 1, f64::total_cmp);
    Some(*v)
}

/// The Home Office answer-time bands for 999 (and 101) returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum AnswerBand {
    /// Answered in under 10 seconds.
    Under10s,
    /// Answered in 10 seconds to under 60 seconds.
    From10To60s,
    /// Answered in 60 seconds or more.
    Over60s,
}

impl AnswerBand {
    /// The band for a wait in seconds from BT's connection to the force's answer.
    /// Boundaries: 10.0 s falls in `From10To60s`, 60.0 s in `Over60s`.
    pub fn of(wait_secs: f64) -> AnswerBand {
        if wait_secs < 10.0 {
            AnswerBand::Under10s
        } else if wait_secs < 60.0 {
            AnswerBand::From10To60s
        } else {
            AnswerBand::Over60s
        }
    }
}

/// One row of the national answer-time return (one force, one month, one channel).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NationalAnswerTimes {
    /// Calls answered.
    pub calls: u64,
    /// Mean answer time, seconds (0 when no calls).
    pub mean_answer_secs: f64,
    /// Calls answered in under 10 s.
    pub under_10s: u64,
    /// Calls answered in 10 s to under 60 s.
    pub from_10_to_60s: u64,
    /// Calls answered in 60 s or more.
    pub over_60s: u64,
}

impl NationalAnswerTimes {
    /// Buckets answer times (seconds) into the published bands; invalid waits are skipped.
    pub fn from_waits(answer_waits: &[f64]) -> Self {
        let mut row = NationalAnswerTimes {
            calls: 0,
            mean_answer_secs: 0.0,
            under_10s: 0,
            from_10_to_60s: 0,
            over_60s: 0,
        };
        let mut sum = 0.0;
        for &w in answer_waits.iter().filter(|w| w.is_finite() && **w >= 0.0) {
            row.calls += 1;
            sum += w;
            match AnswerBand::of(w) {
                AnswerBand::Under10s => row.under_10s += 1,
                AnswerBand::From10To60s => row.from_10_to_60s += 1,
                AnswerBand::Over60s => row.over_60s += 1,
            }
        }
        if row.calls > 0 {
            row.mean_answer_secs = sum / row.calls as f64;
        }
        row
    }

    /// Shares of calls in each band (under 10 s, 10 to under 60 s, 60 s or more); zeros when none.
    pub fn shares(&self) -> [f64; 3] {
        if self.calls == 0 {
            return [0.0; 3];
        }
        let c = self.calls as f64;
        [self.under_10s as f64 / c, self.from_10_to_60s as f64 / c, self.over_60s as f64 / c]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_have_the_published_boundaries() {
        assert_eq!(AnswerBand::of(0.0), AnswerBand::Under10s);
        assert_eq!(AnswerBand::of(9.999), AnswerBand::Under10s);
        assert_eq!(AnswerBand::of(10.0), AnswerBand::From10To60s);
        assert_eq!(AnswerBand::of(59.9), AnswerBand::From10To60s);
        assert_eq!(AnswerBand::of(60.0), AnswerBand::Over60s);
    }

    #[test]
    fn national_row_counts_and_means() {
        let row = NationalAnswerTimes::from_waits(&[1.0, 5.0, 10.0, 70.0, f64::NAN]);
        assert_eq!((row.calls, row.under_10s, row.from_10_to_60s, row.over_60s), (4, 2, 1, 1));
        assert!((row.mean_answer_secs - 21.5).abs() < 1e-12);
        assert!((row.shares().iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn summary_of_a_small_queue() {
        let waits: Vec<f64> = (1..=10).map(f64::from).collect();
        let m = summarise(&waits, 2, 5.0);
        assert_eq!(m.offered, 12);
        assert_eq!(m.answered_within, 5);
        assert_eq!(m.share_within, Some(0.5));
        assert_eq!(m.p90_answer_secs, Some(9.0));
        assert_eq!(m.mean_answer_secs, Some(5.5));
        assert!((m.abandonment_rate.expect("offered") - 2.0 / 12.0).abs() < 1e-12);
    }

    #[test]
    fn empty_period_has_no_shares() {
        let m = summarise(&[], 0, 10.0);
        assert_eq!(m.share_within, None);
        assert_eq!(m.abandonment_rate, None);
        assert_eq!(percentile_in_place(&mut [], 0.9), None);
    }
}
