//! `/api/v1/contacts/{ref}/assessment`, `/grade`, `/thrive`, `/questionnaires`, `/markers`, and the
//! supervisors' `/overrides` and `/referrals`.

mod assessment;
mod grade;
mod markers;
mod questionnaires;
mod referrals;
mod thrive;

use crate::app::{Session, TestApp};
use serde_json::{Value, json};

/// Creates a contact as `s` and returns its reference.
pub async fn contact(s: &Session, body: Value) -> String {
    let res = s.post_json("/api/v1/contacts", body).await;
    assert_eq!(res.status(), 201);
    let c: Value = res.json().await.expect("json");
    c["reference"].as_str().expect("reference").to_string()
}

/// A 999 call about domestic abuse from Ann's phone, `hours_ago` hours ago.
pub fn da_call(hours_ago: i64) -> Value {
    let at = chrono::Utc::now() - chrono::Duration::hours(hours_ago);
    json!({
        "channel": "999",
        "offered_at": at.to_rfc3339(),
        "caller": {"name": "Ann Lee", "phone": "07700 900123", "date_of_birth": "1990-04-02"},
        "narrative": "Her ex partner is hitting her and has a knife"
    })
}

/// How many entries the contact's log holds.
pub async fn log_len(app: &TestApp, reference: &str) -> usize {
    app.store.contact_log(reference).await.expect("log").len()
}

#[tokio::test]
async fn the_openapi_document_describes_every_triage_route() {
    let app = TestApp::spawn().await;
    let doc = app.openapi().await;
    for (path, method) in [
        ("/api/v1/contacts/{reference}/assessment", "get"),
        ("/api/v1/contacts/{reference}/grade", "post"),
        ("/api/v1/overrides", "get"),
        ("/api/v1/contacts/{reference}/thrive", "get"),
        ("/api/v1/contacts/{reference}/thrive", "post"),
        ("/api/v1/contacts/{reference}/questionnaires", "get"),
        ("/api/v1/contacts/{reference}/questionnaires/{id}", "post"),
        ("/api/v1/questionnaires/{id}", "get"),
        ("/api/v1/referrals", "get"),
        ("/api/v1/contacts/{reference}/markers", "get"),
        ("/api/v1/contacts/{reference}/markers", "post"),
        ("/api/v1/contacts/{reference}/markers/{code}", "delete"),
        ("/api/v1/referrals/{id}", "get"),
        ("/api/v1/referrals/{id}/transitions", "post"),
        ("/api/v1/markers", "get"),
    ] {
        assert!(doc["paths"][path].get(method).is_some(), "{method} {path} missing");
    }
    for s in [
        "GradeInput",
        "Graded",
        "ThriveInput",
        "AnswersInput",
        "ReferralList",
        "OverrideList",
        "Markers",
        "ReferralTransitionInput",
    ] {
        assert!(doc["components"]["schemas"].get(s).is_some(), "schema {s} missing");
    }
}
