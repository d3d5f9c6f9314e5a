use crate::app::{TestApp, contact_body, problem};
use fc_domain::Role;
use serde_json::Value;

#[tokio::test]
async fn views_are_audited_and_auditors_must_justify_searches() {
    let app = TestApp::spawn().await;
    let handler = app.session(Role::CallHandler).await;
    let c: Value = handler.post_json("/api/v1/contacts", contact_body()).await.json().await.expect("json");
    let r = c["reference"].as_str().expect("ref");
    let dispatcher = app.session(Role::Dispatcher).await;
    assert_eq!(dispatcher.get(&format!("/api/v1/contacts/{r}")).await.status(), 200);

    let auditor = app.session(Role::Auditor).await;
    assert_eq!(problem(auditor.get("/api/v1/audit").await).await.0, 422, "a justification is required");
    let found: Value = auditor
        .get(&format!("/api/v1/audit?record_id={r}&justification=complaint%20ref%2042"))
        .await
        .json()
        .await
        .expect("json");
    let entries = found.as_array().expect("array");
    let summary: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (e["action"].as_str().unwrap_or("").to_string(), e["actor"].as_str().unwrap_or("").to_string())
        })
        .collect();
    assert_eq!(
        summary,
        vec![("consultation".into(), "dispatcher".into()), ("collection".into(), "call.handler".into())]
    );
    let search_logged = app
        .store
        .search_audit(&fc_store::audit::AuditQuery {
            record_type: Some("audit_log".into()),
            limit: 5,
            ..Default::default()
        })
        .await
        .expect("search");
    assert_eq!(search_logged[0].justification.as_deref(), Some("complaint ref 42"));
    let verify: Value = auditor.get("/api/v1/audit/verify").await.json().await.expect("json");
    assert_eq!(verify["intact"], true);
}
