//! The `firstcontact` command: one binary with a subcommand per job (serve, demo, user, audit,
//! generate, linkage, triage, plan, simulate). Each subcommand lives in `commands/` and does no more
//! than parse its arguments, call the library crates and print.

use clap::{Parser, Subcommand};

mod commands;

/// FirstContact: the public's first contact with the police, in one place.
#[derive(Debug, Parser)]
#[command(name = "firstcontact", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Every job the binary can do.
#[derive(Debug, Subcommand)]
enum Command {
    /// Generate synthetic data with ground truth.
    #[command(subcommand)]
    Generate(commands::generate::Generate),
    /// Train, evaluate and run record linkage.
    #[command(subcommand)]
    Linkage(commands::linkage::Linkage),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate(c) => commands::generate::run(c),
        Command::Linkage(c) => commands::linkage::run(c),
    }
}
