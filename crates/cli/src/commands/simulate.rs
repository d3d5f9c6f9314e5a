//! `firstcontact simulate SCENARIO`: run a scenario file through the demand simulator, show a
//! progress bar, print the dashboard measures as a table and write an SVG chart.

use anyhow::Context;
use clap::Args;
use fc_demand::chart::simulation_chart;
use fc_demand::scenario::Scenario;
use fc_demand::sim::{SimResult, simulate};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

/// Arguments of `firstcontact simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Scenario file (TOML); examples in `scenarios/`.
    pub scenario: PathBuf,
    /// Override the scenario's seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Where to write the SVG chart.
    #[arg(long, default_value = "simulation.svg")]
    pub chart: PathBuf,
    /// Also write the full result (measures and per-interval series) as JSON here.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// Reads and validates a scenario file, naming the file in any error.
pub(crate) fn load_scenario(path: &Path) -> anyhow::Result<Scenario> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Scenario::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Runs the subcommand.
pub fn run(args: SimulateArgs) -> anyhow::Result<()> {
    let mut scenario = load_scenario(&args.scenario)?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let cfg = scenario.to_sim_config();
    let bar = ProgressBar::new(1000);
    bar.set_style(
        ProgressStyle::with_template("{spinner} simulating [{bar:40}] {percent}% {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let result = simulate(&cfg, &mut |f| bar.set_position((f * 1000.0) as u64))?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();

    println!("{} — {} days from {}, seed {}", scenario.name, scenario.days, scenario.start, scenario.seed);
    print_table(&result);
    let contacts: u64 = result.channels.iter().map(|c| c.measures.offered + c.waiting_at_end).sum();
    println!(
        "handler occupancy {:.0}%; {contacts} contacts, {} events in {:.2} s",
        100.0 * result.occupancy,
        result.events,
        elapsed.as_secs_f64()
    );

    let labels: Vec<String> =
        (0..result.series.len()).map(|i| scenario.interval_start(i).format("%a %H:%M").to_string()).collect();
    let svg = simulation_chart(&result, &labels, &scenario.name);
    std::fs::write(&args.chart, svg).with_context(|| format!("writing {}", args.chart.display()))?;
    println!("chart written to {}", args.chart.display());
    if let Some(path) = args.json {
        let json = serde_json::to_string_pretty(&result)?;
        std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
        println!("results written to {}", path.display());
    }
    Ok(())
}

fn opt(v: Option<f64>, scale: f64, unit: &str) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{:.1}{unit}", x * scale))
}

/// The dashboard measures per channel, then the national answer-time bands for voice channels.
fn print_table(r: &SimResult) {
    println!(
        "{:<14} {:>9} {:>9} {:>8} {:>16} {:>10} {:>10} {:>8}",
        "channel", "offered", "answered", "aband.", "within target", "mean ans.", "p90 ans.", "waiting"
    );
    for c in &r.channels {
        let m = &c.measures;
        let target = format!(
            "{} ({:.0}%≤{}s)",
            opt(m.share_within, 100.0, "%"),
            c.target_share * 100.0,
            c.threshold_secs
        );
        println!(
            "{:<14} {:>9} {:>9} {:>8} {:>16} {:>10} {:>10} {:>8}",
            c.channel.label(),
            m.offered,
            m.answered,
            opt(m.abandonment_rate, 100.0, "%"),
            target,
            opt(m.mean_answer_secs, 1.0, "s"),
            opt(m.p90_answer_secs, 1.0, "s"),
            c.waiting_at_end
        );
    }
    println!("\nanswer-time bands (national return):");
    for c in r.channels.iter().filter(|c| c.channel.is_voice()) {
        let [a, b, d] = c.national.shares();
        println!(
            "  {:<4} {} answered, mean {:.1} s: <10 s {:.1}%, 10-<60 s {:.1}%, >=60 s {:.1}%",
            c.channel.label(),
            c.national.calls,
            c.national.mean_answer_secs,
            100.0 * a,
            100.0 * b,
            100.0 * d
        );
    }
}
