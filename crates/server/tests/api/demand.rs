//! Dashboard, national answer-time return and 101 virtual hold over HTTP.

use crate::app::{TestApp, contact_body, problem};
use chrono::{Duration, TimeZone, Utc};
use fc_domain::{Actor, CallerDetails, Channel, Contact, ContactRef, ContactStatus, Outcome, Role};
use reqwest::Method;
use serde_json::{Value, json};

fn past(channel: Channel, at: chrono::DateTime<Utc>, wait: Option<f64>) -> Contact {
    let answered = wait.map(|w| at + Duration::milliseconds((w * 1000.0) as i64));
    let closed = answered.map_or(at + Duration::seconds(40), |a| a + Duration::seconds(120));
    Contact {
        reference: ContactRef::new(at.date_naive(), 1).expect("ref"),
        channel,
        status: if wait.is_some() { ContactStatus::Closed } else { ContactStatus::Abandoned },
        flags: vec![],
        caller: CallerDetails::default(),
        location_text: None,
        location: None,
        narrative: "history".into(),
        grade: None,
        outcome: wait.map(|_| Outcome::AdviceGiven),
        handler: wait.map(|_| "call.handler".to_string()),
        offered_at: at,
        queued_at: None,
        answered_at: answered,
        closed_at: Some(closed),
        created_at: at,
        updated_at: closed,
        version: 1,
    }
}

#[tokio::test]
async fn the_national_return_has_the_published_bands_as_json_and_csv() {
    let app = TestApp::spawn().await;
    let march = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).single().expect("t");
    let batch = vec![
        past(Channel::Emergency999, march, Some(3.0)),
        past(Channel::Emergency999, march, Some(10.0)),
        past(Channel::Emergency999, march, Some(75.0)),
        past(Channel::Emergency999, march, None),
        past(Channel::NonEmergency101, march, Some(100.0)),
        past(Channel::NonEmergency101, march, None),
        past(Channel::Emergency999, march + Duration::days(31), Some(2.0)),
        // 00:30 BST on 1 April: April's, though it is still 31 March in UTC.
        past(
            Channel::Emergency999,
            Utc.with_ymd_and_hms(2026, 3, 31, 23, 30, 0).single().expect("t"),
            Some(4.0),
        ),
    ];
    app.store.import_contacts(&Actor::system(), batch).await.expect("import");
    let analyst = app.session(Role::Analyst).await;
    let res = analyst.get("/api/v1/reports/answer-times?from=2026-03&to=2026-04").await;
    assert_eq!(res.status(), 200);
    let rows: Value = res.json().await.expect("json");
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 4, "999 and 101 for each month");
    let m999 = &rows[0];
    assert_eq!((m999["month"].as_str(), m999["channel"].as_str()), (Some("2026-03"), Some("999")));
    assert_eq!(m999["calls_answered"], 3);
    assert_eq!(m999["calls_offered"], 4);
    assert_eq!(m999["answered_under_10s"], 1);
    assert_eq!(m999["answered_10_to_60s"], 1);
    assert_eq!(m999["answered_60s_or_more"], 1);
    assert!((m999["mean_answer_secs"].as_f64().expect("mean") - 29.333).abs() < 0.01);
    assert_eq!(m999["abandonment_rate"], 0.25);
    assert_eq!(rows[1]["channel"], "101");
    assert_eq!(rows[1]["abandonment_rate"], 0.5);
    assert_eq!(rows[2]["calls_answered"], 2, "April, from UK midnight");

    let csv = analyst
        .req(Method::GET, "/api/v1/reports/answer-times?from=2026-03&to=2026-03")
        .header("accept", "text/csv")
        .send()
        .await
        .expect("csv");
    assert!(csv.headers()["content-type"].to_str().expect("ct").starts_with("text/csv"));
    let text = csv.text().await.expect("text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("force,month,channel,calls_offered"));
    assert!(lines[1].contains(",2026-03,999,4,3,29.3,1,0.3333,1,0.3333,1,0.3333,1,0.2500"), "{}", lines[1]);
    let same = analyst
        .get("/api/v1/reports/answer-times?from=2026-03&to=2026-03&format=csv")
        .await
        .text()
        .await
        .expect("text");
    assert_eq!(same, text);
    let audit_before = app
        .store
        .search_audit(&fc_store::audit::AuditQuery { limit: 100, ..Default::default() })
        .await
        .expect("audit")
        .len();

    for bad in [
        "from=2026-13&to=2026-14",
        "from=2026-3&to=2026-04",
        "from=2026-05&to=2026-03",
        "from=2020-01&to=2026-01",
        "from=2026-01&to=2026-01&format=xml",
    ] {
        let (status, body) = problem(analyst.get(&format!("/api/v1/reports/answer-times?{bad}")).await).await;
        assert_eq!(status, 422, "{bad}: {body}");
    }
    let (status, _) = problem(analyst.get("/api/v1/reports/answer-times?from=2026-01").await).await;
    assert!(status == 400 || status == 422);
    let audit_after = app
        .store
        .search_audit(&fc_store::audit::AuditQuery { limit: 100, ..Default::default() })
        .await
        .expect("audit")
        .len();
    assert_eq!(audit_before, audit_after, "aggregates are not audited disclosures");
}

