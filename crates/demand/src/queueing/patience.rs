//! Estimating caller patience from what the queue recorded.
//!
//! An answered caller's patience is not seen, only that it exceeded their wait (right-censored);
//! an abandoned caller's patience equals their wait. For exponential patience the maximum
//! likelihood estimate of the mean is then `(sum of all waits) / (number abandoned)`. Using only
//! abandoned waits (a common mistake) badly under-estimates patience.

use crate::error::DemandError;

/// Estimated patience with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PatienceEstimate {
    /// Mean patience, seconds (1/θ̂).
    pub mean_secs: f64,
    /// Approximate standard error of the mean, seconds (mean / sqrt(abandoned)).
    pub std_error_secs: f64,
    /// Number of abandoned contacts the estimate rests on.
    pub abandoned: usize,
    /// Number of answered contacts (censored observations).
    pub answered: usize,
}

/// MLE of exponential patience from answered waits (censored) and abandoned waits (observed).
///
/// Fails when no-one abandoned (patience is then unbounded by the data: plan with Erlang C) or
/// when a wait is negative or not finite.
pub fn estimate_patience(
    answered_waits: &[f64],
    abandoned_waits: &[f64],
) -> Result<PatienceEstimate, DemandError> {
    let check = |w: &f64| w.is_finite() && *w >= 0.0;
    if !answered_waits.iter().all(check) {
        return Err(DemandError::invalid("answered_waits", "waits must be finite and >= 0 seconds"));
    }
    if !abandoned_waits.iter().all(check) {
        return Err(DemandError::invalid("abandoned_waits", "waits must be finite and >= 0 seconds"));
    }
    if abandoned_waits.is_empty() {
        return Err(DemandError::invalid(
            "abandoned_waits",
            "no abandoned contacts: patience cannot be estimated (use Erlang C)",
        ));
    }
    let exposure: f64 = answered_waits.iter().sum::<f64>() + abandoned_waits.iter().sum::<f64>();
    if exposure <= 0.0 {
        return Err(DemandError::invalid(
            "abandoned_waits",
            "all waits are zero: patience is not identifiable",
        ));
    }
    let d = abandoned_waits.len();
    let mean_secs = exposure / d as f64;
    Ok(PatienceEstimate {
        mean_secs,
        std_error_secs: mean_secs / (d as f64).sqrt(),
        abandoned: d,
        answered: answered_waits.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn censored_mle_by_hand() {
        // Answered after 10 and 30 s, abandoned after 20 and 40 s: exposure 100 s, 2 events.
        let e = estimate_patience(&[10.0, 30.0], &[20.0, 40.0]).expect("ok");
        assert!((e.mean_secs - 50.0).abs() < 1e-12);
        assert_eq!(e.abandoned, 2);
    }

    #[test]
    fn no_abandonment_is_an_error_not_infinity() {
        assert!(estimate_patience(&[10.0], &[]).is_err());
        assert!(estimate_patience(&[-1.0], &[2.0]).is_err());
    }
}
