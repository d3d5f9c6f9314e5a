//! Linking many stored contacts into persons at once (fc_linkage batch mode), for imports and the
//! demo's seeded history: deduplicate their caller details, cluster, and store one person per
//! cluster with its links in a few large transactions. The live matcher then loads these links
//! when the server starts, so later contacts match against them.

use fc_domain::{Actor, Contact};
use fc_linkage::{Dataset, Model, Normaliser, Progress, dedupe};
use fc_server::matcher::raw_parts;
use fc_store::Store;
use fc_store::persons::{BatchMember, NewPair};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// What a batch link did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Linked {
    /// Persons created.
    pub persons: usize,
    /// Contacts linked.
    pub contacts: usize,
    /// Contacts left unlinked because they carry no caller details.
    pub without_details: usize,
    /// The ten persons with the most contacts: (reference, contacts), most first.
    pub largest: Vec<(String, usize)>,
    /// Possible-same-person reviews queued for links the anti-chaining guard held back.
    pub pairs_for_review: usize,
}

/// Clusters per transaction: big enough for few fsyncs, small enough to keep the writer fair.
const CLUSTERS_PER_WRITE: usize = 1_000;

/// Links `contacts` (already stored) into new persons using `model`.
pub async fn link_contacts(
    store: &Store,
    actor: &Actor,
    contacts: &[Contact],
    model: &Model,
    progress: &dyn Progress,
) -> anyhow::Result<Linked> {
    use chrono::Datelike;
    let with: Vec<&Contact> = contacts.iter().filter(|c| c.caller.has_personal_data()).collect();
    let normaliser = Normaliser::new(chrono::Utc::now().year());
    let mut data = Dataset::new();
    for c in &with {
        data.push(&raw_parts(&c.caller).raw(), &normaliser);
    }
    let out = dedupe(&data, model, progress);
    let link_weight = model.scorer(data.len()).link_weight;
    let mut best = vec![None::<f64>; data.len()];
    for l in out.links.iter().filter(|l| f64::from(l.weight) >= link_weight) {
        for r in [l.a, l.b] {
            let slot = &mut best[r as usize];
            *slot = Some(slot.map_or(f64::from(l.weight), |w: f64| w.max(f64::from(l.weight))));
        }
    }
    let mut clusters: BTreeMap<u32, Vec<BatchMember>> = BTreeMap::new();
    for (i, c) in with.iter().enumerate() {
        let cluster = out.clustering.cluster_of.get(i).copied().unwrap_or(i as u32);
        clusters
            .entry(cluster)
            .or_default()
            .push(BatchMember { contact: c.reference.to_string(), weight: best[i] });
    }
    let keys: Vec<u32> = clusters.keys().copied().collect();
    let all: Vec<Vec<BatchMember>> = clusters.into_values().collect();
    let mut persons = 0;
    let mut largest: Vec<(String, usize)> = Vec::new();
    let mut person_of_cluster: HashMap<u32, String> = HashMap::with_capacity(all.len());
    for (chunk, chunk_keys) in all.chunks(CLUSTERS_PER_WRITE).zip(keys.chunks(CLUSTERS_PER_WRITE)) {
        let made = store.link_batch(actor, chunk.to_vec()).await?;
        persons += made.len();
        for (p, key) in made.iter().zip(chunk_keys) {
            person_of_cluster.insert(*key, p.reference.clone());
        }
        largest.extend(made.into_iter().zip(chunk).map(|(p, c)| (p.reference, c.len())));
        largest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        largest.truncate(10);
    }
    // Strong links the anti-chaining guard would not merge: people decide, nothing is lost.
    let scorer = model.scorer(data.len());
    let person_of = |r: u32| {
        let cluster = out.clustering.cluster_of.get(r as usize).copied().unwrap_or(r);
        person_of_cluster.get(&cluster)
    };
    let pairs: Vec<NewPair> = out
        .clustering
        .held
        .iter()
        .filter_map(|l| {
            let (a, b) = (person_of(l.a)?, person_of(l.b)?);
            (a != b).then(|| NewPair {
                a: a.clone(),
                b: b.clone(),
                weight: f64::from(l.weight),
                source: "batch",
                evidence: json!({
                    "contacts": [with[l.a as usize].reference.to_string(), with[l.b as usize].reference.to_string()],
                    "held_by": "anti-chaining guard: linked only through a weak chain with a contradiction",
                    "explanation": scorer.explain(&data.records[l.a as usize], &data.records[l.b as usize], &data.vocabs),
                }),
            })
        })
        .collect();
    let mut pairs_for_review = 0;
    for chunk in pairs.chunks(CLUSTERS_PER_WRITE) {
        pairs_for_review += store.queue_pair_reviews(actor, chunk.to_vec()).await?;
    }
    Ok(Linked {
        persons,
        contacts: with.len(),
        without_details: contacts.len() - with.len(),
        largest,
        pairs_for_review,
    })
}
