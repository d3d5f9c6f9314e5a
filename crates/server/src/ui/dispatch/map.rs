//! The dispatcher's map, drawn on the server as inline SVG so it works offline: the force area's
//! outline from a shipped GeoJSON file (`assets/force_area.geojson`), incidents and units plotted
//! with an equirectangular projection (longitude scaled by the cosine of the mid latitude, which
//! is accurate to a fraction of a percent across one force). No tiles, no script library: two
//! thousand incidents are two thousand `<circle>`s.

use fc_domain::{GeoPoint, Grade, Incident, Unit, UnitStatus};
use maud::{Markup, PreEscaped, html};
use std::fmt::Write;
use std::sync::OnceLock;

const GEOJSON: &str = include_str!("../../../assets/force_area.geojson");
const WIDTH: f64 = 800.0;

/// The outline's rings and its bounding box, parsed once.
struct Area {
    rings: Vec<Vec<(f64, f64)>>,
    min: (f64, f64),
    max: (f64, f64),
}

fn area() -> &'static Area {
    static AREA: OnceLock<Area> = OnceLock::new();
    AREA.get_or_init(|| {
        let doc: serde_json::Value = serde_json::from_str(GEOJSON).unwrap_or_default();
        let mut rings = Vec::new();
        for f in doc["features"].as_array().into_iter().flatten() {
            if f["geometry"]["type"] == "Polygon" {
                for ring in f["geometry"]["coordinates"].as_array().into_iter().flatten() {
                    let pts: Vec<(f64, f64)> = ring
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|p| Some((p[0].as_f64()?, p[1].as_f64()?)))
                        .collect();
                    rings.push(pts);
                }
            }
        }
        let all = rings.iter().flatten();
        let (mut min, mut max) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
        for (lon, lat) in all {
            min = (min.0.min(*lon), min.1.min(*lat));
            max = (max.0.max(*lon), max.1.max(*lat));
        }
        if rings.is_empty() {
            (min, max) = ((-2.75, 53.3), (-1.9, 53.7));
        }
        Area { rings, min, max }
    })
}

/// Projects lon/lat to SVG coordinates.
struct Projection {
    min: (f64, f64),
    scale_x: f64,
    scale_y: f64,
    height: f64,
}

impl Projection {
    fn new(a: &Area) -> Self {
        let mid = ((a.min.1 + a.max.1) / 2.0).to_radians().cos();
        let w = (a.max.0 - a.min.0) * mid;
        let h = a.max.1 - a.min.1;
        let scale = WIDTH / w.max(1e-9);
        Self { min: a.min, scale_x: scale * mid, scale_y: scale, height: h * scale }
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        ((lon - self.min.0) * self.scale_x, self.height - (lat - self.min.1) * self.scale_y)
    }
}

fn grade_class(g: Grade) -> &'static str {
    match g {
        Grade::Emergency => "g1",
        Grade::Priority => "g2",
        Grade::Scheduled => "g3",
        Grade::Resolution => "g4",
    }
}

/// The map: outline, incidents (circles by grade; a thick ring when past target) and units
/// (squares; filled when available). `breached` says which incidents are past target.
pub fn map(incidents: &[(&Incident, bool)], units: &[Unit]) -> Markup {
    let a = area();
    let p = Projection::new(a);
    let mut outline = String::new();
    for ring in &a.rings {
        for (i, (lon, lat)) in ring.iter().enumerate() {
            let (x, y) = p.xy(*lon, *lat);
            let _ = write!(outline, "{}{x:.1},{y:.1} ", if i == 0 { "M" } else { "L" });
        }
        outline.push('Z');
    }
    // Built as one string: maud per element is fine, but a plain write keeps 2,000 markers cheap.
    let mut marks = String::with_capacity(incidents.len() * 96 + units.len() * 96);
    for (i, breached) in incidents {
        if let Some(GeoPoint { lat, lon, .. }) = i.location {
            let (x, y) = p.xy(lon, lat);
            let _ = write!(
                marks,
                r#"<a href="/incidents/{r}"><circle class="inc {g}{b}" cx="{x:.1}" cy="{y:.1}" r="5"><title>{r} {g_label}: {s}</title></circle></a>"#,
                r = i.reference,
                g = grade_class(i.grade),
                b = if *breached { " breach" } else { "" },
                g_label = i.grade,
                s = maud::html! { (i.summary) }.into_string(),
            );
        }
    }
    for u in units {
        if let Some(GeoPoint { lat, lon, .. }) = u.position {
            let (x, y) = p.xy(lon, lat);
            let free = u.status == UnitStatus::Available;
            let _ = write!(
                marks,
                r#"<rect class="unit st-{st}{f}" x="{x:.1}" y="{y:.1}" width="6" height="6" transform="translate(-3 -3)"><title>{cs} {label}</title></rect>"#,
                st = u.status.as_str(),
                f = if free { " free" } else { "" },
                x = x,
                y = y,
                cs = u.call_sign,
                label = u.status.label(),
            );
        }
    }
    html! {
        figure.map {
            svg viewBox={ "0 0 " (WIDTH) " " (format!("{:.0}", p.height)) } role="img" aria-labelledby="map-title map-desc" {
                title #map-title { "Map of open incidents and units" }
                desc #map-desc { (incidents.len()) " open incidents and " (units.len()) " units in the force area." }
                path.area d=(outline) {}
                (PreEscaped(marks))
            }
            figcaption {
                "Circles: incidents (grade 1 red, 2 amber, 3 blue, 4 grey; thick ring past target). "
                "Squares: units (filled when available). Outline simplified; not for navigation."
            }
        }
    }
}
