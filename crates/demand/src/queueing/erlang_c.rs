//! Erlang B and Erlang C (M/M/n, callers wait as long as it takes).
//!
//! Everything goes through the Erlang B recurrence `B(k) = A·B(k-1) / (k + A·B(k-1))`, which never
//! forms `A^n` or `n!`, so it stays exact and finite at thousands of erlangs. Never compute these
//! formulas from factorials.

use super::Load;
use crate::error::DemandError;

/// Erlang B blocking probability for `servers` servers offered `erlangs` of traffic.
///
/// It is the building block of Erlang C and Erlang A; the recurrence is stable for any traffic.
pub fn erlang_b(servers: u32, erlangs: f64) -> f64 {
    if erlangs <= 0.0 {
        return if servers == 0 { 1.0 } else { 0.0 };
    }
    let mut b = 1.0;
    for k in 1..=servers {
        let ab = erlangs * b;
        b = ab / (f64::from(k) + ab);
    }
    b
}

/// Erlang B for every server count from 0 to `max_servers` inclusive, in one pass.
///
/// Staffing searches evaluate many neighbouring server counts; this costs the same as one call.
pub fn erlang_b_table(max_servers: u32, erlangs: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(max_servers as usize + 1);
    let mut b = 1.0;
    out.push(b);
    for k in 1..=max_servers {
        let ab = erlangs * b;
        b = if erlangs <= 0.0 { 0.0 } else { ab / (f64::from(k) + ab) };
        out.push(b);
    }
    out
}

/// Erlang C from a known Erlang B value: probability that a caller has to wait.
///
/// Returns 1 when the system is overloaded (`erlangs >= servers`): the queue grows without bound.
pub fn erlang_c_from_b(servers: u32, erlangs: f64, b: f64) -> f64 {
    let n = f64::from(servers);
    if erlangs >= n {
        return 1.0;
    }
    let c = n * b / (n - erlangs * (1.0 - b));
    c.clamp(0.0, 1.0)
}

/// Results of the Erlang C model for one interval: what a planner reads off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangC {
    /// Probability an arriving caller waits at all.
    pub p_wait: f64,
    /// Probability the wait is at most the service-level threshold.
    pub service_level: f64,
    /// Average speed of answer (mean wait of all callers), seconds. Infinite when overloaded.
    pub asa_secs: f64,
    /// Share of handler time on contacts (offered load / servers), capped at 1.
    pub occupancy: f64,
}

/// Evaluates Erlang C for `servers` handlers and a wait threshold of `threshold_secs`.
///
/// Use this when callers do not hang up (or to show the pessimistic plan); see
/// [`super::erlang_a`] when they do.
pub fn erlang_c(load: &Load, servers: u32, threshold_secs: f64) -> Result<ErlangC, DemandError> {
    load.validate()?;
    let a = load.erlangs();
    let b = erlang_b(servers, a);
    Ok(erlang_c_with_b(load, servers, threshold_secs, b))
}

/// Erlang C with the Erlang B value already known (used by the staffing search).
pub(crate) fn erlang_c_with_b(load: &Load, servers: u32, threshold_secs: f64, b: f64) -> ErlangC {
    let a = load.erlangs();
    let n = f64::from(servers);
    let p_wait = erlang_c_from_b(servers, a, b);
    let mu = 1.0 / load.handle_secs;
    let drain = n * mu - load.arrivals_per_sec;
    let (service_level, asa_secs) = if drain <= 0.0 {
        (if p_wait >= 1.0 { 0.0 } else { 1.0 - p_wait }, f64::INFINITY)
    } else {
        ((1.0 - p_wait * (-drain * threshold_secs.max(0.0)).exp()).clamp(0.0, 1.0), p_wait / drain)
    };
    let occupancy = if n > 0.0 { (a / n).min(1.0) } else { 1.0 };
    ErlangC { p_wait, service_level, asa_secs, occupancy }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_b_matches_known_table_values() {
        // Classic table: 10 erlangs on 10 circuits blocks 21.46%.
        assert!((erlang_b(10, 10.0) - 0.21458).abs() < 1e-4);
        assert!((erlang_b(1, 1.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn erlang_c_textbook_example() {
        // 100 calls per 30 min, 180 s handle time: A = 10 erlangs; 11 agents.
        // P(wait) = 0.6821 (tables); ASA = C·AHT/(n-A) = 122.8 s; SL = 1 - C·e^{-(n-A)t/AHT} = 0.3896.
        let load = Load { arrivals_per_sec: 100.0 / 1800.0, handle_secs: 180.0 };
        let r = erlang_c(&load, 11, 20.0).expect("valid");
        assert!((r.p_wait - 0.6821).abs() < 1e-3, "{r:?}");
        assert!((r.asa_secs - 122.78).abs() < 0.05, "{r:?}");
        assert!((r.service_level - 0.3896).abs() < 5e-4, "{r:?}");
    }

    #[test]
    fn large_traffic_does_not_overflow() {
        let load = Load { arrivals_per_sec: 5.0, handle_secs: 300.0 }; // 1500 erlangs
        let r = erlang_c(&load, 1550, 10.0).expect("valid");
        assert!(r.p_wait.is_finite() && (0.0..=1.0).contains(&r.p_wait));
        assert!(r.service_level > 0.5, "{r:?}");
        let table = erlang_b_table(1550, 1500.0);
        assert!((table[1550] - erlang_b(1550, 1500.0)).abs() < 1e-15);
    }

    #[test]
    fn overload_means_everyone_waits() {
        let load = Load { arrivals_per_sec: 1.0, handle_secs: 10.0 };
        let r = erlang_c(&load, 5, 10.0).expect("valid");
        assert_eq!(r.p_wait, 1.0);
        assert_eq!(r.service_level, 0.0);
        assert!(r.asa_secs.is_infinite());
    }
}
