//! Validation of a scenario file. Every error names the 1-based line and the field path
//! (entries of a list count from 1, e.g. `channel[2].contacts_per_day`). Must never panic,
//! whatever the input (fuzzed and property-tested).

use super::raw::{RawBreak, RawChannel, RawScenario, RawShift, RawSurge, RawTeam, S};
use super::{Break, ChannelPlan, DEFAULT_HOURLY_SHAPE, Scenario, Shift, Surge, Team};
use crate::error::DemandError;
use crate::queueing::staffing::Target;
use crate::sim::HandleDist;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use fc_domain::Channel;

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

struct Ctx<'a> {
    text: &'a str,
}

impl Ctx<'_> {
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
    }

    fn err<T>(&self, v: &S<T>, field: &str, reason: impl Into<String>) -> DemandError {
        DemandError::Scenario {
            line: self.line(v.span().start),
            field: field.to_string(),
            reason: reason.into(),
        }
    }

    fn num(&self, v: &S<f64>, field: &str, min: f64, max: f64, unit: &str) -> Result<f64, DemandError> {
        let x = *v.get_ref();
        if !x.is_finite() || x < min || x > max {
            return Err(self.err(v, field, format!("{x} is out of range: must be {min} to {max} {unit}")));
        }
        Ok(x)
    }

    fn int(&self, v: &S<i64>, field: &str, min: i64, max: i64) -> Result<i64, DemandError> {
        let x = *v.get_ref();
        if x < min || x > max {
            return Err(self.err(v, field, format!("{x} is out of range: must be {min} to {max}")));
        }
        Ok(x)
    }

    fn channel(&self, v: &S<String>, field: &str) -> Result<Channel, DemandError> {
        v.get_ref().parse::<Channel>().map_err(|e| self.err(v, field, e.to_string()))
    }

    fn datetime(&self, v: &S<String>, field: &str) -> Result<NaiveDateTime, DemandError> {
        let s = v.get_ref().trim();
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d").map(|d| d.and_time(NaiveTime::MIN)))
            .map_err(|_| self.err(v, field, format!("{s:?} is not a date-time like \"2024-12-31T18:00\"")))
    }

    /// "HH:MM" as minutes after midnight.
    fn clock(&self, v: &S<String>, field: &str) -> Result<u32, DemandError> {
        let s = v.get_ref().trim();
        NaiveTime::parse_from_str(s, "%H:%M")
            .map(|t| t.hour() * 60 + t.minute())
            .map_err(|_| self.err(v, field, format!("{s:?} is not a time of day like \"07:30\"")))
    }

    fn shape<const N: usize>(&self, v: &S<Vec<f64>>, field: &str) -> Result<[f64; N], DemandError> {
        let xs = v.get_ref();
        let arr: [f64; N] = xs
            .as_slice()
            .try_into()
            .map_err(|_| self.err(v, field, format!("needs exactly {N} values, found {}", xs.len())))?;
        if arr.iter().any(|x| !x.is_finite() || *x < 0.0) || arr.iter().sum::<f64>() <= 0.0 {
            return Err(self.err(v, field, "values must be >= 0 and not all zero"));
        }
        Ok(arr)
    }
}

