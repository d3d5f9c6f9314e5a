use crate::harness::{TestStore, handler, new_contact};
use fc_domain::person::LinkHow;
use fc_store::StoreError;
use fc_store::audit::{AuditAction, AuditQuery};
use fc_store::persons::{BatchMember, ContactLink, Decision, LinkState, NewLink, ReviewCandidate};
use serde_json::json;

crate::contract!(
    link_new_person_then_auto_link,
    many_links_in_one_write_fail_alone,
    undo_keeps_the_link_and_the_state,
    review_decision_links_with_reason,
    merge_and_split_move_links,
    markers_set_and_clear,
    batch_links_clusters,
    search_and_stats,
    person_log_is_append_only,
    triage_history_reads_the_persons_other_contacts_and_markers,
);

fn auto(weight: f64) -> NewLink {
    NewLink {
        how: LinkHow::Auto,
        weight: Some(weight),
        explanation: Some(json!({"fields": []})),
        reason: None,
    }
}

async fn contact(t: &TestStore, name: &str) -> String {
    t.store
        .create_contact(&handler(), new_contact("999", name), None)
        .await
        .expect("create")
        .contact
        .reference
        .to_string()
}

async fn audit_of(t: &TestStore, person: &str) -> Vec<AuditAction> {
    let q = AuditQuery {
        record_type: Some("person".into()),
        record_id: Some(person.into()),
        limit: 50,
        ..Default::default()
    };
    t.store.search_audit(&q).await.expect("audit").iter().map(|a| a.action).collect()
}

async fn link_new_person_then_auto_link(t: TestStore) {
    let s = &t.store;
    let (a, b) = (contact(&t, "Jane Smith").await, contact(&t, "Jane Smyth").await);
    assert_eq!(s.link_state(&a).await.expect("state"), LinkState::Unlinked);
    let first = s
        .link_contact(
            &handler(),
            &a,
            None,
            NewLink { how: LinkHow::New, weight: None, explanation: None, reason: None },
        )
        .await
        .expect("new person");
    assert!(first.person.starts_with("P-"), "{}", first.person);
    let second = s.link_contact(&handler(), &b, Some(&first.person), auto(21.5)).await.expect("auto link");
    assert_eq!(second.person, first.person);
    assert_eq!(second.weight, Some(21.5));
    assert_eq!(second.explanation, Some(json!({"fields": []})));
    let again = s.link_contact(&handler(), &b, Some(&first.person), auto(21.5)).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "one active link per contact: {again:?}");
    let p = s.get_person(&first.person).await.expect("person");
    assert!(matches!(s.link_state(&b).await.expect("state"), LinkState::Linked(id) if id == p.id));
    let rec = s.view_person(&handler(), &first.person, "test").await.expect("view");
    assert_eq!(rec.contacts.len(), 2);
    let kinds: Vec<&str> = rec.log.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["created", "linked", "linked"]);
    assert!(rec.log.iter().all(|e| e.actor == "h.jones"));
    let actions = audit_of(&t, &first.person).await;
    assert_eq!(actions, vec![AuditAction::Consultation, AuditAction::Combination, AuditAction::Combination]);
    let loaded = s.linked_records().await.expect("records");
    assert_eq!(loaded.len(), 2);
    assert_eq!(loaded[0].caller.name.as_deref(), Some("Jane Smith"));
    assert!(s.contacts_awaiting_link(100).await.expect("awaiting").is_empty());
    let manual = s
        .link_contact(
            &handler(),
            &a,
            None,
            NewLink { how: LinkHow::Manual, weight: None, explanation: None, reason: None },
        )
        .await;
    assert!(matches!(manual, Err(StoreError::Invalid(_))), "manual links need a reason");
}

