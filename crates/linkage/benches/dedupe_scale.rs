//! Batch deduplication at scale, phase by phase, on the fixed-seed synthetic population (the same
//! records `firstcontact generate people --seed 42` writes). Used to profile and tune blocking
//! without building the whole CLI; the figures that count come from `firstcontact linkage eval`
//! (docs/benchmarks/linkage.md).
//!
//! `FC_BENCH_RECORDS=1000000 FC_BENCH_MODEL=/tmp/model1m.json cargo bench -p fc-linkage --bench
//! dedupe_scale`: the model is loaded from FC_BENCH_MODEL when that file exists, otherwise trained
//! (timed separately) and written there.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use fc_linkage::model::train::{TrainOptions, train};
use fc_linkage::{Dataset, Model, NoProgress, Normaliser, Progress, RawRecord, dedupe, eval};
use fc_synth::population::Population;
use std::sync::Mutex;
use std::time::Instant;

/// Records when each stage starts (wall clock and this process's CPU seconds), so the run can be
/// split into phases; CPU time is the steadier figure on a shared machine.
struct Phases(Mutex<Vec<(String, Instant, f64)>>);

/// User + system CPU seconds of this process so far (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<f64> = after.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

impl Progress for Phases {
    fn start(&self, stage: &str, _total: u64) {
        self.0.lock().unwrap().push((stage.to_string(), Instant::now(), cpu_seconds()));
    }

    fn finish(&self) {
        self.0.lock().unwrap().push(("end".to_string(), Instant::now(), cpu_seconds()));
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let n: u64 = std::env::var("FC_BENCH_RECORDS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let model_path = std::env::var("FC_BENCH_MODEL").ok();
    let t = Instant::now();
    let normaliser = Normaliser::new(2026);
    let mut data = Dataset::new();
    let mut truth = Vec::with_capacity(n as usize);
    for r in Population::new(42, n).records() {
        let raw = RawRecord {
            given_name: &r.given_name,
            surname: &r.surname,
            dob: &r.dob,
            postcode: &r.postcode,
            address: &r.address,
            phone: &r.phone,
            email: &r.email,
            lat: r.lat,
            lon: r.lon,
        };
        data.push(&raw, &normaliser);
        truth.push(r.person_id);
    }
    println!("generate+normalise {n} records: {:.2}s", t.elapsed().as_secs_f64());
    let model = match model_path.as_deref().and_then(|p| std::fs::read_to_string(p).ok()) {
        Some(json) => Model::from_json(&json).expect("model file"),
        None => {
            let t = Instant::now();
            let m =
                train(&data.records, &data.vocabs, &Model::default(), &TrainOptions::default(), &NoProgress)
                    .expect("train");
            println!("train: {:.2}s", t.elapsed().as_secs_f64());
            if let Some(p) = &model_path {
                std::fs::write(p, m.to_json().expect("json")).expect("write model");
            }
            m
        }
    };
    let mut model = model;
    // Experiments: FC_BENCH_RULES='["name_sounds_decade", ...]' and FC_BENCH_MAX_BLOCK override
    // the model's blocking.
    if let Ok(rules) = std::env::var("FC_BENCH_RULES") {
        model.blocking.rules = serde_json::from_str(&rules).expect("rules JSON");
    }
    if let Some(mb) = std::env::var("FC_BENCH_MAX_BLOCK").ok().and_then(|v| v.parse().ok()) {
        model.blocking.max_block = mb;
    }
    let phases = Phases(Mutex::new(Vec::new()));
    let t = Instant::now();
    let out = dedupe(&data, &model, &phases);
    println!("dedupe: {:.2}s", t.elapsed().as_secs_f64());
    let marks = phases.0.into_inner().unwrap();
    for w in marks.windows(2) {
        println!(
            "  {:<12} {:.2}s wall, {:.2}s cpu",
            w[0].0,
            (w[1].1 - w[0].1).as_secs_f64(),
            w[1].2 - w[0].2
        );
    }
    println!("comparisons {}", out.blocking.comparisons);
    for (rule, s) in &out.blocking.rules {
        println!(
            "  {:<22} pairs {:>10} new {:>10} oversized {} ({} records)",
            format!("{rule:?}"),
            s.pairs,
            s.new_pairs,
            s.oversized_blocks,
            s.oversized_records
        );
    }
    let scorer = model.scorer(data.len());
    let pw = eval::pairwise(&out.links, scorer.link_weight, &truth);
    let cl = eval::clusters(&out.clustering.cluster_of, &truth);
    println!("pairwise P {:.4} R {:.4} F1 {:.4}", pw.precision, pw.recall, pw.f1);
    println!("cluster  P {:.4} R {:.4} F1 {:.4}", cl.precision, cl.recall, cl.f1);
}
