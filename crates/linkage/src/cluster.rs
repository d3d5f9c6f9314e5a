//! Clustering links into persons. Links are taken strongest first and merged with union-find,
//! but two groups are joined only if no record in one strongly contradicts a record in the other
//! (different full dates of birth, clearly different given names, and no direct link between
//! them) in at least half of the pairs across the two groups. This stops chaining: A~B and B~C must not silently make A and C one person when A
//! and C say they are not. Refused merges are returned for review instead of being lost.

use crate::compare::{compare, records_contradict};
use crate::model::Scorer;
use crate::record::Record;
use crate::vocab::Strings;
use rayon::prelude::*;

/// A scored candidate link.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// One record (index into the data set).
    pub a: u32,
    /// The other record.
    pub b: u32,
    /// Match weight (log2 odds).
    pub weight: f32,
}

/// The result of clustering.
#[derive(Debug, Clone, Default)]
pub struct Clustering {
    /// Cluster id per record (the smallest record index in the cluster).
    pub cluster_of: Vec<u32>,
    /// Links above the threshold whose merge the anti-chaining guard refused: for review.
    pub held: Vec<Link>,
    /// Links refused because the merged person would exceed the size limit.
    pub too_large: u64,
}

struct Groups {
    parent: Vec<u32>,
    /// Members of each root; empty for a record still on its own (most of them), so a million
    /// records do not need a million allocations.
    members: Vec<Vec<u32>>,
    ids: Vec<u32>,
}

impl Groups {
    fn members(&self, root: u32) -> &[u32] {
        match self.members[root as usize].as_slice() {
            [] => std::slice::from_ref(&self.ids[root as usize]),
            m => m,
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }
}

/// Clusters `links` (any order) over `n` records; links below `threshold` (a weight) are ignored.
pub fn cluster<S: Strings + ?Sized>(
    n: usize,
    links: &[Link],
    threshold: f64,
    max_cluster: usize,
    records: &[Record],
    scorer: &Scorer,
    s: &S,
) -> Clustering {
    let mut order: Vec<Link> = links.iter().filter(|l| f64::from(l.weight) >= threshold).copied().collect();
    // Unstable is deterministic here: no two links share (weight, a, b).
    order.par_sort_unstable_by(|x, y| y.weight.total_cmp(&x.weight).then((x.a, x.b).cmp(&(y.a, y.b))));
    let ids: Vec<u32> = (0..n as u32).collect();
    let mut g = Groups { parent: ids.clone(), members: vec![Vec::new(); n], ids };
    let mut out = Clustering::default();
    for link in order {
        let (ra, rb) = (g.find(link.a), g.find(link.b));
        if ra == rb {
            continue;
        }
        let (ma, mb) = (g.members(ra), g.members(rb));
        if ma.len() + mb.len() > max_cluster {
            out.too_large += 1;
            continue;
        }
        // One corrupted record among many must not stop a merge, but a bridge between two people
        // who contradict each other must: refuse when at least half the cross pairs contradict.
        let blocked = (ma.len() > 1 || mb.len() > 1) && {
            let total = ma.len() * mb.len();
            let (mut contradictions, mut checked) = (0usize, 0usize);
            'count: for &x in ma {
                for &y in mb {
                    checked += 1;
                    let (rx, ry) = (&records[x as usize], &records[y as usize]);
                    if records_contradict(rx, ry, s) && scorer.weight(rx, &compare(rx, ry, s), s) < threshold
                    {
                        contradictions += 1;
                    }
                    // Stop as soon as the outcome is settled either way.
                    if contradictions * 2 >= total || (contradictions + total - checked) * 2 < total {
                        break 'count;
                    }
                }
            }
            contradictions > 0 && contradictions * 2 >= total
        };
        if blocked {
            out.held.push(link);
            continue;
        }
        let (big, small) = if ma.len() >= mb.len() { (ra, rb) } else { (rb, ra) };
        let moved = g.members(small).to_vec();
        if g.members[big as usize].is_empty() {
            g.members[big as usize].push(big);
        }
        g.members[big as usize].extend(moved);
        g.members[small as usize] = Vec::new();
        g.parent[small as usize] = big;
    }
    let mut cluster_of = vec![0u32; n];
    for root in 0..n as u32 {
        if g.parent[root as usize] != root {
            continue;
        }
        let members = g.members(root);
        if let Some(&min) = members.iter().min() {
            for &m in members {
                cluster_of[m as usize] = min;
            }
        }
    }
    out.cluster_of = cluster_of;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::normalise::Normaliser;
    use crate::record::RawRecord;
    use crate::vocab::Vocabs;

    fn recs(raws: &[RawRecord<'_>]) -> (Vec<Record>, Vocabs) {
        let mut v = Vocabs::default();
        let n = Normaliser::new(2026);
        (raws.iter().map(|r| n.normalise(r, &mut v).0).collect(), v)
    }

    #[test]
    fn weak_chain_with_contradiction_is_held() {
        // A and C share a name but different birthdays; B has no birthday and bridges them.
        let (r, v) = recs(&[
            RawRecord { given_name: "John", surname: "Smith", dob: "1980-01-02", ..Default::default() },
            RawRecord { given_name: "John", surname: "Smith", ..Default::default() },
            RawRecord { given_name: "John", surname: "Smith", dob: "1955-09-30", ..Default::default() },
        ]);
        let scorer = Model::default().scorer(3);
        let links = [Link { a: 0, b: 1, weight: 5.0 }, Link { a: 1, b: 2, weight: 4.0 }];
        let c = cluster(3, &links, 0.0, 60, &r, &scorer, &v);
        assert_eq!(c.cluster_of[0], c.cluster_of[1]);
        assert_ne!(c.cluster_of[1], c.cluster_of[2]);
        assert_eq!(c.held.len(), 1);
    }

    #[test]
    fn consistent_chain_merges() {
        let (r, v) = recs(&[
            RawRecord { given_name: "John", surname: "Smith", dob: "1980-01-02", ..Default::default() },
            RawRecord { given_name: "John", surname: "Smith", ..Default::default() },
            RawRecord { given_name: "Jon", surname: "Smith", dob: "1980-01-02", ..Default::default() },
        ]);
        let scorer = Model::default().scorer(3);
        let links = [
            Link { a: 0, b: 1, weight: 5.0 },
            Link { a: 1, b: 2, weight: 4.0 },
            Link { a: 0, b: 2, weight: -30.0 },
        ];
        let c = cluster(3, &links, 0.0, 60, &r, &scorer, &v);
        assert_eq!(c.cluster_of, vec![0, 0, 0]);
        assert!(c.held.is_empty());
    }
}
