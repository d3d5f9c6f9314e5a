//! Staffing search: the fewest handlers that meet a service-level target, per interval.
//!
//! Why a search and not a formula: service level has no closed-form inverse. We bound the answer
//! from below (nobody can answer more than `n/A` of the offered work, so `n >= share·A`), build the
//! Erlang B values for the whole bracket in one pass, and bisect, relying on service level being
//! increasing in handlers (property-tested). It must stay cheap: a week of 672 intervals runs in
//! well under 10 ms.

use super::Load;
use super::erlang_a::erlang_a_with_b;
use super::erlang_c::{erlang_b, erlang_c_with_b};
use crate::error::DemandError;

/// A service-level goal, e.g. 90% of 999 calls answered within 10 seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// The answer-time threshold, seconds.
    pub threshold_secs: f64,
    /// Share of answered contacts that must meet the threshold, in (0, 1).
    pub share: f64,
}

impl Target {
    /// The national 999 target: 90% answered within 10 s.
    pub const EMERGENCY_999: Target = Target { threshold_secs: 10.0, share: 0.9 };

    fn validate(&self) -> Result<(), DemandError> {
        if !(self.threshold_secs.is_finite() && self.threshold_secs >= 0.0) {
            return Err(DemandError::invalid("threshold_secs", "must be a finite number >= 0"));
        }
        if !(self.share > 0.0 && self.share < 1.0) {
            return Err(DemandError::invalid("share", "must be strictly between 0 and 1"));
        }
        Ok(())
    }
}

/// Which queueing model to staff with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// Callers never hang up (pessimistic for 101, fine for 999).
    ErlangC,
    /// Callers hang up after an exponential patience with this mean, seconds.
    ErlangA {
        /// Mean patience, seconds (see [`super::patience::estimate_patience`]).
        patience_secs: f64,
    },
}

/// Service level and abandonment for a given staffing level under a model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Handlers assumed.
    pub servers: u32,
    /// Share of answered contacts answered within the threshold (how the national figure reads).
    pub service_level: f64,
    /// Share of offered contacts answered within the threshold (abandoned count as misses). The
    /// staffing search uses this one, so abandonment can never make a thin plan look good.
    pub service_level_offered: f64,
    /// Share of offered contacts that abandon (0 under Erlang C).
    pub p_abandon: f64,
    /// Average speed of answer of answered contacts, seconds (infinite if Erlang C is overloaded).
    pub asa_secs: f64,
    /// Handler occupancy.
    pub occupancy: f64,
}

/// Evaluates one staffing level: "what service level would this roster reach?".
pub fn evaluate(
    load: &Load,
    servers: u32,
    model: Model,
    threshold_secs: f64,
) -> Result<Outcome, DemandError> {
    load.validate()?;
    if let Model::ErlangA { patience_secs } = model
        && !(patience_secs.is_finite() && patience_secs > 0.0)
    {
        return Err(DemandError::invalid("patience_secs", "must be a positive number of seconds"));
    }
    let b = erlang_b(servers, load.erlangs());
    Ok(evaluate_with_b(load, servers, model, threshold_secs, b))
}

fn evaluate_with_b(load: &Load, servers: u32, model: Model, threshold_secs: f64, b: f64) -> Outcome {
    match model {
        Model::ErlangC => {
            let r = erlang_c_with_b(load, servers, threshold_secs, b);
            Outcome {
                servers,
                service_level: r.service_level,
                service_level_offered: r.service_level,
                p_abandon: 0.0,
                asa_secs: r.asa_secs,
                occupancy: r.occupancy,
            }
        }
        Model::ErlangA { patience_secs } => {
            let r = erlang_a_with_b(load, servers, patience_secs, threshold_secs, b);
            Outcome {
                servers,
                service_level: r.service_level,
                service_level_offered: r.service_level_offered,
                p_abandon: r.p_abandon,
                asa_secs: r.asa_secs,
                occupancy: r.occupancy,
            }
        }
    }
}

/// Most handlers the search will consider: far beyond any control room, so hitting it means the
/// target is unreachable (e.g. a zero threshold).
pub const MAX_SERVERS: u32 = 100_000;

