use crate::harness::{TestStore, handler, new_contact};
use fc_domain::{Channel, ContactStatus, Outcome};
use fc_store::StoreError;
use fc_store::audit::{AuditAction, AuditQuery};
use fc_store::contacts::{ContactFilter, Idempotency, Transition};

crate::contract!(
    create_then_read_back,
    idempotency_key_creates_once,
    lifecycle_is_enforced_and_logged,
    stale_versions_are_refused,
    list_filters_and_pages,
    queue_puts_999_first_then_oldest,
    concurrent_creates_get_unique_references,
    a_refused_create_in_a_batch_leaves_its_neighbours_whole,
    events_follow_commits,
    one_key_sent_many_times_at_once_creates_one_contact,
    an_aml_message_is_one_write,
    optional_numbers_may_come_and_go,
    keyed_creates_in_one_batch_each_find_their_own_key,
);

async fn create_then_read_back(t: TestStore) {
    let s = &t.store;
    let created = s.create_contact(&handler(), new_contact("999", "Jane Smith"), None).await.expect("create");
    assert!(!created.replayed);
    let c = created.contact;
    assert!(c.reference.to_string().starts_with("FC-"));
    assert_eq!(c.status, ContactStatus::Received);
    assert_eq!(c.version, 1);
    let read = s.view_contact(&handler(), &c.reference.to_string(), "contact screen").await.expect("read");
    assert_eq!(read, c, "what the store acknowledged is what it returns");
    assert_eq!(read.caller.postcode.as_ref().map(|p| p.to_string()).as_deref(), Some("M1 1AE"));
    let log = s.contact_log(&c.reference.to_string()).await.expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].kind, "created");
    assert_eq!(log[0].actor, "h.jones");
    let audit = s
        .search_audit(&AuditQuery {
            record_id: Some(c.reference.to_string()),
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("audit");
    let actions: Vec<AuditAction> = audit.iter().map(|a| a.action).collect();
    assert_eq!(actions, vec![AuditAction::Consultation, AuditAction::Collection]);
    assert!(matches!(s.get_contact("FC-20200101-000001").await, Err(StoreError::NotFound { .. })));
}

async fn idempotency_key_creates_once(t: TestStore) {
    let s = &t.store;
    let key = |fp: &str| Some(Idempotency { key: "retry-1".into(), fingerprint: fp.into() });
    let a = s.create_contact(&handler(), new_contact("999", "Ann Lee"), key("body-a")).await.expect("first");
    let b = s.create_contact(&handler(), new_contact("999", "Ann Lee"), key("body-a")).await.expect("retry");
    assert!(b.replayed);
    assert_eq!(a.contact.reference, b.contact.reference);
    assert_eq!(s.count_contacts().await.expect("count"), 1);
    let other = s.create_contact(&handler(), new_contact("999", "Someone Else"), key("body-b")).await;
    assert!(matches!(other, Err(StoreError::Conflict(_))), "{other:?}");
    assert_eq!(s.count_contacts().await.expect("count"), 1, "nothing written by the refused request");
}

async fn lifecycle_is_enforced_and_logged(t: TestStore) {
    let s = &t.store;
    let c = s.create_contact(&handler(), new_contact("101", "Bob Roy"), None).await.expect("create").contact;
    let r = c.reference.to_string();
    let to = |to, outcome| Transition { to, outcome, note: None };
    let illegal = s
        .transition_contact(&handler(), &r, to(ContactStatus::Closed, Some(Outcome::AdviceGiven)), None)
        .await;
    assert!(matches!(illegal, Err(StoreError::Domain(_))), "{illegal:?}");
    s.transition_contact(&handler(), &r, to(ContactStatus::Queued, None), None).await.expect("queue");
    let answered = s
        .transition_contact(&handler(), &r, to(ContactStatus::InProgress, None), None)
        .await
        .expect("answer");
    assert_eq!(answered.handler.as_deref(), Some("h.jones"));
    assert!(answered.answered_at.is_some());
    let no_outcome = s.transition_contact(&handler(), &r, to(ContactStatus::Closed, None), None).await;
    assert!(matches!(no_outcome, Err(StoreError::Invalid(_))));
    let closed = s
        .transition_contact(
            &handler(),
            &r,
            to(ContactStatus::Closed, Some(Outcome::ResolvedAtFirstContact)),
            None,
        )
        .await
        .expect("close");
    assert_eq!(closed.version, 4);
    assert_eq!(s.get_contact(&r).await.expect("read"), closed);
    let kinds: Vec<String> = s.contact_log(&r).await.expect("log").into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["created", "status_changed", "status_changed", "status_changed"]);
}

