//! The command-and-control pages over HTTP: raising an incident from the contact screen, the
//! dispatcher's board with its offline SVG map, assigning a recommended unit, and role refusals.

use super::{TestUi, hidden};
use fc_domain::{Actor, UnitStatus};

fn contact() -> fc_domain::NewContact {
    let input: fc_domain::record::NewContactInput = serde_json::from_value(serde_json::json!({
        "channel": "999", "narrative": "There's been a crash, car overturned",
        "location": {"lat": 53.48, "lon": -2.24, "radius_m": 20.0}, "location_text": "Oxford Road"
    }))
    .expect("shape");
    input.validate(chrono::Utc::now()).expect("valid")
}

#[tokio::test]
async fn raise_from_a_contact_then_dispatch_from_the_board() {
    let ui = TestUi::start().await;
    let store = &ui.store;
    let c = store
        .create_contact(&Actor::system(), contact(), None)
        .await
        .expect("contact")
        .contact
        .reference
        .to_string();
    let unit: fc_domain::unit::NewUnitInput = serde_json::from_value(serde_json::json!({
        "call_sign": "MC21", "unit_type": "roads_policing", "home_station": "Longsight",
        "position": {"lat": 53.47, "lon": -2.23}, "status": "available"
    }))
    .expect("shape");
    store.create_unit(&Actor::system(), unit.validate().expect("valid")).await.expect("unit");

    let client = ui.client();
    ui.sign_in(&client, "super").await;
    let (status, page) = ui.get(&client, &format!("/contacts/{c}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Raise an incident") && page.contains("value=\"TRN-RTC-INJURY\" selected"),
        "the category is hinted"
    );
    let csrf = hidden(&page, "_csrf");
    let (status, location, _) = ui
        .post(
            &client,
            &format!("/contacts/{c}/raise-incident"),
            &[
                ("_csrf", &csrf),
                ("category", "TRN-RTC-INJURY"),
                ("grade", "1"),
                ("summary", "Car overturned"),
                ("thrive", ""),
                ("qualifiers", "alcohol"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let reference = location.trim_start_matches("/incidents/").to_string();
    assert_eq!(store.incident_contacts(&reference).await.expect("contacts"), vec![c.clone()]);

    let (status, board) = ui.get(&client, "/dispatch").await;
    assert_eq!(status, 200);
    assert!(
        board.contains(&reference) && board.contains("<svg") && board.contains("class=\"area\""),
        "listed and mapped"
    );
    let (_, incident) = ui.get(&client, &location).await;
    assert!(incident.contains("Assign MC21"), "the unit is recommended");
    let (status, _, _) = ui
        .post(
            &client,
            &format!("{location}/act"),
            &[("_csrf", &csrf), ("action", "assign"), ("call_sign", "MC21")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(store.get_unit("MC21").await.expect("unit").status, UnitStatus::Assigned);
    // Assigning again is refused on the page, and nothing changes.
    let (status, _, body) = ui
        .post(
            &client,
            &format!("{location}/act"),
            &[("_csrf", &csrf), ("action", "assign"), ("call_sign", "MC21")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("That action was not carried out"));
    let (status, _, _) = ui
        .post(
            &client,
            &format!("{location}/act"),
            &[("_csrf", "forged"), ("action", "remark"), ("text", "x")],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(
        store.incident_log(&reference).await.expect("log").len(),
        3,
        "created, contact linked, unit assigned"
    );
}

#[tokio::test]
async fn auditors_cannot_see_dispatch_and_handlers_cannot_act() {
    let ui = TestUi::start().await;
    let auditor = ui.client();
    ui.sign_in(&auditor, "auditor").await;
    assert_eq!(ui.get(&auditor, "/dispatch").await.0, 403);
    let handler = ui.client();
    ui.sign_in(&handler, "handler").await;
    assert_eq!(ui.get(&handler, "/dispatch").await.0, 200);
    let (status, _, _) =
        ui.post(&handler, "/incidents/INC-20260101-0001/act", &[("_csrf", "x"), ("action", "remark")]).await;
    assert_eq!(status, 403);
}
