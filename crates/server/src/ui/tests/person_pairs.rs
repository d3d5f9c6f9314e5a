//! The possible-same-person page: two persons side by side, decided from the form.

use super::{TestUi, hidden};
use fc_domain::{Actor, Role};
use fc_store::persons::NewPair;

fn contact(name: &str, born: &str) -> fc_domain::NewContact {
    let input: fc_domain::record::NewContactInput = serde_json::from_value(serde_json::json!({
        "channel": "101",
        "caller": {"name": name, "date_of_birth": born, "postcode": "m1 1ae"},
        "narrative": "Neighbours shouting"
    }))
    .expect("input");
    input.validate(chrono::Utc::now()).expect("valid")
}

#[tokio::test]
async fn supervisors_see_both_persons_and_decide() {
    let ui = TestUi::start().await;
    let handler = Actor { username: "handler".into(), role: Role::CallHandler };
    let mut persons = Vec::new();
    for (name, born) in [("Jane Smith", "1984-07-09"), ("Tom Brown", "1950-01-30")] {
        let c = ui.store.create_contact(&handler, contact(name, born), None).await.expect("create");
        let reference = c.contact.reference.to_string();
        ui.persons.enqueue(&reference);
        ui.persons.flush().await;
        let (p, _) = ui.store.person_of_contact(&reference).await.expect("read").expect("linked");
        persons.push(p.reference);
    }
    let pair = NewPair {
        a: persons[0].clone(),
        b: persons[1].clone(),
        weight: 12.0,
        source: "batch",
        evidence: serde_json::json!({"held_by": "anti-chaining guard", "contacts": [], "explanation": {"fields": []}}),
    };
    ui.store.queue_pair_reviews(&handler, vec![pair]).await.expect("queue");

    let c = ui.client();
    ui.sign_in(&c, "handler").await;
    let (status, _) = ui.get(&c, "/person-pairs").await;
    assert_eq!(status, 403, "only those who may merge");

    let s = ui.client();
    ui.sign_in(&s, "super").await;
    let (status, body) = ui.get(&s, "/person-pairs").await;
    assert_eq!(status, 200);
    assert!(body.contains("Jane Smith") && body.contains("Tom Brown"), "both sides shown");
    assert!(body.contains("held back by the anti-chaining guard"));
    assert!(body.contains(r#"data-key="a""#) && body.contains(r#"data-key="k""#), "keyboard choices");
    let csrf = hidden(&body, "_csrf");
    let id = ui.store.list_pair_reviews("pending", 10).await.expect("list")[0].id;
    let path = format!("/person-pairs/{id}/decision");
    let (status, _, _) = ui.post(&s, &path, &[("_csrf", &csrf), ("choice", "apart"), ("reason", "")]).await;
    assert_eq!(status, 422, "a reason is required");
    let form = [("_csrf", csrf.as_str()), ("choice", "apart"), ("reason", "different people")];
    let (status, _, page) = ui.post(&s, "/person-pairs/abc/decision", &form).await;
    assert_eq!(status, 400, "not a pair number");
    assert!(page.contains("<html") && page.contains("abc"), "the UI's own error page: {page}");
    let (status, loc, _) =
        ui.post(&s, &path, &[("_csrf", &csrf), ("choice", "apart"), ("reason", "different people")]).await;
    assert_eq!((status, loc.as_str()), (303, "/person-pairs"));
    let kept = ui.store.list_pair_reviews("kept_apart", 10).await.expect("list");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].decided_by.as_deref(), Some("super"));
    let (_, body) = ui.get(&s, "/person-pairs").await;
    assert!(body.contains("Nothing waiting."));
}