pub(super) fn parse(text: &str) -> Result<Scenario, DemandError> {
    let ctx = Ctx { text };
    let raw: RawScenario = toml::from_str(text).map_err(|e| DemandError::Scenario {
        line: e.span().map_or(0, |s| ctx.line(s.start)),
        field: "(syntax)".to_string(),
        reason: e.message().trim().to_string(),
    })?;
    let start = ctx.datetime(&raw.start, "start")?;
    let days = ctx.int(&raw.days, "days", 1, 731)? as u32;
    let interval_minutes = match &raw.interval_minutes {
        None => 15,
        Some(v) => match ctx.int(v, "interval_minutes", 1, 60)? {
            m @ (5 | 10 | 15 | 20 | 30 | 60) => m as u32,
            m => {
                return Err(ctx.err(
                    v,
                    "interval_minutes",
                    format!("{m} must be one of 5, 10, 15, 20, 30, 60"),
                ));
            }
        },
    };
    let seed = match &raw.seed {
        None => 1,
        Some(v) => ctx.int(v, "seed", 0, i64::MAX)? as u64,
    };
    let mut channels: Vec<ChannelPlan> = Vec::new();
    for (i, c) in raw.channel.iter().enumerate() {
        let plan = channel(&ctx, c.get_ref(), &format!("channel[{}]", i + 1))?;
        if channels.iter().any(|p| p.channel == plan.channel) {
            return Err(ctx.err(
                &c.get_ref().channel,
                &format!("channel[{}].channel", i + 1),
                "listed twice",
            ));
        }
        channels.push(plan);
    }
    if channels.is_empty() {
        return Err(DemandError::Scenario {
            line: 0,
            field: "channel".into(),
            reason: "no [[channel]] given".into(),
        });
    }
    let teams = raw
        .team
        .iter()
        .enumerate()
        .map(|(i, t)| team(&ctx, t.get_ref(), &format!("team[{}]", i + 1)))
        .collect::<Result<Vec<_>, _>>()?;
    if teams.iter().flat_map(|t| &t.shifts).all(|s| s.handlers == 0) {
        return Err(DemandError::Scenario {
            line: 0,
            field: "team".into(),
            reason: "no team has any shift".into(),
        });
    }
    for (i, c) in raw.channel.iter().enumerate() {
        let ch = channels[i].channel;
        if !teams.iter().any(|t| t.skills.contains(&ch) && !t.shifts.is_empty()) {
            let f = format!("channel[{}].channel", i + 1);
            return Err(ctx.err(&c.get_ref().channel, &f, format!("no team has the skill {ch}")));
        }
    }
    let mut surges = Vec::new();
    for (i, s) in raw.surge.iter().enumerate() {
        let surge = surge(&ctx, s.get_ref(), &format!("surge[{}]", i + 1))?;
        if !channels.iter().any(|c| c.channel == surge.channel) {
            let f = format!("surge[{}].channel", i + 1);
            return Err(ctx.err(&s.get_ref().channel, &f, "this channel has no [[channel]] entry"));
        }
        surges.push(surge);
    }
    let name = raw.name.map_or_else(|| "scenario".to_string(), |n| n.into_inner());
    Ok(Scenario { name, seed, start, days, interval_minutes, channels, teams, surges })
}

fn handle(ctx: &Ctx, mean: &S<f64>, sd: Option<&S<f64>>, path: &str) -> Result<HandleDist, DemandError> {
    let mean_secs = ctx.num(mean, &format!("{path}.handle_mean_secs"), 1.0, 86_400.0, "seconds")?;
    let sd_secs = match sd {
        None => mean_secs * 0.7,
        Some(v) => ctx.num(v, &format!("{path}.handle_sd_secs"), 0.0, 86_400.0, "seconds")?,
    };
    Ok(HandleDist::LogNormal { mean_secs, sd_secs })
}

fn channel(ctx: &Ctx, c: &RawChannel, path: &str) -> Result<ChannelPlan, DemandError> {
    let ch = ctx.channel(&c.channel, &format!("{path}.channel"))?;
    let f = |name: &str| format!("{path}.{name}");
    let contacts_per_day =
        ctx.num(&c.contacts_per_day, &f("contacts_per_day"), 0.0, 1e7, "contacts a day")?;
    let hourly_shape = match &c.hourly_shape {
        Some(v) => ctx.shape::<24>(v, &f("hourly_shape"))?,
        None => DEFAULT_HOURLY_SHAPE,
    };
    let weekday_shape = match &c.weekday_shape {
        Some(v) => ctx.shape::<7>(v, &f("weekday_shape"))?,
        None => [1.0; 7],
    };
    let default_target = if ch == Channel::Emergency999 {
        Target::EMERGENCY_999
    } else {
        Target { threshold_secs: 60.0, share: 0.8 }
    };
    let target = Target {
        threshold_secs: match &c.target_secs {
            Some(v) => ctx.num(v, &f("target_secs"), 0.0, 604_800.0, "seconds")?,
            None => default_target.threshold_secs,
        },
        share: match &c.target_share {
            Some(v) => ctx.num(v, &f("target_share"), 0.01, 0.999, "")?,
            None => default_target.share,
        },
    };
    Ok(ChannelPlan {
        channel: ch,
        contacts_per_day,
        hourly_shape,
        weekday_shape,
        handle: handle(ctx, &c.handle_mean_secs, c.handle_sd_secs.as_ref(), path)?,
        patience_secs: c
            .patience_secs
            .as_ref()
            .map(|v| ctx.num(v, &f("patience_secs"), 1.0, 1e7, "seconds"))
            .transpose()?,
        target,
        priority: match &c.priority {
            Some(v) => ctx.int(v, &f("priority"), 0, 9)? as u8,
            None => ch.default_priority(),
        },
        concurrency: match &c.concurrency {
            Some(v) => ctx.int(v, &f("concurrency"), 1, 6)? as u8,
            None => 1,
        },
    })
}

