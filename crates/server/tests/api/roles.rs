//! Each role's boundaries, route by route.

use crate::app::{TestApp, contact_body};
use fc_domain::Role;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn every_role_sees_only_what_it_should() {
    let app = TestApp::spawn().await;
    let handler = app.session(Role::CallHandler).await;
    let c: Value = handler.post_json("/api/v1/contacts", contact_body()).await.json().await.expect("json");
    let r = c["reference"].as_str().expect("ref").to_string();

    // (method, path, body, roles allowed)
    use Role::*;
    let routes: Vec<(Method, String, Option<Value>, Vec<Role>)> = vec![
        (Method::GET, "/api/v1/contacts".into(), None, vec![CallHandler, Dispatcher, Supervisor]),
        (Method::GET, format!("/api/v1/contacts/{r}"), None, vec![CallHandler, Dispatcher, Supervisor]),
        (Method::GET, format!("/api/v1/contacts/{r}/log"), None, vec![CallHandler, Dispatcher, Supervisor]),
        (Method::POST, "/api/v1/contacts".into(), Some(contact_body()), vec![CallHandler, Supervisor]),
        (
            Method::POST,
            format!("/api/v1/contacts/{r}/notes"),
            Some(json!({"text": "n"})),
            vec![CallHandler, Supervisor],
        ),
        (Method::GET, "/api/v1/queue".into(), None, vec![CallHandler, Dispatcher, Supervisor]),
        (Method::GET, "/api/v1/users".into(), None, vec![Administrator]),
        (Method::GET, "/api/v1/audit?justification=test".into(), None, vec![Auditor, Administrator]),
        (Method::GET, "/api/v1/audit/verify".into(), None, vec![Auditor, Administrator]),
        (Method::GET, "/api/v1/session".into(), None, Role::ALL.to_vec()),
    ];
    for role in Role::ALL {
        let s = app.session(role).await;
        s.assert_boundaries(role, &routes).await;
    }
    // Refused writes changed nothing: only the handler's first contact and the supervisor's.
    assert_eq!(app.store.count_contacts().await.expect("count"), 3);
}
