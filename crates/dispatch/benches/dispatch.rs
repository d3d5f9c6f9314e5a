//! Fixed-seed benchmark and evaluation for dispatch. Run (optimised):
//! `cargo bench -p fc-dispatch --bench dispatch`. Prints the duplicate ranking's precision and
//! recall at top-3 on generated surge days, then the latency of recommending among 5,000 units
//! (grid index vs. a full sort), as p50/p99 over many queries. Figures go in
//! docs/benchmarks/dispatch.md.

use chrono::{DateTime, Utc};
use fc_dispatch::recommend::recommend_exhaustive;
use fc_dispatch::surge::{CENTRE, evaluate, random_units, surge_day};
use fc_dispatch::{DuplicateParams, Requirement, StraightLine, UnitIndex};
use fc_domain::incident::CategoryList;
use fc_domain::{GeoPoint, Grade};
use rand::{RngExt, SeedableRng};
use std::hint::black_box;
use std::time::Instant;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let list = CategoryList::builtin();
    let now = DateTime::<Utc>::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    println!("duplicate suggestions, top-3, default parameters");
    println!("seed  dup-calls  found  shown  correct  recall  precision");
    let (mut found, mut dups, mut shown, mut correct) = (0, 0, 0, 0);
    for seed in 1..=20u64 {
        let day = surge_day(seed, now, &list);
        let m = evaluate(&day, &list, &DuplicateParams::default(), 3);
        println!(
            "{seed:>4}  {:>9}  {:>5}  {:>5}  {:>7}  {:>6.3}  {:>9.3}",
            m.duplicate_calls, m.found, m.shown, m.correct, m.recall, m.precision
        );
        (found, dups, shown, correct) =
            (found + m.found, dups + m.duplicate_calls, shown + m.shown, correct + m.correct);
    }
    println!(
        "all   {dups:>9}  {found:>5}  {shown:>5}  {correct:>7}  {:>6.3}  {:>9.3}",
        found as f64 / dups as f64,
        correct as f64 / shown as f64
    );

    let units = random_units(42, 5_000);
    let travel = StraightLine::default();
    let t = Instant::now();
    let index = UnitIndex::build(units.clone());
    println!("\nindex build, 5000 units: {:.0} µs", t.elapsed().as_secs_f64() * 1e6);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let queries: Vec<(GeoPoint, Requirement)> = (0..20_000)
        .map(|i| {
            let p = GeoPoint::parse(
                CENTRE.0 + rng.random_range(-0.2..0.2),
                CENTRE.1 + rng.random_range(-0.4..0.4),
                None,
            )
            .unwrap_or(GeoPoint { lat: CENTRE.0, lon: CENTRE.1, radius_m: None });
            let need = match i % 4 {
                0 => Requirement::for_incident("TRN-RTC-INJURY", &[], Grade::Emergency),
                1 => Requirement::for_incident("CRM-BURGLARY", &[], Grade::Priority),
                2 => Requirement::for_incident("ASB-NUISANCE", &[], Grade::Scheduled),
                _ => Requirement::for_incident(
                    "CRM-WEAPONS",
                    &[fc_domain::incident::Qualifier::Firearms],
                    Grade::Emergency,
                ),
            };
            (p, need)
        })
        .collect();
    for (name, grid) in [("grid index", true), ("full sort", false)] {
        let mut times = Vec::with_capacity(queries.len());
        let n = if grid { queries.len() } else { 2_000 };
        for (p, need) in queries.iter().take(n) {
            let t = Instant::now();
            if grid {
                black_box(index.recommend(p, need, &travel, 5));
            } else {
                black_box(recommend_exhaustive(&units, p, need, &travel, 5));
            }
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "recommend 5 of 5000 units ({name}, {n} queries): p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            percentile(&times, 1.0)
        );
    }
}
