//! Charts as SVG strings: one renderer for the CLI (written to a file) and the web UI (inlined in a
//! page), so both show the same picture. Hand-written SVG because a plotting crate would pull in
//! fonts and image backends for a few lines and rectangles. Never does I/O.

mod reports;

pub use reports::{plan_chart, simulation_chart};

use std::fmt::Write;

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A polyline through the points.
    Line,
    /// A staircase (rosters change in steps).
    Step,
    /// Vertical bars (counts per interval).
    Bars,
}

/// Which vertical axis a series uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Left axis (counts).
    Left,
    /// Right axis (a share, 0-100%, or a second unit).
    Right,
}

/// One plotted series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend label.
    pub name: String,
    /// One value per x point; NaN leaves a gap.
    pub values: Vec<f64>,
    /// Drawing style.
    pub style: Style,
    /// Axis.
    pub axis: Axis,
    /// CSS colour.
    pub color: String,
}

/// A chart: shared x points, up to two y axes, an optional target line.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Title at the top.
    pub title: String,
    /// One label per x point; only some are drawn.
    pub x_labels: Vec<String>,
    /// Left axis label.
    pub y_label: String,
    /// Right axis label and fixed range (min, max), if a series uses it.
    pub y2: Option<(String, f64, f64)>,
    /// The series.
    pub series: Vec<Series>,
    /// A dashed horizontal line: value, label, axis (e.g. the 90% target).
    pub reference: Option<(f64, String, Axis)>,
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
}

const LEFT: f64 = 64.0;
const RIGHT: f64 = 64.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 70.0;

/// Escapes text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A "nice" axis maximum (1, 2 or 5 times a power of ten) at or above `v`.
fn nice_max(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|c| *c >= v).unwrap_or(10.0 * p)
}

