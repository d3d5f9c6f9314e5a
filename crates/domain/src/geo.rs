//! A located point with its uncertainty, from AML, a map click or a geocoded address.

use crate::DomainError;
use serde::{Deserialize, Serialize};

/// WGS84 latitude/longitude with an optional radius of uncertainty in metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeoPoint {
    /// Degrees north, -90..=90.
    pub lat: f64,
    /// Degrees east, -180..=180.
    pub lon: f64,
    /// Radius of uncertainty in metres, when known.
    pub radius_m: Option<f64>,
}

impl GeoPoint {
    /// Validates the coordinates; an impossible place is rejected rather than mapped.
    pub fn parse(lat: f64, lon: f64, radius_m: Option<f64>) -> Result<Self, DomainError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(DomainError::invalid(
                "lat",
                format!("latitude must be between -90 and 90, not {lat}"),
            ));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(DomainError::invalid(
                "lon",
                format!("longitude must be between -180 and 180, not {lon}"),
            ));
        }
        if let Some(r) = radius_m
            && (!r.is_finite() || r < 0.0)
        {
            return Err(DomainError::invalid("radius_m", "radius must be a non-negative number of metres"));
        }
        Ok(Self { lat, lon, radius_m })
    }

    /// Great-circle distance in metres (haversine); good to a few metres at UK scales.
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (la1, la2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = la2 - la1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_impossible_coordinates() {
        assert!(GeoPoint::parse(91.0, 0.0, None).is_err());
        assert!(GeoPoint::parse(0.0, -181.0, None).is_err());
        assert!(GeoPoint::parse(f64::NAN, 0.0, None).is_err());
        assert!(GeoPoint::parse(51.5, -0.1, Some(-3.0)).is_err());
    }

    #[test]
    fn london_to_manchester_is_about_263_km() {
        let london = GeoPoint::parse(51.5074, -0.1278, None).expect("valid");
        let manchester = GeoPoint::parse(53.4808, -2.2426, None).expect("valid");
        let d = london.distance_m(&manchester);
        assert!((d - 262_000.0).abs() < 3_000.0, "{d}");
    }
}
