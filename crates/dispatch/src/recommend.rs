//! Unit recommendation: the nearest suitable available units for an incident, by estimated travel
//! time, each with the reasons a dispatcher needs to trust it. Suitability (which types, which
//! skills) comes from the incident's category, qualifiers and grade; nearness from a
//! [`TravelTime`] model; the search from a [`Grid`] so it stays well under a millisecond for
//! thousands of units.

use crate::grid::Grid;
use crate::travel::TravelTime;
use fc_domain::incident::Qualifier;
use fc_domain::unit::{Skill, UnitType};
use fc_domain::{GeoPoint, Grade};
use serde::Serialize;

/// Grid cell side: about the distance a car covers in a minute and a half in town.
const CELL_M: f64 = 1_500.0;

/// A unit as the recommender sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Call sign.
    pub call_sign: String,
    /// Type.
    pub unit_type: UnitType,
    /// Skills.
    pub skills: Vec<Skill>,
    /// Whether it is free to be sent.
    pub available: bool,
    /// Last known position.
    pub position: Option<GeoPoint>,
}

/// What an incident needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// Acceptable unit types (never empty).
    pub types: Vec<UnitType>,
    /// Skills every recommended unit must have.
    pub skills: Vec<Skill>,
    /// Skills that are a plus (mentioned in the reasons).
    pub preferred: Vec<Skill>,
    /// Why, in words.
    pub because: String,
}

impl Requirement {
    /// The usual needs for an incident: firearms need an armed response vehicle; collisions and
    /// dangerous driving take roads policing or response; mental health prefers trained officers;
    /// grade 1 takes cars, not officers on foot; low-grade anti-social behaviour suits
    /// neighbourhood teams and PCSOs.
    pub fn for_incident(category: &str, qualifiers: &[Qualifier], grade: Grade) -> Self {
        use UnitType::*;
        let chapter = category.split('-').next().unwrap_or("");
        if qualifiers.contains(&Qualifier::Firearms) {
            return Self {
                types: vec![ArmedResponse],
                skills: vec![Skill::Firearms],
                preferred: vec![],
                because: "firearms involved: armed response only".into(),
            };
        }
        let mut preferred = Vec::new();
        if qualifiers.contains(&Qualifier::MentalHealth) || category == "PSW-MH" {
            preferred.push(Skill::MentalHealth);
        }
        if qualifiers.contains(&Qualifier::Weapons) {
            preferred.push(Skill::Taser);
        }
        let (types, because) = if category.starts_with("TRN-RTC") || category == "TRN-DRIVING" {
            (vec![RoadsPolicing, Response], "a road incident: roads policing or response")
        } else if grade == Grade::Emergency {
            (vec![Response, RoadsPolicing, Dog, ArmedResponse], "grade 1: a vehicle under blue lights")
        } else if chapter == "ASB" && grade >= Grade::Scheduled {
            (
                vec![Neighbourhood, Pcso, Response],
                "anti-social behaviour by appointment: the neighbourhood team",
            )
        } else if chapter == "CRM" {
            (vec![Response, Neighbourhood, RoadsPolicing, Dog], "a crime: warranted officers")
        } else {
            (vec![Response, Neighbourhood, RoadsPolicing, Pcso], "the usual response")
        };
        Self { types, skills: Vec::new(), preferred, because: because.into() }
    }

    fn accepts(&self, c: &Candidate) -> bool {
        c.available && self.types.contains(&c.unit_type) && self.skills.iter().all(|s| c.skills.contains(s))
    }
}

/// One recommended unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// Call sign.
    pub call_sign: String,
    /// Type.
    pub unit_type: UnitType,
    /// Estimated seconds to arrive.
    pub eta_seconds: f64,
    /// Straight-line distance, metres.
    pub distance_m: f64,
    /// Why this unit, in words.
    pub reasons: Vec<String>,
}

/// Units indexed for fast recommendation. Build once per snapshot of units, query many times.
#[derive(Debug, Clone)]
pub struct UnitIndex {
    units: Vec<Candidate>,
    grid: Grid,
}

impl UnitIndex {
    /// Indexes the units (those without a position cannot be recommended and are left out).
    pub fn build(units: Vec<Candidate>) -> Self {
        let points: Vec<Option<GeoPoint>> = units.iter().map(|u| u.position).collect();
        let grid = Grid::build(&points, CELL_M);
        Self { units, grid }
    }

