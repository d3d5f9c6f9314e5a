//! The wellbeing pages: the break prompt above the queue after a severe contact, the handler's
//! own page, the supervisor's overview and check-in form (CSRF, audited views), and the 403 for
//! roles that may not see staff wellbeing.

use super::{TestUi, hidden};
use fc_domain::{Actor, ContactStatus, HandlerState, Outcome, Role};
use fc_store::audit::{AuditAction, AuditQuery};
use fc_store::contacts::Transition;

/// The handler answers and closes a contact about a suicide attempt (severe).
async fn severe_contact(ui: &TestUi) -> String {
    let input: fc_domain::record::NewContactInput = serde_json::from_value(serde_json::json!({
        "channel": "101",
        "narrative": "My brother says he is going to kill himself tonight, he has taken an overdose"
    }))
    .expect("input");
    let actor = Actor { username: "handler".into(), role: Role::CallHandler };
    let new = input.validate(chrono::Utc::now()).expect("valid");
    let r = ui.store.create_contact(&actor, new, None).await.expect("create").contact.reference.to_string();
    for (to, outcome) in [
        (ContactStatus::Queued, None),
        (ContactStatus::InProgress, None),
        (ContactStatus::Closed, Some(Outcome::IncidentRaised)),
    ] {
        let t = Transition { to, outcome, note: None };
        ui.store.transition_contact(&actor, &r, t, None).await.expect("transition");
    }
    for s in [HandlerState::SignedIn, HandlerState::Ready] {
        ui.store.set_handler_state(&actor, "handler", s, None).await.expect("state");
    }
    r
}

#[tokio::test]
async fn a_severe_contact_prompts_a_break_and_a_supervisor_records_a_check_in() {
    let ui = TestUi::start().await;
    let r = severe_contact(&ui).await;

    // The handler: a break prompt above the queue, one key away, and their own page.
    let h = ui.client();
    ui.sign_in(&h, "handler").await;
    let (status, queue) = ui.get(&h, "/").await;
    assert_eq!(status, 200);
    assert!(queue.contains("id=\"break-prompt\"") && queue.contains(&r), "{queue}");
    assert!(queue.contains("href=\"/wellbeing\""), "in the navigation");
    let (status, mine) = ui.get(&h, "/wellbeing").await;
    assert_eq!(status, 200);
    assert!(mine.contains("Your wellbeing") && mine.contains("<svg"), "figures with a chart");
    assert!(mine.contains("A supervisor check-in is due") && mine.contains("Severe"));
    assert!(!mine.contains("check-in-form"), "handlers record no check-ins");
    let (status, _) = ui.get(&h, "/wellbeing/super").await;
    assert_eq!(status, 403, "not another person's figures");

    // The supervisor: the overview lists the handler as due; opening them is audited.
    let s = ui.client();
    ui.sign_in(&s, "super").await;
    let (status, team) = ui.get(&s, "/wellbeing").await;
    assert_eq!(status, 200);
    assert!(team.contains("1 check-in due") && team.contains("/wellbeing/handler"), "{team}");
    let (status, dashboard) = ui.get(&s, "/dashboard").await;
    assert_eq!(status, 200);
    assert!(dashboard.contains("1 wellbeing check-in due"), "a count on the dashboard, no names");
    let (status, page) = ui.get(&s, "/wellbeing/handler").await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"check-in-form\"") && page.contains(&format!("value=\"{r}\"")), "prefilled");
    let views = ui
        .store
        .search_audit(&AuditQuery {
            record_type: Some("staff_wellbeing".into()),
            action: Some(AuditAction::Consultation),
            limit: 50,
            ..Default::default()
        })
        .await
        .expect("audit");
    assert!(views.iter().any(|e| e.actor == "super" && e.record_id == "handler"), "{views:?}");
    assert!(views.iter().all(|e| e.actor != "handler"), "a handler's own look is not recorded");

    // Without the CSRF token nothing is written; with it the check-in settles the due one.
    let path = "/wellbeing/handler/check-ins";
    let (status, _, _) = ui.post(&s, path, &[("outcome", "fine")]).await;
    assert_eq!(status, 403);
    let csrf = hidden(&page, "_csrf");
    let (status, _, body) = ui.post(&s, path, &[("_csrf", &csrf), ("outcome", "sometimes")]).await;
    assert_eq!(status, 422, "an unknown outcome: {body}");
    let fields = [
        ("_csrf", csrf.as_str()),
        ("outcome", "trim_referral"),
        ("contact", r.as_str()),
        ("note", "Offered TRiM"),
    ];
    let (status, location, _) = ui.post(&s, path, &fields).await;
    assert_eq!((status, location.as_str()), (303, "/wellbeing/handler#check-ins"));
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    let recorded = ui.store.check_ins(Some("handler"), since).await.expect("read");
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].recorded_by, "super");
    let (_, team) = ui.get(&s, "/wellbeing").await;
    assert!(team.contains("No check-ins due.") && team.contains("TRiM offered"), "{team}");
    let (_, dashboard) = ui.get(&s, "/ui/dashboard").await;
    assert!(!dashboard.contains("check-ins-due"), "recomputed at once after the check-in");
}

#[tokio::test]
async fn roles_outside_the_person_and_supervisors_get_a_403_page() {
    let ui = TestUi::start().await;
    let a = ui.client();
    ui.sign_in(&a, "auditor").await;
    for path in ["/wellbeing", "/wellbeing/handler"] {
        let (status, body) = ui.get(&a, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(body.contains("Not allowed"), "{body}");
    }
    let (_, page) = ui.get(&a, "/wellbeing").await;
    assert!(!page.contains("href=\"/wellbeing\""), "no link for roles that cannot use it");
}
