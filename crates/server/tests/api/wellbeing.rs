//! `/api/v1/wellbeing`: a severe contact handled shows in the handler's exposure, prompts a break
//! and makes a supervisor check-in due; only the person and supervisors see it; a supervisor's
//! view is audited; check-ins are idempotent, validated and settle what was due.

use crate::app::{Session, TestApp, contact_body, problem, wait_for};
use fc_domain::{ContactStatus, HandlerState, Role};
use fc_store::StoreEvent;
use fc_store::audit::{AuditAction, AuditQuery};
use reqwest::Method;
use serde_json::{Value, json};

/// A ready 999 handler takes a contact about a suicide attempt and closes it.
async fn severe_contact_handled(app: &TestApp, sup: &Session, handler: &Session) -> String {
    let mut rx = app.store.subscribe();
    let res = sup
        .req(Method::PUT, "/api/v1/handlers/call.handler/skills")
        .json(&json!({"skills": ["999", "101"]}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    for s in ["signed_in", "ready"] {
        assert_eq!(handler.post_json("/api/v1/handlers/me/state", json!({"state": s})).await.status(), 200);
    }
    let mut body = contact_body();
    body["narrative"] =
        json!("My sister has taken an overdose and says she wants to kill herself, she has cut her wrists");
    let c: Value = sup.post_json("/api/v1/contacts", body).await.json().await.expect("json");
    let r = c["reference"].as_str().expect("ref").to_string();
    wait_for(&mut rx, |e| matches!(e, StoreEvent::Contact { reference, status: ContactStatus::InProgress, .. } if *reference == r)).await;
    assert_eq!(app.store.get_contact(&r).await.expect("contact").handler.as_deref(), Some("call.handler"));
    let res = handler
        .post_json(
            &format!("/api/v1/contacts/{r}/transitions"),
            json!({"to": "closed", "outcome": "incident_raised"}),
        )
        .await;
    assert_eq!(res.status(), 200, "closed");
    // The router moves the handler to wrap-up once the close is committed.
    wait_for(&mut rx, |e| matches!(e, StoreEvent::Handler { username, state: HandlerState::WrapUp } if username == "call.handler")).await;
    r
}

#[tokio::test]
async fn a_severe_contact_prompts_a_break_and_a_check_in_that_a_supervisor_records() {
    let app = TestApp::spawn().await;
    let sup = app.session(Role::Supervisor).await;
    let handler = app.session(Role::CallHandler).await;
    let r = severe_contact_handled(&app, &sup, &handler).await;

    let me: Value = handler.get("/api/v1/wellbeing/me").await.json().await.expect("json");
    assert_eq!(me["username"], "call.handler");
    assert_eq!(me["summary"]["shift"]["severe"], 1, "{me}");
    assert_eq!(me["summary"]["week"]["severe"], 1);
    assert_eq!(me["summary"]["status"], "red");
    assert_eq!(me["summary"]["check_in_due"]["contact"], r.as_str());
    assert_eq!(me["summary"]["break_prompt"]["after_contact"], r.as_str());
    assert_eq!(me["summary"]["days"].as_array().expect("days").len(), 7, "a week of UK days for the chart");
    assert_eq!(me["exposures"][0]["reference"], r.as_str());
    assert_eq!(me["exposures"][0]["level"], "severe");
    assert!(!me["exposures"][0]["reasons"].as_array().expect("reasons").is_empty());

    // The supervisor sees the team, the handler first; each handler shown is audited.
    let team: Value = sup.get("/api/v1/wellbeing").await.json().await.expect("json");
    let row =
        team.as_array().expect("list").iter().find(|w| w["username"] == "call.handler").expect("listed");
    assert_eq!(row["summary"]["check_in_due"]["contact"], r.as_str());
    let views = app
        .store
        .search_audit(&AuditQuery {
            record_type: Some("staff_wellbeing".into()),
            record_id: Some("call.handler".into()),
            action: Some(AuditAction::Consultation),
            limit: 50,
            ..Default::default()
        })
        .await
        .expect("audit");
    assert!(views.iter().any(|e| e.actor == "supervisor"), "{views:?}");
    assert!(views.iter().all(|e| e.actor != "call.handler"), "their own look is not a disclosure");

    // A check-in, retried with the same key: one record.
    let path = "/api/v1/wellbeing/call.handler/check-ins";
    let body =
        json!({"outcome": "break_taken", "contact": r, "note": "  Spoke after the call; went for a walk. "});
    let send = |b: Value| sup.req(Method::POST, path).header("Idempotency-Key", "ci-1").json(&b).send();
    let first = send(body.clone()).await.expect("send");
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");
    assert_eq!(first["note"], "Spoke after the call; went for a walk.");
    let again = send(body.clone()).await.expect("send");
    assert_eq!(again.status(), 200, "a retry answers with the first check-in");
    assert_eq!(again.json::<Value>().await.expect("json")["id"], first["id"]);
    let (status, _) = problem(send(json!({"outcome": "fine"})).await.expect("send")).await;
    assert_eq!(status, 409, "the same key on a different request");

    let me: Value = handler.get("/api/v1/wellbeing/me").await.json().await.expect("json");
    assert!(me["summary"]["check_in_due"].is_null(), "settled: {me}");
    assert_eq!(me["check_ins"].as_array().expect("list").len(), 1);
    assert_eq!(me["check_ins"][0]["outcome"], "break_taken");
    assert_eq!(me["check_ins"][0]["recorded_by"], "supervisor");
    // The break prompt stays until the handler goes on a break.
    assert_eq!(me["summary"]["break_prompt"]["after_contact"], r.as_str());
    assert_eq!(handler.post_json("/api/v1/handlers/me/state", json!({"state": "break"})).await.status(), 200);
    let me: Value = handler.get("/api/v1/wellbeing/me").await.json().await.expect("json");
    assert!(me["summary"]["break_prompt"].is_null(), "on a break: {me}");
    assert_eq!(me["state"], HandlerState::Break.as_str());
}

#[tokio::test]
async fn bad_check_ins_are_refused_and_write_nothing() {
    let app = TestApp::spawn().await;
    let sup = app.session(Role::Supervisor).await;
    let path = "/api/v1/wellbeing/call.handler/check-ins";
    let cases = [
        (json!({"outcome": "okay"}), 422, "unknown outcome"),
        (json!({"outcome": "fine", "mood": "ok"}), 422, "unknown field"),
        (json!({"outcome": "fine", "note": "x".repeat(2_001)}), 422, "note too long"),
        (json!({"outcome": "fine", "contact": "FC-20260101-999999"}), 404, "no such contact"),
    ];
    for (body, want, what) in cases {
        let (status, p) = problem(sup.post_json(path, body).await).await;
        assert_eq!(status, want, "{what}: {p}");
    }
    let (status, _) =
        problem(sup.post_json("/api/v1/wellbeing/nobody/check-ins", json!({"outcome": "fine"})).await).await;
    assert_eq!(status, 404, "no such handler");
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    assert!(app.store.check_ins(None, since).await.expect("read").is_empty(), "nothing written");
}

#[tokio::test]
async fn only_the_person_and_supervisors_see_wellbeing() {
    let app = TestApp::spawn().await;
    use Role::*;
    // (path, roles allowed)
    let routes: Vec<(Method, &str, Option<Value>, Vec<Role>)> = vec![
        (Method::GET, "/api/v1/wellbeing", None, vec![Supervisor]),
        (Method::GET, "/api/v1/wellbeing/me", None, vec![CallHandler, Supervisor]),
        (Method::GET, "/api/v1/wellbeing/call.handler", None, vec![CallHandler, Supervisor]),
        (Method::GET, "/api/v1/wellbeing/supervisor", None, vec![Supervisor]),
        (
            Method::POST,
            "/api/v1/wellbeing/call.handler/check-ins",
            Some(json!({"outcome": "fine"})),
            vec![Supervisor],
        ),
    ];
    for role in Role::ALL {
        let s = app.session(role).await;
        s.assert_boundaries(role, &routes).await;
    }
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    assert_eq!(app.store.check_ins(None, since).await.expect("read").len(), 1, "only the supervisor's");
}