    /// How many units are indexed (with or without position).
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The `k` suitable available units that would arrive soonest at `at`, soonest first.
    pub fn recommend(
        &self,
        at: &GeoPoint,
        need: &Requirement,
        travel: &dyn TravelTime,
        k: usize,
    ) -> Vec<Recommendation> {
        if k == 0 {
            return Vec::new();
        }
        // (eta, index), kept sorted; k is small so insertion is cheap.
        let best: std::cell::RefCell<Vec<(f64, usize)>> = std::cell::RefCell::new(Vec::with_capacity(k + 1));
        self.grid.search(
            at,
            |bound| {
                let best = best.borrow();
                best.len() == k && travel.lower_bound_seconds(bound) > best[k - 1].0
            },
            |ids| {
                let mut best = best.borrow_mut();
                for &i in ids {
                    let i = i as usize;
                    let u = &self.units[i];
                    if !need.accepts(u) {
                        continue;
                    }
                    let Some(p) = &u.position else { continue };
                    let eta = travel.seconds(p, at, u.unit_type);
                    if best.len() < k || eta < best[k - 1].0 {
                        let pos = best.partition_point(|(e, j)| (*e, *j) < (eta, i));
                        best.insert(pos, (eta, i));
                        best.truncate(k);
                    }
                }
            },
        );
        best.into_inner()
            .into_iter()
            .map(|(eta, i)| {
                let u = &self.units[i];
                let distance_m = u.position.map_or(0.0, |p| p.distance_m(at));
                let mut reasons = vec![
                    format!("{} unit, available", u.unit_type.label()),
                    format!("{:.1} km away, about {:.0} min", distance_m / 1000.0, (eta / 60.0).ceil()),
                    need.because.clone(),
                ];
                for s in need.preferred.iter().filter(|s| u.skills.contains(s)) {
                    reasons.push(format!("has {}", s.label().to_lowercase()));
                }
                Recommendation {
                    call_sign: u.call_sign.clone(),
                    unit_type: u.unit_type,
                    eta_seconds: eta,
                    distance_m,
                    reasons,
                }
            })
            .collect()
    }
}

/// The same answer by brute force (every unit, fully sorted): the reference the grid is tested
/// against, and the baseline in the benchmark.
pub fn recommend_exhaustive(
    units: &[Candidate],
    at: &GeoPoint,
    need: &Requirement,
    travel: &dyn TravelTime,
    k: usize,
) -> Vec<(String, f64)> {
    let mut all: Vec<(f64, usize)> = units
        .iter()
        .enumerate()
        .filter(|(_, u)| need.accepts(u))
        .filter_map(|(i, u)| u.position.map(|p| (travel.seconds(&p, at, u.unit_type), i)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    all.into_iter().take(k).map(|(eta, i)| (units[i].call_sign.clone(), eta)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StraightLine;
    use crate::surge::random_units;
    use proptest::prelude::*;

    #[test]
    fn firearms_needs_an_armed_unit_and_busy_units_are_skipped() {
        let at = GeoPoint::parse(53.48, -2.24, None).expect("valid");
        let near = GeoPoint::parse(53.481, -2.241, None).ok();
        let far = GeoPoint::parse(53.52, -2.30, None).ok();
        let units = vec![
            Candidate {
                call_sign: "MC1".into(),
                unit_type: UnitType::Response,
                skills: vec![],
                available: true,
                position: near,
            },
            Candidate {
                call_sign: "ARV1".into(),
                unit_type: UnitType::ArmedResponse,
                skills: vec![Skill::Firearms],
                available: false,
                position: near,
            },
            Candidate {
                call_sign: "ARV2".into(),
                unit_type: UnitType::ArmedResponse,
                skills: vec![Skill::Firearms],
                available: true,
                position: far,
            },
        ];
        let index = UnitIndex::build(units);
        let need = Requirement::for_incident("CRM-WEAPONS", &[Qualifier::Firearms], Grade::Emergency);
        let r = index.recommend(&at, &need, &StraightLine::default(), 3);
        assert_eq!(r.iter().map(|r| r.call_sign.as_str()).collect::<Vec<_>>(), ["ARV2"]);
        assert!(r[0].reasons.iter().any(|x| x.contains("armed")));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn the_grid_agrees_with_brute_force(seed in 0u64..10_000, n in 0usize..400, k in 1usize..6,
                                            q in (53.3f64..53.7, -2.7f64..-2.0), grade in 1u8..=4) {
            let units = random_units(seed, n);
            let at = GeoPoint::parse(q.0, q.1, None).expect("valid");
            let grade = Grade::try_from(grade).expect("grade");
            let need = Requirement::for_incident("CRM-BURGLARY", &[], grade);
            let travel = StraightLine::default();
            let fast: Vec<(String, f64)> = UnitIndex::build(units.clone()).recommend(&at, &need, &travel, k)
                .into_iter().map(|r| (r.call_sign, r.eta_seconds)).collect();
            let slow = recommend_exhaustive(&units, &at, &need, &travel, k);
            prop_assert_eq!(fast.len(), slow.len());
            for (a, b) in fast.iter().zip(&slow) {
                prop_assert!((a.1 - b.1).abs() < 1e-9, "{:?} vs {:?}", fast, slow);
            }
        }
    }
}
