use super::{contact, da_call, log_len};
use crate::app::{TestApp, problem};
use fc_domain::Role;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn an_override_needs_a_reason_and_is_logged_beside_the_recommendation() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let r = contact(&s, da_call(0)).await;
    let path = format!("/api/v1/contacts/{r}/grade");
    for body in [json!({"grade": 3}), json!({"grade": 3, "reason": "   "})] {
        let (status, p) = problem(s.post_json(&path, body).await).await;
        assert_eq!(status, 422);
        assert_eq!(p["errors"][0]["field"], "reason", "{p}");
    }
    for body in [json!({"grade": 5}), json!({"grade": 1, "mood": "calm"}), json!({"reason": "x"})] {
        let (status, p) = problem(s.post_json(&path, body.clone()).await).await;
        assert_eq!(status, 422, "{body}: {p}");
    }
    assert_eq!(log_len(&app, &r).await, 1, "refused grades wrote nothing");

    let res = s.post_json(&path, json!({"grade": 3, "reason": "officers already on scene"})).await;
    assert_eq!(res.status(), 200);
    let g: Value = res.json().await.expect("json");
    assert_eq!(
        (g["recommended"].as_u64(), g["grade"].as_u64(), g["override"].as_bool()),
        (Some(1), Some(3), Some(true))
    );
    let log = app.store.contact_log(&r).await.expect("log");
    let entry = log.last().expect("entry");
    assert_eq!(entry.kind, "graded");
    assert_eq!(entry.actor, "call.handler");
    assert_eq!(entry.data["recommended"], 1);
    assert!(entry.data["reasons"].as_array().is_some_and(|r| !r.is_empty()), "the reasons are kept");

    // Agreeing needs no reason; a stale If-Match is a conflict.
    let ok = s.post_json(&path, json!({"grade": 1})).await;
    assert_eq!(ok.status(), 200);
    let stale = s
        .req(Method::POST, &path)
        .header("if-match", "\"1\"")
        .json(&json!({"grade": 1}))
        .send()
        .await
        .expect("send");
    assert_eq!(problem(stale).await.0, 409);

    // Supervisors and auditors review overrides; handlers and dispatchers cannot.
    for role in [Role::CallHandler, Role::Dispatcher, Role::Analyst, Role::Administrator] {
        assert_eq!(problem(app.session(role).await.get("/api/v1/overrides").await).await.0, 403, "{role}");
    }
    for role in [Role::Supervisor, Role::Auditor] {
        let list: Value = app.session(role).await.get("/api/v1/overrides").await.json().await.expect("json");
        let items = list["items"].as_array().expect("items");
        assert_eq!(items.len(), 1, "only the override, not the agreed grade");
        assert_eq!(items[0]["reference"], r.as_str());
        assert_eq!(items[0]["reason"], "officers already on scene");
        assert_eq!(items[0]["downgrade"], true);
    }
    let sup = app.session(Role::Supervisor).await;
    assert_eq!(problem(sup.get("/api/v1/overrides?limit=0").await).await.0, 422);
    assert_eq!(problem(sup.get("/api/v1/overrides?colour=red").await).await.0, 422);
    let only_up: Value = sup.get("/api/v1/overrides?direction=upgrade").await.json().await.expect("json");
    assert_eq!(only_up["items"].as_array().map(Vec::len), Some(0));
    let by_actor: Value = sup.get("/api/v1/overrides?actor=call.handler").await.json().await.expect("json");
    assert_eq!(by_actor["items"].as_array().map(Vec::len), Some(1));

    // Readers who may not write cannot grade.
    let d = app.session(Role::Dispatcher).await;
    assert_eq!(problem(d.post_json(&path, json!({"grade": 2, "reason": "x"})).await).await.0, 403);
}