async fn stale_versions_are_refused(t: TestStore) {
    let s = &t.store;
    let c =
        s.create_contact(&handler(), new_contact("webchat", "Cara Doe"), None).await.expect("create").contact;
    let r = c.reference.to_string();
    let patch = fc_domain::ContactPatch { narrative: Some("Updated account".into()), ..Default::default() };
    let updated = s.update_contact(&handler(), &r, patch.clone(), Some(1)).await.expect("update");
    assert_eq!(updated.version, 2);
    let stale = s.update_contact(&handler(), &r, patch, Some(1)).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))));
    let log = s.contact_log(&r).await.expect("log");
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].data["narrative"]["to"], "Updated account");
    assert_eq!(log[1].data["narrative"]["from"], "Neighbours shouting, sound of breaking glass");
}

async fn list_filters_and_pages(t: TestStore) {
    let s = &t.store;
    for i in 0..25 {
        let channel = if i % 5 == 0 { "999" } else { "email" };
        s.create_contact(&handler(), new_contact(channel, &format!("Person {i}")), None)
            .await
            .expect("create");
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page =
            s.list_contacts(&ContactFilter { cursor, limit: 10, ..Default::default() }).await.expect("page");
        seen.extend(page.items.iter().map(|c| c.reference));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(seen, sorted, "newest first, no repeats across pages");
    let only999 = s
        .list_contacts(&ContactFilter {
            channel: Some(Channel::Emergency999),
            limit: 100,
            ..Default::default()
        })
        .await
        .expect("filter");
    assert_eq!(only999.items.len(), 5);
    assert!(only999.items.iter().all(|c| c.channel == Channel::Emergency999));
    let bad = s
        .list_contacts(&ContactFilter { cursor: Some("nonsense".into()), limit: 10, ..Default::default() })
        .await;
    assert!(matches!(bad, Err(StoreError::Invalid(_))));
}

async fn queue_puts_999_first_then_oldest(t: TestStore) {
    let s = &t.store;
    let mut first = new_contact("101", "Old 101");
    first.offered_at -= chrono::Duration::minutes(10);
    s.create_contact(&handler(), first, None).await.expect("create");
    s.create_contact(&handler(), new_contact("email", "Email"), None).await.expect("create");
    s.create_contact(&handler(), new_contact("999", "New 999"), None).await.expect("create");
    s.create_contact(&handler(), new_contact("101", "New 101"), None).await.expect("create");
    let q = s.queue(10).await.expect("queue");
    let names: Vec<&str> = q.iter().filter_map(|c| c.caller.name.as_deref()).collect();
    assert_eq!(names, ["New 999", "Old 101", "New 101", "Email"]);
}

async fn concurrent_creates_get_unique_references(t: TestStore) {
    let s = t.store.clone();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                s.create_contact(
                    &handler(),
                    new_contact("999", &format!("Caller {i}")),
                    Some(Idempotency { key: format!("k{i}"), fingerprint: "f".into() }),
                )
                .await
            })
        })
        .collect();
    let mut refs = std::collections::HashSet::new();
    for task in tasks {
        let created = task.await.expect("join").expect("create");
        assert!(refs.insert(created.contact.reference));
    }
    assert_eq!(s.count_contacts().await.expect("count"), 200);
    let report = s.verify_audit().await.expect("verify");
    assert_eq!(report.first_broken, None, "{report:?}");
    assert_eq!(report.entries, 200);
}