async fn undo_keeps_the_link_and_the_state(t: TestStore) {
    let s = &t.store;
    let a = contact(&t, "Ann Lee").await;
    let l = s.link_contact(&handler(), &a, None, auto(10.0)).await.expect("link");
    let bad = s.undo_link(&handler(), l.id, " ").await;
    assert!(bad.is_err(), "undo needs a reason");
    let undone = s.undo_link(&handler(), l.id, "different date of birth").await.expect("undo");
    assert!(!undone.active);
    assert_eq!(undone.ended_by.as_deref(), Some("h.jones"));
    assert_eq!(undone.ended_reason.as_deref(), Some("different date of birth"));
    assert_eq!(s.link_state(&a).await.expect("state"), LinkState::Undone);
    assert!(s.contacts_awaiting_link(100).await.expect("awaiting").is_empty(), "an undo is not re-matched");
    assert!(matches!(s.undo_link(&handler(), l.id, "again please").await, Err(StoreError::Conflict(_))));
    let rec = s.view_person(&handler(), &l.person, "test").await.expect("view");
    assert!(rec.contacts.is_empty());
    assert_eq!(rec.ended_links.len(), 1);
    assert_eq!(rec.log.last().map(|e| e.kind.as_str()), Some("unlinked"));
}

async fn review_decision_links_with_reason(t: TestStore) {
    let s = &t.store;
    let (a, b) = (contact(&t, "Bill Jones").await, contact(&t, "William Jones").await);
    let pa = s.link_contact(&handler(), &a, None, auto(5.0)).await.expect("link").person;
    assert!(s.queue_link_review(&handler(), &b, vec![]).await.is_err());
    let cand =
        ReviewCandidate { person: pa.clone(), weight: 3.2, probability: 0.9, explanation: json!({"w": 3.2}) };
    let r = s.queue_link_review(&handler(), &b, vec![cand.clone()]).await.expect("queue");
    assert_eq!(r.status, "pending");
    assert_eq!(s.link_state(&b).await.expect("state"), LinkState::InReview);
    assert!(matches!(s.queue_link_review(&handler(), &b, vec![cand]).await, Err(StoreError::Conflict(_))));
    assert_eq!(s.list_link_reviews("pending", 10).await.expect("list").len(), 1);
    let wrong = s.decide_link_review(&handler(), r.id, Decision::Link("P-999999".into()), "same phone").await;
    assert!(matches!(wrong, Err(StoreError::Invalid(_))), "{wrong:?}");
    assert!(s.decide_link_review(&handler(), r.id, Decision::Link(pa.clone()), "").await.is_err());
    let (r2, link) = s
        .decide_link_review(&handler(), r.id, Decision::Link(pa.clone()), "same phone and DOB")
        .await
        .expect("decide");
    assert_eq!(r2.status, "decided");
    assert_eq!(r2.decided_person.as_deref(), Some(pa.as_str()));
    assert_eq!(r2.decided_by.as_deref(), Some("h.jones"));
    assert_eq!(link.how, LinkHow::Manual);
    assert_eq!(link.weight, Some(3.2));
    assert!(s.list_link_reviews("pending", 10).await.expect("list").is_empty());
    assert!(matches!(
        s.decide_link_review(&handler(), r.id, Decision::NewPerson, "changed my mind").await,
        Err(StoreError::Conflict(_))
    ));
    let log = s.person_log(&pa).await.expect("log");
    assert_eq!(log.last().and_then(|e| e.reason.clone()).as_deref(), Some("same phone and DOB"));
}

async fn merge_and_split_move_links(t: TestStore) {
    let s = &t.store;
    let (a, b, c) =
        (contact(&t, "Sam Hill").await, contact(&t, "Samuel Hill").await, contact(&t, "Sam Hill").await);
    let pa = s.link_contact(&handler(), &a, None, auto(1.0)).await.expect("a").person;
    let pb = s.link_contact(&handler(), &b, None, auto(1.0)).await.expect("b").person;
    s.link_contact(&handler(), &c, Some(&pb), auto(9.0)).await.expect("c");
    s.set_marker(&handler(), &pb, "mental_health", "crisis team known", None).await.expect("marker");
    assert!(s.merge_persons(&handler(), &pa, &pa, "self merge").await.is_err());
    let kept = s.merge_persons(&handler(), &pb, &pa, "same person, two records").await.expect("merge");
    assert_eq!(kept.reference, pa);
    let gone = s.get_person(&pb).await.expect("merged person still readable");
    assert_eq!(gone.merged_into.as_deref(), Some(pa.as_str()));
    assert!(matches!(
        s.set_marker(&handler(), &pb, "weapons", "x", None).await,
        Err(StoreError::Conflict(_))
    ));
    let rec = s.view_person(&handler(), &pa, "test").await.expect("view");
    assert_eq!(rec.contacts.len(), 3);
    assert_eq!(rec.markers.len(), 1, "markers follow the merge");
    assert!(rec.log.iter().any(|e| e.kind == "merged"));
    let (split, _) =
        s.split_person(&handler(), &pa, vec![c.clone()], "different DOB on c", None).await.expect("split");
    let rec = s.view_person(&handler(), &pa, "test").await.expect("view");
    assert_eq!(rec.contacts.len(), 2);
    let new = s.view_person(&handler(), &split.reference, "test").await.expect("view");
    assert_eq!(new.contacts.len(), 1);
    assert_eq!(new.contacts[0].1.reference.to_string(), c);
    assert_eq!(new.contacts[0].0.how, LinkHow::Split);
    let bad = s.split_person(&handler(), &pa, vec!["FC-20200101-000001".into()], "not there", None).await;
    assert!(matches!(bad, Err(StoreError::Invalid(_))), "{bad:?}");
    assert_eq!(
        s.view_person(&handler(), &pa, "test").await.expect("view").contacts.len(),
        2,
        "nothing moved"
    );
    assert!(audit_of(&t, &pa).await.contains(&AuditAction::Combination));
}

