use crate::harness::{TestStore, handler, new_contact};
use chrono::{Duration, Utc};
use fc_store::contacts::history::{phone_key, same_caller};

crate::contract!(earlier_contacts_share_the_callers_phone_or_email);

async fn earlier_contacts_share_the_callers_phone_or_email(t: TestStore) {
    let s = &t.store;
    let now = Utc::now();
    let at = |days: i64, phone: Option<&str>, email: Option<&str>| {
        let mut c = new_contact("101", "Ann Lee");
        c.offered_at = now - Duration::days(days);
        c.caller.phone = phone.map(str::to_string);
        c.caller.email = email.map(str::to_string);
        c
    };
    let mk = |c| async { s.create_contact(&handler(), c, None).await.expect("create").contact };
    let old = mk(at(40, Some("07700 900123"), None)).await;
    let by_email = mk(at(3, None, Some("Ann@Example.org"))).await;
    let by_phone = mk(at(2, Some("+44 7700 900123"), None)).await;
    let stranger = mk(at(1, Some("07700 900999"), Some("bob@example.org"))).await;
    let later = mk(at(0, Some("07700900123"), None)).await;
    let this = mk(at(1, Some("07700 900123"), Some("ann@example.org"))).await;

    let found = s.contacts_sharing_caller(&this, now - Duration::days(30)).await.expect("history");
    let refs: Vec<String> = found.iter().map(|c| c.reference.to_string()).collect();
    assert_eq!(
        refs,
        vec![by_phone.reference.to_string(), by_email.reference.to_string()],
        "newest first; not the stranger, not the contact itself, nothing after it, nothing before the window"
    );
    let wider = s.contacts_sharing_caller(&this, now - Duration::days(60)).await.expect("wider");
    assert_eq!(wider.len(), 3);
    assert_eq!(wider[2].reference, old.reference);
    assert!(wider.iter().all(|c| c.reference != later.reference));

    let mut anonymous = this.clone();
    anonymous.caller.phone = None;
    anonymous.caller.email = None;
    assert!(s.contacts_sharing_caller(&anonymous, now - Duration::days(60)).await.expect("none").is_empty());
    assert!(same_caller(&this.caller, &by_phone.caller));

    // A number given later (the handler corrected it) finds the contact by that number too.
    let mut corrected = stranger.caller.clone();
    corrected.phone = Some("07700 900123".into());
    let patch = fc_domain::record::ContactPatch { caller: Some(corrected), ..Default::default() };
    s.update_contact(&handler(), &stranger.reference.to_string(), patch, None).await.expect("patch");
    let after = s.contacts_sharing_caller(&this, now - Duration::days(30)).await.expect("history");
    assert!(after.iter().any(|c| c.reference == stranger.reference), "found by its corrected number");
    assert_eq!(phone_key("+44 7700 900123"), phone_key("07700900123"));
}