/// Creates run in the batch without savepoints: one refused by its checks (a reused idempotency key
/// with another body) must fail alone, leaving the others, the references and the chain whole.
async fn a_refused_create_in_a_batch_leaves_its_neighbours_whole(t: TestStore) {
    let s = t.store.clone();
    s.create_contact(
        &handler(),
        new_contact("101", "First"),
        Some(Idempotency { key: "shared".into(), fingerprint: "a".into() }),
    )
    .await
    .expect("first");
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                let (key, fingerprint) =
                    if i % 10 == 0 { ("shared".to_string(), "b") } else { (format!("n{i}"), "f") };
                s.create_contact(
                    &handler(),
                    new_contact("999", &format!("Caller {i}")),
                    Some(Idempotency { key, fingerprint: fingerprint.into() }),
                )
                .await
            })
        })
        .collect();
    let (mut ok, mut refused) = (std::collections::HashSet::new(), 0);
    for task in tasks {
        match task.await.expect("join") {
            Ok(created) => assert!(ok.insert(created.contact.reference.to_string())),
            Err(StoreError::Conflict(_)) => refused += 1,
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((ok.len(), refused), (54, 6));
    assert_eq!(s.count_contacts().await.expect("count"), 55);
    for reference in &ok {
        let log = s.contact_log(reference).await.expect("log");
        assert_eq!(log.len(), 1, "each acknowledged contact has its created entry");
    }
    let report = s.verify_audit().await.expect("verify");
    assert_eq!(report.first_broken, None, "{report:?}");
    assert_eq!(report.entries, 55);
}

async fn events_follow_commits(t: TestStore) {
    let s = &t.store;
    let mut rx = s.subscribe();
    let c = s.create_contact(&handler(), new_contact("999", "Eve"), None).await.expect("create").contact;
    let event = rx.recv().await.expect("event");
    assert_eq!(
        event,
        fc_store::StoreEvent::Contact {
            reference: c.reference.to_string(),
            channel: Channel::Emergency999,
            status: ContactStatus::Received,
            version: 1
        }
    );
    let _ = s
        .transition_contact(
            &handler(),
            &c.reference.to_string(),
            Transition { to: ContactStatus::Closed, outcome: None, note: None },
            None,
        )
        .await;
    assert!(rx.try_recv().is_err(), "a refused change sends no event");
}

/// Creates are written at the batch's end, so the database cannot see a key an earlier job of the
/// same batch used: the store itself must. Many copies of one keyed request at once (a client
/// retrying hard), mixed with contacts with and without a location: exactly one contact for the
/// key, every copy either answered with it or told to retry, every contact with its log entry.
async fn one_key_sent_many_times_at_once_creates_one_contact(t: TestStore) {
    let s = t.store.clone();
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                let mut c = new_contact("999", &format!("Caller {i}"));
                if i % 2 == 0 {
                    c.location = None;
                    c.caller.name = None;
                }
                let key = (i % 3 == 0).then(|| Idempotency { key: "same".into(), fingerprint: "f".into() });
                let c = if i % 3 == 0 { new_contact("999", "Keyed Caller") } else { c };
                (i % 3 == 0, s.create_contact(&handler(), c, key).await)
            })
        })
        .collect();
    let mut keyed_refs = std::collections::HashSet::new();
    let mut others = 0;
    for task in tasks {
        match task.await.expect("join") {
            (true, Ok(created)) => {
                keyed_refs.insert(created.contact.reference.to_string());
            }
            (true, Err(StoreError::Conflict(m))) => assert!(m.contains("retry"), "{m}"),
            (true, Err(e)) => panic!("keyed create: {e:?}"),
            (false, r) => {
                r.expect("unkeyed create");
                others += 1;
            }
        }
    }
    assert_eq!(keyed_refs.len(), 1, "one contact for the key: {keyed_refs:?}");
    assert_eq!(others, 40);
    assert_eq!(s.count_contacts().await.expect("count"), 41);
    let again = s
        .create_contact(
            &handler(),
            new_contact("999", "Keyed Caller"),
            Some(Idempotency { key: "same".into(), fingerprint: "f".into() }),
        )
        .await
        .expect("retry later");
    assert!(again.replayed);
    assert!(keyed_refs.contains(&again.contact.reference.to_string()));
    let page = s.list_contacts(&ContactFilter { limit: 100, ..Default::default() }).await.expect("list");
    for c in &page.items {
        let log = s.contact_log(&c.reference.to_string()).await.expect("log");
        assert_eq!(log.first().map(|e| e.kind.as_str()), Some("created"), "{}", c.reference);
    }
    assert!(
        page.items.iter().any(|c| c.location.is_none()) && page.items.iter().any(|c| c.location.is_some())
    );
}

