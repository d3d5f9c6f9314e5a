//! The pages over HTTP: sign-in, roles, CSRF, creating (once) and moving a contact, audit of views.

use super::{TestUi, hidden};
use fc_store::audit::{AuditAction, AuditQuery};

#[tokio::test]
async fn pages_need_sign_in_and_come_back_after() {
    let ui = TestUi::start().await;
    let c = ui.client();
    let res = c.get(format!("{}/contacts/new", ui.base)).send().await.expect("get");
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login?next=/contacts/new");
    let (status, body) = ui.get(&c, "/ui/queue").await;
    assert_eq!(status, 401, "fragments answer 401 so the script can send the page to sign in");
    assert!(body.contains("<html"), "an HTML page, not problem+json");

    let (status, loc, _) = ui
        .post(
            &c,
            "/login",
            &[("username", "handler"), ("password", super::PASSWORD), ("next", "/contacts/new")],
        )
        .await;
    assert_eq!((status, loc.as_str()), (303, "/contacts/new"));
    let (status, body) = ui.get(&c, "/").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Call handler Person") && body.contains(">Call handler<"),
        "name and role in header"
    );
    assert!(body.contains("aria-live=\"polite\""));
}

#[tokio::test]
async fn failed_sign_in_does_not_say_which_part_was_wrong() {
    let ui = TestUi::start().await;
    let c = ui.client();
    let (s1, _, wrong_password) =
        ui.post(&c, "/login", &[("username", "handler"), ("password", "nope nope nope")]).await;
    let (s2, _, unknown_user) = ui.post(&c, "/login", &[("username", "nobody"), ("password", "nope")]).await;
    assert_eq!((s1, s2), (401, 401));
    let strip = |s: &str, u: &str| s.replace(u, "USER");
    assert_eq!(strip(&wrong_password, "handler"), strip(&unknown_user, "nobody"));
    assert!(wrong_password.contains("value=\"handler\""), "the username typed is kept");
    let (status, _) = ui.get(&c, "/").await;
    assert_eq!(status, 303, "still signed out");
}

#[tokio::test]
async fn roles_without_the_queue_get_a_403_page() {
    let ui = TestUi::start().await;
    let c = ui.client();
    ui.sign_in(&c, "auditor").await;
    let (status, body) = ui.get(&c, "/").await;
    assert_eq!(status, 403);
    assert!(body.contains("Not allowed") && body.contains("cannot see the queue"), "{body}");
    let (status, _) = ui.get(&c, "/contacts/new").await;
    assert_eq!(status, 403);
    let (status, body) = ui.get(&c, "/no/such/page").await;
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
}

#[tokio::test]
async fn a_contact_is_created_once_shown_audited_and_moved_through_its_life() {
    let ui = TestUi::start().await;
    let c = ui.client();
    ui.sign_in(&c, "handler").await;
    let (_, form) = ui.get(&c, "/contacts/new").await;
    let csrf = hidden(&form, "_csrf");
    let key = hidden(&form, "_idem");
    let fields = [
        ("_idem", key.as_str()),
        ("channel", "999"),
        ("flags", "silent_999"),
        ("flags", "caller_is_child"),
        ("caller.name", "Sam Example"),
        ("caller.postcode", "sw1a 1aa"),
        ("location_text", "Outside the station"),
        ("location.lat", "51.5"),
        ("location.lon", "-0.12"),
        ("narrative", "Silent call, breathing heard"),
    ];

    let (status, _, body) = ui.post(&c, "/contacts/new", &fields).await;
    assert_eq!(status, 403, "no CSRF token, no contact");
    assert!(body.contains("reload the page"));
    let mut wrong = fields.to_vec();
    wrong.push(("_csrf", "not-the-token"));
    assert_eq!(ui.post(&c, "/contacts/new", &wrong).await.0, 403);
    assert_eq!(ui.store.count_contacts().await.expect("count"), 0);

    let mut with_csrf = fields.to_vec();
    with_csrf.push(("_csrf", csrf.as_str()));
    let (status, first, _) = ui.post(&c, "/contacts/new", &with_csrf).await;
    assert_eq!(status, 303);
    assert!(first.starts_with("/contacts/FC-"), "{first}");
    let (_, second, _) = ui.post(&c, "/contacts/new", &with_csrf).await;
    assert_eq!(first, second, "a double-submit returns the same contact");
    assert_eq!(ui.store.count_contacts().await.expect("count"), 1);
    let reference = first.trim_start_matches("/contacts/").to_string();
    let stored = ui.store.get_contact(&reference).await.expect("stored");
    assert_eq!(stored.caller.postcode.map(|p| p.to_string()).as_deref(), Some("SW1A 1AA"));
    assert_eq!(stored.flags.len(), 2);

    let (status, page) = ui.get(&c, &first).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Sam Example")
            && page.contains("Silent 999 (55)")
            && page.contains("Recorded the contact")
    );
    let views = ui
        .store
        .search_audit(&AuditQuery {
            action: Some(AuditAction::Consultation),
            record_id: Some(reference.clone()),
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("audit");
    assert!(views.iter().any(|v| v.actor == "handler"), "viewing is audited");

    let path = format!("{first}/transition");
    let act = |to: &'static str, version: &str, extra: &[(&'static str, &'static str)]| {
        let mut f = vec![
            ("_csrf".to_string(), csrf.clone()),
            ("to".into(), to.into()),
            ("version".into(), version.into()),
        ];
        f.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        f
    };
    let version = hidden(&page, "version");
    let (status, loc, _) = post_owned(&ui, &c, &path, act("in_progress", &version, &[])).await;
    assert_eq!((status, loc.as_str()), (303, first.as_str()));
    let (status, _, body) = post_owned(&ui, &c, &path, act("queued", &version, &[])).await;
    assert_eq!(status, 409, "the version seen is stale");
    assert!(body.contains("someone else changed this contact"));
    let (_, page) = ui.get(&c, &first).await;
    let version = hidden(&page, "version");
    let (status, _, body) = post_owned(&ui, &c, &path, act("closed", &version, &[])).await;
    assert_eq!(status, 422);
    assert!(body.contains("choose an outcome"));
    let close = act("closed", &version, &[("outcome", "advice_given"), ("note", "Called back")]);
    assert_eq!(post_owned(&ui, &c, &path, close).await.0, 303);
    let (_, page) = ui.get(&c, &first).await;
    assert!(page.contains("Advice given") && page.contains("Called back"), "the log shows the close");
    assert!(page.contains("this contact has ended") || page.contains("This contact has ended"));
    let closed = ui.store.get_contact(&reference).await.expect("stored");
    assert_eq!(closed.status, fc_domain::ContactStatus::Closed);
    assert_eq!(closed.handler.as_deref(), Some("handler"));
}

