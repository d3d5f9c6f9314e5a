//! `/api/v1/handlers`, the router and "take next": role boundaries, bad input, and the stored
//! state after each step.

use crate::app::{TestApp, contact_body, problem, wait_for};
use fc_domain::{ContactStatus, HandlerState, Role};
use fc_store::StoreEvent;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn roles_are_enforced_on_handler_routes() {
    let app = TestApp::spawn().await;
    use Role::*;
    let routes: Vec<(Method, &str, Option<Value>, Vec<Role>)> = vec![
        (Method::GET, "/api/v1/handlers", None, vec![Supervisor, Administrator]),
        (Method::GET, "/api/v1/handlers/call.handler/skills", None, vec![Supervisor, Administrator]),
        (
            Method::PUT,
            "/api/v1/handlers/call.handler/skills",
            Some(json!({"skills": ["101"]})),
            vec![Supervisor, Administrator],
        ),
        (
            Method::POST,
            "/api/v1/handlers/me/state",
            Some(json!({"state": "signed_in"})),
            vec![CallHandler, Supervisor],
        ),
        (Method::GET, "/api/v1/dashboard", None, vec![Supervisor, Administrator]),
        (
            Method::GET,
            "/api/v1/reports/answer-times?from=2026-01&to=2026-02",
            None,
            vec![Supervisor, Analyst, Administrator],
        ),
    ];
    for role in Role::ALL {
        let s = app.session(role).await;
        s.assert_boundaries(role, &routes).await;
    }
    let changes = app
        .store
        .handler_state_changes(chrono::DateTime::UNIX_EPOCH, chrono::Utc::now())
        .await
        .expect("history");
    let who: Vec<&str> = changes.iter().map(|c| c.username.as_str()).collect();
    assert_eq!(who, vec!["call.handler", "supervisor"], "refused roles changed no state");
}

#[tokio::test]
async fn bad_states_and_illegal_moves_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let h = app.session(Role::CallHandler).await;
    let (status, body) =
        problem(h.post_json("/api/v1/handlers/me/state", json!({"state": "asleep"})).await).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["field"], "state");
    let (status, body) =
        problem(h.post_json("/api/v1/handlers/me/state", json!({"state": "ready"})).await).await;
    assert_eq!(status, 422, "signed out straight to ready");
    assert!(body["detail"].as_str().expect("detail").contains("signed_out"), "{body}");
    let (status, _) =
        problem(h.post_json("/api/v1/handlers/me/state", json!({"state": "on_contact"})).await).await;
    assert_eq!(status, 422);
    let (status, _) =
        problem(h.post_json("/api/v1/handlers/me/state", json!({"state": "signed_in", "x": 1})).await).await;
    assert_eq!(status, 422, "unknown fields are refused");
    let sup = app.session(Role::Supervisor).await;
    let res = sup
        .req(Method::PUT, "/api/v1/handlers/call.handler/skills")
        .json(&json!({"skills": ["fax"]}))
        .send()
        .await
        .expect("send");
    assert_eq!(problem(res).await.0, 422);
    let res = sup
        .req(Method::PUT, "/api/v1/handlers/nobody/skills")
        .json(&json!({"skills": ["999"]}))
        .send()
        .await
        .expect("send");
    assert_eq!(problem(res).await.0, 404);
    let stored = app.store.handler("call.handler").await.expect("handler");
    assert_eq!((stored.state, stored.skills.len(), stored.version), (HandlerState::SignedOut, 0, 0));
}

