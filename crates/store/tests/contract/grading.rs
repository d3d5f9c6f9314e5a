use crate::harness::{TestStore, handler, new_contact};
use fc_domain::Grade;
use fc_store::contacts::grading::{GRADED, GradeDecisionRecord, OverrideFilter};
use fc_store::{StoreError, StoreEvent};
use serde_json::json;

crate::contract!(
    grading_as_recommended_needs_no_reason,
    an_override_without_a_reason_changes_nothing,
    an_override_with_a_reason_is_stored_and_listed,
    grading_refuses_a_stale_version,
);

fn page(limit: u32, before: Option<i64>) -> OverrideFilter {
    OverrideFilter { limit, before, ..OverrideFilter::default() }
}

fn decision(recommended: Grade, grade: Grade, reason: Option<&str>) -> GradeDecisionRecord {
    GradeDecisionRecord {
        recommended,
        grade,
        reason: reason.map(str::to_string),
        reasons: vec![
            json!({"rule": "weapon_on_emergency_line", "grade": 1, "text": "A weapon", "signals": ["weapons"]}),
        ],
        lexicon_version: "national@1".into(),
        rules_version: "national@1".into(),
    }
}

async fn grading_as_recommended_needs_no_reason(t: TestStore) {
    let s = &t.store;
    let c = s.create_contact(&handler(), new_contact("999", "Ann Lee"), None).await.expect("create").contact;
    let r = c.reference.to_string();
    let mut events = s.subscribe();
    let graded = s
        .record_grade(&handler(), &r, decision(Grade::Emergency, Grade::Emergency, Some("  ")), Some(1))
        .await
        .expect("grade");
    assert_eq!(graded.grade, Some(Grade::Emergency));
    assert_eq!(graded.version, 2);
    assert_eq!(s.get_contact(&r).await.expect("read"), graded, "what was acknowledged is stored");
    let log = s.contact_log(&r).await.expect("log");
    assert_eq!(log.len(), 2);
    let entry = &log[1];
    assert_eq!((entry.kind.as_str(), entry.actor.as_str()), (GRADED, "h.jones"));
    assert_eq!(entry.data["recommended"], 1);
    assert_eq!(entry.data["grade"], 1);
    assert_eq!(entry.data["override"], false);
    assert_eq!(entry.data["reason"], serde_json::Value::Null, "a blank reason is no reason");
    assert_eq!(entry.data["reasons"][0]["rule"], "weapon_on_emergency_line");
    assert_eq!(entry.data["lexicon_version"], "national@1");
    assert_eq!(entry.data["rules_version"], "national@1");
    // The create event may still be on its way (events go out after callers are answered).
    loop {
        match events.recv().await.expect("event") {
            StoreEvent::Contact { version: 1, .. } => continue,
            StoreEvent::Contact { reference, version, .. } => {
                assert_eq!((reference, version), (r, 2));
                break;
            }
            _ => continue,
        }
    }
    assert!(s.list_overrides(&page(50, None)).await.expect("overrides").is_empty());
}

async fn an_override_without_a_reason_changes_nothing(t: TestStore) {
    let s = &t.store;
    let c = s.create_contact(&handler(), new_contact("101", "Bob Hall"), None).await.expect("create").contact;
    let r = c.reference.to_string();
    for reason in [None, Some(""), Some(" \n ")] {
        let err = s
            .record_grade(&handler(), &r, decision(Grade::Emergency, Grade::Scheduled, reason), None)
            .await
            .expect_err("an override needs a reason");
        match err {
            StoreError::Invalid(errors) => assert_eq!(errors[0].field, "reason"),
            other => panic!("expected a field error, got {other:?}"),
        }
    }
    assert_eq!(s.get_contact(&r).await.expect("read"), c, "the contact is unchanged");
    assert_eq!(s.contact_log(&r).await.expect("log").len(), 1, "no log entry");
    let missing = s
        .record_grade(
            &handler(),
            "FC-20200101-000001",
            decision(Grade::Priority, Grade::Priority, None),
            None,
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
}

async fn an_override_with_a_reason_is_stored_and_listed(t: TestStore) {
    let s = &t.store;
    let a = s.create_contact(&handler(), new_contact("999", "Ann Lee"), None).await.expect("a").contact;
    let b = s.create_contact(&handler(), new_contact("101", "Bob Hall"), None).await.expect("b").contact;
    let (ra, rb) = (a.reference.to_string(), b.reference.to_string());
    s.record_grade(
        &handler(),
        &ra,
        decision(Grade::Emergency, Grade::Scheduled, Some(" suspect arrested ")),
        None,
    )
    .await
    .expect("downgrade");
    s.record_grade(&handler(), &rb, decision(Grade::Resolution, Grade::Resolution, None), None)
        .await
        .expect("agreed");
    let upgraded = s
        .record_grade(
            &handler(),
            &rb,
            decision(Grade::Resolution, Grade::Priority, Some("caller sounded terrified")),
            Some(2),
        )
        .await
        .expect("upgrade");
    assert_eq!((upgraded.grade, upgraded.version), (Some(Grade::Priority), 3));
    let log = s.contact_log(&rb).await.expect("log");
    assert_eq!(log[2].data["previous_grade"], 4);
    assert_eq!(log[2].data["override"], true);

    let overrides = s.list_overrides(&page(50, None)).await.expect("overrides");
    assert_eq!(overrides.len(), 2, "the agreed grade is not an override");
    assert_eq!(overrides[0].reference, rb, "newest first");
    assert_eq!((overrides[0].recommended, overrides[0].grade), (Grade::Resolution, Grade::Priority));
    assert!(!overrides[0].downgrade);
    assert_eq!(overrides[1].reference, ra);
    assert_eq!(overrides[1].reason, "suspect arrested", "the reason is stored trimmed");
    assert!(overrides[1].downgrade);
    assert_eq!(overrides[1].actor, "h.jones");
    let first = s.list_overrides(&page(1, None)).await.expect("page 1");
    assert_eq!(first.len(), 1);
    let next = s.list_overrides(&page(1, Some(first[0].id))).await.expect("page 2");
    assert_eq!(next[0].reference, ra);
    assert!(s.list_overrides(&page(1, Some(next[0].id))).await.expect("end").is_empty());
    let downs =
        s.list_overrides(&OverrideFilter { downgrades: Some(true), ..page(50, None) }).await.expect("downs");
    assert_eq!(downs.len(), 1);
    assert_eq!(downs[0].reference, ra);
    let ups =
        s.list_overrides(&OverrideFilter { downgrades: Some(false), ..page(50, None) }).await.expect("ups");
    assert_eq!(ups[0].reference, rb);
    let nobody = OverrideFilter { actor: Some("s.smith".into()), ..page(50, None) };
    assert!(s.list_overrides(&nobody).await.expect("by actor").is_empty());
}

async fn grading_refuses_a_stale_version(t: TestStore) {
    let s = &t.store;
    let c = s.create_contact(&handler(), new_contact("999", "Ann Lee"), None).await.expect("create").contact;
    let r = c.reference.to_string();
    let stale =
        s.record_grade(&handler(), &r, decision(Grade::Priority, Grade::Priority, None), Some(7)).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(s.get_contact(&r).await.expect("read"), c);
}
