use crate::harness::{TestStore, handler, new_contact};
use fc_domain::{Actor, ContactStatus, HandlerState, Role, Skill};
use fc_store::StoreError;
use fc_store::contacts::Transition;
use fc_store::users::NewUser;

crate::contract!(
    skills_and_states_are_stored_and_logged,
    illegal_state_moves_change_nothing,
    assignment_moves_contact_and_handler_together,
    assignment_checks_skills_capacity_and_waiting,
);

fn admin() -> Actor {
    Actor { username: "admin".into(), role: Role::Administrator }
}

async fn add_user(s: &fc_store::Store, name: &str, role: Role) {
    s.create_user(
        &Actor::system(),
        NewUser { username: name.into(), display_name: name.into(), role, password_hash: "x".into() },
    )
    .await
    .expect("user");
}

async fn skills_and_states_are_stored_and_logged(t: TestStore) {
    let s = &t.store;
    add_user(s, "h.jones", Role::CallHandler).await;
    add_user(s, "a.analyst", Role::Analyst).await;
    let h = s.handler("h.jones").await.expect("handler");
    assert_eq!((h.state, h.skills.len()), (HandlerState::SignedOut, 0), "never signed in");
    let h = s
        .set_handler_skills(
            &admin(),
            "h.jones",
            vec![Skill::NonEmergency101, Skill::Emergency999, Skill::Emergency999],
        )
        .await
        .expect("skills");
    assert_eq!(h.skills, vec![Skill::Emergency999, Skill::NonEmergency101], "sorted, no duplicates");
    let start = chrono::Utc::now() - chrono::Duration::seconds(1);
    for to in [HandlerState::SignedIn, HandlerState::Ready, HandlerState::Break, HandlerState::Ready] {
        s.set_handler_state(&handler(), "h.jones", to, None).await.expect("move");
    }
    let h = s.handler("h.jones").await.expect("read back");
    assert_eq!(h.state, HandlerState::Ready);
    assert_eq!(h.skills, vec![Skill::Emergency999, Skill::NonEmergency101]);
    let history = s
        .handler_state_changes(start, chrono::Utc::now() + chrono::Duration::seconds(1))
        .await
        .expect("history");
    let moves: Vec<(HandlerState, HandlerState)> = history.iter().map(|c| (c.from, c.to)).collect();
    assert_eq!(
        moves,
        vec![
            (HandlerState::SignedOut, HandlerState::SignedIn),
            (HandlerState::SignedIn, HandlerState::Ready),
            (HandlerState::Ready, HandlerState::Break),
            (HandlerState::Break, HandlerState::Ready),
        ]
    );
    assert!(history.windows(2).all(|w| w[0].at <= w[1].at));
    let listed = s.list_handlers().await.expect("list");
    assert_eq!(
        listed.iter().map(|h| h.username.as_str()).collect::<Vec<_>>(),
        vec!["h.jones"],
        "analysts take no contacts"
    );
    assert!(matches!(s.handler("a.analyst").await, Err(StoreError::NotFound { .. })));
    assert!(matches!(s.set_handler_skills(&admin(), "a.analyst", vec![]).await, Err(StoreError::Invalid(_))));
}

async fn illegal_state_moves_change_nothing(t: TestStore) {
    let s = &t.store;
    add_user(s, "h.jones", Role::CallHandler).await;
    let e = s.set_handler_state(&handler(), "h.jones", HandlerState::Ready, None).await;
    assert!(matches!(e, Err(StoreError::Domain(_))), "signed out straight to ready: {e:?}");
    let e = s.set_handler_state(&handler(), "h.jones", HandlerState::OnContact, None).await;
    assert!(matches!(e, Err(StoreError::Invalid(_))), "{e:?}");
    assert!(matches!(
        s.set_handler_state(&handler(), "nobody", HandlerState::SignedIn, None).await,
        Err(StoreError::NotFound { .. })
    ));
    let h = s.handler("h.jones").await.expect("read");
    assert_eq!((h.state, h.version), (HandlerState::SignedOut, 0));
    let all =
        s.handler_state_changes(chrono::DateTime::UNIX_EPOCH, chrono::Utc::now()).await.expect("history");
    assert!(all.is_empty());
}

async fn assignment_moves_contact_and_handler_together(t: TestStore) {
    let s = &t.store;
    add_user(s, "h.jones", Role::CallHandler).await;
    s.set_handler_skills(&admin(), "h.jones", vec![Skill::Emergency999]).await.expect("skills");
    s.set_handler_state(&handler(), "h.jones", HandlerState::SignedIn, None).await.expect("in");
    s.set_handler_state(&handler(), "h.jones", HandlerState::Ready, None).await.expect("ready");
    let c = s.create_contact(&handler(), new_contact("999", "Ann Lee"), None).await.expect("create").contact;
    let r = c.reference.to_string();
    let router = Actor { username: "router".into(), role: Role::Administrator };
    let a = s.assign_contact(&router, "h.jones", &r, 1).await.expect("assign");
    assert_eq!(a.contact.status, ContactStatus::InProgress);
    assert_eq!(a.contact.handler.as_deref(), Some("h.jones"));
    assert!(a.contact.answered_at.is_some());
    assert_eq!(a.handler.state, HandlerState::OnContact);
    assert_eq!(s.get_contact(&r).await.expect("read"), a.contact);
    assert_eq!(s.handler("h.jones").await.expect("h").state, HandlerState::OnContact);
    let log = s.contact_log(&r).await.expect("log");
    let last = log.last().expect("entry");
    assert_eq!(last.data["handler"], "h.jones");
    assert_eq!(last.data["assigned_by"], "router");
    let loads = s.handler_loads().await.expect("loads");
    assert_eq!(loads.len(), 1);
    assert_eq!(loads[0].reference, r);
    let again = s.assign_contact(&router, "h.jones", &r, 1).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    // Close it; the handler wraps up and is ready again.
    let close =
        Transition { to: ContactStatus::Closed, outcome: Some(fc_domain::Outcome::AdviceGiven), note: None };
    s.transition_contact(&handler(), &r, close, None).await.expect("close");
    s.set_handler_state(&handler(), "h.jones", HandlerState::WrapUp, None).await.expect("wrap");
    s.set_handler_state(&handler(), "h.jones", HandlerState::Ready, None).await.expect("ready again");
    assert!(s.handler_loads().await.expect("loads").is_empty());
}

