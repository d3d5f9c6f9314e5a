//! `firstcontact plan`: forecast one channel's demand per interval, the handlers needed to meet its
//! target (Erlang A when callers abandon, else Erlang C), and the service level the scenario's
//! roster would reach; prints a summary and writes an SVG chart.

use super::simulate::load_scenario;
use anyhow::{Context, bail};
use chrono::NaiveDateTime;
use clap::{Args, ValueEnum};
use fc_demand::chart::plan_chart;
use fc_demand::forecast::synthetic_history;
use fc_demand::planning::{plan_channel, week_start};
use fc_demand::queueing::staffing::Model;
use fc_domain::Channel;
use std::path::{Path, PathBuf};

/// Which queueing model to staff with.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModelArg {
    /// Erlang A when the channel has a patience, else Erlang C.
    Auto,
    /// Callers wait for ever.
    ErlangC,
    /// Callers abandon (uses the channel's patience).
    ErlangA,
}

/// Arguments of `firstcontact plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Scenario file: gives handle times, patience, targets and the roster.
    #[arg(long, default_value = "scenarios/normal_week.toml")]
    pub scenario: PathBuf,
    /// Channel to plan (999, 101, webchat, ...).
    #[arg(long, default_value = "999")]
    pub channel: String,
    /// History CSV with header `interval_start,channel,count` (local "YYYY-MM-DDTHH:MM", one row
    /// per interval at the scenario's interval length). Without it, history is made up from the
    /// scenario's demand pattern (see --history-weeks).
    #[arg(long)]
    pub history: Option<PathBuf>,
    /// Weeks of made-up history when no CSV is given.
    #[arg(long, default_value_t = 8)]
    pub history_weeks: usize,
    /// Weeks held back to measure forecast error.
    #[arg(long, default_value_t = 2)]
    pub holdout_weeks: usize,
    /// Weeks to plan.
    #[arg(long, default_value_t = 1)]
    pub weeks: u32,
    /// Staffing model.
    #[arg(long, value_enum, default_value_t = ModelArg::Auto)]
    pub model: ModelArg,
    /// Where to write the SVG chart.
    #[arg(long, default_value = "plan.svg")]
    pub chart: PathBuf,
}

