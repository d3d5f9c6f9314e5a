use super::{contact, da_call};
use crate::app::{TestApp, problem};
use fc_domain::Role;
use serde_json::{Value, json};

#[tokio::test]
async fn assessment_weighs_narrative_contact_facts_and_history() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    // Two earlier calls from the same phone (one written differently), one from someone else.
    contact(&s, da_call(30)).await;
    let mut other_format = da_call(20);
    other_format["caller"]["phone"] = json!("+44 7700 900-123");
    other_format["narrative"] = json!("Noise complaint");
    contact(&s, other_format).await;
    let mut stranger = da_call(10);
    stranger["caller"]["phone"] = json!("07700 900999");
    contact(&s, stranger).await;
    // Now: a silent 999 call from a 15-year-old on the same phone.
    let dob = (chrono::Utc::now() - chrono::Duration::days(15 * 366)).format("%Y-%m-%d").to_string();
    let r = contact(
        &s,
        json!({
            "channel": "999", "flags": ["silent_999"],
            "caller": {"phone": "07700900123", "date_of_birth": dob},
            "location": {"lat": 53.48, "lon": -2.24, "radius_m": 1000},
            "narrative": "Mum's boyfriend is hitting her, he said he will kill her"
        }),
    )
    .await;
    let res = s.get(&format!("/api/v1/contacts/{r}/assessment")).await;
    assert_eq!(res.status(), 200);
    let a: Value = res.json().await.expect("json");
    let kinds: Vec<&str> =
        a["signals"].as_array().expect("signals").iter().filter_map(|s| s["kind"].as_str()).collect();
    for k in [
        "domestic_abuse",
        "immediate_danger",
        "silent_999",
        "caller_is_child",
        "low_location_confidence",
        "repeat_contact_7_days",
        "previous_domestic_abuse",
        "previous_high_risk",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    let da =
        a["signals"].as_array().expect("signals").iter().find(|s| s["kind"] == "domestic_abuse").expect("da");
    assert_eq!(da["evidence"][0]["type"], "phrase");
    assert!(da["evidence"][0]["span"]["start"].is_number(), "evidence carries the span to highlight");
    assert_eq!(a["history"]["contacts_last_7_days"], 2, "the stranger is not counted");
    assert_eq!(a["caller_age"], 15);
    assert_eq!(a["recommendation"]["grade"], 1);
    assert!(!a["recommendation"]["reasons"].as_array().expect("reasons").is_empty());
    assert_eq!(a["recommendation"]["questionnaires"][0]["questionnaire"], "dash");
    // The view was audited as a consultation.
    let audit = app
        .store
        .search_audit(&fc_store::audit::AuditQuery {
            record_id: Some(r.clone()),
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("audit");
    assert!(audit.iter().any(|e| e.detail == "API triage assessment"));
}

#[tokio::test]
async fn mental_health_concern_prompts_right_care_right_person() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::Supervisor).await;
    let r = contact(
        &s,
        json!({"channel": "101", "narrative": "My brother is in a mental health crisis, hearing voices and very paranoid"}),
    )
    .await;
    let a: Value = s.get(&format!("/api/v1/contacts/{r}/assessment")).await.json().await.expect("json");
    assert_eq!(a["recommendation"]["rcrp"]["questionnaire"], "rcrp", "{a}");
    assert_eq!(a["caller_age"], Value::Null);
    assert_eq!(a["history"]["contacts_last_7_days"], 0, "no phone or email: no history");
}

#[tokio::test]
async fn assessment_is_for_contact_readers_only_and_404s_cleanly() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let r = contact(&s, da_call(1)).await;
    for role in [Role::Analyst, Role::Auditor, Role::Administrator] {
        let res = app.session(role).await.get(&format!("/api/v1/contacts/{r}/assessment")).await;
        assert_eq!(problem(res).await.0, 403, "{role}");
    }
    let d = app.session(Role::Dispatcher).await;
    assert_eq!(d.get(&format!("/api/v1/contacts/{r}/assessment")).await.status(), 200);
    let (status, body) = problem(s.get("/api/v1/contacts/FC-20200101-000009/assessment").await).await;
    assert_eq!((status, body["type"].as_str()), (404, Some("/problems/not-found")));
}

#[tokio::test]
async fn history_comes_from_the_person_whatever_details_each_contact_gave() {
    use fc_domain::Actor;
    use fc_domain::person::LinkHow;
    use fc_store::persons::NewLink;
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    // No caller details on either, so only the single citizen view can connect them.
    let earlier =
        contact(&s, json!({"channel": "101", "narrative": "My partner hit me again last night"})).await;
    let now = contact(&s, json!({"channel": "webchat", "narrative": "He is outside shouting"})).await;
    let sup = Actor { username: "supervisor".into(), role: Role::Supervisor };
    let link = |how| NewLink { how, weight: None, explanation: None, reason: Some("same person".into()) };
    let p = app.store.link_contact(&sup, &earlier, None, link(LinkHow::New)).await.expect("person").person;
    app.store.link_contact(&sup, &now, Some(&p), link(LinkHow::Manual)).await.expect("link");
    app.store.set_marker(&sup, &p, "violence", "ex-partner violent", None).await.expect("marker");
    app.store.set_marker(&sup, &p, "domestic_abuse", "victim", None).await.expect("marker");
    let a: Value = s.get(&format!("/api/v1/contacts/{now}/assessment")).await.json().await.expect("json");
    let h = &a["history"];
    assert_eq!(h["contacts_last_7_days"], 1, "{h}");
    assert_eq!(h["previous_domestic_abuse"][0]["id"], earlier.as_str(), "{h}");
    assert_eq!(h["warning_markers"], json!(["violence"]), "{h}");
    assert_eq!(h["vulnerability_markers"], json!(["domestic_abuse"]), "{h}");
    assert_eq!(h["repeat_victim"], true, "{h}");
}

#[tokio::test]
async fn a_place_with_serious_incidents_is_history_too() {
    use fc_domain::Actor;
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let raise = |lat: f64, grade: u8| {
        let input: fc_domain::incident::NewIncidentInput = serde_json::from_value(json!({
            "category": "TRN-RTC-INJURY", "grade": grade, "location": {"lat": lat, "lon": -2.24},
            "summary": "earlier incident"
        }))
        .expect("shape");
        input.validate(&fc_domain::incident::CategoryList::builtin()).expect("valid")
    };
    let actor = Actor { username: "dispatcher".into(), role: Role::Dispatcher };
    let near = app.store.create_incident(&actor, raise(53.4800, 1), None).await.expect("raise").incident;
    app.store.create_incident(&actor, raise(53.4801, 3), None).await.expect("a minor one nearby");
    app.store.create_incident(&actor, raise(53.5200, 1), None).await.expect("a serious one far away");
    let r = contact(
        &s,
        json!({"channel": "999", "narrative": "Shouting next door", "location": {"lat": 53.4802, "lon": -2.2401}}),
    )
    .await;
    let a: Value = s.get(&format!("/api/v1/contacts/{r}/assessment")).await.json().await.expect("json");
    let places = &a["history"]["location_high_risk_incidents"];
    assert_eq!(places.as_array().map(Vec::len), Some(1), "{places}");
    assert_eq!(places[0]["id"], near.reference.to_string().as_str());
}
