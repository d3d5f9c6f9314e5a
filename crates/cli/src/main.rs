//! The `firstcontact` command: one binary with a subcommand per job (serve, demo, user, audit,
//! generate, linkage, triage, plan, simulate). Each subcommand lives in `commands/` and does no more
//! than parse its arguments, call the library crates and print.

use clap::{Parser, Subcommand};

mod commands;
mod demo;
mod logging;
mod persons_link;

/// mimalloc, not glibc's malloc: under load glibc's allocator took about a quarter of the CPU,
/// much of it on the single writer's thread, freeing memory that other threads allocated.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Run the service for real, configured by a file and/or environment variables.
    Serve(commands::serve::Args),
    /// Run a demo control room with generated data and live traffic.
    Demo(commands::demo::Args),
    /// Manage users (create the first administrator).
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Work with the audit log.
    #[command(subcommand)]
    Audit(commands::audit::AuditCommand),
    /// Forecast demand, staff it with Erlang C/A, and show what a roster would achieve.
    Plan(commands::plan::PlanArgs),
    /// Simulate a scenario file (normal week, New Year's Eve, major incident...).
    Simulate(commands::simulate::SimulateArgs),
    /// Risk triage: evaluate against the labelled corpus, or assess a narrative.
    Triage(commands::triage::TriageArgs),
    /// Generate synthetic data with ground truth.
    #[command(subcommand)]
    Generate(commands::generate::Generate),
    /// Train, evaluate and run record linkage.
    #[command(subcommand)]
    Linkage(commands::linkage::Linkage),
    /// Import contacts or a person register from CSV (with a column mapping), linked into persons.
    #[command(subcommand)]
    Import(commands::import::Import),
}

/// A report piped into `head` or a pager that closes early is not an error: stop quietly, as
/// command-line tools do, instead of panicking in `println!` (the standard library's printing
/// panics on a closed pipe, and this crate forbids the unsafe call that restores SIGPIPE).
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> anyhow::Result<()> {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    let runtime = || tokio::runtime::Builder::new_multi_thread().enable_all().build();
    match cli.command {
        Command::Serve(args) => runtime()?.block_on(commands::serve::run(args)),
        Command::Demo(args) => runtime()?.block_on(commands::demo::run(args)),
        Command::User(cmd) => runtime()?.block_on(commands::user::run(cmd)),
        Command::Audit(cmd) => runtime()?.block_on(commands::audit::run(cmd)),
        Command::Plan(args) => commands::plan::run(args),
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Triage(args) => commands::triage::run(args),
        Command::Generate(c) => commands::generate::run(c),
        Command::Linkage(c) => commands::linkage::run(c),
        Command::Import(c) => runtime()?.block_on(commands::import::run(c)),
    }
}