async fn assignment_checks_skills_capacity_and_waiting(t: TestStore) {
    let s = &t.store;
    add_user(s, "h.jones", Role::CallHandler).await;
    let router = Actor { username: "router".into(), role: Role::Administrator };
    let c = s.create_contact(&handler(), new_contact("webchat", "Ann Lee"), None).await.expect("c").contact;
    let r = c.reference.to_string();
    let not_ready = s.assign_contact(&router, "h.jones", &r, 3).await;
    assert!(matches!(not_ready, Err(StoreError::Conflict(_))), "signed out: {not_ready:?}");
    s.set_handler_state(&handler(), "h.jones", HandlerState::SignedIn, None).await.expect("in");
    s.set_handler_state(&handler(), "h.jones", HandlerState::Ready, None).await.expect("ready");
    let unskilled = s.assign_contact(&router, "h.jones", &r, 3).await;
    assert!(matches!(unskilled, Err(StoreError::Conflict(_))), "{unskilled:?}");
    s.set_handler_skills(&admin(), "h.jones", vec![Skill::Digital]).await.expect("skills");
    s.assign_contact(&router, "h.jones", &r, 3).await.expect("first chat");
    let c2 = s.create_contact(&handler(), new_contact("webchat", "Bo Li"), None).await.expect("c2").contact;
    s.assign_contact(&router, "h.jones", &c2.reference.to_string(), 2)
        .await
        .expect("second chat while on contact");
    let c3 = s.create_contact(&handler(), new_contact("webchat", "Cy Wu"), None).await.expect("c3").contact;
    let full = s.assign_contact(&router, "h.jones", &c3.reference.to_string(), 2).await;
    assert!(matches!(full, Err(StoreError::Conflict(_))), "{full:?}");
    assert_eq!(s.get_contact(&c3.reference.to_string()).await.expect("c3").status, ContactStatus::Received);
}

crate::contract!(callback_keeps_its_place_and_logs_the_outcome);

async fn callback_keeps_its_place_and_logs_the_outcome(t: TestStore) {
    let s = &t.store;
    add_user(s, "h.jones", Role::CallHandler).await;
    let c = s.create_contact(&handler(), new_contact("101", "Ann Lee"), None).await.expect("c").contact;
    let r = c.reference.to_string();
    let chat =
        s.create_contact(&handler(), new_contact("webchat", "Bo Li"), None).await.expect("chat").contact;
    let refused = s.request_callback(&handler(), &chat.reference.to_string()).await;
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
    let too_early =
        s.record_callback_outcome(&handler(), &r, fc_domain::CallbackOutcome::Reached, None).await;
    assert!(matches!(too_early, Err(StoreError::Invalid(_))));
    let cb = s.request_callback(&handler(), &r).await.expect("callback");
    assert!(cb.flags.contains(&fc_domain::ContactFlag::CallbackRequested));
    assert_eq!(cb.offered_at, c.offered_at, "keeps its place");
    assert_eq!(cb.status, ContactStatus::Received);
    let twice = s.request_callback(&handler(), &r).await.expect("again");
    assert_eq!(twice.version, cb.version, "asking twice changes nothing");
    s.set_handler_skills(&admin(), "h.jones", vec![Skill::NonEmergency101]).await.expect("skills");
    s.set_handler_state(&handler(), "h.jones", HandlerState::SignedIn, None).await.expect("in");
    s.set_handler_state(&handler(), "h.jones", HandlerState::Ready, None).await.expect("ready");
    let router = Actor { username: "router".into(), role: Role::Administrator };
    s.assign_contact(&router, "h.jones", &r, 1).await.expect("offered when it comes up");
    s.record_callback_outcome(
        &handler(),
        &r,
        fc_domain::CallbackOutcome::NoAnswer,
        Some("rang 6 times".into()),
    )
    .await
    .expect("outcome");
    let log = s.contact_log(&r).await.expect("log");
    let kinds: Vec<&str> = log.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["created", "callback_requested", "status_changed", "callback_outcome"]);
    assert_eq!(log[3].data["outcome"], "no_answer");
}

crate::contract!(abandonment_records_its_wait);

async fn abandonment_records_its_wait(t: TestStore) {
    let s = &t.store;
    let c = s.create_contact(&handler(), new_contact("101", "Ann Lee"), None).await.expect("c").contact;
    let r = c.reference.to_string();
    let gone =
        Transition { to: ContactStatus::Abandoned, outcome: None, note: Some("caller hung up".into()) };
    let after = s.transition_contact(&Actor::system(), &r, gone, None).await.expect("abandon");
    let log = s.contact_log(&r).await.expect("log");
    let wait = log.last().expect("entry").data["wait_secs"].as_f64().expect("wait recorded");
    let expected = (after.closed_at.expect("closed") - c.offered_at).num_milliseconds() as f64 / 1000.0;
    assert!((wait - expected).abs() < 1e-6 && wait >= 0.0, "{wait} vs {expected}");
}
