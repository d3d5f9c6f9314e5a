//! Possible same person reviews, and retries of people's link decisions answering with the first
//! result instead of a conflict.

use crate::harness::{TestStore, handler, new_contact};
use fc_domain::person::LinkHow;
use fc_domain::{Actor, Role};
use fc_store::StoreError;
use fc_store::persons::{Decision, LinkState, NewLink, NewPair, PairDecision, ReviewCandidate};
use serde_json::json;

crate::contract!(pairs_are_queued_once_and_decided_once, retried_decisions_answer_like_the_first);

fn supervisor() -> Actor {
    Actor { username: "sam.supervisor".into(), role: Role::Supervisor }
}

/// A contact linked to a new person: (contact, person).
async fn person(t: &TestStore, name: &str) -> (String, String) {
    let c = t.store.create_contact(&handler(), new_contact("101", name), None).await.expect("create");
    let c = c.contact.reference.to_string();
    let new = NewLink { how: LinkHow::New, weight: None, explanation: None, reason: None };
    let link = t.store.link_contact(&handler(), &c, None, new).await.expect("link");
    (c, link.person)
}

fn pair(a: &str, b: &str) -> NewPair {
    NewPair {
        a: a.into(),
        b: b.into(),
        weight: 14.5,
        source: "realtime",
        evidence: json!({"contact": "FC-x", "fields": []}),
    }
}

async fn pairs_are_queued_once_and_decided_once(t: TestStore) {
    let s = &t.store;
    let ((ca, pa), (_, pb), (_, pc)) =
        (person(&t, "Ann Lee").await, person(&t, "Anne Lee").await, person(&t, "Bob Hart").await);
    let queued = s
        .queue_pair_reviews(&handler(), vec![pair(&pa, &pb), pair(&pb, &pa), pair(&pa, &pa)])
        .await
        .expect("queue");
    assert_eq!(queued, 1, "one pair, asked once; a person is never paired with themselves");
    let pending = s.list_pair_reviews("pending", 10).await.expect("list");
    assert_eq!(pending.len(), 1);
    let review = &pending[0];
    assert_eq!((review.person_a.as_str(), review.person_b.as_str()), (pa.as_str(), pb.as_str()));
    assert_eq!(review.evidence["contact"], "FC-x");

    let sup = supervisor();
    let blank = s.decide_pair_review(&sup, review.id, PairDecision::KeepApart, "  ").await;
    assert!(matches!(blank, Err(StoreError::Domain(_))), "{blank:?}");
    let outsider = PairDecision::Merge { survivor: pc.clone() };
    assert!(matches!(
        s.decide_pair_review(&sup, review.id, outsider, "same").await,
        Err(StoreError::Invalid(_))
    ));
    let merge = PairDecision::Merge { survivor: pb.clone() };
    let (decided, survivor) =
        s.decide_pair_review(&sup, review.id, merge.clone(), "same DOB, same phone").await.expect("merge");
    assert_eq!(decided.status, "merged");
    assert_eq!(decided.survivor.as_deref(), Some(pb.as_str()));
    assert_eq!(survivor.map(|p| p.reference), Some(pb.clone()));
    assert_eq!(s.link_state(&ca).await.expect("state"), LinkState::Linked(person_id(&pb)));
    assert_eq!(s.get_person(&pa).await.expect("pa").merged_into.as_deref(), Some(pb.as_str()));

    // The same supervisor's retry answers with the first result; another decision conflicts.
    let (again, none) =
        s.decide_pair_review(&sup, review.id, merge, "same DOB, same phone").await.expect("retry");
    assert_eq!((again.status.as_str(), none), ("merged", None));
    assert!(matches!(
        s.decide_pair_review(&sup, review.id, PairDecision::KeepApart, "not the same").await,
        Err(StoreError::Conflict(_))
    ));
    assert!(s.list_pair_reviews("pending", 10).await.expect("list").is_empty());
    assert_eq!(s.list_pair_reviews("merged", 10).await.expect("list").len(), 1);

    // Kept apart: never asked again. A merged-away person is never queued.
    assert_eq!(s.queue_pair_reviews(&handler(), vec![pair(&pb, &pc)]).await.expect("queue"), 1);
    let id = s.list_pair_reviews("pending", 10).await.expect("list")[0].id;
    let (kept, _) = s.decide_pair_review(&sup, id, PairDecision::KeepApart, "twins").await.expect("keep");
    assert_eq!(kept.status, "kept_apart");
    assert_eq!(kept.reason.as_deref(), Some("twins"));
    let again = s.queue_pair_reviews(&handler(), vec![pair(&pc, &pb), pair(&pa, &pc)]).await.expect("queue");
    assert_eq!(again, 0);
    assert!(matches!(
        s.queue_pair_reviews(&handler(), vec![pair(&pa, "P-999999")]).await,
        Err(StoreError::Invalid(_))
    ));
}

fn person_id(reference: &str) -> i64 {
    reference.trim_start_matches("P-").parse().expect("person id")
}

async fn retried_decisions_answer_like_the_first(t: TestStore) {
    let s = &t.store;
    let ((_, pa), (_, pb)) = (person(&t, "Cara Dunn").await, person(&t, "Kara Dunn").await);
    let sup = supervisor();
    let merged = s.merge_persons(&sup, &pb, &pa, "same person").await.expect("merge");
    let retry = s.merge_persons(&sup, &pb, &pa, "same person").await.expect("merge retry");
    assert_eq!(retry.reference, merged.reference);
    assert!(matches!(s.merge_persons(&sup, &pa, &pb, "other way").await, Err(StoreError::Conflict(_))));

    // A review decided twice by the same person with the same decision.
    let c = s.create_contact(&handler(), new_contact("999", "Cara Dunn"), None).await.expect("create");
    let c = c.contact.reference.to_string();
    let candidate = ReviewCandidate {
        person: pa.clone(),
        weight: 9.0,
        probability: 0.8,
        explanation: json!({"fields": []}),
    };
    let review = s.queue_link_review(&handler(), &c, vec![candidate]).await.expect("queue");
    let first = s
        .decide_link_review(&handler(), review.id, Decision::Link(pa.clone()), "she said so")
        .await
        .expect("decide");
    let second = s
        .decide_link_review(&handler(), review.id, Decision::Link(pa.clone()), "she said so")
        .await
        .expect("retry");
    assert_eq!(first.1.id, second.1.id, "the same link, not a second one");
    let other = s.decide_link_review(&sup, review.id, Decision::Link(pa.clone()), "not her").await;
    assert!(matches!(other, Err(StoreError::Conflict(_))), "{other:?}");

    // Undo twice by the same person: the ended link both times; by someone else: a conflict.
    let undone = s.undo_link(&handler(), first.1.id, "wrong Cara").await.expect("undo");
    assert!(!undone.active);
    let again = s.undo_link(&handler(), first.1.id, "wrong Cara").await.expect("undo retry");
    assert_eq!((again.id, again.ended_reason.as_deref()), (undone.id, Some("wrong Cara")));
    assert!(matches!(s.undo_link(&sup, first.1.id, "wrong Cara").await, Err(StoreError::Conflict(_))));
}