async fn markers_set_and_clear(t: TestStore) {
    let s = &t.store;
    let a = contact(&t, "Kim Ray").await;
    let p = s.link_contact(&handler(), &a, None, auto(1.0)).await.expect("a").person;
    assert!(s.set_marker(&handler(), &p, "violence", "  ", None).await.is_err());
    let other = s.link_contact(&handler(), &a2(&t).await, None, auto(1.0)).await.expect("other").person;
    let m = s.set_marker(&handler(), &p, "violence", "threatened staff", None).await.expect("set").0;
    assert_eq!(m.set_by, "h.jones");
    assert!(m.cleared_at.is_none());
    let wrong = s.clear_marker(&handler(), &other, m.id, "wrong person").await;
    assert!(matches!(wrong, Err(StoreError::NotFound { .. })), "{wrong:?}");
    assert!(s.clear_marker(&handler(), &p, m.id, "").await.is_err());
    let c = s.clear_marker(&handler(), &p, m.id, "reviewed, no longer applies").await.expect("clear");
    assert!(c.cleared_at.is_some());
    assert_eq!(c.cleared_by.as_deref(), Some("h.jones"));
    assert!(matches!(s.clear_marker(&handler(), &p, m.id, "twice over").await, Err(StoreError::Conflict(_))));
    let key = || Some(fc_store::contacts::Idempotency { key: "k1".into(), fingerprint: "body".into() });
    let (first, replayed) =
        s.set_marker(&handler(), &p, "mental_health", "said so", key()).await.expect("set");
    assert!(!replayed);
    let (again, replayed) =
        s.set_marker(&handler(), &p, "mental_health", "said so", key()).await.expect("retry");
    assert!(replayed);
    assert_eq!(first, again, "a retry returns the first result");
    let other = fc_store::contacts::Idempotency { key: "k1".into(), fingerprint: "other".into() };
    let clash = s.set_marker(&handler(), &p, "mental_health", "said so", Some(other)).await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))));
    let kinds: Vec<String> = s.person_log(&p).await.expect("log").into_iter().map(|e| e.kind).collect();
    assert!(kinds.ends_with(&[
        "marker_set".to_string(),
        "marker_cleared".to_string(),
        "marker_set".to_string()
    ]));
    let actions = audit_of(&t, &p).await;
    assert!(actions.contains(&AuditAction::Collection) && actions.contains(&AuditAction::Alteration));
}

async fn a2(t: &TestStore) -> String {
    contact(t, "Other Person").await
}

async fn batch_links_clusters(t: TestStore) {
    let s = &t.store;
    let refs = [contact(&t, "A B").await, contact(&t, "A B").await, contact(&t, "C D").await];
    let m = |r: &String| BatchMember { contact: r.clone(), weight: Some(12.0) };
    let persons = s
        .link_batch(&handler(), vec![vec![m(&refs[0]), m(&refs[1])], vec![m(&refs[2])]])
        .await
        .expect("batch");
    assert_eq!(persons.len(), 2);
    let rec = s.view_person(&handler(), &persons[0].reference, "test").await.expect("view");
    assert_eq!(rec.contacts.len(), 2);
    assert!(rec.contacts.iter().all(|(l, _)| l.how == LinkHow::Batch));
    let q = AuditQuery {
        record_type: Some("person".into()),
        record_id: Some("batch".into()),
        limit: 5,
        ..Default::default()
    };
    assert_eq!(s.search_audit(&q).await.expect("audit").len(), 1, "one audit entry per batch");
    let dup = s.link_batch(&handler(), vec![vec![m(&refs[0])]]).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))));
    assert_eq!(s.person_stats().await.expect("stats").persons, 2, "the failed batch wrote nothing");
}

