//! `/api/v1/contacts/{ref}/assessment`, `/grade`, `/thrive`, `/questionnaires`, `/markers`, and the
//! supervisors' `/overrides` and `/referrals`.

mod assessment;
mod grade;
mod markers;
mod questionnaires;
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