#[tokio::test]
async fn virtual_hold_keeps_the_place_and_records_the_outcome() {
    let app = TestApp::spawn().await;
    let h = app.session(Role::CallHandler).await;
    let mut body = contact_body();
    body["channel"] = json!("101");
    body["flags"] = json!([]);
    let first: Value = h.post_json("/api/v1/contacts", body.clone()).await.json().await.expect("json");
    let second: Value = h.post_json("/api/v1/contacts", body).await.json().await.expect("json");
    let (r1, r2) = (first["reference"].as_str().expect("r"), second["reference"].as_str().expect("r"));
    let pos: Value =
        h.get(&format!("/api/v1/contacts/{r2}/queue-position")).await.json().await.expect("json");
    assert_eq!(pos["position"], 2);
    assert_eq!(pos["handlers"], 0);
    assert!(pos["expected_wait_secs"].is_null(), "no handler on 101: no estimate");
    let res = h.req(Method::POST, &format!("/api/v1/contacts/{r2}/callback")).send().await.expect("cb");
    assert_eq!(res.status(), 200);
    let cb: Value = res.json().await.expect("json");
    assert_eq!(cb["flags"], json!(["callback_requested"]));
    let pos: Value =
        h.get(&format!("/api/v1/contacts/{r2}/queue-position")).await.json().await.expect("json");
    assert_eq!(
        (pos["position"].as_u64(), pos["callback"].as_bool()),
        (Some(2), Some(true)),
        "keeps its place"
    );

    // A handler on 101 makes an estimate possible; taking it offers the first caller, then the callback.
    let sup = app.session(Role::Supervisor).await;
    sup.req(Method::PUT, "/api/v1/handlers/call.handler/skills")
        .json(&json!({"skills": ["101"]}))
        .send()
        .await
        .expect("skills");
    for s in ["signed_in", "ready"] {
        assert_eq!(h.post_json("/api/v1/handlers/me/state", json!({"state": s})).await.status(), 200);
    }
    // The router may already have given r1 to the handler; either way r2 waits with an estimate.
    let pos: Value =
        h.get(&format!("/api/v1/contacts/{r2}/queue-position")).await.json().await.expect("json");
    assert_eq!(pos["handlers"], 1);
    assert!(pos["expected_wait_secs"].as_f64().is_some());
    let (status, _) = problem(
        h.post_json(&format!("/api/v1/contacts/{r2}/callback/outcome"), json!({"outcome": "reached"})).await,
    )
    .await;
    assert_eq!(status, 409, "not taken yet");
    let (status, _) = problem(
        h.post_json(&format!("/api/v1/contacts/{r1}/callback/outcome"), json!({"outcome": "reached"})).await,
    )
    .await;
    assert_eq!(status, 422, "r1 asked for no callback");
    let (status, _) = problem(
        h.post_json(&format!("/api/v1/contacts/{r2}/callback/outcome"), json!({"outcome": "maybe"})).await,
    )
    .await;
    assert_eq!(status, 422);
    let mut chat = contact_body();
    chat["channel"] = json!("webchat");
    chat["flags"] = json!([]);
    let chat: Value = h.post_json("/api/v1/contacts", chat).await.json().await.expect("json");
    let (status, _) = problem(
        h.req(Method::POST, &format!("/api/v1/contacts/{}/callback", chat["reference"].as_str().expect("r")))
            .send()
            .await
            .expect("cb"),
    )
    .await;
    assert_eq!(status, 422, "callbacks are for 101");
    let log = app.store.contact_log(r2).await.expect("log");
    assert_eq!(log.iter().filter(|e| e.kind == "callback_requested").count(), 1);
    assert!(!log.iter().any(|e| e.kind == "callback_outcome"), "refused outcomes wrote nothing");
}

#[tokio::test]
async fn the_dashboard_counts_today() {
    let app = TestApp::spawn().await;
    let now = Utc::now();
    let earlier = now - Duration::minutes(5);
    let batch = vec![
        past(Channel::Emergency999, earlier, Some(4.0)),
        past(Channel::Emergency999, earlier, Some(30.0)),
        past(Channel::NonEmergency101, earlier, None),
    ];
    app.store.import_contacts(&Actor::system(), batch).await.expect("import");
    let h = app.session(Role::CallHandler).await;
    h.post_json("/api/v1/contacts", contact_body()).await;
    let sup = app.session(Role::Supervisor).await;
    let d: Value = sup.get("/api/v1/dashboard").await.json().await.expect("json");
    assert_eq!(d["waiting"][0]["channel"], "999");
    assert_eq!(d["waiting"][0]["waiting"], 1);
    let last15 = d["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .find(|p| p["name"] == "last_15_min")
        .expect("15")
        .clone();
    let e = last15["channels"]
        .as_array()
        .expect("ch")
        .iter()
        .find(|c| c["channel"] == "999")
        .expect("999")
        .clone();
    assert_eq!(e["measures"]["answered"], 2);
    assert_eq!(e["measures"]["answered_within"], 1);
    assert_eq!(e["measures"]["share_within"], 0.5);
    let n = last15["channels"]
        .as_array()
        .expect("ch")
        .iter()
        .find(|c| c["channel"] == "101")
        .expect("101")
        .clone();
    assert_eq!(n["measures"]["abandonment_rate"], 1.0);
    let hours = d["hourly"]["arrivals"].as_array().expect("hourly");
    assert_eq!(hours.iter().map(|v| v.as_u64().unwrap_or(0)).sum::<u64>(), 4);
    // The day is the UK day: its hours start at UK midnight (23:00 UTC the evening before in BST).
    let starts = d["hourly"]["hour_starts"].as_array().expect("hour starts");
    assert_eq!(starts.len(), hours.len());
    let first = starts[0].as_str().and_then(|s| s.parse::<chrono::DateTime<Utc>>().ok());
    assert_eq!(first, Some(fc_domain::local_time::start_of_uk_day(now)));
    assert_eq!(d["handlers"].as_array().expect("states").len(), 6);
}