fn team(ctx: &Ctx, t: &RawTeam, path: &str) -> Result<Team, DemandError> {
    let skills = t
        .skills
        .get_ref()
        .iter()
        .map(|s| ctx.channel(s, &format!("{path}.skills")))
        .collect::<Result<Vec<_>, _>>()?;
    if skills.is_empty() {
        return Err(ctx.err(&t.skills, &format!("{path}.skills"), "a team needs at least one skill"));
    }
    let shifts = t
        .shift
        .iter()
        .enumerate()
        .map(|(i, s)| shift(ctx, s.get_ref(), &format!("{path}.shift[{}]", i + 1)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Team { name: t.name.get_ref().clone(), skills, shifts })
}

fn shift(ctx: &Ctx, s: &RawShift, path: &str) -> Result<Shift, DemandError> {
    let f = |name: &str| format!("{path}.{name}");
    let start_minute = ctx.clock(&s.start, &f("start"))?;
    let hours = ctx.num(&s.hours, &f("hours"), 0.25, 24.0, "hours")?;
    let handlers = ctx.int(&s.handlers, &f("handlers"), 1, 100_000)? as u32;
    let weekdays = match &s.days {
        None => [true; 7],
        Some(list) => {
            let mut w = [false; 7];
            for d in list.get_ref() {
                let key = d.get_ref().trim().to_ascii_lowercase();
                let idx = WEEKDAYS.iter().position(|x| key.starts_with(x)).ok_or_else(|| {
                    ctx.err(d, &f("days"), format!("{:?} is not a weekday (mon..sun)", d.get_ref()))
                })?;
                w[idx] = true;
            }
            w
        }
    };
    let breaks = s
        .breaks
        .iter()
        .enumerate()
        .map(|(i, b)| brk(ctx, b.get_ref(), &format!("{path}.break[{}]", i + 1), hours))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Shift { start_minute, minutes: (hours * 60.0).round() as u32, handlers, weekdays, breaks })
}

fn brk(ctx: &Ctx, b: &RawBreak, path: &str, shift_hours: f64) -> Result<Break, DemandError> {
    let after_minutes = f64::from(ctx.clock(&b.after, &format!("{path}.after"))?);
    if after_minutes >= shift_hours * 60.0 {
        return Err(ctx.err(&b.after, &format!("{path}.after"), "the break starts after the shift ends"));
    }
    Ok(Break {
        after_minutes,
        minutes: ctx.num(&b.minutes, &format!("{path}.minutes"), 1.0, 240.0, "minutes")?,
        stagger_minutes: match &b.stagger_minutes {
            Some(v) => ctx.num(v, &format!("{path}.stagger_minutes"), 0.0, 720.0, "minutes")?,
            None => 60.0,
        },
    })
}

fn surge(ctx: &Ctx, s: &RawSurge, path: &str) -> Result<Surge, DemandError> {
    let f = |name: &str| format!("{path}.{name}");
    let handle = match &s.handle_mean_secs {
        Some(m) => Some(handle(ctx, m, s.handle_sd_secs.as_ref(), path)?),
        None => None,
    };
    let surge = Surge {
        name: s.name.as_ref().map_or_else(|| "surge".to_string(), |n| n.get_ref().clone()),
        channel: ctx.channel(&s.channel, &f("channel"))?,
        start: ctx.datetime(&s.start, &f("start"))?,
        minutes: ctx.num(&s.minutes, &f("minutes"), 1.0, 60.0 * 24.0 * 31.0, "minutes")?,
        extra_contacts: match &s.extra_contacts {
            Some(v) => ctx.num(v, &f("extra_contacts"), 0.0, 1e7, "contacts")?,
            None => 0.0,
        },
        multiplier: match &s.multiplier {
            Some(v) => ctx.num(v, &f("multiplier"), 0.0, 100.0, "")?,
            None => 1.0,
        },
        handle,
        patience_secs: s
            .patience_secs
            .as_ref()
            .map(|v| ctx.num(v, &f("patience_secs"), 1.0, 1e7, "seconds"))
            .transpose()?,
    };
    Ok(surge)
}
