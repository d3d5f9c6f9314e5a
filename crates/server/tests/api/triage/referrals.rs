//! `/api/v1/referrals/{id}/transitions`: supervisors accept, send and decline referral tasks;
//! other roles are refused; bad input is 422 and writes nothing.

use super::{contact, da_call, log_len};
use crate::app::{Session, TestApp, problem};
use fc_domain::Role;
use reqwest::Method;
use serde_json::{Map, Value, json};

/// A high DASH on a new contact; returns (contact reference, referral id).
async fn high_dash(app: &TestApp, s: &Session) -> (String, i64) {
    let r = contact(s, da_call(0)).await;
    let answers: Map<String, Value> = (1..=27).map(|i| (format!("q{i}"), json!("yes"))).collect();
    let res =
        s.post_json(&format!("/api/v1/contacts/{r}/questionnaires/dash"), json!({"answers": answers})).await;
    assert_eq!(res.status(), 201);
    let sup = app.session(Role::Supervisor).await;
    let list: Value = sup.get("/api/v1/referrals?status=open").await.json().await.expect("json");
    let id = list["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["reference"] == r.as_str()))
        .and_then(|i| i["id"].as_i64())
        .expect("raised");
    (r, id)
}

#[tokio::test]
async fn supervisors_move_referrals_on_with_log_entries() {
    let app = TestApp::spawn().await;
    let h = app.session(Role::CallHandler).await;
    let (r, id) = high_dash(&app, &h).await;
    let sup = app.session(Role::Supervisor).await;
    let path = format!("/api/v1/referrals/{id}/transitions");
    let accept = || {
        sup.req(Method::POST, &path)
            .header("idempotency-key", "acc-1")
            .header("if-match", "\"1\"")
            .json(&json!({"to": "accepted", "assignee": "call.handler"}))
    };
    let res = accept().send().await.expect("send");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers().get("etag").and_then(|v| v.to_str().ok()), Some("\"2\""));
    let t: Value = res.json().await.expect("json");
    assert_eq!((t["status"].as_str(), t["assigned_to"].as_str()), (Some("accepted"), Some("call.handler")));
    let retry = accept().send().await.expect("send");
    assert_eq!(retry.status(), 200, "a retry returns the first result");
    assert_eq!(retry.json::<Value>().await.expect("json")["version"], 2);
    let stale = sup
        .req(Method::POST, &path)
        .header("if-match", "\"1\"")
        .json(&json!({"to": "declined", "reason": "not needed after all"}))
        .send()
        .await
        .expect("send");
    assert_eq!(problem(stale).await.0, 409, "stale If-Match");

    let res = sup
        .post_json(&path, json!({"to": "sent", "agency": "Manchester MARAC", "reference": "MARAC-2026-77", "note": "emailed secure"}))
        .await;
    assert_eq!(res.status(), 200);
    let t: Value = res.json().await.expect("json");
    assert_eq!((t["status"].as_str(), t["agency"].as_str()), (Some("sent"), Some("Manchester MARAC")));
    let log = app.store.contact_log(&r).await.expect("log");
    let kinds: Vec<&str> =
        log.iter().map(|e| e.kind.as_str()).filter(|k| k.starts_with("referral_")).collect();
    assert_eq!(kinds, vec!["referral_accepted", "referral_sent"], "one entry per move, attributed");
    assert!(log.iter().filter(|e| e.kind.starts_with("referral_")).all(|e| e.actor == "supervisor"));

    let (status, p) =
        problem(sup.post_json(&path, json!({"to": "declined", "reason": "changed our mind"})).await).await;
    assert_eq!(status, 422, "sent is final: {p}");
    let one: Value = sup.get(&format!("/api/v1/referrals/{id}")).await.json().await.expect("json");
    assert_eq!(one["status"], "sent");
    let sent: Value = sup.get("/api/v1/referrals?status=sent").await.json().await.expect("json");
    assert_eq!(sent["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(problem(sup.get("/api/v1/referrals?status=lost").await).await.0, 422);
}

#[tokio::test]
async fn referral_moves_are_refused_to_other_roles_and_for_bad_input() {
    let app = TestApp::spawn().await;
    let h = app.session(Role::CallHandler).await;
    let (r, id) = high_dash(&app, &h).await;
    let path = format!("/api/v1/referrals/{id}/transitions");
    let before = log_len(&app, &r).await;
    for role in [Role::CallHandler, Role::Dispatcher, Role::Analyst, Role::Auditor, Role::Administrator] {
        let res = app
            .session(role)
            .await
            .post_json(&path, json!({"to": "accepted", "assignee": "supervisor"}))
            .await;
        assert_eq!(problem(res).await.0, 403, "{role}");
    }
    assert_eq!(
        app.session(Role::Auditor).await.get(&format!("/api/v1/referrals/{id}")).await.status(),
        200,
        "auditors read"
    );
    let sup = app.session(Role::Supervisor).await;
    for (body, field) in [
        (json!({"assignee": "supervisor"}), "to"),
        (json!({"to": "open"}), "to"),
        (json!({"to": "accepted"}), "assignee"),
        (json!({"to": "accepted", "assignee": "nobody.here"}), "assignee"),
        (json!({"to": "declined", "reason": "no"}), "reason"),
        (json!({"to": "declined", "reason": "duplicate", "agency": "MARAC"}), "agency"),
        (json!({"to": "sent", "agency": "MARAC"}), "reference"),
    ] {
        let (status, p) = problem(sup.post_json(&path, body.clone()).await).await;
        assert_eq!((status, p["errors"][0]["field"].as_str()), (422, Some(field)), "{body}: {p}");
    }
    let (status, _) =
        problem(sup.post_json(&path, json!({"to": "accepted", "assignee": "supervisor", "x": 1})).await)
            .await;
    assert_eq!(status, 422, "unknown fields refused");
    let (status, p) =
        problem(sup.post_json(&path, json!({"to": "sent", "agency": "MARAC", "reference": "M-1"})).await)
            .await;
    assert_eq!(status, 422, "open cannot be sent before it is accepted: {p}");
    assert_eq!(
        problem(
            sup.post_json(
                "/api/v1/referrals/999999/transitions",
                json!({"to": "declined", "reason": "gone"})
            )
            .await
        )
        .await
        .0,
        404
    );
    assert_eq!(log_len(&app, &r).await, before, "nothing written");
    let one: Value = sup.get(&format!("/api/v1/referrals/{id}")).await.json().await.expect("json");
    assert_eq!((one["status"].as_str(), one["version"].as_i64()), (Some("open"), Some(1)));
    let res = sup
        .post_json(&path, json!({"to": "declined", "reason": "Victim already supported by an IDVA"}))
        .await;
    assert_eq!(res.status(), 200);
}
