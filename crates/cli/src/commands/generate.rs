//! `firstcontact generate people`: writes a deterministic synthetic population with ground truth
//! (the `person_id` column) as CSV, streaming, with a progress bar.

use anyhow::Context;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

/// What to generate.
#[derive(Debug, Subcommand)]
pub enum Generate {
    /// People records (several per person, with real-world errors) for record linkage.
    People(PeopleArgs),
}

/// Arguments of `generate people`.
#[derive(Debug, Args)]
pub struct PeopleArgs {
    /// Number of records to write.
    #[arg(long, default_value_t = 100_000)]
    records: u64,
    /// Random seed: the same seed and size give the same file.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output CSV file.
    #[arg(long)]
    out: PathBuf,
}

/// Runs the subcommand.
pub fn run(cmd: Generate) -> anyhow::Result<()> {
    let Generate::People(args) = cmd;
    let pop = fc_synth::Population::new(args.seed, args.records);
    let mut w =
        csv::Writer::from_path(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    w.write_record(fc_synth::COLUMNS)?;
    let bar = ProgressBar::new(args.records).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} records ({per_sec}, eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    for (i, rec) in pop.records().enumerate() {
        w.write_record(rec.to_fields())?;
        if i % 10_000 == 0 {
            bar.set_position(i as u64);
        }
    }
    w.flush()?;
    bar.finish_and_clear();
    println!("wrote {} records to {}", args.records, args.out.display());
    Ok(())
}
