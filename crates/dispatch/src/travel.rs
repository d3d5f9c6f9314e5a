//! Travel time estimates. Behind a trait so a road network (or live traffic) can replace the
//! straight-line model without touching the recommender. The recommender needs a lower bound for
//! any distance so its grid search can stop early; a model that cannot give one returns zero and
//! the search simply looks further.

use fc_domain::GeoPoint;
use fc_domain::unit::UnitType;

/// Estimates how long a unit of a given type takes to reach a place.
pub trait TravelTime: Send + Sync {
    /// Estimated seconds from `from` to `to` for `unit_type`.
    fn seconds(&self, from: &GeoPoint, to: &GeoPoint, unit_type: UnitType) -> f64;

    /// A lower bound on the seconds for any unit to cover `straight_line_m` metres (crow flies).
    /// Must never exceed what [`TravelTime::seconds`] would return for that distance.
    fn lower_bound_seconds(&self, straight_line_m: f64) -> f64;
}

/// Straight-line (haversine) distance, stretched by a detour factor for real roads, at a speed per
/// unit type under blue lights, plus a fixed time to get moving.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StraightLine {
    /// Road distance / crow-flies distance (about 1.3 in towns).
    pub detour_factor: f64,
    /// Seconds to get moving (into the car, out of the station).
    pub mobilise_seconds: f64,
    /// Average speed of a response or roads policing car, km/h.
    pub car_kmh: f64,
    /// Average speed of a neighbourhood officer or PCSO (often on foot or bicycle), km/h.
    pub foot_kmh: f64,
}

impl Default for StraightLine {
    fn default() -> Self {
        Self { detour_factor: 1.3, mobilise_seconds: 60.0, car_kmh: 48.0, foot_kmh: 12.0 }
    }
}

impl StraightLine {
    fn kmh(&self, t: UnitType) -> f64 {
        match t {
            UnitType::Neighbourhood | UnitType::Pcso => self.foot_kmh,
            UnitType::RoadsPolicing | UnitType::ArmedResponse => self.car_kmh * 1.15,
            UnitType::Response | UnitType::Dog => self.car_kmh,
        }
    }

    fn fastest_kmh(&self) -> f64 {
        UnitType::ALL.iter().map(|t| self.kmh(*t)).fold(1.0, f64::max)
    }
}

impl TravelTime for StraightLine {
    fn seconds(&self, from: &GeoPoint, to: &GeoPoint, unit_type: UnitType) -> f64 {
        let metres = from.distance_m(to) * self.detour_factor;
        self.mobilise_seconds + metres / (self.kmh(unit_type) / 3.6)
    }

    fn lower_bound_seconds(&self, straight_line_m: f64) -> f64 {
        self.mobilise_seconds + straight_line_m.max(0.0) * self.detour_factor / (self.fastest_kmh() / 3.6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_lower_bound_never_exceeds_the_estimate(
            lat in 53.3f64..53.7, lon in -2.7f64..-2.0, dlat in -0.2f64..0.2, dlon in -0.2f64..0.2,
            t in prop::sample::select(UnitType::ALL.to_vec()),
        ) {
            let m = StraightLine::default();
            let a = GeoPoint::parse(lat, lon, None).expect("valid");
            let b = GeoPoint::parse(lat + dlat, lon + dlon, None).expect("valid");
            prop_assert!(m.lower_bound_seconds(a.distance_m(&b)) <= m.seconds(&a, &b, t) + 1e-6);
        }
    }
}
