//! A staffing plan for one channel over whole weeks: forecast, handlers required per interval, and
//! what the scenario's roster would achieve. This is what `firstcontact plan` prints and charts.
//!
//! The roster's service level is an analytic approximation: a team covering several channels gives
//! each a share of its handlers in proportion to the offered load (erlangs) of that interval. For
//! the exact answer with priorities, skills and breaks, simulate the scenario.

use crate::error::DemandError;
use crate::forecast::{Accuracy, WeeklyModel, backtest};
use crate::queueing::Load;
use crate::queueing::staffing::{Model, Outcome, Target, evaluate, required_servers};
use crate::scenario::Scenario;
use chrono::{Datelike, Duration, NaiveDateTime};
use fc_domain::Channel;

/// The plan for one channel.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelPlanReport {
    /// The channel planned.
    pub channel: Channel,
    /// Local start of the first interval (a Monday 00:00).
    pub start: NaiveDateTime,
    /// Interval length, seconds.
    pub interval_secs: f64,
    /// Forecast contacts per interval.
    pub forecast: Vec<f64>,
    /// Forecast accuracy on held-back weeks, when the history was long enough.
    pub accuracy: Option<Accuracy>,
    /// Minimum handlers per interval and the outcome at that level.
    pub required: Vec<Outcome>,
    /// Handlers the roster gives this channel per interval (load-weighted share of shared teams).
    pub rostered: Vec<u32>,
    /// The outcome with the rostered handlers.
    pub with_roster: Vec<Outcome>,
    /// The target used.
    pub target: Target,
    /// The model used.
    pub model: Model,
}

/// The Monday 00:00 on or before `t`: plans run in whole weeks from a Monday.
pub fn week_start(t: NaiveDateTime) -> NaiveDateTime {
    let d = t.date() - Duration::days(i64::from(t.weekday().num_days_from_monday()));
    d.and_time(chrono::NaiveTime::MIN)
}

/// Builds the plan for `channel` for `weeks` weeks straight after `history` (counts per interval,
/// whole weeks from a Monday 00:00, at the scenario's interval). `model` None picks Erlang A when
/// the channel has a patience and Erlang C otherwise. `holdout_weeks` are held back to measure
/// forecast error when the history allows.
pub fn plan_channel(
    scenario: &Scenario,
    channel: Channel,
    history: &[f64],
    weeks: u32,
    holdout_weeks: usize,
    model: Option<Model>,
) -> Result<ChannelPlanReport, DemandError> {
    let plan =
        scenario.channels.iter().find(|c| c.channel == channel).ok_or_else(|| {
            DemandError::invalid("channel", format!("the scenario has no channel {channel}"))
        })?;
    if weeks == 0 || weeks > 104 {
        return Err(DemandError::invalid("weeks", "must be 1 to 104"));
    }
    let slots_per_week = (7 * 24 * 60 / scenario.interval_minutes) as usize;
    let fitted = WeeklyModel::fit(history, slots_per_week)?;
    let accuracy = backtest(history, slots_per_week, holdout_weeks).ok();
    let forecast = fitted.forecast(weeks as usize);

    // The roster over the planned weeks, from a copy of the scenario moved to the plan's start.
    let history_weeks = (history.len() / slots_per_week) as i64;
    let start = week_start(scenario.start) + Duration::weeks(history_weeks);
    let mut moved = scenario.clone();
    moved.start = start;
    moved.days = weeks * 7;
    moved.surges.clear();
    let cfg = moved.to_sim_config();
    let n = forecast.len();
    let iv = moved.interval_secs();
    let loads: Vec<Vec<f64>> = moved
        .channels
        .iter()
        .map(|c| moved.baseline_profile(c).iter().map(|x| x * c.handle.mean_secs() / iv).collect())
        .collect();
    let me = moved.channels.iter().position(|c| c.channel == channel).unwrap_or(0);
    let mut rostered = vec![0.0f64; n];
    for team in &cfg.teams {
        if !team.skills.contains(&channel) {
            continue;
        }
        let covered: Vec<usize> = moved
            .channels
            .iter()
            .enumerate()
            .filter(|(_, c)| team.skills.contains(&c.channel))
            .map(|(i, _)| i)
            .collect();
        for sh in &team.shifts {
            let a = ((sh.start_secs / iv).ceil().max(0.0) as usize).min(n);
            let b = ((sh.end_secs / iv).ceil().max(0.0) as usize).min(n);
            for (i, r) in rostered.iter_mut().enumerate().take(b).skip(a) {
                let total: f64 = covered.iter().map(|&c| loads[c][i]).sum();
                let share = if total > 0.0 { loads[me][i] / total } else { 1.0 / covered.len() as f64 };
                *r += f64::from(sh.handlers) * share;
            }
        }
    }
    let rostered: Vec<u32> = rostered.iter().map(|r| r.floor() as u32).collect();

    let model = model.unwrap_or(match plan.patience_secs {
        Some(p) => Model::ErlangA { patience_secs: p },
        None => Model::ErlangC,
    });
    let handle = plan.handle.mean_secs();
    let conc = f64::from(plan.concurrency);
    // Concurrency: a handler holding k chats is treated as k servers.
    let load = |c: f64| Load::per_interval(c, iv, handle);
    let required = forecast
        .iter()
        .map(|&c| {
            required_servers(&load(c), model, plan.target).map(|mut o| {
                o.servers = (f64::from(o.servers) / conc).ceil() as u32;
                o
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let with_roster = forecast
        .iter()
        .zip(&rostered)
        .map(|(&c, &r)| {
            let servers = (f64::from(r) * conc) as u32;
            evaluate(&load(c), servers, model, plan.target.threshold_secs).map(|mut o| {
                o.servers = r;
                o
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ChannelPlanReport {
        channel,
        start,
        interval_secs: iv,
        forecast,
        accuracy,
        required,
        rostered,
        with_roster,
        target: plan.target,
        model,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::synthetic_history;

    #[test]
    fn normal_week_plan_is_consistent() {
        let s = Scenario::parse(include_str!("../../../scenarios/normal_week.toml")).expect("parses");
        let mut week = s.clone();
        week.start = week_start(s.start);
        week.days = 7;
        let plan999 = &week.channels[0];
        let hist = synthetic_history(&week.baseline_profile(plan999), 8, 0.002, 9);
        let p = plan_channel(&s, Channel::Emergency999, &hist, 1, 2, None).expect("plans");
        assert_eq!(p.forecast.len(), 672);
        assert!(p.accuracy.is_some());
        assert!(p.required.iter().all(|o| o.servers == 0 || o.service_level >= 0.9));
        assert!(p.rostered.iter().any(|&r| r > 0));
        assert!(matches!(p.model, Model::ErlangA { .. }));
    }
}