/// The fewest handlers meeting `target` for one interval, with the outcome at that level.
///
/// The target is applied to *offered* contacts (see [`Outcome::service_level_offered`]).
///
/// With no arrivals the answer is zero handlers.
pub fn required_servers(load: &Load, model: Model, target: Target) -> Result<Outcome, DemandError> {
    load.validate()?;
    target.validate()?;
    evaluate(load, 0, model, target.threshold_secs)?; // validates the model
    let a = load.erlangs();
    if a <= 0.0 {
        return Ok(Outcome {
            servers: 0,
            service_level: 1.0,
            service_level_offered: 1.0,
            p_abandon: 0.0,
            asa_secs: 0.0,
            occupancy: 0.0,
        });
    }
    // Lower bound: answered work cannot exceed capacity. Upper bound: grow until the target holds.
    let lo = ((target.share * a).floor() as u32).clamp(1, MAX_SERVERS);
    let mut b_lo = erlang_b(lo, a);
    let meets = |n: u32, b: f64| {
        let o = evaluate_with_b(load, n, model, target.threshold_secs, b);
        (o.service_level_offered >= target.share, o)
    };
    let (ok, o) = meets(lo, b_lo);
    if ok {
        return Ok(o);
    }
    let mut step = (a.sqrt().ceil() as u32).max(2);
    let mut bracket_lo = lo;
    loop {
        let hi = bracket_lo.saturating_add(step).min(MAX_SERVERS);
        // Erlang B for bracket_lo..=hi in one pass.
        let mut table = Vec::with_capacity((hi - bracket_lo + 1) as usize);
        let mut b = b_lo;
        table.push(b);
        for k in bracket_lo + 1..=hi {
            let ab = a * b;
            b = ab / (f64::from(k) + ab);
            table.push(b);
        }
        let (ok, _) = meets(hi, b);
        if ok {
            // Bisect in (bracket_lo, hi]: bracket_lo fails, hi meets.
            let (mut fail, mut pass) = (bracket_lo, hi);
            while pass - fail > 1 {
                let mid = fail + (pass - fail) / 2;
                if meets(mid, table[(mid - bracket_lo) as usize]).0 { pass = mid } else { fail = mid }
            }
            return Ok(meets(pass, table[(pass - bracket_lo) as usize]).1);
        }
        if hi >= MAX_SERVERS {
            return Err(DemandError::Unreachable(format!(
                "{:.0}% within {} s is not met even with {MAX_SERVERS} handlers",
                target.share * 100.0,
                target.threshold_secs
            )));
        }
        bracket_lo = hi;
        b_lo = b;
        step = step.saturating_mul(2);
    }
}

/// Handlers needed for each interval of a forecast (contacts per interval).
///
/// `interval_secs` is the interval length (900 for 15 minutes).
pub fn staff_intervals(
    contacts: &[f64],
    interval_secs: f64,
    handle_secs: f64,
    model: Model,
    target: Target,
) -> Result<Vec<Outcome>, DemandError> {
    if !(interval_secs.is_finite() && interval_secs > 0.0) {
        return Err(DemandError::invalid("interval_secs", "must be > 0"));
    }
    contacts
        .iter()
        .map(|&c| required_servers(&Load::per_interval(c, interval_secs, handle_secs), model, target))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_erlang_c_staffing() {
        // 100 calls / 30 min, 180 s AHT, 80% in 20 s needs 14 agents (classic worked example).
        let load = Load::per_interval(100.0, 1800.0, 180.0);
        let o = required_servers(&load, Model::ErlangC, Target { threshold_secs: 20.0, share: 0.8 })
            .expect("reachable");
        assert_eq!(o.servers, 14, "{o:?}");
        assert!(o.service_level >= 0.8);
        let below = evaluate(&load, 13, Model::ErlangC, 20.0).expect("valid");
        assert!(below.service_level < 0.8);
    }

    #[test]
    fn erlang_a_needs_no_more_than_erlang_c_here() {
        let load = Load::per_interval(300.0, 900.0, 300.0);
        let t = Target { threshold_secs: 30.0, share: 0.8 };
        let c = required_servers(&load, Model::ErlangC, t).expect("ok");
        let a = required_servers(&load, Model::ErlangA { patience_secs: 120.0 }, t).expect("ok");
        assert!(a.servers <= c.servers, "{a:?} {c:?}");
        assert!(a.service_level >= 0.8);
    }

    #[test]
    fn large_force_peak_is_fast_and_finite() {
        let load = Load::per_interval(4000.0, 900.0, 300.0); // ~1333 erlangs
        let o = required_servers(&load, Model::ErlangA { patience_secs: 60.0 }, Target::EMERGENCY_999)
            .expect("ok");
        assert!(o.servers > 1200 && o.servers < 1500, "{o:?}");
    }

    #[test]
    fn zero_threshold_is_unreachable_or_full() {
        let load = Load::per_interval(10.0, 900.0, 300.0);
        let r = required_servers(&load, Model::ErlangC, Target { threshold_secs: 0.0, share: 0.9 });
        // With zero threshold only "no wait" counts: reachable with enough handlers.
        assert!(r.is_ok());
        let bad = required_servers(&load, Model::ErlangC, Target { threshold_secs: 10.0, share: 1.0 });
        assert!(bad.is_err());
    }

    #[test]
    fn no_arrivals_needs_nobody() {
        let out =
            staff_intervals(&[0.0, 5.0], 900.0, 200.0, Model::ErlangC, Target::EMERGENCY_999).expect("ok");
        assert_eq!(out[0].servers, 0);
        assert!(out[1].servers >= 1);
    }
}
