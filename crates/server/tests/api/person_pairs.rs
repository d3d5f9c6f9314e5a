//! Possible same person over HTTP: a contact that matches two persons strongly is not linked to
//! either but reviewed, and the two persons are queued as a pair a supervisor merges or keeps apart.

use crate::app::{TestApp, contact_body, problem};
use crate::persons::{create, person_of};
use fc_domain::Role;
use serde_json::{Value, json};

#[tokio::test]
async fn a_contact_matching_two_persons_is_reviewed_and_the_pair_decided() {
    let app = TestApp::spawn().await;
    // One caller recorded twice: the second contact split off into a person of its own.
    let x = create(&app, contact_body()).await;
    let p1 = person_of(&app, &x).await["person"]["reference"].as_str().expect("p1").to_string();
    let y = create(&app, contact_body()).await;
    assert_eq!(person_of(&app, &y).await["person"]["reference"], p1.as_str());
    let sup = app.session(Role::Supervisor).await;
    let res = sup
        .post_json(
            &format!("/api/v1/persons/{p1}/split"),
            json!({"contacts": [y], "reason": "recorded twice"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let p2 = person_of(&app, &y).await["person"]["reference"].as_str().expect("p2").to_string();
    assert_ne!(p1, p2);

    // The same caller again: both persons match above the link threshold.
    let z = create(&app, contact_body()).await;
    let state = person_of(&app, &z).await;
    assert_eq!(state["state"], "in_review", "not linked to either by guesswork: {state}");
    let pairs: Vec<Value> = sup.get("/api/v1/person-pair-reviews").await.json().await.expect("pairs");
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let pair = &pairs[0];
    let mut both = [pair["person_a"].as_str().expect("a"), pair["person_b"].as_str().expect("b")];
    both.sort_unstable();
    let mut expected = [p1.as_str(), p2.as_str()];
    expected.sort_unstable();
    assert_eq!(both, expected);
    assert_eq!(
        (pair["source"].as_str(), pair["evidence"]["contact"].as_str()),
        (Some("realtime"), Some(z.as_str()))
    );
    let id = pair["id"].as_i64().expect("id");
    let path = format!("/api/v1/person-pair-reviews/{id}/decision");

    // Handlers may read the queue but not merge; bad input changes nothing.
    let handler = app.session(Role::CallHandler).await;
    assert_eq!(handler.get("/api/v1/person-pair-reviews").await.status(), 200);
    let res = handler.post_json(&path, json!({"decision": "keep_apart", "reason": "two people"})).await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.session(Role::Analyst).await.get("/api/v1/person-pair-reviews").await.status(), 403);
    let (status, body) =
        problem(sup.post_json(&path, json!({"decision": "merge", "reason": "same DOB"})).await).await;
    assert_eq!(status, 422, "{body}");
    let (status, _) =
        problem(sup.post_json(&path, json!({"decision": "fuse", "reason": "same DOB"})).await).await;
    assert_eq!(status, 422);
    let (status, _) = problem(
        sup.post_json(&path, json!({"decision": "keep_apart", "reason": "two people", "extra": 1})).await,
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = problem(sup.get("/api/v1/person-pair-reviews?status=maybe").await).await;
    assert_eq!(status, 422);

    let merge = json!({"decision": "merge", "survivor": p1, "reason": "same caller recorded twice"});
    let res = sup.post_json(&path, merge.clone()).await;
    assert_eq!(res.status(), 200);
    let done: Value = res.json().await.expect("json");
    assert_eq!(done["review"]["status"], "merged");
    assert_eq!(done["survivor"]["reference"], p1.as_str());
    assert_eq!(person_of(&app, &y).await["person"]["reference"], p1.as_str(), "the split contact came back");
    // A retried request answers like the first; a different decision conflicts.
    assert_eq!(sup.post_json(&path, merge).await.status(), 200);
    let (status, _) =
        problem(sup.post_json(&path, json!({"decision": "keep_apart", "reason": "changed my mind"})).await)
            .await;
    assert_eq!(status, 409);
    let merged: Vec<Value> =
        sup.get("/api/v1/person-pair-reviews?status=merged").await.json().await.expect("merged");
    assert_eq!(merged.len(), 1);
}
