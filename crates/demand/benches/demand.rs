//! Fixed-seed benchmarks for the demand engine, with the SimPy comparison measured in the same run.
//! Run: `cargo bench -p fc-demand --bench demand` (optimised). Environment: `SIMPY_DAYS` (default
//! 28) sets the length of the run simulated by both engines for the comparison; `SIMPY=0` skips it.
//! Figures are recorded in docs/benchmarks/demand.md.

use fc_demand::queueing::staffing::{Model, staff_intervals};
use fc_demand::scenario::Scenario;
use fc_demand::sim::{Arrivals, HandleDist, SimConfig, simulate};
use std::time::Instant;

const NORMAL: &str = include_str!("../../../scenarios/normal_week.toml");

fn scenario(days: u32) -> Scenario {
    let mut s = Scenario::parse(NORMAL).expect("the shipped scenario parses");
    s.days = days;
    s
}

fn time_sim(cfg: &SimConfig, runs: usize) -> (f64, u64) {
    let mut best = f64::INFINITY;
    let mut contacts = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let r = simulate(cfg, &mut |_| {}).expect("simulates");
        best = best.min(t.elapsed().as_secs_f64());
        contacts = r.channels.iter().map(|c| c.measures.offered + c.waiting_at_end).sum();
    }
    (best, contacts)
}

fn simpy_json(cfg: &SimConfig) -> serde_json::Value {
    let streams: Vec<_> = cfg
        .streams
        .iter()
        .map(|s| {
            let (mean, sd) = match s.handle {
                HandleDist::LogNormal { mean_secs, sd_secs } => (mean_secs, sd_secs),
                HandleDist::Exponential { mean_secs } => (mean_secs, mean_secs),
            };
            let profile = match &s.arrivals {
                Arrivals::Profile(p) => p.clone(),
                Arrivals::Replay(_) => Vec::new(),
            };
            serde_json::json!({"channel": s.channel.as_str(), "profile": profile, "handle_mean": mean,
                "handle_sd": sd, "patience": s.patience_secs})
        })
        .collect();
    let teams: Vec<_> = cfg
        .teams
        .iter()
        .map(|t| {
            let shifts: Vec<_> = t
                .shifts
                .iter()
                .map(|s| serde_json::json!({"start": s.start_secs, "end": s.end_secs, "handlers": s.handlers}))
                .collect();
            serde_json::json!({"skills": t.skills.iter().map(|c| c.as_str()).collect::<Vec<_>>(), "shifts": shifts})
        })
        .collect();
    serde_json::json!({"seed": cfg.seed, "duration_secs": cfg.duration_secs, "interval_secs": cfg.interval_secs,
        "streams": streams, "teams": teams})
}

fn main() {
    // 1. A year (52 weeks) of a large force.
    let year = scenario(364).to_sim_config();
    let (secs, contacts) = time_sim(&year, 3);
    println!(
        "simulate_year: {contacts} contacts in {secs:.3} s (best of 3), {:.0} contacts/s",
        contacts as f64 / secs
    );

    // 2. Erlang A staffing for a week of 15-minute intervals (999 and 101 profiles).
    let week = scenario(7);
    let mut total = 0.0;
    let runs = 50;
    let mut intervals = 0;
    for _ in 0..runs {
        let t = Instant::now();
        for (plan, patience) in week.channels.iter().take(2).map(|c| (c, c.patience_secs.unwrap_or(300.0))) {
            let profile = week.baseline_profile(plan);
            intervals = profile.len();
            let out = staff_intervals(
                &profile,
                week.interval_secs(),
                plan.handle.mean_secs(),
                Model::ErlangA { patience_secs: patience },
                plan.target,
            )
            .expect("staffs");
            std::hint::black_box(out);
        }
        total += t.elapsed().as_secs_f64();
    }
    println!(
        "erlang_a_week: {intervals} intervals x 2 channels in {:.3} ms per channel-week (mean of {runs})",
        total / f64::from(runs) / 2.0 * 1e3
    );

    // 3. The same configuration in SimPy and in Rust.
    if std::env::var("SIMPY").as_deref() == Ok("0") {
        return;
    }
    let days: u32 = std::env::var("SIMPY_DAYS").ok().and_then(|d| d.parse().ok()).unwrap_or(28);
    let cfg = scenario(days).to_sim_config();
    let path = std::env::temp_dir().join("fc_demand_simpy.json");
    std::fs::write(&path, simpy_json(&cfg).to_string()).expect("write temp config");
    let (rust_secs, rust_contacts) = time_sim(&cfg, 3);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/simpy_model.py");
    let out = std::process::Command::new("python3").arg(script).arg(&path).output();
    match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            let field = |k: &str| {
                text.split_whitespace()
                    .find_map(|w| w.strip_prefix(k))
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(f64::NAN)
            };
            let (py_secs, py_contacts) = (field("seconds="), field("contacts="));
            println!("simpy_{days}d: {py_contacts} contacts in {py_secs:.3} s");
            println!("rust_{days}d: {rust_contacts} contacts in {rust_secs:.4} s");
            println!(
                "speedup (contacts per second, same config): {:.0}x",
                (rust_contacts as f64 / rust_secs) / (py_contacts / py_secs)
            );
        }
        Ok(o) => println!("simpy failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => println!("simpy not run: {e}"),
    }
}
