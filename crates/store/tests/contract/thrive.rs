use crate::harness::{TestStore, handler, new_contact};
use fc_store::StoreError;
use fc_store::contacts::Idempotency;
use fc_store::contacts::thrive::THRIVE_ASSESSED;
use serde_json::json;

crate::contract!(thrive_reassessment_is_a_new_version, thrive_retries_are_recorded_once);

async fn thrive_reassessment_is_a_new_version(t: TestStore) {
    let s = &t.store;
    let c = s.create_contact(&handler(), new_contact("999", "Ann Lee"), None).await.expect("create").contact;
    let r = c.reference.to_string();
    let first = s
        .record_thrive(&handler(), &r, json!({"risk": {"judgement": "medium", "notes": "ex has left"}}), None)
        .await
        .expect("first");
    assert_eq!(first.entry.data["version"], 1);
    assert_eq!(first.entry.data["assessed_by"], "h.jones");
    assert_eq!(first.contact.version, 2, "the contact's version moves on");
    let second = s
        .record_thrive(&handler(), &r, json!({"risk": {"judgement": "high", "notes": "he is back"}}), None)
        .await
        .expect("second");
    assert_eq!(second.entry.data["version"], 2);
    let versions = s.contact_entries(&r, THRIVE_ASSESSED).await.expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].data["risk"]["judgement"], "medium", "the first version is kept as it was");
    assert_eq!(versions[1].data["risk"]["judgement"], "high");
    assert!(versions[0].data["assessed_at"].is_string());
    assert_eq!(s.contact_log(&r).await.expect("log").len(), 3, "created + two versions");
    let bad = s.record_thrive(&handler(), &r, json!(["not", "an", "object"]), None).await;
    assert!(matches!(bad, Err(StoreError::Invalid(_))), "{bad:?}");
    let missing = s.record_thrive(&handler(), "FC-20200101-000001", json!({}), None).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
    assert!(matches!(
        s.contact_entries("FC-20200101-000001", THRIVE_ASSESSED).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn thrive_retries_are_recorded_once(t: TestStore) {
    let s = &t.store;
    let c = s.create_contact(&handler(), new_contact("101", "Bob Hall"), None).await.expect("create").contact;
    let r = c.reference.to_string();
    let key = |fp: &str| Some(Idempotency { key: "k-1".into(), fingerprint: fp.into() });
    let a = s.record_thrive(&handler(), &r, json!({}), key("A")).await.expect("first");
    let b = s.record_thrive(&handler(), &r, json!({}), key("A")).await.expect("retry");
    assert!(!a.replayed && b.replayed);
    assert_eq!(a.entry, b.entry);
    let clash = s.record_thrive(&handler(), &r, json!({}), key("B")).await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");
    assert_eq!(s.contact_entries(&r, THRIVE_ASSESSED).await.expect("versions").len(), 1);
}
