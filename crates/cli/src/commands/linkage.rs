//! `firstcontact linkage train|eval|dedupe|realtime-bench`: reads people CSV (columns by header
//! name: given_name, surname, dob, postcode, address, phone, email, lat, lon; person_id is ground
//! truth and is only read by `eval` and `realtime-bench`), calls fc-linkage and prints results.

use anyhow::Context;
use chrono::Datelike;
use clap::{Args, Subcommand};
use fc_linkage::model::train::{TrainOptions, train};
use fc_linkage::{Dataset, Index, Model, Normaliser, RawRecord, dedupe, eval};
use std::path::{Path, PathBuf};
use std::time::Instant;

mod progress;

pub(crate) use progress::Bar;
use progress::print_phases;

/// Linkage jobs.
#[derive(Debug, Subcommand)]
pub enum Linkage {
    /// Estimate the model from unlabelled records and save it as JSON.
    Train(TrainArgs),
    /// Train (or load) a model, deduplicate, and score against the person_id ground truth.
    Eval(EvalArgs),
    /// Deduplicate records into persons and write record_id,person cluster CSV.
    Dedupe(DedupeArgs),
    /// Index most records, match the rest one at a time, report latency and memory.
    RealtimeBench(BenchArgs),
}

/// Arguments of `linkage train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Input people CSV.
    #[arg(long)]
    input: PathBuf,
    /// Where to write the model JSON.
    #[arg(long)]
    out: PathBuf,
    /// Sampling seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// Arguments of `linkage eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Input people CSV with a person_id column.
    #[arg(long)]
    input: PathBuf,
    /// Use this model instead of training one on the input (no labels are used either way).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Sampling seed for training.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// Arguments of `linkage dedupe`.
#[derive(Debug, Args)]
pub struct DedupeArgs {
    /// Input people CSV.
    #[arg(long)]
    input: PathBuf,
    /// Model JSON from `linkage train`.
    #[arg(long)]
    model: PathBuf,
    /// Output CSV: row index, cluster.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `linkage realtime-bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Input people CSV with a person_id column.
    #[arg(long)]
    input: PathBuf,
    /// Model JSON (default: the built-in model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Number of final rows used as queries (the rest are indexed).
    #[arg(long, default_value_t = 10_000)]
    queries: usize,
}

/// Runs the subcommand.
pub fn run(cmd: Linkage) -> anyhow::Result<()> {
    match cmd {
        Linkage::Train(a) => {
            let (data, _) = load(&a.input)?;
            let model = train_on(&data, a.seed)?;
            std::fs::write(&a.out, model.to_json()?)
                .with_context(|| format!("writing {}", a.out.display()))?;
            println!("model written to {}", a.out.display());
            Ok(())
        }
        Linkage::Eval(a) => eval_cmd(a),
        Linkage::Dedupe(a) => {
            let model = load_model(&a.model)?;
            let (data, _) = load(&a.input)?;
            let bar = Bar::new();
            let out = dedupe(&data, &model, &bar);
            let mut w = csv::Writer::from_path(&a.out)?;
            w.write_record(["row", "cluster"])?;
            for (i, c) in out.clustering.cluster_of.iter().enumerate() {
                w.write_record([i.to_string(), c.to_string()])?;
            }
            w.flush()?;
            println!(
                "{} comparisons, {} links, {} held for review",
                out.blocking.comparisons,
                out.links.len(),
                out.clustering.held.len()
            );
            print_phases(&bar);
            Ok(())
        }
        Linkage::RealtimeBench(a) => bench(a),
    }
}

fn current_year() -> i32 {
    chrono::Utc::now().year()
}

fn load_model(path: &Path) -> anyhow::Result<Model> {
    let s = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Model::from_json(&s)?)
}

/// Trains on the data set and prints where the training time went.
fn train_on(data: &Dataset, seed: u64) -> anyhow::Result<Model> {
    let opts = TrainOptions { seed, ..TrainOptions::default() };
    let bar = Bar::new();
    let model = train(&data.records, &data.vocabs, &Model::default(), &opts, &bar)?;
    print!("training");
    print_phases(&bar);
    Ok(model)
}

