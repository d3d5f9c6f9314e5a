use crate::harness::{TestStore, handler, new_contact};
use fc_store::StoreError;
use fc_store::contacts::markers::{MARKER_CLEARED, MARKER_SET};

crate::contract!(markers_are_set_and_cleared_with_who_and_when);

async fn markers_are_set_and_cleared_with_who_and_when(t: TestStore) {
    let s = &t.store;
    let c = s.create_contact(&handler(), new_contact("999", "Ann Lee"), None).await.expect("create").contact;
    let r = c.reference.to_string();
    assert!(s.contact_markers(&r).await.expect("none").is_empty());
    let set = s
        .change_marker(&handler(), &r, "domestic_abuse", true, Some(" ex-partner ".into()))
        .await
        .expect("set");
    assert_eq!(set.entry.kind, MARKER_SET);
    s.change_marker(&handler(), &r, "mental_health", true, None).await.expect("set 2");
    let again = s.change_marker(&handler(), &r, "domestic_abuse", true, None).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let now = s.contact_markers(&r).await.expect("markers");
    assert_eq!(now.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(), ["domestic_abuse", "mental_health"]);
    assert_eq!((now[0].set_by.as_str(), now[0].note.as_deref()), ("h.jones", Some("ex-partner")));
    let cleared = s
        .change_marker(&handler(), &r, "domestic_abuse", false, Some("wrong person".into()))
        .await
        .expect("clear");
    assert_eq!(cleared.entry.kind, MARKER_CLEARED);
    assert_eq!(cleared.contact.version, 4);
    let now = s.contact_markers(&r).await.expect("markers");
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].code, "mental_health");
    let not_set = s.change_marker(&handler(), &r, "domestic_abuse", false, None).await;
    assert!(matches!(not_set, Err(StoreError::Conflict(_))));
    assert_eq!(
        s.contact_log(&r).await.expect("log").len(),
        4,
        "created, set, set, cleared: the history stays"
    );
    let missing = s.change_marker(&handler(), "FC-20200101-000001", "hate", true, None).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })));
}
