//! Erlang A (Palm's M/M/n+M): callers hang up after an exponential patience.
//!
//! Why: 101 callers do abandon, and Erlang C then over-staffs badly. The formulas follow Garnett,
//! Mandelbaum and Reiman (2002) for P(wait) and Mandelbaum and Zeltyn for abandonment; the wait
//! distribution uses the fact that, with `k` callers ahead, the offered wait is the (k+1)-th order
//! statistic of `x + k` exponential clocks (x = nμ/θ), so each term is an incomplete beta value
//! built by a recurrence. Everything is summed with rescaling so nothing overflows at large
//! traffic. Never use factorials or powers of the load here.

use super::Load;
use super::erlang_c::erlang_b;
use crate::error::DemandError;

/// Results of the Erlang A model for one interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangA {
    /// Probability an arriving caller has to wait (all handlers busy).
    pub p_wait: f64,
    /// Probability a caller hangs up before being answered.
    pub p_abandon: f64,
    /// Share of *answered* callers answered within the threshold (how the Home Office counts).
    pub service_level: f64,
    /// Share of *all offered* callers answered within the threshold (abandoned count as misses).
    pub service_level_offered: f64,
    /// Average speed of answer of answered callers, seconds.
    pub asa_secs: f64,
    /// Mean wait of all callers, answered or abandoned, seconds (Little's law on the queue).
    pub mean_wait_secs: f64,
    /// Share of handler time busy: answered load / servers, at most 1.
    pub occupancy: f64,
}

/// Hard cap on series terms: only reached for absurd patience/load ratios.
const MAX_TERMS: usize = 5_000_000;

/// Evaluates Erlang A for `servers` handlers, mean patience `patience_secs` and a service-level
/// threshold `threshold_secs`.
pub fn erlang_a(
    load: &Load,
    servers: u32,
    patience_secs: f64,
    threshold_secs: f64,
) -> Result<ErlangA, DemandError> {
    load.validate()?;
    if !(patience_secs.is_finite() && patience_secs > 0.0) {
        return Err(DemandError::invalid("patience_secs", "must be a positive number of seconds"));
    }
    let b = erlang_b(servers, load.erlangs());
    Ok(erlang_a_with_b(load, servers, patience_secs, threshold_secs, b))
}

/// Erlang A given the Erlang B value for `servers` (the staffing search supplies it from a table).
pub(crate) fn erlang_a_with_b(
    load: &Load,
    servers: u32,
    patience_secs: f64,
    threshold_secs: f64,
    b: f64,
) -> ErlangA {
    let lambda = load.arrivals_per_sec;
    let mu = 1.0 / load.handle_secs;
    let theta = 1.0 / patience_secs;
    let n = f64::from(servers);
    let t = threshold_secs.max(0.0);
    if lambda <= 0.0 {
        return ErlangA {
            p_wait: 0.0,
            p_abandon: 0.0,
            service_level: 1.0,
            service_level_offered: 1.0,
            asa_secs: 0.0,
            mean_wait_secs: 0.0,
            occupancy: 0.0,
        };
    }
    let x = n * mu / theta;
    let y = lambda / theta;
    let s = series(x, y, theta, t);

    // P(W > 0) = B·A / (1 + B(A - 1)), written so a huge A (held as a log) cannot overflow.
    let p_wait = if b <= 0.0 { 0.0 } else { 1.0 / (1.0 + (1.0 - b) / b * (-s.log_a).exp()) };
    let p_abandon = (p_wait * s.abandon).clamp(0.0, 1.0);
    let answered_within = ((1.0 - p_wait) + p_wait * s.within).clamp(0.0, 1.0);
    let p_served = 1.0 - p_abandon;
    let service_level = if p_served > 0.0 { (answered_within / p_served).min(1.0) } else { 0.0 };
    let asa_secs = if p_served > 0.0 { p_wait * s.served_wait / theta / p_served } else { f64::INFINITY };
    let mean_wait_secs = p_wait * s.queue / lambda;
    let occupancy = if n > 0.0 { (lambda * p_served / (n * mu)).min(1.0) } else { 1.0 };
    ErlangA {
        p_wait,
        p_abandon,
        service_level,
        service_level_offered: answered_within,
        asa_secs,
        mean_wait_secs,
        occupancy,
    }
}

/// Sums over the number `k` of callers already queued when someone arrives, all conditional on
/// having to wait (normalised by the weight total `A(x, y)`).
struct Series {
    /// ln A(x, y) = ln Σ r_k, r_k = y^k / Π_{i≤k}(x+i).
    log_a: f64,
    /// E[abandon | wait].
    abandon: f64,
    /// P(answered within t | wait).
    within: f64,
    /// E[wait · 1{served} | wait] · θ.
    served_wait: f64,
    /// E[queue length | all busy] in callers.
    queue: f64,
}

