//! The simulator against theory: for one channel at a constant rate with exponential handle times
//! it must reproduce Erlang C (no abandonment) and Erlang A (exponential patience).

use super::*;
use crate::queueing::Load;
use crate::queueing::erlang_a::erlang_a;
use crate::queueing::erlang_c::erlang_c;
use fc_domain::Channel;

fn single_queue(
    rate: f64,
    handle: f64,
    patience: Option<f64>,
    servers: u32,
    duration: f64,
    seed: u64,
) -> SimConfig {
    let interval = 900.0;
    SimConfig {
        duration_secs: duration,
        interval_secs: interval,
        queues: vec![QueueSpec {
            channel: Channel::Emergency999,
            priority: 0,
            target: Target { threshold_secs: 20.0, share: 0.9 },
            concurrency: 1,
        }],
        streams: vec![StreamSpec {
            channel: Channel::Emergency999,
            arrivals: Arrivals::Profile(vec![rate * interval]),
            handle: HandleDist::Exponential { mean_secs: handle },
            patience_secs: patience,
        }],
        teams: vec![TeamSpec {
            name: "all".into(),
            skills: vec![Channel::Emergency999],
            shifts: vec![ShiftSpec {
                start_secs: 0.0,
                end_secs: duration,
                handlers: servers,
                breaks: vec![],
            }],
        }],
        seed,
    }
}

#[test]
fn agrees_with_erlang_c() {
    // 10 erlangs on 12 handlers, about 250k calls.
    let (rate, handle, n) = (0.1, 100.0, 12);
    let cfg = single_queue(rate, handle, None, n, 2.5e6, 11);
    let r = simulate(&cfg, &mut |_| {}).expect("runs");
    let theory = erlang_c(&Load { arrivals_per_sec: rate, handle_secs: handle }, n, 20.0).expect("valid");
    let m = r.channels[0].measures;
    let sl = m.share_within.expect("answered");
    let asa = m.mean_answer_secs.expect("answered");
    assert_eq!(m.abandoned, 0);
    assert!((sl - theory.service_level).abs() < 0.015, "sim {sl} theory {}", theory.service_level);
    assert!((asa - theory.asa_secs).abs() / theory.asa_secs < 0.08, "sim {asa} theory {}", theory.asa_secs);
    assert!((r.occupancy - theory.occupancy).abs() < 0.01, "{} {}", r.occupancy, theory.occupancy);
}

#[test]
fn agrees_with_erlang_a() {
    // Critically loaded (10 erlangs on 10 handlers), patience 60 s: abandonment is substantial.
    let (rate, handle, patience, n) = (0.1, 100.0, 60.0, 10);
    let cfg = single_queue(rate, handle, Some(patience), n, 2.5e6, 12);
    let r = simulate(&cfg, &mut |_| {}).expect("runs");
    let theory =
        erlang_a(&Load { arrivals_per_sec: rate, handle_secs: handle }, n, patience, 20.0).expect("valid");
    let m = r.channels[0].measures;
    let ab = m.abandonment_rate.expect("offered");
    let sl = m.share_within.expect("answered");
    let asa = m.mean_answer_secs.expect("answered");
    assert!((ab - theory.p_abandon).abs() < 0.01, "sim {ab} theory {}", theory.p_abandon);
    assert!((sl - theory.service_level).abs() < 0.015, "sim {sl} theory {}", theory.service_level);
    assert!((asa - theory.asa_secs).abs() / theory.asa_secs < 0.06, "sim {asa} theory {}", theory.asa_secs);
}

#[test]
fn same_seed_same_result_and_different_seed_differs() {
    let a = simulate(&single_queue(0.05, 100.0, Some(60.0), 5, 50_000.0, 1), &mut |_| {}).expect("runs");
    let b = simulate(&single_queue(0.05, 100.0, Some(60.0), 5, 50_000.0, 1), &mut |_| {}).expect("runs");
    let c = simulate(&single_queue(0.05, 100.0, Some(60.0), 5, 50_000.0, 2), &mut |_| {}).expect("runs");
    assert_eq!(a, b);
    assert_ne!(a.channels[0].measures, c.channels[0].measures);
}

#[test]
fn priority_serves_999_before_101() {
    let mut cfg = single_queue(0.05, 100.0, None, 5, 200_000.0, 3);
    cfg.queues.push(QueueSpec {
        channel: Channel::NonEmergency101,
        priority: 1,
        target: Target { threshold_secs: 60.0, share: 0.8 },
        concurrency: 1,
    });
    let mut s101 = cfg.streams[0].clone();
    s101.channel = Channel::NonEmergency101;
    cfg.streams.push(s101);
    cfg.teams[0].skills.push(Channel::NonEmergency101);
    let r = simulate(&cfg, &mut |_| {}).expect("runs");
    let w999 = r.channels[0].measures.mean_answer_secs.expect("answered");
    let w101 = r.channels[1].measures.mean_answer_secs.expect("answered");
    assert!(w999 * 3.0 < w101, "999 waits {w999}, 101 waits {w101}");
}

#[test]
fn webchat_concurrency_multiplies_capacity() {
    let mut cfg = single_queue(0.1, 100.0, None, 4, 100_000.0, 4);
    cfg.queues[0].channel = Channel::Webchat;
    cfg.streams[0].channel = Channel::Webchat;
    cfg.teams[0].skills = vec![Channel::Webchat];
    // 10 erlangs of chat on 4 handlers: hopeless one at a time, comfortable four at a time
    // (16 slots behave like Erlang C with 16 servers).
    let single = simulate(&cfg, &mut |_| {}).expect("runs");
    cfg.queues[0].concurrency = 4;
    let r = simulate(&cfg, &mut |_| {}).expect("runs");
    let sl = r.channels[0].measures.share_within.expect("answered");
    let theory = erlang_c(&Load { arrivals_per_sec: 0.1, handle_secs: 100.0 }, 16, 20.0).expect("valid");
    assert!((sl - theory.service_level).abs() < 0.03, "{sl} vs {}", theory.service_level);
    assert!(single.channels[0].measures.share_within.unwrap_or(0.0) < 0.2);
}

#[test]
fn breaks_and_shift_gaps_cost_service() {
    let base = single_queue(0.1, 100.0, Some(120.0), 12, 86_400.0, 5);
    let mut with_breaks = base.clone();
    with_breaks.teams[0].shifts[0].breaks =
        vec![BreakSpec { after_secs: 3600.0, duration_secs: 3600.0, stagger_secs: 7200.0 }];
    let a = simulate(&base, &mut |_| {}).expect("runs");
    let b = simulate(&with_breaks, &mut |_| {}).expect("runs");
    assert!(b.channels[0].measures.abandoned > a.channels[0].measures.abandoned);
}

#[test]
fn rejects_a_roster_with_nobody() {
    let cfg = single_queue(0.1, 100.0, None, 0, 1000.0, 1);
    assert!(simulate(&cfg, &mut |_| {}).is_err());
}