#[tokio::test]
async fn the_router_gives_a_999_to_the_ready_handler_and_take_next_pulls_the_next() {
    let app = TestApp::spawn().await;
    let mut rx = app.store.subscribe();
    let sup = app.session(Role::Supervisor).await;
    let res = sup
        .req(Method::PUT, "/api/v1/handlers/call.handler/skills")
        .json(&json!({"skills": ["999", "101"]}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    let h = app.session(Role::CallHandler).await;
    for s in ["signed_in", "ready"] {
        let res = h.post_json("/api/v1/handlers/me/state", json!({"state": s})).await;
        assert_eq!(res.status(), 200, "{s}");
    }
    // The supervisor records a 999; the router offers it to the ready handler.
    let c: Value = sup.post_json("/api/v1/contacts", contact_body()).await.json().await.expect("json");
    let r = c["reference"].as_str().expect("ref").to_string();
    wait_for(&mut rx, |e| matches!(e, StoreEvent::Contact { reference, status: ContactStatus::InProgress, .. } if *reference == r)).await;
    let stored = app.store.get_contact(&r).await.expect("contact");
    assert_eq!(stored.handler.as_deref(), Some("call.handler"));
    assert_eq!(app.store.handler("call.handler").await.expect("h").state, HandlerState::OnContact);
    let list: Value = sup.get("/api/v1/handlers").await.json().await.expect("json");
    let me = list
        .as_array()
        .expect("list")
        .iter()
        .find(|h| h["username"] == "call.handler")
        .expect("listed")
        .clone();
    assert_eq!(me["state"], "on_contact");
    assert_eq!(me["holding"], json!([r]));
    // Signing out with a caller on the line is refused.
    let (status, _) =
        problem(h.post_json("/api/v1/handlers/me/state", json!({"state": "signed_out"})).await).await;
    assert_eq!(status, 422);
    // Closing the contact: the router moves the handler to wrap-up.
    let res = h
        .post_json(
            &format!("/api/v1/contacts/{r}/transitions"),
            json!({"to": "closed", "outcome": "advice_given"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    wait_for(&mut rx, |e| matches!(e, StoreEvent::Handler { username, state: HandlerState::WrapUp } if username == "call.handler")).await;
    // In wrap-up the router offers nothing; "take next" pulls the waiting 101.
    let mut body = contact_body();
    body["channel"] = json!("101");
    body["flags"] = json!([]);
    let c2: Value = sup.post_json("/api/v1/contacts", body).await.json().await.expect("json");
    let r2 = c2["reference"].as_str().expect("ref").to_string();
    let res = h.req(Method::POST, "/api/v1/handlers/me/next").send().await.expect("next");
    assert_eq!(res.status(), 200);
    let taken: Value = res.json().await.expect("json");
    assert_eq!(taken["reference"], r2.as_str());
    assert_eq!(taken["handler_state"], "on_contact");
    assert!(taken.get("caller").is_none(), "no caller details in the answer");
    let log = app.store.contact_log(&r2).await.expect("log");
    assert_eq!(log.last().expect("entry").data["assigned_by"], "call.handler");
    // Nothing else waits: 204.
    let res = h.req(Method::POST, "/api/v1/handlers/me/next").send().await.expect("next");
    assert_eq!(res.status(), 204);
    let history = app
        .store
        .handler_state_changes(chrono::DateTime::UNIX_EPOCH, chrono::Utc::now())
        .await
        .expect("history");
    let states: Vec<HandlerState> =
        history.iter().filter(|c| c.username == "call.handler").map(|c| c.to).collect();
    use HandlerState::*;
    assert_eq!(states, vec![SignedIn, Ready, OnContact, WrapUp, OnContact]);
}

#[tokio::test]
async fn the_openapi_document_lists_the_live_demand_routes() {
    let app = TestApp::spawn().await;
    let doc = app.openapi().await;
    for path in [
        "/api/v1/handlers",
        "/api/v1/handlers/me/state",
        "/api/v1/handlers/me/next",
        "/api/v1/handlers/{username}/skills",
        "/api/v1/dashboard",
        "/api/v1/reports/answer-times",
        "/api/v1/contacts/{reference}/queue-position",
        "/api/v1/contacts/{reference}/callback",
        "/api/v1/contacts/{reference}/callback/outcome",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing from the OpenAPI document");
    }
}
