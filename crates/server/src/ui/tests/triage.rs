//! The triage pieces of the contact screen over HTTP: highlighted evidence, the recommendation,
//! THRIVE versions, questionnaire forms, markers, the live fragment, and the supervisors' lists.

use super::{TestUi, hidden};
use fc_domain::{Actor, Role};

async fn da_contact(ui: &TestUi) -> String {
    let input: fc_domain::record::NewContactInput = serde_json::from_value(serde_json::json!({
        "channel": "999",
        "caller": {"phone": "07700 900123"},
        "narrative": "My ex partner is hitting me and he has a knife"
    }))
    .expect("input");
    let new = input.validate(chrono::Utc::now()).expect("valid");
    let actor = Actor { username: "handler".into(), role: Role::CallHandler };
    ui.store.create_contact(&actor, new, None).await.expect("create").contact.reference.to_string()
}

#[tokio::test]
async fn the_risk_panel_shows_evidence_and_records_thrive_questionnaires_and_markers() {
    let ui = TestUi::start().await;
    let r = da_contact(&ui).await;
    let c = ui.client();
    ui.sign_in(&c, "handler").await;
    let (status, page) = ui.get(&c, &format!("/contacts/{r}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<mark id=\"ev-"), "evidence words are highlighted: {page}");
    assert!(page.contains("Recommended grade 1"), "the recommendation is shown");
    assert!(page.contains("accesskey=\"t\""), "THRIVE opens from the keyboard");
    assert!(page.contains(&format!("/contacts/{r}/questionnaires/dash")), "DA prompts the DASH form");
    assert!(page.contains("id=\"marker-domestic_abuse\""));
    let csrf = hidden(&page, "_csrf");

    let (status, _, _) = ui
        .post(
            &c,
            &format!("/contacts/{r}/thrive"),
            &[
                ("_csrf", csrf.as_str()),
                ("threat.judgement", "high"),
                ("threat.notes", "knife"),
                ("investigation.judgement", "yes"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, body) = ui
        .post(
            &c,
            &format!("/contacts/{r}/thrive"),
            &[("_csrf", csrf.as_str()), ("risk.judgement", "extreme")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("is not a judgement"), "{body}");
    let versions = ui.store.contact_entries(&r, "thrive_assessed").await.expect("versions");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].data["threat"]["notes"], "knife");

    let (status, form) = ui.get(&c, &format!("/contacts/{r}/questionnaires/dash")).await;
    assert_eq!(status, 200);
    assert!(form.contains("name=\"a.q1\""));
    let (status, loc, _) = ui
        .post(
            &c,
            &format!("/contacts/{r}/questionnaires/dash"),
            &[
                ("_csrf", csrf.as_str()),
                ("a.q1", "yes"),
                ("judgement_level", "high"),
                ("judgement_reason", "terrified"),
            ],
        )
        .await;
    assert_eq!((status, loc.as_str()), (303, format!("/contacts/{r}#questionnaires").as_str()));

    let (status, _, _) = ui
        .post(
            &c,
            &format!("/contacts/{r}/markers"),
            &[("_csrf", csrf.as_str()), ("marker", "domestic_abuse"), ("note", "ex-partner")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(ui.store.contact_markers(&r).await.expect("markers")[0].code, "domestic_abuse");
    // Unticking clears it, but only with a reason.
    let path = format!("/contacts/{r}/markers");
    let (status, _, _) = ui.post(&c, &path, &[("_csrf", csrf.as_str()), ("note", "")]).await;
    assert_eq!(status, 422, "a reason is required to clear");
    assert_eq!(ui.store.contact_markers(&r).await.expect("markers").len(), 1, "nothing cleared");
    let (status, _, _) = ui.post(&c, &path, &[("_csrf", csrf.as_str()), ("note", "wrong caller")]).await;
    assert_eq!(status, 303);
    assert!(ui.store.contact_markers(&r).await.expect("markers").is_empty());
    let (status, _, _) = ui
        .post(&c, &path, &[("_csrf", csrf.as_str()), ("marker", "domestic_abuse"), ("note", "ex-partner")])
        .await;
    assert_eq!(status, 303);

    let (_, page) = ui.get(&c, &format!("/contacts/{r}")).await;
    assert!(page.contains("Version 1 by handler"), "{page}");
    assert!(page.contains("Referral raised"), "the MARAC referral shows on the contact");
    let (status, fragment) = ui.get(&c, &format!("/ui/contacts/{r}/risk")).await;
    assert_eq!(status, 200);
    assert!(fragment.contains("risk-live-new") && fragment.contains("<template id=\"narrative-new\">"));

    // Handlers cannot open the supervisors' lists; supervisors and auditors can.
    assert_eq!(ui.get(&c, "/overrides").await.0, 403);
    assert_eq!(ui.get(&c, "/referrals").await.0, 403);
    for who in ["super", "auditor"] {
        let s = ui.client();
        ui.sign_in(&s, who).await;
        let (status, body) = ui.get(&s, "/referrals?task=marac_referral").await;
        assert_eq!(status, 200, "{who}");
        assert!(body.contains(&r), "{who} sees the referral");
        assert_eq!(ui.get(&s, "/overrides?direction=downgrade").await.0, 200);
    }
}
