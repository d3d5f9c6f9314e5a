use crate::app::TestApp;
use serde_json::Value;

#[tokio::test]
async fn the_document_describes_the_api() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .anonymous()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    for path in [
        "/api/v1/contacts",
        "/api/v1/contacts/{reference}",
        "/api/v1/contacts/{reference}/transitions",
        "/api/v1/queue",
        "/api/v1/session",
        "/api/v1/users",
        "/api/v1/audit",
        "/api/v1/events",
        "/api/v1/incidents",
        "/api/v1/incidents/{reference}/assignments",
        "/api/v1/contacts/{reference}/duplicate-incidents",
        "/api/v1/units/{call_sign}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    let schemas = &doc["components"]["schemas"];
    for s in ["Contact", "NewContactInput", "Problem", "FieldError", "Channel", "ContactStatus"] {
        assert!(schemas.get(s).is_some(), "schema {s} missing");
    }
    let health: Value =
        app.anonymous().get(app.url("/health")).send().await.expect("get").json().await.expect("json");
    assert_eq!(health["status"], "ok");
    assert_eq!(app.anonymous().get(app.url("/ready")).send().await.expect("get").status(), 200);
}
