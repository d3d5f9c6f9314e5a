//! `/api/v1/incidents`, `/api/v1/units` and the duplicate suggestions: the dispatcher's day end to
//! end, each role's boundaries, and bad input refused with a clear problem and nothing written.

use crate::app::{Session, TestApp, contact_body, problem};
use fc_domain::{Role, UnitStatus};
use reqwest::Method;
use serde_json::{Value, json};

fn incident_body(contacts: &[&str]) -> Value {
    json!({
        "contacts": contacts, "category": "TRN-RTC-INJURY", "grade": 1, "qualifiers": ["alcohol"],
        "location_text": "Oxford Road", "location": {"lat": 53.48, "lon": -2.24, "radius_m": 30},
        "summary": "Two cars, one overturned", "thrive": "Threat: driver trapped"
    })
}

async fn contact(s: &Session, narrative: &str) -> String {
    let mut body = contact_body();
    body["narrative"] = json!(narrative);
    let c: Value = s.post_json("/api/v1/contacts", body).await.json().await.expect("json");
    c["reference"].as_str().expect("reference").to_string()
}

async fn unit(s: &Session, call_sign: &str, lat: f64) -> Value {
    let res = s
        .post_json(
            "/api/v1/units",
            json!({"call_sign": call_sign, "unit_type": "response", "skills": ["taser"], "home_station": "Longsight",
                   "position": {"lat": lat, "lon": -2.24}, "status": "available"}),
        )
        .await;
    assert_eq!(res.status(), 201, "create unit {call_sign}");
    res.json().await.expect("json")
}

async fn patch(s: &Session, path: &str, body: Value) -> reqwest::Response {
    s.req(Method::PATCH, path).json(&body).send().await.expect("send")
}