/// Renders the chart as a standalone SVG document.
pub fn render_svg(c: &Chart) -> String {
    let (w, h) = (f64::from(c.width.max(200)), f64::from(c.height.max(150)));
    let (pw, ph) = (w - LEFT - RIGHT, h - TOP - BOTTOM);
    let n = c.x_labels.len().max(c.series.iter().map(|s| s.values.len()).max().unwrap_or(0)).max(1);
    let left_max = nice_max(
        c.series
            .iter()
            .filter(|s| s.axis == Axis::Left)
            .flat_map(|s| s.values.iter().copied())
            .chain(c.reference.iter().filter(|r| r.2 == Axis::Left).map(|r| r.0))
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max),
    );
    let (r_min, r_max) = c.y2.as_ref().map_or((0.0, 1.0), |y| (y.1, y.2));
    let r_span = if r_max > r_min { r_max - r_min } else { 1.0 };
    let x = |i: f64| LEFT + pw * (i + 0.5) / n as f64;
    let y = |v: f64, axis: Axis| match axis {
        Axis::Left => TOP + ph * (1.0 - v / left_max),
        Axis::Right => TOP + ph * (1.0 - (v - r_min) / r_span),
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = write!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = write!(
        s,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="15" font-weight="bold">{}</text>"#,
        w / 2.0,
        esc(&c.title)
    );
    // Grid and left axis ticks.
    for k in 0..=5 {
        let v = left_max * f64::from(k) / 5.0;
        let yy = y(v, Axis::Left);
        let _ =
            write!(s, r##"<line x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#ddd"/>"##, LEFT + pw);
        let _ = write!(
            s,
            r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            LEFT - 6.0,
            yy + 4.0,
            fmt_num(v)
        );
        if let Some((_, lo, hi)) = &c.y2 {
            let rv = lo + (hi - lo) * f64::from(k) / 5.0;
            let _ = write!(s, r#"<text x="{}" y="{:.1}">{}</text>"#, LEFT + pw + 6.0, yy + 4.0, fmt_num(rv));
        }
    }
    let _ = write!(
        s,
        r#"<text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        TOP + ph / 2.0,
        esc(&c.y_label)
    );
    if let Some((label, _, _)) = &c.y2 {
        let _ = write!(
            s,
            r#"<text transform="translate({:.1} {:.1}) rotate(90)" text-anchor="middle">{}</text>"#,
            w - 14.0,
            TOP + ph / 2.0,
            esc(label)
        );
    }
    // X labels: about twelve.
    let every = n.div_ceil(12).max(1);
    for (i, label) in c.x_labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let xx = x(i as f64);
        let _ = write!(
            s,
            r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{}" y2="{}" stroke="#999"/>"##,
            TOP + ph,
            TOP + ph + 4.0
        );
        let _ = write!(
            s,
            r#"<text x="{xx:.1}" y="{}" text-anchor="middle">{}</text>"#,
            TOP + ph + 18.0,
            esc(label)
        );
    }
    // Series.
    let bar_series = c.series.iter().filter(|s| s.style == Style::Bars).count().max(1) as f64;
    let mut bar_index = 0.0;
    for ser in &c.series {
        let col = esc(&ser.color);
        match ser.style {
            Style::Bars => {
                let bw = pw / n as f64 / bar_series;
                for (i, v) in ser.values.iter().enumerate().filter(|(_, v)| v.is_finite()) {
                    let x0 = LEFT + pw * i as f64 / n as f64 + bw * bar_index;
                    let y0 = y(*v, ser.axis).clamp(TOP, TOP + ph);
                    let _ = write!(
                        s,
                        r#"<rect x="{x0:.1}" y="{y0:.1}" width="{:.2}" height="{:.1}" fill="{col}" fill-opacity="0.6"/>"#,
                        bw.max(0.5),
                        TOP + ph - y0
                    );
                }
                bar_index += 1.0;
            }
            Style::Line | Style::Step => {
                let mut d = String::new();
                let mut pen_up = true;
                for (i, v) in ser.values.iter().enumerate() {
                    if !v.is_finite() {
                        pen_up = true;
                        continue;
                    }
                    let yy = y(*v, ser.axis).clamp(TOP, TOP + ph);
                    let (xa, xb) = (LEFT + pw * i as f64 / n as f64, LEFT + pw * (i + 1) as f64 / n as f64);
                    match (ser.style, pen_up) {
                        (Style::Step, true) => {
                            let _ = write!(d, "M{xa:.1},{yy:.1}H{xb:.1}");
                        }
                        (Style::Step, false) => {
                            let _ = write!(d, "V{yy:.1}H{xb:.1}");
                        }
                        (_, true) => {
                            let _ = write!(d, "M{:.1},{yy:.1}", x(i as f64));
                        }
                        (_, false) => {
                            let _ = write!(d, "L{:.1},{yy:.1}", x(i as f64));
                        }
                    }
                    pen_up = false;
                }
                let _ = write!(s, r#"<path d="{d}" fill="none" stroke="{col}" stroke-width="1.6"/>"#);
            }
        }
    }
    if let Some((v, label, axis)) = &c.reference {
        let yy = y(*v, *axis);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#c00" stroke-dasharray="6 4"/>"##,
            LEFT + pw
        );
        let _ = write!(
            s,
            r##"<text x="{}" y="{:.1}" text-anchor="end" fill="#c00">{}</text>"##,
            LEFT + pw - 4.0,
            yy - 4.0,
            esc(label)
        );
    }
    // Axes box and legend.
    let _ =
        write!(s, r##"<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>"##);
    let mut lx = LEFT;
    for ser in &c.series {
        let ly = h - 18.0;
        let _ = write!(
            s,
            r#"<rect x="{lx:.1}" y="{}" width="14" height="10" fill="{}"/>"#,
            ly - 9.0,
            esc(&ser.color)
        );
        let _ = write!(s, r#"<text x="{:.1}" y="{ly}">{}</text>"#, lx + 18.0, esc(&ser.name));
        lx += 30.0 + 7.0 * ser.name.chars().count() as f64;
    }
    s.push_str("</svg>");
    s
}

fn fmt_num(v: f64) -> String {
    if v.abs() >= 100.0 || v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_valid_looking_svg_with_escaped_text() {
        let chart = Chart {
            title: "999 <night> & day".into(),
            x_labels: (0..96).map(|i| format!("{:02}:{:02}", i / 4, (i % 4) * 15)).collect(),
            y_label: "calls".into(),
            y2: Some(("% in 10 s".into(), 0.0, 100.0)),
            series: vec![
                Series {
                    name: "offered".into(),
                    values: (0..96).map(f64::from).collect(),
                    style: Style::Bars,
                    axis: Axis::Left,
                    color: "#4477aa".into(),
                },
                Series {
                    name: "staff".into(),
                    values: vec![10.0; 96],
                    style: Style::Step,
                    axis: Axis::Left,
                    color: "#228833".into(),
                },
                Series {
                    name: "SL".into(),
                    values: vec![f64::NAN, 90.0, 95.0],
                    style: Style::Line,
                    axis: Axis::Right,
                    color: "#cc3311".into(),
                },
            ],
            reference: Some((90.0, "target 90%".into(), Axis::Right)),
            width: 900,
            height: 400,
        };
        let svg = render_svg(&chart);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("999 &lt;night&gt; &amp; day"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert_eq!(svg.matches("<svg").count(), 1);
    }

    #[test]
    fn nice_maxima() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(130.0), 200.0);
    }
}
