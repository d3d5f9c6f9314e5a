use crate::app::{TestApp, contact_body, problem};
use fc_domain::Role;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn create_read_and_log() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let res = s.post_json("/api/v1/contacts", contact_body()).await;
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().expect("location").to_string();
    assert_eq!(res.headers()["etag"], "\"1\"");
    let created: Value = res.json().await.expect("json");
    let reference = created["reference"].as_str().expect("reference");
    assert_eq!(location, format!("/api/v1/contacts/{reference}"));
    assert_eq!(created["caller"]["postcode"], "M1 1AE");
    assert_eq!(created["status"], "received");
    let read: Value = s.get(&location).await.json().await.expect("json");
    assert_eq!(read, created);
    let stored = app.store.get_contact(reference).await.expect("stored");
    assert_eq!(stored.narrative, "Open line, shouting heard");
    let log: Value = s.get(&format!("{location}/log")).await.json().await.expect("json");
    assert_eq!(log[0]["kind"], "created");
    assert_eq!(log[0]["actor"], "call.handler");
}

#[tokio::test]
async fn a_retried_999_is_recorded_once() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let send = |body: Value| {
        s.req(Method::POST, "/api/v1/contacts").header("idempotency-key", "call-7781").json(&body).send()
    };
    let first = send(contact_body()).await.expect("first");
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");
    let retry = send(contact_body()).await.expect("retry");
    assert_eq!(retry.status(), 200);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let retry: Value = retry.json().await.expect("json");
    assert_eq!(retry["reference"], first["reference"]);
    let mut other = contact_body();
    other["narrative"] = json!("a different call");
    let (status, body) = problem(send(other).await.expect("reuse")).await;
    assert_eq!(status, 409);
    assert!(body["detail"].as_str().expect("detail").contains("Idempotency-Key"));
    assert_eq!(app.store.count_contacts().await.expect("count"), 1);
}

#[tokio::test]
async fn bad_input_gets_a_clear_problem_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (json!({"channel": "fax"}), 422, "channel"),
        (json!({"channel": "999", "caller": {"name": 12}}), 422, "caller.name"),
        (json!({"channel": "999", "caller": {"date_of_birth": "1990-02-30"}}), 422, "caller.date_of_birth"),
        (json!({"channel": "999", "offered_at": "2026-13-01T00:00:00Z"}), 422, "offered_at"),
        (json!({"channel": "999", "colour": "blue"}), 422, ""),
        (json!({"channel": "999", "location": {"lat": 123, "lon": 0}}), 422, "location.lat"),
        (json!({"channel": "101", "caller": {"postcode": "NOT A CODE"}}), 422, "caller.postcode"),
    ];
    for (body, status, field) in cases {
        let (got, problem) = problem(s.post_json("/api/v1/contacts", body.clone()).await).await;
        assert_eq!(got, status, "{body}");
        assert_eq!(problem["type"], "/problems/validation");
        if !field.is_empty() {
            assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        } else {
            assert!(problem["errors"][0]["message"].as_str().expect("message").contains("colour"));
        }
    }
    let raw = |body: &'static str, ct: &'static str| {
        s.req(Method::POST, "/api/v1/contacts").header("content-type", ct).body(body).send()
    };
    assert_eq!(problem(raw("{\"channel\":", "application/json").await.expect("send")).await.0, 400);
    assert_eq!(
        problem(raw("channel=999", "application/x-www-form-urlencoded").await.expect("send")).await.0,
        415
    );
    let huge = json!({"channel": "999", "narrative": "x".repeat(100_000)});
    assert_eq!(problem(s.post_json("/api/v1/contacts", huge).await).await.0, 413);
    let long = json!({"channel": "999", "narrative": "x".repeat(30_000)});
    assert_eq!(problem(s.post_json("/api/v1/contacts", long).await).await.0, 422);
    assert_eq!(app.store.count_contacts().await.expect("count"), 0, "nothing was written");
}

