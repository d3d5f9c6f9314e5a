//! The scenario file exactly as written, with the position of every value, so validation can name
//! the line. Nothing here is trusted: [`super::parse`] checks every field.

use serde::Deserialize;
use toml::Spanned;

/// A value with its byte span in the file.
pub(crate) type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub name: Option<S<String>>,
    pub seed: Option<S<i64>>,
    pub start: S<String>,
    pub days: S<i64>,
    pub interval_minutes: Option<S<i64>>,
    #[serde(default)]
    pub channel: Vec<S<RawChannel>>,
    #[serde(default)]
    pub team: Vec<S<RawTeam>>,
    #[serde(default)]
    pub surge: Vec<S<RawSurge>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChannel {
    pub channel: S<String>,
    pub contacts_per_day: S<f64>,
    pub hourly_shape: Option<S<Vec<f64>>>,
    pub weekday_shape: Option<S<Vec<f64>>>,
    pub handle_mean_secs: S<f64>,
    pub handle_sd_secs: Option<S<f64>>,
    pub patience_secs: Option<S<f64>>,
    pub target_secs: Option<S<f64>>,
    pub target_share: Option<S<f64>>,
    pub priority: Option<S<i64>>,
    pub concurrency: Option<S<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTeam {
    pub name: S<String>,
    pub skills: S<Vec<S<String>>>,
    #[serde(default)]
    pub shift: Vec<S<RawShift>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawShift {
    pub start: S<String>,
    pub hours: S<f64>,
    pub handlers: S<i64>,
    pub days: Option<S<Vec<S<String>>>>,
    #[serde(default, rename = "break")]
    pub breaks: Vec<S<RawBreak>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBreak {
    pub after: S<String>,
    pub minutes: S<f64>,
    pub stagger_minutes: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSurge {
    pub name: Option<S<String>>,
    pub channel: S<String>,
    pub start: S<String>,
    pub minutes: S<f64>,
    pub extra_contacts: Option<S<f64>>,
    pub multiplier: Option<S<f64>>,
    pub handle_mean_secs: Option<S<f64>>,
    pub handle_sd_secs: Option<S<f64>>,
    pub patience_secs: Option<S<f64>>,
}