/// Runs the subcommand.
pub fn run(args: PlanArgs) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.scenario)?;
    let channel: Channel = args.channel.parse().map_err(|e| anyhow::anyhow!("--channel: {e}"))?;
    let Some(cplan) = scenario.channels.iter().find(|c| c.channel == channel) else {
        bail!("{} has no [[channel]] for {channel}", args.scenario.display());
    };
    let slots_per_week = (7 * 24 * 60 / scenario.interval_minutes) as usize;
    let history = match &args.history {
        Some(path) => read_history(path, channel, scenario.interval_minutes)?,
        None => {
            let mut week = scenario.clone();
            week.start = week_start(scenario.start);
            week.days = 7;
            synthetic_history(&week.baseline_profile(cplan), args.history_weeks, 0.002, scenario.seed)
        }
    };
    let model = match args.model {
        ModelArg::Auto => None,
        ModelArg::ErlangC => Some(Model::ErlangC),
        ModelArg::ErlangA => match cplan.patience_secs {
            Some(p) => Some(Model::ErlangA { patience_secs: p }),
            None => bail!("channel {channel} has no patience_secs in the scenario: Erlang A needs one"),
        },
    };
    let p = plan_channel(&scenario, channel, &history, args.weeks, args.holdout_weeks, model)?;

    println!("Plan for {} from {} ({} weeks), {:?}", channel.label(), p.start, args.weeks, p.model);
    println!("history: {} weeks of {} intervals", history.len() / slots_per_week, slots_per_week);
    match &p.accuracy {
        Some(a) => println!(
            "forecast error on {} held-back weeks: WAPE {:.1}%, MAPE {:.1}%, bias {:+.1}% (last-week naive WAPE {:.1}%)",
            a.holdout_weeks,
            100.0 * a.wape,
            100.0 * a.mape,
            100.0 * a.bias,
            100.0 * a.naive_wape
        ),
        None => println!("forecast error: history too short to hold weeks back"),
    }
    println!(
        "target: {:.0}% within {} s\n\n{:<10} {:>10} {:>9} {:>9} {:>12} {:>9}",
        100.0 * p.target.share,
        p.target.threshold_secs,
        "hour",
        "forecast",
        "required",
        "rostered",
        "SL roster",
        "abandon"
    );
    // Hourly summary: peak requirement and the worst service level within each hour.
    let per_hour = (3600.0 / p.interval_secs) as usize;
    let label = |i: usize| p.start + chrono::Duration::seconds((i as f64 * p.interval_secs) as i64);
    for h in (0..p.forecast.len()).step_by(per_hour.max(1)) {
        let end = (h + per_hour).min(p.forecast.len());
        let f: f64 = p.forecast[h..end].iter().sum();
        let req = p.required[h..end].iter().map(|o| o.servers).max().unwrap_or(0);
        let ros = p.rostered[h..end].iter().min().copied().unwrap_or(0);
        let sl = p.with_roster[h..end].iter().map(|o| o.service_level).fold(1.0, f64::min);
        let ab = p.with_roster[h..end].iter().map(|o| o.p_abandon).fold(0.0, f64::max);
        let flag = if ros < req { " short" } else { "" };
        println!(
            "{:<10} {:>10.1} {:>9} {:>9} {:>11.1}% {:>8.1}%{flag}",
            label(h).format("%a %H:%M"),
            f,
            req,
            ros,
            100.0 * sl,
            100.0 * ab
        );
    }
    let labels: Vec<String> =
        (0..p.forecast.len()).map(|i| label(i).format("%a %H:%M").to_string()).collect();
    let required: Vec<u32> = p.required.iter().map(|o| o.servers).collect();
    let sl: Vec<f64> = p.with_roster.iter().map(|o| o.service_level).collect();
    let title = format!("{}: forecast, handlers required and rostered", channel.label());
    let svg =
        plan_chart(&title, &labels, &p.forecast, &required, Some(&p.rostered), Some(&sl), p.target.share);
    std::fs::write(&args.chart, svg).with_context(|| format!("writing {}", args.chart.display()))?;
    println!("\nchart written to {}", args.chart.display());
    Ok(())
}

/// Reads `interval_start,channel,count` rows for one channel into whole weeks from the first
/// Monday 00:00 at or after the first row. Missing intervals count as zero.
fn read_history(path: &Path, channel: Channel, interval_minutes: u32) -> anyhow::Result<Vec<f64>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let cols: Vec<&str> = line.split(',').map(str::trim).collect();
        if cols.len() != 3 {
            bail!("{} line {}: expected interval_start,channel,count", path.display(), n + 1);
        }
        if cols[1] != channel.as_str() {
            continue;
        }
        let t = NaiveDateTime::parse_from_str(cols[0], "%Y-%m-%dT%H:%M")
            .with_context(|| format!("{} line {}: interval_start {:?}", path.display(), n + 1, cols[0]))?;
        let c: f64 = cols[2]
            .parse()
            .with_context(|| format!("{} line {}: count {:?}", path.display(), n + 1, cols[2]))?;
        if !(c.is_finite() && c >= 0.0) {
            bail!("{} line {}: count must be >= 0", path.display(), n + 1);
        }
        rows.push((t, c));
    }
    let Some(first) = rows.iter().map(|r| r.0).min() else {
        bail!("{}: no rows for channel {channel}", path.display())
    };
    let monday = week_start(first);
    let origin = if monday == first { first } else { monday + chrono::Duration::weeks(1) };
    let step = i64::from(interval_minutes) * 60;
    let mut series: Vec<f64> = Vec::new();
    for (t, c) in rows {
        let secs = (t - origin).num_seconds();
        if secs < 0 {
            continue;
        }
        let i = (secs / step) as usize;
        if series.len() <= i {
            series.resize(i + 1, 0.0);
        }
        series[i] += c;
    }
    Ok(series)
}