async fn search_and_stats(t: TestStore) {
    let s = &t.store;
    let (a, b) = (contact(&t, "Priya Shah").await, contact(&t, "Priya Shah").await);
    let p = s.link_contact(&handler(), &a, None, auto(1.0)).await.expect("a").person;
    s.link_contact(&handler(), &b, Some(&p), auto(20.0)).await.expect("b");
    let hits = s.search_persons("priya", 10).await.expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].reference, p);
    assert_eq!(hits[0].contacts, 2);
    assert_eq!(hits[0].name.as_deref(), Some("Priya Shah"));
    assert_eq!(s.search_persons(&p.to_lowercase(), 10).await.expect("by ref").len(), 1);
    assert_eq!(s.search_persons("07700 900123", 10).await.expect("by phone").len(), 1);
    assert!(s.search_persons("nobody here", 10).await.expect("none").is_empty());
    assert!(s.search_persons("x", 10).await.is_err());
    let st = s.person_stats().await.expect("stats");
    assert_eq!((st.persons, st.linked_contacts, st.repeat_persons, st.pending_reviews), (1, 2, 1, 0));
    let pid = s.get_person(&p).await.expect("p").id;
    let since = chrono::Utc::now() - chrono::Duration::days(7);
    assert_eq!(s.person_contact_count_since(pid, since).await.expect("count"), 2);
}

async fn person_log_is_append_only(t: TestStore) {
    let s = &t.store;
    let a = contact(&t, "Lee Ray").await;
    s.link_contact(&handler(), &a, None, auto(1.0)).await.expect("a");
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&t.url).await.expect("connect");
    assert!(sqlx::query("UPDATE person_events SET actor = 'x'").execute(&mut conn).await.is_err());
    assert!(sqlx::query("DELETE FROM person_events").execute(&mut conn).await.is_err());
    assert!(sqlx::query("DELETE FROM person_contacts").execute(&mut conn).await.is_err());
}

async fn triage_history_reads_the_persons_other_contacts_and_markers(t: TestStore) {
    let s = &t.store;
    let (a, b, c) =
        (contact(&t, "Jane Smith").await, contact(&t, "J Smith").await, contact(&t, "Other").await);
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    assert!(s.person_triage_history(&a, since).await.expect("history").person.is_none(), "not linked yet");
    let new = NewLink { how: LinkHow::New, weight: None, explanation: None, reason: None };
    let first = s.link_contact(&handler(), &a, None, new).await.expect("new person");
    s.link_contact(&handler(), &b, Some(&first.person), auto(20.0)).await.expect("link");
    let new = NewLink { how: LinkHow::New, weight: None, explanation: None, reason: None };
    s.link_contact(&handler(), &c, None, new).await.expect("someone else");
    s.set_marker(&handler(), &first.person, "violence", "bat", None).await.expect("marker");
    let h = s.person_triage_history(&a, since).await.expect("history");
    let others: Vec<String> = h.contacts.iter().map(|c| c.reference.to_string()).collect();
    assert_eq!(others, vec![b.clone()], "the person's other contacts only");
    assert_eq!(h.markers.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(), vec!["violence"]);
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    assert!(s.person_triage_history(&a, later).await.expect("history").contacts.is_empty(), "since is kept");
}