/// Reads the CSV into a data set and the person_id column (empty when absent).
fn load(path: &Path) -> anyhow::Result<(Dataset, Vec<u64>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("opening {}", path.display()))?;
    let headers = rdr.byte_headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name.as_bytes());
    let cols: Vec<Option<usize>> =
        ["given_name", "surname", "dob", "postcode", "address", "phone", "email", "lat", "lon", "person_id"]
            .iter()
            .map(|n| col(n))
            .collect();
    let normaliser = Normaliser::new(current_year());
    let mut data = Dataset::new();
    let mut truth = Vec::new();
    let mut bad_rows = 0u64;
    let mut row = csv::ByteRecord::new();
    while rdr.read_byte_record(&mut row)? {
        let mut bad = false;
        let mut field = |i: usize| -> &str {
            let bytes = cols[i].and_then(|c| row.get(c)).unwrap_or(b"");
            std::str::from_utf8(bytes).unwrap_or_else(|_| {
                bad = true;
                ""
            })
        };
        let raw = RawRecord {
            given_name: field(0),
            surname: field(1),
            dob: field(2),
            postcode: field(3),
            address: field(4),
            phone: field(5),
            email: field(6),
            lat: field(7).parse().ok(),
            lon: field(8).parse().ok(),
        };
        let person = field(9).parse::<u64>().ok();
        data.push(&raw, &normaliser);
        if bad {
            bad_rows += 1;
        }
        if let Some(p) = person {
            truth.push(p);
        }
    }
    if bad_rows > 0 {
        eprintln!("{bad_rows} rows had fields that were not UTF-8; those fields were treated as missing");
    }
    if truth.len() != data.len() {
        truth.clear();
    }
    Ok((data, truth))
}

fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn eval_cmd(a: EvalArgs) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let (data, truth) = load(&a.input)?;
    anyhow::ensure!(!truth.is_empty(), "eval needs a person_id column for every row");
    let t_load = t0.elapsed();
    let t1 = Instant::now();
    let model = match &a.model {
        Some(p) => load_model(p)?,
        None => train_on(&data, a.seed)?,
    };
    let t_train = t1.elapsed();
    let t2 = Instant::now();
    let bar = Bar::new();
    let out = dedupe(&data, &model, &bar);
    let t_dedupe = t2.elapsed();
    let scorer = model.scorer(data.len());
    let pw = eval::pairwise(&out.links, scorer.link_weight, &truth);
    let cl = eval::clusters(&out.clustering.cluster_of, &truth);
    println!("records            {}", data.len());
    println!("field issues       {}", data.issues.len());
    println!("comparisons        {}", out.blocking.comparisons);
    for (rule, s) in &out.blocking.rules {
        println!(
            "  {:<22} pairs {:>10}  new {:>10}  blocks {:>9}  oversized {} ({} records)",
            format!("{rule:?}"),
            s.pairs,
            s.new_pairs,
            s.blocks,
            s.oversized_blocks,
            s.oversized_records
        );
    }
    println!("links >= review    {}", out.links.len());
    println!("held by guard      {}", out.clustering.held.len());
    println!(
        "pairwise  precision {:.4} recall {:.4} F1 {:.4}  (tp {} predicted {} actual {})",
        pw.precision, pw.recall, pw.f1, pw.true_positives, pw.predicted, pw.actual
    );
    println!(
        "cluster   precision {:.4} recall {:.4} F1 {:.4}  (tp {} predicted {} actual {})",
        cl.precision, cl.recall, cl.f1, cl.true_positives, cl.predicted, cl.actual
    );
    println!(
        "time: load+normalise {:.2}s, train {:.2}s, dedupe {:.2}s",
        t_load.as_secs_f64(),
        t_train.as_secs_f64(),
        t_dedupe.as_secs_f64()
    );
    print_phases(&bar);
    println!("matches per record (prior) {:.3}", model.matches_per_record);
    if let Some(mb) = peak_memory_mb() {
        println!("peak memory (VmHWM) {mb:.0} MB");
    }
    Ok(())
}

