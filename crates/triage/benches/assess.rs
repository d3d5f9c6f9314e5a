//! Assessing one contact (narrative signals + history + contact facts + grade) must take under
//! 1 ms at p99. Criterion measures the mean per narrative; a timed pass over the whole corpus
//! prints the latency percentiles that the target is stated in.

#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use fc_triage::eval::default_corpus;
use fc_triage::{ContactInput, PersonHistory, PriorRecord, TriageEngine};
use std::hint::black_box;
use std::time::Instant;

fn history() -> PersonHistory {
    let record = |id: &str| PriorRecord { id: id.to_string(), summary: "DA, grade 1".to_string() };
    PersonHistory {
        contacts_last_7_days: 2,
        contacts_last_30_days: 6,
        recent_contacts: vec![record("C-1"), record("C-2")],
        previous_domestic_abuse: vec![record("I-10")],
        vulnerability_markers: vec!["domestic_abuse".to_string()],
        repeat_victim: true,
        ..PersonHistory::default()
    }
}

fn percentiles(engine: &TriageEngine) {
    let corpus = default_corpus().unwrap();
    let history = history();
    let mut times = Vec::with_capacity(corpus.len() * 50);
    for _ in 0..50 {
        for entry in &corpus {
            let contact = entry.contact();
            let start = Instant::now();
            black_box(engine.assess(black_box(&contact), &history, None));
            times.push(start.elapsed());
        }
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
    eprintln!(
        "assess over corpus ({} runs): p50 {:?}  p90 {:?}  p99 {:?}  max {:?}",
        times.len(),
        at(0.50),
        at(0.90),
        at(0.99),
        at(1.0)
    );
}

fn bench(c: &mut Criterion) {
    let engine = TriageEngine::with_defaults().unwrap();
    percentiles(&engine);
    let corpus = default_corpus().unwrap();
    let longest = corpus.iter().max_by_key(|e| e.narrative.len()).unwrap();
    let history = history();
    c.bench_function("assess/longest_corpus_narrative", |b| {
        let contact = longest.contact();
        b.iter(|| engine.assess(black_box(&contact), black_box(&history), None))
    });
    c.bench_function("assess/whole_corpus_per_contact", |b| {
        let mut i = 0;
        b.iter(|| {
            let contact: ContactInput<'_> = corpus[i % corpus.len()].contact();
            i += 1;
            engine.assess(black_box(&contact), black_box(&history), None)
        })
    });
    let long = corpus.iter().map(|e| e.narrative.as_str()).collect::<Vec<_>>().join(" ");
    c.bench_function("assess/all_narratives_as_one_20kb_text", |b| {
        let contact = ContactInput::new(fc_domain::Channel::Email, &long);
        b.iter(|| engine.assess(black_box(&contact), black_box(&history), None))
    });
    c.bench_function("engine/compile_default_configuration", |b| b.iter(TriageEngine::with_defaults));
}

criterion_group!(benches, bench);
criterion_main!(benches);
