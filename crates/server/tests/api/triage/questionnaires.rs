use super::{contact, da_call, log_len};
use crate::app::{TestApp, problem};
use fc_domain::Role;
use reqwest::Method;
use serde_json::{Map, Value, json};

fn all(n: usize, answer: &str) -> Value {
    let m: Map<String, Value> = (1..=n).map(|i| (format!("q{i}"), json!(answer))).collect();
    Value::Object(m)
}

#[tokio::test]
async fn a_high_dash_is_recorded_and_raises_a_marac_referral() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let r = contact(&s, da_call(0)).await;
    let a: Value = s.get(&format!("/api/v1/contacts/{r}/assessment")).await.json().await.expect("json");
    assert_eq!(a["recommendation"]["questionnaires"][0]["questionnaire"], "dash", "DA prompts DASH");
    let def: Value = s.get("/api/v1/questionnaires/dash").await.json().await.expect("json");
    let n = def["questions"].as_array().expect("questions").len();
    let path = format!("/api/v1/contacts/{r}/questionnaires/dash");

    for (body, field) in [
        (json!({"answers": {"q999": "yes"}}), "answers.q999"),
        (
            json!({"answers": all(n, "yes"), "judgement": {"level": "medium", "reason": "x"}}),
            "judgement.level",
        ),
        (json!({"answers": {}, "judgement": {"level": "high", "reason": "  "}}), "judgement.reason"),
    ] {
        let (status, p) = problem(s.post_json(&path, body).await).await;
        assert_eq!((status, p["errors"][0]["field"].as_str()), (422, Some(field)), "{p}");
    }
    for body in [json!({"answers": {"q1": "maybe"}}), json!({"answers": {}, "colour": 1})] {
        assert_eq!(problem(s.post_json(&path, body.clone()).await).await.0, 422, "{body}");
    }
    assert_eq!(
        problem(
            s.post_json(&format!("/api/v1/contacts/{r}/questionnaires/nope"), json!({"answers": {}})).await
        )
        .await
        .0,
        404
    );
    assert_eq!(log_len(&app, &r).await, 1, "nothing written");

    let res = s
        .req(Method::POST, &path)
        .header("idempotency-key", "d-1")
        .json(&json!({"answers": all(n, "yes")}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 201);
    let result: Value = res.json().await.expect("json");
    assert_eq!(result["final_level"], "high");
    assert_eq!(result["referrals"][0]["task"], "marac_referral");
    let retry = s
        .req(Method::POST, &path)
        .header("idempotency-key", "d-1")
        .json(&json!({"answers": all(n, "yes")}))
        .send()
        .await
        .expect("send");
    assert_eq!(retry.status(), 200);

    // A standard result raised by judgement to high also refers.
    let raised = s
        .post_json(
            &path,
            json!({"answers": {}, "judgement": {"level": "high", "reason": "caller terrified"}}),
        )
        .await;
    assert_eq!(raised.status(), 201);

    let sup = app.session(Role::Supervisor).await;
    let list: Value = sup.get("/api/v1/referrals?task=marac_referral").await.json().await.expect("json");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "one per high result, the retry added none");
    assert_eq!(items[0]["reference"], r.as_str());
    assert_eq!(items[0]["status"], "open");
    let results: Value =
        s.get(&format!("/api/v1/contacts/{r}/questionnaires")).await.json().await.expect("json");
    assert_eq!(results["results"].as_array().map(Vec::len), Some(2));

    for role in [Role::CallHandler, Role::Dispatcher, Role::Analyst, Role::Administrator] {
        assert_eq!(problem(app.session(role).await.get("/api/v1/referrals").await).await.0, 403, "{role}");
    }
    assert_eq!(app.session(Role::Auditor).await.get("/api/v1/referrals").await.status(), 200);
    assert_eq!(problem(sup.get("/api/v1/referrals?limit=500").await).await.0, 422);
    for role in [Role::Dispatcher, Role::Auditor, Role::Analyst] {
        let res = app.session(role).await.post_json(&path, json!({"answers": {}})).await;
        assert_eq!(problem(res).await.0, 403, "{role}");
    }
}

#[tokio::test]
async fn rcrp_without_a_threshold_refers_to_health() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let r = contact(&s, json!({"channel": "101", "narrative": "My son is in a mental health crisis"})).await;
    let body = json!({"answers": {"r1": "no", "r2": "no", "r3": "no", "r4": "no"}});
    let res: Value = s
        .post_json(&format!("/api/v1/contacts/{r}/questionnaires/rcrp"), body)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(res["final_label"], "Health or social care lead");
    let list: Value =
        app.session(Role::Supervisor).await.get("/api/v1/referrals").await.json().await.expect("json");
    assert_eq!(list["items"][0]["task"], "health_referral");
}

#[tokio::test]
async fn an_earlier_high_dash_is_high_risk_history() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let mut quiet = da_call(24);
    quiet["narrative"] = json!("Wants advice about a letter");
    let earlier = contact(&s, quiet).await;
    let raised = json!({"answers": {}, "judgement": {"level": "high", "reason": "disclosed strangulation"}});
    let res = s.post_json(&format!("/api/v1/contacts/{earlier}/questionnaires/dash"), raised).await;
    assert_eq!(res.status(), 201);
    let now =
        contact(&s, json!({"channel": "101", "caller": {"phone": "07700900123"}, "narrative": "Noise"}))
            .await;
    let a: Value = s.get(&format!("/api/v1/contacts/{now}/assessment")).await.json().await.expect("json");
    let high = &a["history"]["previous_high_risk"];
    assert_eq!(high[0]["id"], earlier.as_str(), "{a}");
    assert!(high[0]["summary"].as_str().is_some_and(|s| s.starts_with("DASH high")));
}
