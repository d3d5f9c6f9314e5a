//! The single citizen view pages: profile, the person panel on the contact screen, markers, and
//! deciding a review from the queue page.

use super::{TestUi, hidden};
use fc_domain::{Actor, Role};
use fc_store::persons::ReviewCandidate;

fn new_contact(channel: &str) -> fc_domain::NewContact {
    let input: fc_domain::record::NewContactInput = serde_json::from_value(serde_json::json!({
        "channel": channel,
        "caller": {"name": "Jane Smith", "date_of_birth": "1984-07-09", "postcode": "m1 1ae", "phone": "07700 900123"},
        "narrative": "Neighbours shouting"
    }))
    .expect("input");
    input.validate(chrono::Utc::now()).expect("valid")
}

#[tokio::test]
async fn profile_panel_markers_and_review_decisions() {
    let ui = TestUi::start().await;
    let handler = Actor { username: "handler".into(), role: Role::CallHandler };
    let mut refs = Vec::new();
    for ch in ["999", "webchat"] {
        let c = ui.store.create_contact(&handler, new_contact(ch), None).await.expect("create");
        refs.push(c.contact.reference.to_string());
        ui.persons.enqueue(&refs[refs.len() - 1]);
    }
    ui.persons.flush().await;
    let (person, _) = ui.store.person_of_contact(&refs[1]).await.expect("read").expect("linked");

    let c = ui.client();
    ui.sign_in(&c, "handler").await;
    let (status, body) = ui.get(&c, &format!("/contacts/{}", refs[1])).await;
    assert_eq!(status, 200);
    assert!(body.contains("Caller as a person") && body.contains(&person.reference), "panel shown");
    assert!(body.contains("2</strong> in 7 days"), "repeat count on the live contact");
    assert!(body.contains("Known caller"), "banner at the top");

    let (status, body) = ui.get(&c, &format!("/persons/{}", person.reference)).await;
    assert_eq!(status, 200);
    assert!(body.contains("Timeline across channels"));
    assert!(body.contains("ch-999") && body.contains("ch-webchat"), "channel badges");
    assert!(body.contains("Jane Smith") && body.contains(&refs[0]), "identity with its sources");
    let csrf = hidden(&body, "_csrf");
    let path = format!("/persons/{}/markers", person.reference);
    let (status, loc, _) =
        ui.post(&c, &path, &[("_csrf", &csrf), ("code", "weapons"), ("note", "knife seen")]).await;
    assert_eq!((status, loc.as_str()), (303, path.trim_end_matches("/markers")));
    let (_, body) = ui.get(&c, &format!("/persons/{}", person.reference)).await;
    assert!(
        body.contains("Warning: weapons") && body.contains("knife seen") && body.contains("set by handler")
    );
    assert!(body.contains("<optgroup label=\"Warnings"), "the select is built from the force's list");
    let (status, _, _) = ui.post(&c, &path, &[("_csrf", &csrf), ("code", "dragons"), ("note", "n")]).await;
    assert_eq!(status, 422, "a code outside the list is refused");

    // Clearing it: a form per active marker, reason required, CSRF checked, logged.
    let rec = ui.store.view_person(&handler, &person.reference, "test").await.expect("person");
    let id = rec.markers.iter().find(|m| m.code == "weapons").map(|m| m.id).expect("marker");
    let clear = format!("/persons/{}/markers/{id}/clear", person.reference);
    assert!(body.contains(&format!("action=\"{clear}\"")), "a clear form on the profile");
    let (status, _, _) = ui.post(&c, &clear, &[("_csrf", "forged"), ("reason", "knife was a phone")]).await;
    assert_eq!(status, 403, "CSRF");
    let (status, _, _) = ui.post(&c, &clear, &[("_csrf", &csrf), ("reason", "")]).await;
    assert_eq!(status, 422, "a reason is required");
    let (status, _, _) = ui.post(&c, &clear, &[("_csrf", &csrf), ("reason", "knife was a phone")]).await;
    assert_eq!(status, 303);
    let rec = ui.store.view_person(&handler, &person.reference, "test").await.expect("person");
    let m = rec.markers.iter().find(|m| m.id == id).expect("kept on record");
    assert_eq!(
        (m.cleared_by.as_deref(), m.cleared_reason.as_deref()),
        (Some("handler"), Some("knife was a phone"))
    );
    let (_, body) = ui.get(&c, &format!("/persons/{}", person.reference)).await;
    assert!(body.contains("Cleared markers") && !body.contains(&format!("action=\"{clear}\"")));

    // A review, decided from the queue page.
    let mut anon = new_contact("email");
    anon.caller = fc_domain::CallerDetails::default();
    let third = ui.store.create_contact(&handler, anon, None).await.expect("c").contact.reference.to_string();
    let cand = ReviewCandidate {
        person: person.reference.clone(),
        weight: 1.0,
        probability: 0.3,
        explanation: serde_json::json!({"fields": []}),
    };
    let r = ui.store.queue_link_review(&handler, &third, vec![cand]).await.expect("queue");
    let (status, body) = ui.get(&c, "/link-reviews").await;
    assert_eq!(status, 200);
    assert!(
        body.contains(&third) && body.contains("data-key=\"1\"") && body.contains("data-key=\"r\""),
        "{body}"
    );
    let dpath = format!("/link-reviews/{}/decision", r.id);
    let (status, _, _) =
        ui.post(&c, &dpath, &[("_csrf", &csrf), ("choice", &person.reference), ("reason", "")]).await;
    assert_eq!(status, 422, "a reason is required");
    let (status, _, _) = ui
        .post(&c, &dpath, &[("_csrf", &csrf), ("choice", &person.reference), ("reason", "same DOB, phone")])
        .await;
    assert_eq!(status, 303);
    let decided = ui.store.get_link_review(r.id).await.expect("review");
    assert_eq!(decided.decided_by.as_deref(), Some("handler"));

    // A supervisor splits the email contact off, then merges it back; the handler undoes a link.
    let s = ui.client();
    ui.sign_in(&s, "super").await;
    let (_, body) = ui.get(&s, &format!("/persons/{}", person.reference)).await;
    assert!(body.contains("Merge or split (supervisors)"));
    let scsrf = hidden(&body, "_csrf");
    let split = format!("/persons/{}/split", person.reference);
    let (status, _, _) = ui.post(&s, &split, &[("_csrf", &scsrf), ("contact", &third), ("reason", "")]).await;
    assert_eq!(status, 422, "reason required");
    let (status, loc, _) =
        ui.post(&s, &split, &[("_csrf", &scsrf), ("contact", &third), ("reason", "not her")]).await;
    assert_eq!(status, 303);
    let new_ref = loc.trim_start_matches("/persons/").to_string();
    assert_ne!(new_ref, person.reference);
    let merge = format!("/persons/{}/merge", person.reference);
    let (status, _, _) =
        ui.post(&s, &merge, &[("_csrf", &scsrf), ("from", &new_ref), ("reason", "it was her")]).await;
    assert_eq!(status, 303);
    assert_eq!(
        ui.store.get_person(&new_ref).await.expect("p").merged_into.as_deref(),
        Some(person.reference.as_str())
    );
    let (_, body) = ui.get(&c, &format!("/persons/{}", person.reference)).await;
    assert!(!body.contains("Merge or split (supervisors)"), "handlers do not merge");
    let (link, _) =
        ui.store.person_of_contact(&refs[0]).await.expect("r").map(|(_, l)| (l, ())).expect("linked");
    let (status, _, _) = ui
        .post(&c, &format!("/person-links/{}/undo", link.id), &[("_csrf", &csrf), ("reason", "wrong Jane")])
        .await;
    assert_eq!(status, 303);
    assert!(ui.store.person_of_contact(&refs[0]).await.expect("r").is_none(), "unlinked");
    let (status, _, _) =
        ui.post(&c, &merge, &[("_csrf", &csrf), ("from", &new_ref), ("reason", "again")]).await;
    assert_eq!(status, 403);

    let a = ui.client();
    ui.sign_in(&a, "auditor").await;
    let (status, _) = ui.get(&a, "/link-reviews").await;
    assert_eq!(status, 403, "auditors read, they do not decide");
}