#[tokio::test]
async fn a_collision_from_first_call_to_arrival() {
    let app = TestApp::spawn().await;
    let handler = app.session(Role::CallHandler).await;
    let dispatcher = app.session(Role::Dispatcher).await;
    let supervisor = app.session(Role::Supervisor).await;
    let first = contact(&handler, "There's been a crash, two cars").await;
    let res = handler.post_json("/api/v1/incidents", incident_body(&[&first])).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.expect("json");
    let r = created["incident"]["reference"].as_str().expect("ref").to_string();
    assert_eq!(created["incident"]["status"], "open");
    assert_eq!(created["attendance"]["target_seconds"], 900);
    assert_eq!(created["attendance"]["breached"], false);

    // A second caller near the crash: the incident is suggested, and one call links it.
    let second = contact(&handler, "Car has overturned, a crash on Oxford Road").await;
    let dups: Value = handler
        .get(&format!("/api/v1/contacts/{second}/duplicate-incidents"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(dups[0]["reference"], r.as_str(), "{dups}");
    let res = handler.post_json(&format!("/api/v1/incidents/{r}/contacts"), json!({"contact": second})).await;
    assert_eq!(res.status(), 201);
    let dups: Value = handler
        .get(&format!("/api/v1/contacts/{second}/duplicate-incidents"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(dups, json!([]), "an incident already linked is not suggested again");

    unit(&supervisor, "MC21", 53.49).await;
    unit(&supervisor, "MC22", 53.60).await;
    let recs: Value =
        dispatcher.get(&format!("/api/v1/incidents/{r}/recommendations")).await.json().await.expect("json");
    assert_eq!(recs[0]["call_sign"], "MC21", "the nearer unit first: {recs}");
    assert!(recs[0]["reasons"].as_array().is_some_and(|r| !r.is_empty()));
    let res = dispatcher
        .post_json(&format!("/api/v1/incidents/{r}/assignments"), json!({"call_sign": "mc21"}))
        .await;
    assert_eq!(res.status(), 201);

    // The car's location system reports with a token.
    let token: Value =
        dispatcher.post_json("/api/v1/tokens", json!({"name": "AVLS"})).await.json().await.expect("json");
    let secret = token["secret"].as_str().expect("secret");
    let device = reqwest::Client::new();
    for status in ["en_route", "at_scene"] {
        let res = device
            .patch(app.url("/api/v1/units/MC21"))
            .bearer_auth(secret)
            .json(&json!({"status": status, "position": {"lat": 53.4801, "lon": -2.2401}}))
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 200, "{status}");
    }
    let detail: Value = dispatcher.get(&format!("/api/v1/incidents/{r}")).await.json().await.expect("json");
    assert_eq!(detail["incident"]["status"], "at_scene");
    assert_eq!(detail["attendance"]["attended"], true);
    assert_eq!(detail["contacts"], json!([first, second]));
    assert_eq!(detail["assignments"][0]["call_sign"], "MC21");

    let res = dispatcher
        .post_json(&format!("/api/v1/incidents/{r}/remarks"), json!({"text": "Ambulance on scene"}))
        .await;
    assert_eq!(res.status(), 201);
    let res = dispatcher
        .post_json(
            &format!("/api/v1/incidents/{r}/close"),
            json!({"category": "TRN-RTC-INJURY", "result": "crime_recorded"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.store.get_unit("MC21").await.expect("unit").status, UnitStatus::Available);
    let res = dispatcher
        .post_json(&format!("/api/v1/incidents/{r}/reopen"), json!({"reason": "Driver fled"}))
        .await;
    assert_eq!(res.status(), 200);
    let log: Value = dispatcher.get(&format!("/api/v1/incidents/{r}/log")).await.json().await.expect("json");
    let kinds: Vec<&str> = log.as_array().expect("log").iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "created",
            "contact_linked",
            "contact_linked",
            "unit_assigned",
            "unit_status",
            "unit_status",
            "remark",
            "closed",
            "reopened"
        ]
    );
    let list: Value = dispatcher.get("/api/v1/incidents?grade=1").await.json().await.expect("json");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn each_role_holds_only_its_part() {
    let app = TestApp::spawn().await;
    let handler = app.session(Role::CallHandler).await;
    let c = contact(&handler, "crash").await;
    let created: Value =
        handler.post_json("/api/v1/incidents", incident_body(&[&c])).await.json().await.expect("json");
    let r = created["incident"]["reference"].as_str().expect("ref").to_string();
    let supervisor = app.session(Role::Supervisor).await;
    unit(&supervisor, "MC1", 53.48).await;
    use Role::*;
    let routes: Vec<(Method, String, Option<Value>, Vec<Role>)> = vec![
        (Method::GET, "/api/v1/incidents".into(), None, vec![CallHandler, Dispatcher, Supervisor]),
        (Method::GET, format!("/api/v1/incidents/{r}"), None, vec![CallHandler, Dispatcher, Supervisor]),
        (Method::GET, "/api/v1/incidents/figures".into(), None, vec![Supervisor, Analyst, Administrator]),
        (
            Method::POST,
            "/api/v1/incidents".into(),
            Some(incident_body(&[])),
            vec![CallHandler, Dispatcher, Supervisor],
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{r}/remarks"),
            Some(json!({"text": "x"})),
            vec![Dispatcher, Supervisor],
        ),
        (Method::GET, format!("/api/v1/incidents/{r}/recommendations"), None, vec![Dispatcher, Supervisor]),
        (
            Method::GET,
            format!("/api/v1/contacts/{c}/duplicate-incidents"),
            None,
            vec![CallHandler, Dispatcher, Supervisor],
        ),
        (
            Method::GET,
            "/api/v1/units".into(),
            None,
            vec![CallHandler, Dispatcher, Supervisor, Analyst, Administrator],
        ),
        (
            Method::PATCH,
            "/api/v1/units/MC1".into(),
            Some(json!({"position": {"lat": 53.5, "lon": -2.2}})),
            vec![Dispatcher, Supervisor, Administrator],
        ),
    ];
    for role in Role::ALL {
        let s = app.session(role).await;
        s.assert_boundaries(role, &routes).await;
        let unit_create = s
            .post_json(
                "/api/v1/units",
                json!({"call_sign": "X9", "unit_type": "pcso", "home_station": "A", "status": "available"}),
            )
            .await;
        let expected = if matches!(role, Supervisor | Administrator) { [201, 409] } else { [403, 403] };
        assert!(expected.contains(&unit_create.status().as_u16()), "{role} creating a unit");
    }
    // A dispatcher may move a unit but not change what it is.
    let dispatcher = app.session(Dispatcher).await;
    assert_eq!(patch(&dispatcher, "/api/v1/units/MC1", json!({"skills": ["firearms"]})).await.status(), 403);
    assert_eq!(app.store.get_unit("MC1").await.expect("unit").skills.len(), 1);
}

#[tokio::test]
async fn bad_input_is_refused_clearly_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let handler = app.session(Role::CallHandler).await;
    let dispatcher = app.session(Role::Dispatcher).await;
    let supervisor = app.session(Role::Supervisor).await;

    let mut impossible = incident_body(&[]);
    impossible["location"] = json!({"lat": 123.0, "lon": -2.24});
    let (status, body) = problem(handler.post_json("/api/v1/incidents", impossible).await).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["field"], "location.lat");
    let mut unknown = incident_body(&["FC-20200101-000001"]);
    unknown["category"] = json!("NOT-A-CATEGORY");
    let (_, body) = problem(handler.post_json("/api/v1/incidents", unknown).await).await;
    assert_eq!(body["errors"][0]["field"], "category");
    let (status, body) =
        problem(handler.post_json("/api/v1/incidents", incident_body(&["FC-20200101-000001"])).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("contacts[0]")));
    let list: Value = dispatcher.get("/api/v1/incidents").await.json().await.expect("json");
    assert_eq!(list["items"], json!([]), "nothing written");

    let created: Value =
        handler.post_json("/api/v1/incidents", incident_body(&[])).await.json().await.expect("json");
    let r = created["incident"]["reference"].as_str().expect("ref").to_string();
    unit(&supervisor, "MC7", 53.48).await;
    let (status, body) =
        problem(patch(&dispatcher, "/api/v1/units/MC7", json!({"status": "at_scene"})).await).await;
    assert_eq!(status, 422);
    assert!(
        body["detail"].as_str().is_some_and(|d| d.contains("available") && d.contains("at_scene")),
        "{body}"
    );
    let (status, _) =
        problem(patch(&dispatcher, "/api/v1/units/MC7", json!({"position": {"lat": 0, "lon": 500}})).await)
            .await;
    assert_eq!(status, 422);
    let (status, _) = problem(
        dispatcher
            .post_json(&format!("/api/v1/incidents/{r}/assignments"), json!({"call_sign": "ZZ99"}))
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = problem(
        dispatcher.post_json(&format!("/api/v1/incidents/{r}/assignments"), json!({"call_sign": "99"})).await,
    )
    .await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("call_sign")));
    let (status, body) = problem(
        dispatcher
            .post_json(
                &format!("/api/v1/incidents/{r}/persons"),
                json!({"person_ref": "P-999999", "role": "victim"}),
            )
            .await,
    )
    .await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("person_ref")), "{body}");
    let (status, _) = problem(
        dispatcher.post_json(&format!("/api/v1/incidents/{r}/transitions"), json!({"to": "at_scene"})).await,
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = problem(
        dispatcher.post_json(&format!("/api/v1/incidents/{r}/transitions"), json!({"to": "closed"})).await,
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = problem(
        dispatcher
            .post_json(&format!("/api/v1/incidents/{r}/close"), json!({"category": "X", "result": "arrest"}))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) =
        problem(dispatcher.post_json(&format!("/api/v1/incidents/{r}/reopen"), json!({"reason": "x"})).await)
            .await;
    assert_eq!(status, 422);
    let (status, _) = problem(
        dispatcher.post_json("/api/v1/incidents/INC-20200101-0001/remarks", json!({"text": "x"})).await,
    )
    .await;
    assert_eq!(status, 404);
    let unit = app.store.get_unit("MC7").await.expect("unit");
    assert_eq!((unit.status, unit.version), (UnitStatus::Available, 1), "the unit is unchanged");
    let incident = app.store.get_incident(&r).await.expect("incident");
    assert_eq!(incident.version, 1, "the incident is unchanged");
    assert_eq!(app.store.incident_log(&r).await.expect("log").len(), 1);
}
