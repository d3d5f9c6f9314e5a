use crate::app::TestApp;
use serde_json::Value;

#[tokio::test]
async fn the_document_describes_the_api() {
    let app = TestApp::spawn().await;
    let doc = app.openapi().await;
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

/// Every `$ref` in the document points at a schema it defines, so generated clients build: a
/// type used in a response but never registered would leave a dangling reference.
#[tokio::test]
async fn every_schema_reference_resolves() {
    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r);
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let app = TestApp::spawn().await;
    let doc = app.openapi().await;
    for path in ["/api/v1/wellbeing", "/api/v1/wellbeing/me", "/api/v1/wellbeing/{username}/check-ins"] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.iter().any(|r| r.ends_with("/HandlerWellbeing")), "the wellbeing view is described");
    let mut dangling: Vec<&str> = all
        .into_iter()
        .filter(|r| {
            r.strip_prefix("#/components/schemas/")
                .is_none_or(|name| doc["components"]["schemas"].get(name).is_none())
        })
        .collect();
    dangling.sort_unstable();
    dangling.dedup();
    assert!(dangling.is_empty(), "references that do not resolve: {dangling:?}");
}
