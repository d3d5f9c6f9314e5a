//! The linkage engine's hot paths on a fixed-seed synthetic population: normalising a record,
//! matching one record in real time against an index of known persons, and deduplicating a batch.
//! Whole-data-set figures (100k and 1M records, F1, memory) come from `firstcontact linkage eval`
//! and `linkage realtime-bench`; see docs/benchmarks/linkage.md.

#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use fc_linkage::{Dataset, Index, Model, NoProgress, Normaliser, RawRecord, dedupe};
use fc_synth::population::{Population, SynthRecord};
use std::hint::black_box;

const YEAR: i32 = 2026;

fn population(n: u64) -> Vec<SynthRecord> {
    Population::new(42, n).records().collect()
}

fn raw(r: &SynthRecord) -> RawRecord<'_> {
    RawRecord {
        given_name: &r.given_name,
        surname: &r.surname,
        dob: &r.dob,
        postcode: &r.postcode,
        address: &r.address,
        phone: &r.phone,
        email: &r.email,
        lat: r.lat,
        lon: r.lon,
    }
}

fn benches(c: &mut Criterion) {
    let records = population(100_000);
    let (known, queries) = records.split_at(records.len() - 1_000);

    let mut index = Index::new(Model::default(), YEAR);
    index.reserve(known.len());
    for r in known {
        index.insert(&raw(r), r.person_id);
    }
    let mut i = 0;
    c.bench_function("realtime match against 99k records", |b| {
        b.iter(|| {
            let q = &queries[i % queries.len()];
            i += 1;
            black_box(index.match_record(&raw(q), 5))
        })
    });

    let normaliser = Normaliser::new(YEAR);
    let mut data = Dataset::new();
    let mut j = 0;
    c.bench_function("normalise one record", |b| {
        b.iter(|| {
            let r = &records[j % records.len()];
            j += 1;
            black_box(data.push(&raw(r), &normaliser))
        })
    });

    let small: Vec<SynthRecord> = population(10_000);
    let mut batch = Dataset::new();
    for r in &small {
        batch.push(&raw(r), &normaliser);
    }
    let model = Model::default();
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.bench_function("dedupe 10k records", |b| b.iter(|| black_box(dedupe(&batch, &model, &NoProgress))));
    group.finish();
}

criterion_group!(linkage, benches);
criterion_main!(linkage);
