use super::{contact, log_len};
use crate::app::{TestApp, problem};
use fc_domain::Role;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn thrive_versions_are_kept_and_feed_the_recommendation() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let r = contact(&s, json!({"channel": "email", "narrative": "Question about a parking fine"})).await;
    let path = format!("/api/v1/contacts/{r}/thrive");
    let before: Value = s.get(&format!("/api/v1/contacts/{r}/assessment")).await.json().await.expect("json");
    assert_eq!(before["recommendation"]["grade"], 4);

    for (body, field) in [
        (json!({"investigation": {"judgement": "high"}}), "investigation.judgement"),
        (json!({"threat": {"judgement": "yes"}}), "threat.judgement"),
        (json!({"risk": {"judgement": "high", "notes": "x".repeat(5000)}}), "risk.notes"),
    ] {
        let (status, p) = problem(s.post_json(&path, body).await).await;
        assert_eq!((status, p["errors"][0]["field"].as_str()), (422, Some(field)), "{p}");
    }
    for body in [
        json!({"threat": {"judgement": "extreme"}}),
        json!({"colour": {}}),
        json!({"threat": {"level": "high"}}),
    ] {
        assert_eq!(problem(s.post_json(&path, body.clone()).await).await.0, 422, "{body}");
    }
    assert_eq!(log_len(&app, &r).await, 1, "nothing written");

    let first = s
        .req(Method::POST, &path)
        .header("idempotency-key", "t-1")
        .json(&json!({"threat": {"judgement": "high", "notes": "threatened with a knife"}, "risk": {"judgement": "high"}}))
        .send()
        .await
        .expect("send");
    assert_eq!(first.status(), 201);
    let v1: Value = first.json().await.expect("json");
    assert_eq!((v1["version"].as_u64(), v1["assessed_by"].as_str()), (Some(1), Some("call.handler")));
    let retry = s
        .req(Method::POST, &path)
        .header("idempotency-key", "t-1")
        .json(&json!({"threat": {"judgement": "high", "notes": "threatened with a knife"}, "risk": {"judgement": "high"}}))
        .send()
        .await
        .expect("send");
    assert_eq!(retry.status(), 200, "a retry returns the first version");
    let sup = app.session(Role::Supervisor).await;
    let v2 = sup.post_json(&path, json!({"risk": {"judgement": "low", "notes": "reassessed"}})).await;
    assert_eq!(v2.status(), 201);

    let list: Value = app.session(Role::Dispatcher).await.get(&path).await.json().await.expect("json");
    let versions = list["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["threat"]["notes"], "threatened with a knife", "version 1 kept as it was");
    assert_eq!(versions[1]["assessed_by"], "supervisor");
    assert_eq!(versions[1]["version"], 2);

    // Version 1 (high threat and risk) would make it grade 1; the current version 2 rules.
    let after: Value = s.get(&format!("/api/v1/contacts/{r}/assessment")).await.json().await.expect("json");
    assert_eq!(after["recommendation"]["grade"], 4, "{}", after["recommendation"]);

    for role in [Role::Dispatcher, Role::Analyst, Role::Auditor, Role::Administrator] {
        assert_eq!(problem(app.session(role).await.post_json(&path, json!({})).await).await.0, 403, "{role}");
    }
    for role in [Role::Analyst, Role::Auditor] {
        assert_eq!(problem(app.session(role).await.get(&path).await).await.0, 403, "{role}");
    }
    assert_eq!(log_len(&app, &r).await, 3);
}

#[tokio::test]
async fn high_threat_and_risk_raise_the_grade() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let r = contact(&s, json!({"channel": "101", "narrative": "Neighbour dispute"})).await;
    let body = json!({"threat": {"judgement": "high"}, "risk": {"judgement": "high"}});
    assert_eq!(s.post_json(&format!("/api/v1/contacts/{r}/thrive"), body).await.status(), 201);
    let a: Value = s.get(&format!("/api/v1/contacts/{r}/assessment")).await.json().await.expect("json");
    assert_eq!(a["recommendation"]["grade"], 1);
}