/// An AML message's location and its log entry are one write; a changed location is audited.
async fn an_aml_message_is_one_write(t: TestStore) {
    let s = &t.store;
    let c = s.create_contact(&handler(), new_contact("999", "Ann Lee"), None).await.expect("create").contact;
    let fix = fc_domain::GeoPoint::parse(53.47961, -2.24263, Some(12.0)).expect("point");
    let after = s
        .record_aml(&handler(), &c.reference.to_string(), Some(fix), "AML location by satellite".into())
        .await
        .expect("aml");
    assert_eq!(after.version, c.version + 1);
    assert_eq!(after.location, Some(fix));
    let log = s.contact_log(&c.reference.to_string()).await.expect("log");
    assert_eq!(log.iter().filter(|e| e.kind == "aml").count(), 1);
    let audit = s
        .search_audit(&AuditQuery {
            record_id: Some(c.reference.to_string()),
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("audit");
    assert!(audit.iter().any(|a| a.action == AuditAction::Alteration), "{audit:?}");
    let missing = s.record_aml(&handler(), "FC-20260101-999999", None, "x".into()).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
}

/// A contact without a place, then one with; a place without a radius, then one with. On
/// PostgreSQL a missing number once fixed its parameter's type for the statement's later uses, and
/// the next contact with a place was refused with its whole batch.
async fn optional_numbers_may_come_and_go(t: TestStore) {
    let s = &t.store;
    let mut first = new_contact("101", "Jane Smith");
    first.location = None;
    s.create_contact(&handler(), first, None).await.expect("no place");
    let placed = s
        .create_contact(&handler(), new_contact("101", "Jane Smith"), None)
        .await
        .expect("a place after none");
    assert_eq!(placed.contact.location.and_then(|l| l.radius_m), Some(25.0));
    let reference = placed.contact.reference.to_string();
    let mut version = placed.contact.version;
    for radius in [None, Some(40.0), None] {
        let patch = fc_domain::record::ContactPatch {
            location: Some(fc_domain::GeoPoint::parse(53.48, -2.24, radius).expect("point")),
            ..Default::default()
        };
        let changed = s.update_contact(&handler(), &reference, patch, Some(version)).await.expect("moved");
        assert_eq!(changed.location.and_then(|l| l.radius_m), radius);
        version = changed.version;
    }
}

/// Many keyed creates and their retries arrive together (one batch looks all their keys up at
/// once): each retry replays its own contact, a key belongs to its actor, and a reused key with a
/// different request is refused.
async fn keyed_creates_in_one_batch_each_find_their_own_key(t: TestStore) {
    let s = &t.store;
    let mine = handler();
    let other = fc_domain::Actor { username: "o.other".into(), role: fc_domain::Role::CallHandler };
    let key = |n: usize, body: &str| Some(Idempotency { key: format!("k-{n}"), fingerprint: body.into() });
    let first: Vec<_> = futures::future::join_all(
        (0..40).map(|n| s.create_contact(&mine, new_contact("999", &format!("Caller {n}")), key(n, "same"))),
    )
    .await
    .into_iter()
    .map(|r| r.expect("first").contact.reference)
    .collect();
    let retries = futures::future::join_all(
        (0..40).map(|n| s.create_contact(&mine, new_contact("999", &format!("Caller {n}")), key(n, "same"))),
    );
    let theirs = futures::future::join_all(
        (0..10).map(|n| s.create_contact(&other, new_contact("101", "Their caller"), key(n, "theirs"))),
    );
    let changed = s.create_contact(&mine, new_contact("999", "Changed"), key(3, "different"));
    let (retries, theirs, changed) = futures::join!(retries, theirs, changed);
    for (n, r) in retries.into_iter().enumerate() {
        let r = r.expect("retry");
        assert!(r.replayed, "retry {n} replays");
        assert_eq!(r.contact.reference, first[n], "retry {n} finds its own contact");
    }
    for r in theirs {
        assert!(
            !r.expect("another actor's key").replayed,
            "the same key from another actor is a new request"
        );
    }
    assert!(matches!(changed, Err(StoreError::Conflict(_))), "{changed:?}");
    assert_eq!(s.count_contacts().await.expect("count"), 50);
}
