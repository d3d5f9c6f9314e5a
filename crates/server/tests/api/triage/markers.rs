use super::{contact, da_call, log_len};
use crate::app::{TestApp, problem};
use fc_domain::Role;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn markers_come_from_the_list_are_logged_and_feed_the_history() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let earlier = contact(&s, da_call(48)).await;
    let path = format!("/api/v1/contacts/{earlier}/markers");
    for body in [json!({"code": "grumpy"}), json!({"code": "fgm", "colour": 1}), json!({})] {
        assert_eq!(problem(s.post_json(&path, body.clone()).await).await.0, 422, "{body}");
    }
    assert_eq!(log_len(&app, &earlier).await, 1, "nothing written");
    let res = s.post_json(&path, json!({"code": "mental_health", "note": "known to crisis team"})).await;
    assert_eq!(res.status(), 201);
    let m: Value = res.json().await.expect("json");
    assert_eq!(m["markers"][0]["code"], "mental_health");
    assert_eq!(m["markers"][0]["set_by"], "call.handler");
    assert_eq!(m["available"].as_array().map(Vec::len), Some(16), "the issue's 12, 3 warnings, 1 pattern");
    assert_eq!(m["available"][12]["category"], "warning");
    assert_eq!(problem(s.post_json(&path, json!({"code": "mental_health"})).await).await.0, 409);

    // A new contact from the same phone carries the marker into its history.
    let now = contact(&s, da_call(0)).await;
    let a: Value = s.get(&format!("/api/v1/contacts/{now}/assessment")).await.json().await.expect("json");
    assert_eq!(a["history"]["vulnerability_markers"], json!(["mental_health"]));
    assert!(a["signals"].as_array().expect("signals").iter().any(|s| s["kind"] == "vulnerability_marker"));

    let del = s
        .req(Method::DELETE, &format!("{path}/mental_health?note=wrong%20person"))
        .send()
        .await
        .expect("send");
    assert_eq!(del.status(), 200);
    let after: Value = del.json().await.expect("json");
    assert_eq!(after["markers"].as_array().map(Vec::len), Some(0));
    let log = app.store.contact_log(&earlier).await.expect("log");
    assert_eq!(
        log.last().map(|e| (e.kind.as_str(), e.data["note"].as_str())),
        Some(("marker_cleared", Some("wrong person")))
    );
    let again = s.req(Method::DELETE, &format!("{path}/mental_health")).send().await.expect("send");
    assert_eq!(problem(again).await.0, 409);

    let list: Value = s.get("/api/v1/markers").await.json().await.expect("json");
    let category = |code: &str| {
        list["markers"]
            .as_array()
            .and_then(|m| m.iter().find(|x| x["code"] == code))
            .map(|x| x["category"].clone())
    };
    assert_eq!(category("officer_safety"), Some(json!("warning")));
    assert_eq!(category("high_intensity_caller"), Some(json!("pattern")));
    assert_eq!(category("fgm"), Some(json!("vulnerability")));
    assert_eq!(problem(app.session(Role::Analyst).await.get("/api/v1/markers").await).await.0, 403);

    let d = app.session(Role::Dispatcher).await;
    assert_eq!(d.get(&path).await.status(), 200, "dispatchers read");
    assert_eq!(problem(d.post_json(&path, json!({"code": "hate"})).await).await.0, 403);
    for role in [Role::Analyst, Role::Auditor, Role::Administrator] {
        assert_eq!(problem(app.session(role).await.get(&path).await).await.0, 403, "{role}");
    }
}