/// The matcher's burst write: links to existing and new persons together, each checked as a
/// single link is, a failing one failing alone; and the burst read that feeds it.
async fn many_links_in_one_write_fail_alone(t: TestStore) {
    let s = &t.store;
    let names = ["Ann Lee", "Bob Kay", "Cal Orr", "Dee Pym", "Eve Ash", "Fay Ng", "Gus Roe"];
    let mut c = Vec::new();
    for n in names {
        c.push(contact(&t, n).await);
    }
    let new = NewLink { how: LinkHow::New, weight: None, explanation: None, reason: None };
    let existing = s.link_contact(&handler(), &c[0], None, new.clone()).await.expect("first person");
    let merged = s.link_contact(&handler(), &c[4], None, new.clone()).await.expect("second person");
    s.merge_persons(&handler(), &merged.person, &existing.person, "same caller, two records")
        .await
        .expect("merge");
    let candidate = ReviewCandidate {
        person: existing.person.clone(),
        weight: 9.0,
        probability: 0.7,
        explanation: json!({"fields": []}),
    };
    s.queue_link_review(&handler(), &c[3], vec![candidate]).await.expect("review");

    let before = s.matching_states(&c).await.expect("states");
    assert_eq!(before.len(), 7);
    assert_eq!(before.iter().find(|m| m.contact == c[1]).map(|m| m.state), Some(LinkState::Unlinked));
    assert_eq!(before.iter().find(|m| m.contact == c[3]).map(|m| m.state), Some(LinkState::InReview));
    assert!(before.iter().all(|m| m.version >= 1 && m.caller.name.is_some()));

    let link = |contact: &str, person: Option<&str>, how: NewLink| ContactLink {
        contact: contact.into(),
        person: person.map(str::to_string),
        link: how,
    };
    let out = s
        .link_contacts(
            &handler(),
            vec![
                link(&c[1], Some(&existing.person), auto(18.0)),
                link(&c[2], None, new.clone()),
                link(&c[1], None, new.clone()),
                link(&c[3], Some(&existing.person), auto(18.0)),
                link(&c[2], Some(&merged.person), auto(18.0)),
                link("FC-20200101-000001", None, new.clone()),
                link(&c[5], Some(&merged.person), auto(18.0)),
                link(&c[6], Some("P-999999"), auto(18.0)),
            ],
        )
        .await
        .expect("write");
    assert_eq!(out.len(), 8);
    let first = out[0].as_ref().expect("linked to an existing person");
    assert_eq!(
        (first.person.as_str(), first.weight, first.active),
        (existing.person.as_str(), Some(18.0), true)
    );
    let fresh = out[1].as_ref().expect("linked to a new person");
    assert!(fresh.person.starts_with("P-") && fresh.person != existing.person);
    assert!(matches!(out[2], Err(StoreError::Conflict(_))), "linked earlier in the same write: {:?}", out[2]);
    assert!(matches!(out[3], Err(StoreError::Conflict(_))), "waiting for a review: {:?}", out[3]);
    assert!(matches!(out[4], Err(StoreError::Conflict(_))), "already linked: {:?}", out[4]);
    assert!(matches!(out[5], Err(StoreError::NotFound { .. })), "{:?}", out[5]);
    assert!(matches!(out[6], Err(StoreError::Conflict(_))), "merged away: {:?}", out[6]);
    assert!(matches!(out[7], Err(StoreError::NotFound { .. })), "no such person: {:?}", out[7]);
    for refused in [&c[5], &c[6]] {
        assert_eq!(
            s.link_state(refused).await.expect("state"),
            LinkState::Unlinked,
            "a refused link wrote nothing"
        );
    }

    // What was written reads back as the single link would have written it.
    let p = s.get_person(&existing.person).await.expect("person");
    assert!(matches!(s.link_state(&c[1]).await.expect("state"), LinkState::Linked(id) if id == p.id));
    let (person, stored) = s.person_of_contact(&c[2]).await.expect("read").expect("linked");
    assert_eq!(person.reference, fresh.person);
    assert_eq!(&stored, fresh);
    assert_eq!(s.link_state(&c[3]).await.expect("state"), LinkState::InReview);
    let rec = s.view_person(&handler(), &fresh.person, "test").await.expect("view");
    let kinds: Vec<&str> = rec.log.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["created", "linked"]);
    assert_eq!(audit_of(&t, &fresh.person).await, vec![AuditAction::Consultation, AuditAction::Combination]);

    let manual = NewLink { how: LinkHow::Manual, weight: None, explanation: None, reason: None };
    let refused = s.link_contacts(&handler(), vec![link(&c[3], None, manual)]).await;
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "manual links need a reason: {refused:?}");
}