fn bench(a: BenchArgs) -> anyhow::Result<()> {
    let model = match &a.model {
        Some(p) => load_model(p)?,
        None => Model::default(),
    };
    // Two streaming passes (count, then index and query) so that peak memory is the index's, not
    // a copy of every CSV row: at ten million records the rows alone would take gigabytes.
    let total = {
        let mut rdr = csv::Reader::from_path(&a.input)?;
        let mut row = csv::ByteRecord::new();
        let mut n = 0usize;
        while rdr.read_byte_record(&mut row)? {
            n += 1;
        }
        n
    };
    let mut rdr = csv::Reader::from_path(&a.input)?;
    let headers = rdr.headers()?.clone();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let idx: Vec<Option<usize>> =
        ["given_name", "surname", "dob", "postcode", "address", "phone", "email", "lat", "lon", "person_id"]
            .iter()
            .map(|n| col(n))
            .collect();
    fn raw<'r>(idx: &[Option<usize>], r: &'r csv::StringRecord) -> (RawRecord<'r>, u64) {
        let f = |i: usize| idx[i].and_then(|c| r.get(c)).unwrap_or("");
        let rr = RawRecord {
            given_name: f(0),
            surname: f(1),
            dob: f(2),
            postcode: f(3),
            address: f(4),
            phone: f(5),
            email: f(6),
            lat: f(7).parse().ok(),
            lon: f(8).parse().ok(),
        };
        (rr, f(9).parse().unwrap_or(0))
    }
    let split = total.saturating_sub(a.queries);
    let mut index = Index::new(model, current_year());
    index.reserve(split);
    let mut queries = Vec::with_capacity(a.queries);
    // Person ids of indexed rows, to tell whether a query's person could be found (8 bytes a row).
    let mut indexed_persons = Vec::with_capacity(split);
    let t0 = Instant::now();
    let mut row = csv::StringRecord::new();
    let mut n = 0usize;
    loop {
        match rdr.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) if n < split => {
                let (rr, p) = raw(&idx, &row);
                index.insert(&rr, p);
                indexed_persons.push(p);
            }
            Ok(true) => queries.push(row.clone()),
            Err(e) if e.is_io_error() => return Err(e.into()),
            Err(_) => {}
        }
        n += 1;
    }
    let build = t0.elapsed();
    indexed_persons.sort_unstable();
    indexed_persons.dedup();
    let mut lat = Vec::with_capacity(a.queries);
    let (mut hits, mut had_person) = (0usize, 0usize);
    for r in &queries {
        let (rr, p) = raw(&idx, r);
        let t = Instant::now();
        let res = index.match_record(&rr, 5);
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        if indexed_persons.binary_search(&p).is_ok() {
            had_person += 1;
            if res.candidates.first().is_some_and(|c| c.person == p && c.probability >= 0.5) {
                hits += 1;
            }
        }
    }
    lat.sort_by(f64::total_cmp);
    let q = |p: f64| lat.get(((lat.len() as f64 - 1.0) * p) as usize).copied().unwrap_or(0.0);
    println!(
        "indexed {} records in {:.2}s (reading the CSV included); index heap ~{:.0} MB",
        index.len(),
        build.as_secs_f64(),
        index.heap_bytes() as f64 / 1e6
    );
    println!("{} queries: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms", lat.len(), q(0.5), q(0.99), q(1.0));
    println!("top candidate is the right person for {hits} of {had_person} queries whose person is indexed");
    if let Some(mb) = peak_memory_mb() {
        println!(
            "peak memory (VmHWM) {mb:.0} MB (the index plus 8 bytes per row of person ids; rows are streamed)"
        );
    }
    Ok(())
}