#[tokio::test]
async fn form_errors_come_back_beside_the_fields_with_the_input_kept() {
    let ui = TestUi::start().await;
    let c = ui.client();
    ui.sign_in(&c, "handler").await;
    let (_, form) = ui.get(&c, "/contacts/new").await;
    let csrf = hidden(&form, "_csrf");
    let key = hidden(&form, "_idem");
    let (status, _, body) = ui
        .post(
            &c,
            "/contacts/new",
            &[
                ("_csrf", &csrf),
                ("_idem", &key),
                ("channel", "101"),
                ("flags", "silent_999"),
                ("caller.name", "Jo <b>Bloggs</b>"),
                ("caller.postcode", "not a postcode"),
                ("location.lat", "north"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("aria-invalid=\"true\""));
    assert!(body.contains("href=\"#f-location-lat\""), "the summary links to the field");
    assert!(body.contains("value=\"Jo &lt;b&gt;Bloggs&lt;/b&gt;\""), "kept and escaped");
    assert!(body.contains(&format!("value=\"{key}\"")), "the same idempotency key is kept");
    assert_eq!(ui.store.count_contacts().await.expect("count"), 0);
}

#[tokio::test]
async fn the_queue_fragment_lists_waiting_contacts_and_sign_out_needs_csrf() {
    let ui = TestUi::start().await;
    let c = ui.client();
    ui.sign_in(&c, "super").await;
    let (_, form) = ui.get(&c, "/contacts/new").await;
    let csrf = hidden(&form, "_csrf");
    let (_, loc, _) = ui
        .post(
            &c,
            "/contacts/new",
            &[("_csrf", &csrf), ("_idem", "k1"), ("channel", "101"), ("narrative", "x")],
        )
        .await;
    let reference = loc.trim_start_matches("/contacts/");
    let (status, fragment) = ui.get(&c, "/ui/queue").await;
    assert_eq!(status, 200);
    assert!(fragment.contains(reference));
    let (_, filtered) = ui.get(&c, "/ui/queue?channel=999").await;
    assert!(!filtered.contains(&format!("data-ref=\"{reference}\"")), "filtered out");

    assert_eq!(ui.post(&c, "/logout", &[("_csrf", "wrong")]).await.0, 403);
    let (status, loc, _) = ui.post(&c, "/logout", &[("_csrf", &csrf)]).await;
    assert_eq!((status, loc.as_str()), (303, "/login"));
    assert_eq!(ui.get(&c, "/").await.0, 303, "signed out");
}

async fn post_owned(
    ui: &TestUi,
    c: &reqwest::Client,
    path: &str,
    form: Vec<(String, String)>,
) -> (u16, String, String) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ui.post(c, path, &pairs).await
}
