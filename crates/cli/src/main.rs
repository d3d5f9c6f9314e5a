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
    /// Risk triage: evaluate against the labelled corpus, or assess a narrative.
    Triage(commands::triage::TriageArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Triage(args) => commands::triage::run(args),
    }
}
