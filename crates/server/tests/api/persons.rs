//! The single citizen view over HTTP: matching on create, profiles, reviews, merges, markers, and
//! who may do which.

use crate::app::{TestApp, contact_body, problem};
use fc_domain::{Actor, Role};
use fc_store::audit::{AuditAction, AuditQuery};
use fc_store::persons::ReviewCandidate;
use reqwest::Method;
use serde_json::{Value, json};

pub(crate) async fn create(app: &TestApp, body: Value) -> String {
    let s = app.session(Role::CallHandler).await;
    let res = s.post_json("/api/v1/contacts", body).await;
    assert_eq!(res.status(), 201);
    let c: Value = res.json().await.expect("json");
    c["reference"].as_str().expect("ref").to_string()
}

pub(crate) async fn person_of(app: &TestApp, contact: &str) -> Value {
    app.persons.flush().await;
    let s = app.session(Role::CallHandler).await;
    let res = s.get(&format!("/api/v1/contacts/{contact}/person")).await;
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

#[tokio::test]
async fn repeat_callers_are_linked_and_profiled() {
    let app = TestApp::spawn().await;
    let a = create(&app, contact_body()).await;
    let first = person_of(&app, &a).await;
    assert_eq!(first["state"], "linked", "{first}");
    let p = first["person"]["reference"].as_str().expect("person").to_string();
    assert!(p.starts_with("P-"));

    // The same caller again, on another channel, with a nickname-free spelling variant.
    let mut again = contact_body();
    again["channel"] = json!("101");
    again["flags"] = json!([]);
    let b = create(&app, again).await;
    let second = person_of(&app, &b).await;
    assert_eq!(second["state"], "linked");
    assert_eq!(second["person"]["reference"], p.as_str(), "recognised as the same person");

    // Someone else entirely gets a new person.
    let other = json!({"channel": "101", "caller": {"name": "Tariq Hussain", "date_of_birth": "1951-02-03",
        "phone": "0161 496 0999", "postcode": "ol1 1aa"}, "narrative": "Lost wallet"});
    let c = create(&app, other).await;
    let third = person_of(&app, &c).await;
    assert_ne!(third["person"]["reference"], p.as_str());

    // No personal details: left unlinked.
    let anon = create(&app, json!({"channel": "999", "narrative": "Silent line"})).await;
    assert_eq!(person_of(&app, &anon).await["state"], "no_details");

    let s = app.session(Role::Dispatcher).await;
    let prof: Value = s.get(&format!("/api/v1/persons/{p}")).await.json().await.expect("profile");
    assert_eq!(prof["timeline"].as_array().map(Vec::len), Some(2));
    let channels: Vec<&str> =
        prof["timeline"].as_array().into_iter().flatten().filter_map(|t| t["channel"].as_str()).collect();
    assert!(channels.contains(&"999") && channels.contains(&"101"), "{channels:?}");
    assert_eq!(prof["repeat"]["last_7_days"], 2);
    let name =
        prof["identity"].as_array().and_then(|i| i.iter().find(|v| v["field"] == "name")).expect("name");
    assert_eq!(name["value"], "Jane Smith");
    assert_eq!(name["sources"].as_array().map(Vec::len), Some(2), "both contacts gave the name");
    let auto = prof["timeline"]
        .as_array()
        .and_then(|t| t.iter().find(|i| i["link"]["how"] == "auto"))
        .expect("auto link");
    assert!(auto["link"]["weight"].as_f64().is_some_and(|w| w > 0.0));
    assert!(auto["link"]["explanation"]["fields"].is_array(), "the explanation is kept");

    // Every profile view is audited as a consultation by the viewer.
    let q = AuditQuery {
        record_type: Some("person".into()),
        record_id: Some(p.clone()),
        action: Some(AuditAction::Consultation),
        limit: 50,
        ..Default::default()
    };
    let views = app.store.search_audit(&q).await.expect("audit");
    assert!(views.iter().any(|e| e.actor == "dispatcher"), "{views:?}");
    let q = AuditQuery {
        record_id: Some(p.clone()),
        action: Some(AuditAction::Combination),
        limit: 50,
        ..Default::default()
    };
    assert_eq!(
        app.store.search_audit(&q).await.expect("audit").len(),
        2,
        "two links, two combination entries"
    );

    let hits: Value = s.get("/api/v1/persons?q=jane").await.json().await.expect("search");
    assert_eq!(hits[0]["reference"], p.as_str());
}

#[tokio::test]
async fn reviews_are_decided_with_a_reason() {
    let app = TestApp::spawn().await;
    let a = create(&app, contact_body()).await;
    let p = person_of(&app, &a).await["person"]["reference"].as_str().expect("p").to_string();
    let b = create(&app, json!({"channel": "email", "narrative": "follow-up"})).await;
    let cand = ReviewCandidate {
        person: p.clone(),
        weight: 2.0,
        probability: 0.2,
        explanation: json!({"fields": []}),
    };
    let matcher = Actor { username: "linkage.matcher".into(), role: Role::Administrator };
    let r = app.store.queue_link_review(&matcher, &b, vec![cand]).await.expect("queue");
    let view = person_of(&app, &b).await;
    assert_eq!(view["state"], "in_review");
    assert_eq!(view["candidates"][0]["person"], p.as_str());
    assert!(view["candidates"][0]["identity"].is_array());

    let h = app.session(Role::CallHandler).await;
    let list: Value = h.get("/api/v1/link-reviews").await.json().await.expect("list");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let path = format!("/api/v1/link-reviews/{}/decision", r.id);
    let (status, body) =
        problem(h.post_json(&path, json!({"decision": "link", "person": p, "reason": ""})).await).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["field"], "reason");
    let (status, _) =
        problem(h.post_json(&path, json!({"decision": "link", "reason": "same phone"})).await).await;
    assert_eq!(status, 422, "link needs a person");
    let (status, _) =
        problem(h.post_json(&path, json!({"decision": "maybe", "reason": "same phone"})).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        app.store.list_link_reviews("pending", 10).await.expect("pending").len(),
        1,
        "nothing written"
    );
    let res =
        h.post_json(&path, json!({"decision": "link", "person": p, "reason": "caller confirmed DOB"})).await;
    assert_eq!(res.status(), 200);
    let d: Value = res.json().await.expect("json");
    assert_eq!(d["link"]["how"], "manual");
    assert_eq!(d["review"]["decided_by"], "call.handler");
    let (status, _) =
        problem(h.post_json(&path, json!({"decision": "new_person", "reason": "again"})).await).await;
    assert_eq!(status, 409);

    // Undo: the link ends, the contact is left alone.
    let link = d["link"]["id"].as_i64().expect("id");
    let res =
        h.post_json(&format!("/api/v1/person-links/{link}/undo"), json!({"reason": "wrong Jane"})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(person_of(&app, &b).await["state"], "undone");
}

#[tokio::test]
async fn roles_and_bad_input_on_persons() {
    let app = TestApp::spawn().await;
    let a = create(&app, contact_body()).await;
    let p = person_of(&app, &a).await["person"]["reference"].as_str().expect("p").to_string();
    let other = create(&app, json!({"channel": "101", "caller": {"name": "Zed Young", "date_of_birth": "1999-09-09"}, "narrative": "x"})).await;
    let q = person_of(&app, &other).await["person"]["reference"].as_str().expect("q").to_string();
    use Role::*;
    let reads: Vec<(String, Vec<Role>)> = vec![
        (format!("/api/v1/persons/{p}"), vec![CallHandler, Dispatcher, Supervisor, Auditor]),
        (format!("/api/v1/contacts/{a}/person"), vec![CallHandler, Dispatcher, Supervisor, Auditor]),
        ("/api/v1/persons?q=jane".into(), vec![CallHandler, Dispatcher, Supervisor, Auditor]),
        ("/api/v1/persons/stats".into(), vec![Supervisor, Analyst, Administrator]),
        ("/api/v1/link-reviews".into(), vec![CallHandler, Supervisor]),
    ];
    for role in Role::ALL {
        let s = app.session(role).await;
        for (path, allowed) in &reads {
            let status = s.get(path).await.status().as_u16();
            if allowed.contains(&role) {
                assert_eq!(status, 200, "{role} GET {path}");
            } else {
                assert_eq!(status, 403, "{role} must be refused GET {path}");
            }
        }
        // Writes refused to roles without them change nothing.
        let marker = s
            .post_json(&format!("/api/v1/persons/{p}/markers"), json!({"code": "violence", "note": "n"}))
            .await;
        let merge = s
            .post_json(&format!("/api/v1/persons/{p}/merge"), json!({"from": q, "reason": "test merge"}))
            .await;
        if ![CallHandler, Supervisor].contains(&role) {
            assert_eq!(marker.status(), 403, "{role} marker");
        }
        if role != Supervisor {
            assert_eq!(merge.status(), 403, "{role} merge");
        }
    }
    let stats: Value =
        app.session(Analyst).await.get("/api/v1/persons/stats").await.json().await.expect("stats");
    assert!(
        stats.get("persons").is_some() && stats.to_string().find("Jane").is_none(),
        "no personal data: {stats}"
    );
    let prof: Value =
        app.session(Supervisor).await.get(&format!("/api/v1/persons/{p}")).await.json().await.expect("p");
    assert_eq!(prof["timeline"].as_array().map(Vec::len), Some(2), "the supervisor merged Zed in");
    assert_eq!(prof["markers"].as_array().map(Vec::len), Some(2), "handler and supervisor each set one");

    let h = app.session(CallHandler).await;
    let (status, body) = problem(
        h.post_json(&format!("/api/v1/persons/{p}/markers"), json!({"code": "dragons", "note": "n"})).await,
    )
    .await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("code")));
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("officer_safety") && message.contains("adult_at_risk"),
        "lists the codes: {message}"
    );
    let (status, _) = problem(
        h.post_json(
            &format!("/api/v1/persons/{p}/markers"),
            json!({"code": "vulnerable_adult", "note": "n"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "the old enum's codes are no longer accepted");
    let after: Value = h.get(&format!("/api/v1/persons/{p}")).await.json().await.expect("p");
    assert_eq!(after["markers"].as_array().map(Vec::len), Some(2), "nothing written");
    let (status, _) = problem(
        h.post_json(&format!("/api/v1/persons/{p}/markers"), json!({"code": "weapons", "note": "n", "x": 1}))
            .await,
    )
    .await;
    assert_eq!(status, 422, "unknown fields refused");
    let id = prof["markers"][0]["id"].as_i64().expect("marker id");
    let res = h
        .req(Method::DELETE, &format!("/api/v1/persons/{p}/markers/{id}"))
        .json(&json!({"reason": "no"}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 422, "reason too short");
    let res = h
        .req(Method::DELETE, &format!("/api/v1/persons/{p}/markers/{id}"))
        .json(&json!({"reason": "checked, resolved"}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    let keyed = |body: Value| {
        h.req(Method::POST, &format!("/api/v1/persons/{p}/markers"))
            .header("idempotency-key", "m-1")
            .json(&body)
    };
    let body = json!({"code": "mental_health", "note": "said so on the call"});
    let first = keyed(body.clone()).send().await.expect("send");
    assert_eq!(first.status(), 201);
    let retry = keyed(body).send().await.expect("send");
    assert_eq!(retry.status(), 200, "a retry returns the first marker");
    let (a, b): (Value, Value) = (first.json().await.expect("j"), retry.json().await.expect("j"));
    assert_eq!(a["id"], b["id"]);
    let (status, _) =
        problem(keyed(json!({"code": "weapons", "note": "other"})).send().await.expect("send")).await;
    assert_eq!(status, 409, "same key, different body");
    let (status, _) = problem(h.get("/api/v1/persons/P-999999").await).await;
    assert_eq!(status, 404);
    let sup = app.session(Supervisor).await;
    let c0 = prof["timeline"][0]["contact"].as_str().expect("c").to_string();
    let res = sup
        .post_json(
            &format!("/api/v1/persons/{p}/split"),
            json!({"contacts": [c0], "reason": "two different people"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let new: Value = res.json().await.expect("json");
    assert_eq!(new["timeline"].as_array().map(Vec::len), Some(1));
}

/// People's decisions reach the live matcher through the store's change events: after a merge
/// the next contact from the merged-away caller goes to the survivor, and after an undo the
/// contact's details no longer attract matches. No reload is asked for.
#[tokio::test]
async fn merges_and_undos_reach_the_live_matcher() {
    let app = TestApp::spawn().await;
    let tariq = json!({"channel": "101", "caller": {"name": "Tariq Hussain", "date_of_birth": "1951-02-03",
        "phone": "0161 496 0999", "postcode": "ol1 1aa"}, "narrative": "Lost wallet"});
    let x = create(&app, tariq.clone()).await;
    let pt = person_of(&app, &x).await["person"]["reference"].as_str().expect("person").to_string();
    let y = create(&app, contact_body()).await;
    let pj = person_of(&app, &y).await["person"]["reference"].as_str().expect("person").to_string();
    assert_ne!(pt, pj);

    let sup = app.session(Role::Supervisor).await;
    let res = sup
        .post_json(
            &format!("/api/v1/persons/{pj}/merge"),
            json!({"from": pt, "reason": "same family record"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let z = create(&app, tariq.clone()).await;
    let after_merge = person_of(&app, &z).await;
    assert_eq!(after_merge["state"], "linked", "{after_merge}");
    assert_eq!(after_merge["person"]["reference"], pj.as_str(), "the survivor, not the merged-away person");

    // Undo both Tariq links: nothing in the index speaks for Tariq any more.
    for c in [&x, &z] {
        let now = person_of(&app, c).await;
        let link = now["person"]["timeline"]
            .as_array()
            .and_then(|t| t.iter().find(|i| i["link"]["contact"] == c.as_str()))
            .and_then(|i| i["link"]["id"].as_i64())
            .expect("link id");
        let res = sup
            .post_json(&format!("/api/v1/person-links/{link}/undo"), json!({"reason": "wrong person"}))
            .await;
        assert_eq!(res.status(), 200);
    }
    let w = create(&app, tariq).await;
    let fresh = person_of(&app, &w).await;
    assert_eq!(fresh["state"], "linked");
    assert_ne!(fresh["person"]["reference"], pj.as_str(), "undone links no longer attract matches");
    assert_ne!(fresh["person"]["reference"], pt.as_str());
}

/// A surge: contacts from three new callers, interleaved and created together, are matched in
/// rounds (one read and one group commit for many). Each caller still becomes exactly one
/// person, whoever's contact came first in a round, and nobody needs a review.
#[tokio::test]
async fn a_surge_of_new_callers_gives_one_person_each() {
    let app = TestApp::spawn().await;
    let callers = [
        json!({"name": "Amara Okafor", "date_of_birth": "1990-03-14", "phone": "07700 900201", "postcode": "M14 5RB"}),
        json!({"name": "Dylan Price", "date_of_birth": "1972-11-02", "phone": "07700 900202", "postcode": "OL1 1AA"}),
        json!({"name": "Sofia Novak", "date_of_birth": "2001-06-30", "phone": "07700 900203", "postcode": "SK1 3XE"}),
    ];
    let actor = Actor { username: "handler".into(), role: Role::CallHandler };
    let creates =
        (0..30).map(|i| {
            let (store, actor) = (app.store.clone(), actor.clone());
            let input: fc_domain::record::NewContactInput = serde_json::from_value(json!({
                "channel": "101", "caller": callers[i % 3], "narrative": format!("Report {i}"),
            }))
            .expect("input");
            let new = input.validate(chrono::Utc::now()).expect("valid");
            async move {
                store.create_contact(&actor, new, None).await.expect("create").contact.reference.to_string()
            }
        });
    let contacts: Vec<String> = futures::future::join_all(creates).await;

    // The matcher follows the store's events: wait until every contact is linked.
    let mut owners = Vec::new();
    for _ in 0..100 {
        app.persons.flush().await;
        owners.clear();
        for c in &contacts {
            owners.push(app.store.person_of_contact(c).await.expect("read").map(|(p, _)| p.reference));
        }
        if owners.iter().all(Option::is_some) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let owners: Vec<String> = owners.into_iter().map(|o| o.expect("every contact linked")).collect();
    for (i, owner) in owners.iter().enumerate() {
        assert_eq!(owner, &owners[i % 3], "contact {i} belongs with its caller's first contact");
    }
    let distinct: std::collections::HashSet<&String> = owners.iter().collect();
    assert_eq!(distinct.len(), 3, "three callers, three persons: {owners:?}");
    assert!(
        owners.iter().all(|p| p.len() < 12),
        "only real person references, never a provisional id: {owners:?}"
    );
    assert_eq!(app.store.person_stats().await.expect("stats").pending_reviews, 0);
}

/// Matching in rounds decides exactly as matching one contact at a time would: the same callers,
/// some with spelling variants, partial dates of birth or a changed phone, created one by one
/// (matching finished between each) and all at once, fall into the same persons (and anything
/// left for review is left on both sides).
#[tokio::test]
async fn rounds_decide_as_one_at_a_time_would() {
    let people = [
        ("Jonathan Hughes", Some("1979-04-12"), "07700 900301", "M20 2RN"),
        ("Jon Hughes", Some("1979-04-12"), "07700 900301", "M20 2RN"),
        ("Aisha Rahman", Some("1990-11-03"), "07700 900302", "OL9 6QB"),
        ("Aisha Rahman", None, "07700 900302", "OL9 6QB"),
        ("Aysha Rahman", Some("1990-11-03"), "07700 900399", "OL9 6QB"),
        ("Peter Walsh", Some("1956-01-30"), "07700 900303", "SK4 1AA"),
        ("Pete Walsh", Some("1956"), "07700 900303", "SK4 1AA"),
        ("Maria Lopez", Some("2002-08-08"), "07700 900304", "M14 5RB"),
        ("Mario Lopez", Some("2002-08-08"), "07700 900304", "M14 5RB"),
        ("Grace Okoro", Some("1968-02-14"), "07700 900305", "BL1 1AA"),
        ("Grace Okoro", Some("1971-09-01"), "07700 900388", "BL1 1AA"),
        ("Jonathan Hughes", None, "07700 900377", "M20 2RN"),
    ];
    let contacts: Vec<Value> = (0..40)
        .map(|i| {
            let (name, dob, phone, postcode) = people[(i * 5) % people.len()];
            json!({"channel": "101", "narrative": format!("Report {i}"),
                "caller": {"name": name, "date_of_birth": dob, "phone": phone, "postcode": postcode}})
        })
        .collect();
    let actor = Actor { username: "handler".into(), role: Role::CallHandler };
    let new = |body: &Value| {
        let input: fc_domain::record::NewContactInput = serde_json::from_value(body.clone()).expect("input");
        input.validate(chrono::Utc::now()).expect("valid")
    };

    // What each contact ended as: the index of the first contact of its person, or its state.
    async fn outcomes(app: &TestApp, refs: &[String]) -> Vec<String> {
        let mut first_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut out = Vec::new();
        for (i, r) in refs.iter().enumerate() {
            let state = app.store.link_state(r).await.expect("state");
            out.push(match app.store.person_of_contact(r).await.expect("read") {
                Some((p, _)) => format!("person of contact {}", first_of.entry(p.reference).or_insert(i)),
                None => format!("{state:?}"),
            });
        }
        out
    }

    let one_by_one = TestApp::spawn().await;
    let mut refs = Vec::new();
    for body in &contacts {
        let c = one_by_one.store.create_contact(&actor, new(body), None).await.expect("create");
        refs.push(c.contact.reference.to_string());
        one_by_one.persons.enqueue(&refs[refs.len() - 1]);
        one_by_one.persons.flush().await;
    }

    let at_once = TestApp::spawn().await;
    let made =
        futures::future::join_all(contacts.iter().map(|body| {
            let (store, actor, new) = (at_once.store.clone(), actor.clone(), new(body));
            async move {
                store.create_contact(&actor, new, None).await.expect("create").contact.reference.to_string()
            }
        }))
        .await;
    // Contacts created together get references in the order the writer took them: compare in
    // creation order on both sides.
    let mut made_sorted = made.clone();
    made_sorted.sort();
    let order: Vec<usize> =
        made_sorted.iter().map(|r| made.iter().position(|m| m == r).expect("made")).collect();
    for r in &made_sorted {
        at_once.persons.enqueue(r);
    }
    at_once.persons.flush().await;
    let got = outcomes(&at_once, &made_sorted).await;
    // The one-by-one outcomes read in the same order, so "first contact of its person" means the same.
    let same_order: Vec<String> = order.iter().map(|&i| refs[i].clone()).collect();
    assert_eq!(got, outcomes(&one_by_one, &same_order).await, "rounds and one-at-a-time matching disagree");
    assert!(got.iter().any(|o| o.starts_with("person")), "{got:?}");
}