fn series(x: f64, y: f64, theta: f64, t: f64) -> Series {
    const BIG: f64 = 1e250;
    let p = -(-theta * t).exp_m1(); // 1 - e^{-θt}, accurate for small θt
    let bb = x + 1.0; // beta parameter of the tilted order statistic
    // I_p(1, b) = 1 - (1-p)^b, and the log of the first recurrence step d_0 = p·b·(1-p)^b.
    let mut inc = -(-theta * t * bb).exp_m1();
    let mut log_d = if p > 0.0 { p.ln() + bb.ln() - theta * t * bb } else { f64::NEG_INFINITY };
    let ln_p = p.ln();

    let (mut r, mut log_scale) = (1.0f64, 0.0f64);
    let (mut sum, mut s_ab, mut s_sl, mut s_w, mut s_q) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut harmonic = 0.0; // Σ_{j=0}^{k} 1/(x+1+j)
    for k in 0..MAX_TERMS {
        let kf = k as f64;
        harmonic += 1.0 / (x + 1.0 + kf);
        let served = x / (x + kf + 1.0);
        sum += r;
        s_ab += r * (kf + 1.0) / (x + kf + 1.0);
        s_sl += r * served * inc.clamp(0.0, 1.0);
        s_w += r * served * harmonic;
        s_q += r * kf;
        // Next incomplete beta value: I_p(k+2, b) = I_p(k+1, b) - d_k.
        if log_d > -745.0 {
            inc -= log_d.exp();
        }
        log_d += ln_p + ((kf + 1.0 + bb) / (kf + 2.0)).ln();
        // Next weight.
        r *= y / (x + kf + 1.0);
        if r > BIG {
            r /= BIG;
            sum /= BIG;
            s_ab /= BIG;
            s_sl /= BIG;
            s_w /= BIG;
            s_q /= BIG;
            log_scale += BIG.ln();
        }
        if kf + 1.0 > y - x && r < sum * 1e-17 {
            break;
        }
    }
    Series {
        log_a: sum.ln() + log_scale,
        abandon: s_ab / sum,
        within: s_sl / sum,
        served_wait: s_w / sum,
        queue: s_q / sum,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queueing::erlang_c::erlang_c;

    #[test]
    fn abandonment_agrees_with_littles_law() {
        // P(Ab) = θ·E[Q]/λ must hold exactly in M/M/n+M.
        let load = Load { arrivals_per_sec: 0.1, handle_secs: 240.0 };
        for n in [15u32, 22, 24, 26, 30] {
            let r = erlang_a(&load, n, 90.0, 10.0).expect("valid");
            let via_little = r.mean_wait_secs / 90.0;
            assert!((r.p_abandon - via_little).abs() < 1e-9, "n={n} {r:?} {via_little}");
        }
    }

    #[test]
    fn very_patient_callers_give_erlang_c() {
        let load = Load { arrivals_per_sec: 0.05, handle_secs: 200.0 };
        let c = erlang_c(&load, 12, 20.0).expect("valid");
        let a = erlang_a(&load, 12, 1e7, 20.0).expect("valid");
        assert!((c.p_wait - a.p_wait).abs() < 1e-3, "{c:?} {a:?}");
        assert!((c.service_level - a.service_level).abs() < 1e-3, "{c:?} {a:?}");
        assert!((c.asa_secs - a.asa_secs).abs() < 0.5, "{c:?} {a:?}");
        assert!(a.p_abandon < 1e-3);
    }

    #[test]
    fn overloaded_system_is_finite_and_sane() {
        // 2000 erlangs on 1000 handlers: half the callers must abandon, nothing overflows.
        let load = Load { arrivals_per_sec: 10.0, handle_secs: 200.0 };
        let r = erlang_a(&load, 1000, 60.0, 10.0).expect("valid");
        assert!(r.p_wait > 0.99, "{r:?}");
        assert!((r.p_abandon - 0.5).abs() < 0.01, "{r:?}");
        assert!((0.0..=1.0).contains(&r.service_level));
    }

    #[test]
    fn zero_handlers_means_everyone_abandons() {
        let load = Load { arrivals_per_sec: 0.1, handle_secs: 100.0 };
        let r = erlang_a(&load, 0, 60.0, 10.0).expect("valid");
        assert!((r.p_abandon - 1.0).abs() < 1e-12, "{r:?}");
        assert_eq!(r.service_level_offered, 0.0);
    }

    #[test]
    fn rejects_nonsense_patience() {
        let load = Load { arrivals_per_sec: 0.1, handle_secs: 100.0 };
        assert!(erlang_a(&load, 5, 0.0, 10.0).is_err());
        assert!(erlang_a(&load, 5, f64::NAN, 10.0).is_err());
    }
}
