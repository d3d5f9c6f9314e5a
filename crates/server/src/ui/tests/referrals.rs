//! The referrals page: the status filter, and supervisors moving a task on from its forms
//! (auditors see the list but no forms, and cannot post).

use super::{TestUi, hidden};
use fc_domain::{Actor, ReferralStatus, Role};
use fc_store::contacts::questionnaires::{NewReferral, QuestionnaireRecord, ReferralFilter};

async fn raised(ui: &TestUi) -> (String, i64) {
    let input: fc_domain::record::NewContactInput =
        serde_json::from_value(serde_json::json!({"channel": "999", "narrative": "Partner hit me"}))
            .expect("input");
    let actor = Actor { username: "handler".into(), role: Role::CallHandler };
    let new = input.validate(chrono::Utc::now()).expect("valid");
    let r = ui.store.create_contact(&actor, new, None).await.expect("create").contact.reference.to_string();
    let record = QuestionnaireRecord {
        questionnaire: "dash".into(),
        level: "high".into(),
        result: serde_json::json!({"questionnaire": "dash", "final_level": "high",
            "referrals": [{"task": "marac_referral", "text": "Refer to MARAC"}]}),
        referrals: vec![NewReferral { task: "marac_referral".into(), text: "Refer to MARAC".into() }],
    };
    ui.store.record_questionnaire(&actor, &r, record, None).await.expect("dash");
    let all =
        ui.store.list_referrals(&ReferralFilter { limit: 10, ..Default::default() }).await.expect("list");
    (r, all[0].id)
}

#[tokio::test]
async fn supervisors_move_referrals_on_from_the_page() {
    let ui = TestUi::start().await;
    let (r, id) = raised(&ui).await;
    let a = ui.client();
    ui.sign_in(&a, "auditor").await;
    let (status, body) = ui.get(&a, "/referrals").await;
    assert_eq!(status, 200);
    let path = format!("/referrals/{id}/transitions");
    assert!(body.contains(&r) && !body.contains(&path), "auditors see, never act");
    let acsrf = hidden(&body, "_csrf");
    let (status, _, _) =
        ui.post(&a, &path, &[("_csrf", &acsrf), ("to", "accepted"), ("assignee", "super")]).await;
    assert_eq!(status, 403);

    let s = ui.client();
    ui.sign_in(&s, "super").await;
    let (_, body) = ui.get(&s, "/referrals?status=open").await;
    assert!(body.contains(&path) && body.contains("data-key=\"s\""), "forms and the filter key");
    assert!(body.contains("<option value=\"handler\">"), "assignable users listed");
    let csrf = hidden(&body, "_csrf");
    let (status, _, _) = ui.post(&s, &path, &[("_csrf", &csrf), ("to", "declined"), ("reason", "")]).await;
    assert_eq!(status, 422, "a reason is required to decline");
    let accept = [
        ("_csrf", csrf.as_str()),
        ("to", "accepted"),
        ("assignee", "handler"),
        ("version", "1"),
        ("back", "/referrals?status=open"),
    ];
    let (status, loc, _) = ui.post(&s, &path, &accept).await;
    assert_eq!((status, loc.as_str()), (303, format!("/referrals?status=open#referral-{id}").as_str()));
    let (status, _, _) = ui.post(&s, &path, &accept).await;
    assert_eq!(status, 409, "a stale form (version 1) is refused");
    let (_, body) = ui.get(&s, "/referrals?status=accepted").await;
    assert!(body.contains("Assigned to handler") && body.contains("Mark sent"), "{body}");
    let (_, open) = ui.get(&s, "/referrals?status=open").await;
    assert!(open.contains("No referrals match."), "the status filter");
    let send =
        [("_csrf", csrf.as_str()), ("to", "sent"), ("agency", "Salford MARAC"), ("reference", "SM-12")];
    assert_eq!(ui.post(&s, &path, &send).await.0, 303);
    let t = ui.store.get_referral(id).await.expect("referral");
    assert_eq!((t.status, t.agency.as_deref()), (ReferralStatus::Sent, Some("Salford MARAC")));
    let (_, body) = ui.get(&s, "/referrals?status=sent").await;
    assert!(body.contains("To Salford MARAC, ref SM-12") && body.contains("Done"));
    let log = ui.store.contact_log(&r).await.expect("log");
    assert!(log.iter().any(|e| e.kind == "referral_sent" && e.actor == "super"));
    let (_, page) = ui.get(&s, &format!("/contacts/{r}")).await;
    assert!(page.contains("Refer to MARAC — sent by super to Salford MARAC (ref SM-12)"), "{page}");
}
