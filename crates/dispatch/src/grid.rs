//! A uniform spatial grid over points: cells of a fixed size in metres, searched ring by ring
//! outwards from a query point. Finding the nearest few among thousands then touches a handful of
//! cells instead of sorting everything, and a caller-supplied lower bound says when no further
//! ring can hold anything better.

use fc_domain::GeoPoint;
use std::collections::HashMap;

/// Metres in one degree of latitude on the sphere `GeoPoint::distance_m` uses (mean radius
/// 6,371,008.8 m). It must be the same sphere: a larger figure makes ring bounds overstate true
/// distances by ~0.1 %, enough to skip a nearer point tens of kilometres out.
const METRES_PER_DEGREE_LAT: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// Points indexed by grid cell; values are positions in the caller's own list.
#[derive(Debug, Clone)]
pub struct Grid {
    cell_m: f64,
    lat_step: f64,
    lon_step: f64,
    /// cos of the highest latitude indexed: queries further from the equator shrink the bound.
    cos_max_lat: f64,
    cells: HashMap<(i32, i32), Vec<u32>>,
    min: (i32, i32),
    max: (i32, i32),
}

impl Grid {
    /// Indexes `points` (the index of each in the slice is what searches return). Points without
    /// a position are left out. `cell_m` is the cell side in metres.
    pub fn build(points: &[Option<GeoPoint>], cell_m: f64) -> Self {
        let cell_m = cell_m.max(50.0);
        let located: Vec<(usize, GeoPoint)> =
            points.iter().enumerate().filter_map(|(i, p)| p.map(|p| (i, p))).collect();
        let mid_lat = if located.is_empty() {
            0.0
        } else {
            located.iter().map(|(_, p)| p.lat).sum::<f64>() / located.len() as f64
        };
        // Longitude degrees shrink towards the poles; size cells for the highest latitude present
        // so no cell is narrower than `cell_m` in metres anywhere in the index.
        let max_abs_lat = located.iter().map(|(_, p)| p.lat.abs()).fold(mid_lat.abs(), f64::max).min(89.0);
        let lat_step = cell_m / METRES_PER_DEGREE_LAT;
        let lon_step = cell_m / (METRES_PER_DEGREE_LAT * max_abs_lat.to_radians().cos().max(0.01));
        let cos_max_lat = max_abs_lat.to_radians().cos().max(0.01);
        let mut grid =
            Grid { cell_m, lat_step, lon_step, cos_max_lat, cells: HashMap::new(), min: (0, 0), max: (0, 0) };
        let mut first = true;
        for (i, p) in located {
            let c = grid.cell(&p);
            if first {
                grid.min = c;
                grid.max = c;
                first = false;
            }
            grid.min = (grid.min.0.min(c.0), grid.min.1.min(c.1));
            grid.max = (grid.max.0.max(c.0), grid.max.1.max(c.1));
            grid.cells.entry(c).or_default().push(i as u32);
        }
        grid
    }

    fn cell(&self, p: &GeoPoint) -> (i32, i32) {
        ((p.lat / self.lat_step).floor() as i32, (p.lon / self.lon_step).floor() as i32)
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Visits cells ring by ring around `at`. Before each ring `r` it calls `stop` with a lower
    /// bound on the straight-line distance (metres) of anything in that ring or beyond; returning
    /// true ends the search. `visit` receives the indices in each cell.
    pub fn search(&self, at: &GeoPoint, mut stop: impl FnMut(f64) -> bool, mut visit: impl FnMut(&[u32])) {
        if self.cells.is_empty() {
            return;
        }
        let (ci, cj) = self.cell(at);
        let reach = [
            (ci - self.min.0).abs(),
            (self.max.0 - ci).abs(),
            (cj - self.min.1).abs(),
            (self.max.1 - cj).abs(),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        let shrink = (at.lat.abs().min(89.0).to_radians().cos() / self.cos_max_lat).min(1.0);
        for r in 0..=reach {
            let bound = f64::from((r - 1).max(0)) * self.cell_m * shrink;
            if stop(bound) {
                return;
            }
            for di in -r..=r {
                let edge = di.abs() == r;
                let mut dj = -r;
                while dj <= r {
                    if let Some(v) = self.cells.get(&(ci + di, cj + dj)) {
                        visit(v);
                    }
                    // Inside the ring only the two edge columns belong to it.
                    dj += if edge || dj == r { 1 } else { 2 * r };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_full_search_visits_every_point_once(pts in prop::collection::vec((53.3f64..53.7, -2.7f64..-2.0), 0..200)) {
            let points: Vec<Option<GeoPoint>> = pts.iter().map(|(a, b)| GeoPoint::parse(*a, *b, None).ok()).collect();
            let grid = Grid::build(&points, 1_000.0);
            let mut seen = vec![0u32; points.len()];
            let at = GeoPoint::parse(53.5, -2.3, None).expect("valid");
            grid.search(&at, |_| false, |ids| for i in ids { seen[*i as usize] += 1; });
            prop_assert!(seen.iter().all(|n| *n == 1));
        }

        #[test]
        fn ring_bounds_never_overstate_distance(pts in prop::collection::vec((53.3f64..53.7, -2.7f64..-2.0), 1..100),
                                                q in (53.3f64..53.7, -2.7f64..-2.0)) {
            let points: Vec<Option<GeoPoint>> = pts.iter().map(|(a, b)| GeoPoint::parse(*a, *b, None).ok()).collect();
            let grid = Grid::build(&points, 800.0);
            let at = GeoPoint::parse(q.0, q.1, None).expect("valid");
            let bound = std::cell::Cell::new(0.0);
            let mut ok = true;
            grid.search(&at, |b| { bound.set(b); false }, |ids| for i in ids {
                if let Some(p) = points[*i as usize] && at.distance_m(&p) + 1.0 < bound.get() { ok = false; }
            });
            prop_assert!(ok);
        }
    }
}
