//! The two charts people ask for: a simulation's day(s) and a staffing plan. Long runs are binned
//! to at most [`MAX_POINTS`] points so a year's chart stays a small file.

use super::{Axis, Chart, Series, Style, render_svg};
use crate::sim::SimResult;
use fc_domain::Channel;

/// Most x points drawn; longer series are averaged (or summed) in bins.
pub const MAX_POINTS: usize = 700;

fn bins(n: usize) -> usize {
    n.div_ceil(MAX_POINTS).max(1)
}

fn binned(values: impl Iterator<Item = f64>, n: usize, mean: bool) -> Vec<f64> {
    let b = bins(n);
    let v: Vec<f64> = values.collect();
    v.chunks(b)
        .map(|c| {
            let finite: Vec<f64> = c.iter().copied().filter(|x| x.is_finite()).collect();
            if finite.is_empty() {
                f64::NAN
            } else if mean {
                finite.iter().sum::<f64>() / finite.len() as f64
            } else {
                finite.iter().sum()
            }
        })
        .collect()
}

fn binned_labels(labels: &[String], n: usize) -> Vec<String> {
    labels.iter().step_by(bins(n)).cloned().collect()
}

const COLOURS: [&str; 8] =
    ["#cc3311", "#0077bb", "#ee7733", "#009988", "#33bbee", "#ee3377", "#bbbbbb", "#000000"];

/// Chart of a simulation: contacts offered per interval by channel, handlers rostered, and the
/// share of 999 answered within target (right axis) against the 90% line.
///
/// `x_labels` has one label per interval (e.g. "Mon 14:00"), made by the caller who knows the
/// calendar.
pub fn simulation_chart(result: &SimResult, x_labels: &[String], title: &str) -> String {
    let n = result.series.len();
    let mut series: Vec<Series> = result
        .channels
        .iter()
        .enumerate()
        .map(|(ci, ch)| Series {
            name: format!("{} offered", ch.channel.label()),
            values: binned(result.series.iter().map(|s| f64::from(s.channels[ci].offered)), n, true),
            style: Style::Line,
            axis: Axis::Left,
            color: COLOURS[ci % COLOURS.len()].to_string(),
        })
        .collect();
    series.push(Series {
        name: "handlers rostered".into(),
        values: binned(result.series.iter().map(|s| f64::from(s.rostered)), n, true),
        style: Style::Step,
        axis: Axis::Left,
        color: "#228833".into(),
    });
    let mut reference = None;
    if let Some(ci) = result.channels.iter().position(|c| c.channel == Channel::Emergency999) {
        let ch = &result.channels[ci];
        let within =
            binned(result.series.iter().map(|s| f64::from(s.channels[ci].answered_within)), n, false);
        let answered = binned(result.series.iter().map(|s| f64::from(s.channels[ci].answered)), n, false);
        series.push(Series {
            name: format!("999 % within {} s", ch.threshold_secs),
            values: within
                .iter()
                .zip(&answered)
                .map(|(w, a)| if *a > 0.0 { 100.0 * w / a } else { f64::NAN })
                .collect(),
            style: Style::Line,
            axis: Axis::Right,
            color: "#aa3377".into(),
        });
        reference = Some((
            100.0 * ch.target_share,
            format!("999 target {:.0}%", 100.0 * ch.target_share),
            Axis::Right,
        ));
    }
    render_svg(&Chart {
        title: title.to_string(),
        x_labels: binned_labels(x_labels, n),
        y_label: format!("contacts per {}-interval / handlers", if bins(n) > 1 { "binned " } else { "" }),
        y2: Some(("% of 999 answered within target".into(), 0.0, 100.0)),
        series,
        reference,
        width: 1100,
        height: 460,
    })
}

/// Chart of a staffing plan for one channel: forecast contacts, handlers required, handlers
/// rostered (if known), and the service level that roster reaches (right axis, %).
pub fn plan_chart(
    title: &str,
    x_labels: &[String],
    forecast: &[f64],
    required: &[u32],
    rostered: Option<&[u32]>,
    service_level: Option<&[f64]>,
    target_share: f64,
) -> String {
    let n = forecast.len();
    let mut series = vec![
        Series {
            name: "forecast contacts".into(),
            values: binned(forecast.iter().copied(), n, true),
            style: Style::Bars,
            axis: Axis::Left,
            color: "#0077bb".into(),
        },
        Series {
            name: "handlers required".into(),
            values: binned(required.iter().map(|&r| f64::from(r)), n, true),
            style: Style::Step,
            axis: Axis::Left,
            color: "#cc3311".into(),
        },
    ];
    if let Some(r) = rostered {
        series.push(Series {
            name: "handlers rostered".into(),
            values: binned(r.iter().map(|&r| f64::from(r)), n, true),
            style: Style::Step,
            axis: Axis::Left,
            color: "#228833".into(),
        });
    }
    if let Some(sl) = service_level {
        series.push(Series {
            name: "service level with roster %".into(),
            values: binned(sl.iter().map(|v| 100.0 * v), n, true),
            style: Style::Line,
            axis: Axis::Right,
            color: "#aa3377".into(),
        });
    }
    render_svg(&Chart {
        title: title.to_string(),
        x_labels: binned_labels(x_labels, n),
        y_label: "contacts per interval / handlers".into(),
        y2: Some(("service level %".into(), 0.0, 100.0)),
        series,
        reference: Some((100.0 * target_share, format!("target {:.0}%", 100.0 * target_share), Axis::Right)),
        width: 1100,
        height: 460,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_plans_are_binned() {
        let n = 35_040;
        let labels: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        let svg = plan_chart("year", &labels, &vec![5.0; n], &vec![3; n], None, None, 0.9);
        assert!(svg.len() < 400_000, "{}", svg.len());
        assert!(svg.contains("target 90%"));
    }
}