#[tokio::test]
async fn transitions_follow_the_lifecycle() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let c: Value = s.post_json("/api/v1/contacts", contact_body()).await.json().await.expect("json");
    let path = format!("/api/v1/contacts/{}/transitions", c["reference"].as_str().expect("ref"));
    let (status, body) =
        problem(s.post_json(&path, json!({"to": "closed", "outcome": "advice_given"})).await).await;
    assert_eq!(status, 422);
    assert!(body["detail"].as_str().expect("detail").contains("received to closed"));
    assert_eq!(problem(s.post_json(&path, json!({"to": "sideways"})).await).await.0, 422);
    let answered = s.post_json(&path, json!({"to": "in_progress"})).await;
    assert_eq!(answered.status(), 200);
    let answered: Value = answered.json().await.expect("json");
    assert_eq!(answered["handler"], "call.handler");
    let stale = s
        .req(Method::POST, &path)
        .header("if-match", "\"1\"")
        .json(&json!({"to": "closed", "outcome": "incident_raised"}))
        .send()
        .await
        .expect("send");
    assert_eq!(problem(stale).await.0, 409);
    let closed = s.post_json(&path, json!({"to": "closed", "outcome": "incident_raised"})).await;
    assert_eq!(closed.status(), 200);
    let log = app.store.contact_log(c["reference"].as_str().expect("ref")).await.expect("log");
    assert_eq!(log.len(), 3, "refused moves leave no trace in the log");
}

#[tokio::test]
async fn list_pages_with_cursor_and_filters() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    for i in 0..7 {
        let mut b = contact_body();
        b["channel"] = json!(if i < 3 { "999" } else { "email" });
        if i >= 3 {
            b["flags"] = json!([]);
        }
        assert_eq!(s.post_json("/api/v1/contacts", b).await.status(), 201);
    }
    let mut seen = 0;
    let mut url = "/api/v1/contacts?limit=3".to_string();
    loop {
        let page: Value = s.get(&url).await.json().await.expect("json");
        seen += page["items"].as_array().expect("items").len();
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("/api/v1/contacts?limit=3&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, 7);
    let emails: Value = s.get("/api/v1/contacts?channel=email").await.json().await.expect("json");
    assert_eq!(emails["items"].as_array().expect("items").len(), 4);
    assert_eq!(problem(s.get("/api/v1/contacts?channel=pigeon").await).await.0, 422);
    assert_eq!(problem(s.get("/api/v1/contacts?limit=0").await).await.0, 422);
    assert_eq!(problem(s.get("/api/v1/contacts?cursor=zzz").await).await.0, 422);
    let queue: Value = s.get("/api/v1/queue").await.json().await.expect("json");
    assert_eq!(queue[0]["channel"], "999", "999 first");
    assert!(queue[0].get("caller").is_none(), "the queue shows no personal details");
}

#[tokio::test]
async fn an_aml_message_locates_a_999_contact_and_bad_ones_change_nothing() {
    let app = TestApp::spawn().await;
    let handler = app.session(Role::CallHandler).await;
    let created: Value =
        handler.post_json("/api/v1/contacts", contact_body()).await.json().await.expect("json");
    let reference = created["reference"].as_str().expect("reference").to_string();
    let path = format!("/api/v1/contacts/{reference}/aml");

    let bad =
        handler.post_json(&path, json!({"message": "A\"ML=1;lt=95;lg=-4.2;pm=Q;top=20261399000000"})).await;
    let (status, body) = problem(bad).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> =
        body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    for f in ["message.pm", "message.top", "message.lt"] {
        assert!(fields.contains(&f), "{f} not in {fields:?}");
    }
    let unchanged: Value =
        handler.get(&format!("/api/v1/contacts/{reference}")).await.json().await.expect("json");
    assert_eq!(unchanged["version"], created["version"], "a refused message changes nothing");

    let message = "A\"ML=1;lt=+53.47961;lg=-2.24263;rd=12;top=20261123101500;lc=68;pm=G;mcc=234;mnc=30";
    let res = handler.post_json(&path, json!({"message": message})).await;
    assert_eq!(res.status(), 200);
    let receipt: Value = res.json().await.expect("json");
    assert_eq!(receipt["aml"]["method"], "gnss");
    assert_eq!(receipt["contact"]["location"]["lat"], 53.47961);
    assert_eq!(receipt["contact"]["location"]["radius_m"], 12.0);
    let log: Value =
        handler.get(&format!("/api/v1/contacts/{reference}/log")).await.json().await.expect("json");
    let text = log.to_string();
    assert!(text.contains("AML location by satellite (GNSS)"), "summary on the log: {text}");
    assert_eq!(
        receipt["contact"]["version"],
        created["version"].as_i64().expect("v") + 1,
        "one write, not two"
    );
    let aml_entries: Vec<&Value> =
        log.as_array().into_iter().flatten().filter(|e| e["kind"] == "aml").collect();
    assert_eq!(aml_entries.len(), 1, "location and summary in one entry: {log}");
    assert_eq!(aml_entries[0]["data"]["location"]["to"]["lat"], 53.47961);

    let analyst = app.session(Role::Analyst).await;
    assert_eq!(analyst.post_json(&path, json!({"message": message})).await.status(), 403);
}
