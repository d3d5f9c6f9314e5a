use crate::harness::{TestStore, handler, new_contact};
use fc_domain::incident::{CategoryList, IncidentClose, IncidentResult, NewIncidentInput, PersonRole};
use fc_domain::unit::{NewUnitInput, UnitPatchInput};
use fc_domain::{Actor, Grade, IncidentStatus, Role, UnitStatus};
use fc_store::StoreError;
use fc_store::audit::{AuditAction, AuditQuery};
use fc_store::contacts::Idempotency;
use fc_store::incidents::IncidentFilter;

crate::contract!(
    raise_from_contacts_logs_links_and_audits,
    a_missing_contact_refuses_the_whole_raise,
    raising_is_idempotent,
    lifecycle_close_and_reopen_are_enforced_and_logged,
    units_are_assigned_arrive_and_clear,
    illegal_unit_moves_change_nothing,
    links_to_contacts_incidents_and_persons,
    list_orders_by_grade_then_age_and_pages,
    incidents_near_a_place_nearest_first,
    an_incident_without_a_radius_then_one_with_one,
);

fn dispatcher() -> Actor {
    Actor { username: "d.patel".into(), role: Role::Dispatcher }
}

fn new_incident(contacts: &[String], grade: u8) -> fc_domain::incident::NewIncident {
    let input: NewIncidentInput = serde_json::from_value(serde_json::json!({
        "contacts": contacts, "category": "TRN-RTC-INJURY", "grade": grade, "qualifiers": ["alcohol"],
        "location_text": "A6 Stockport Road", "location": {"lat": 53.4600, "lon": -2.2100},
        "summary": "Two cars, one overturned", "thrive": "Threat: injured driver trapped"
    }))
    .expect("shape");
    input.validate(&CategoryList::builtin()).expect("valid")
}

fn unit(call_sign: &str) -> fc_domain::unit::NewUnit {
    let input: NewUnitInput = serde_json::from_value(serde_json::json!({
        "call_sign": call_sign, "unit_type": "response", "skills": ["taser"], "home_station": "Longsight",
        "position": {"lat": 53.4570, "lon": -2.1990}, "status": "available"
    }))
    .expect("shape");
    input.validate().expect("valid")
}

fn status(s: UnitStatus) -> fc_domain::unit::UnitPatch {
    UnitPatchInput { status: Some(s), ..Default::default() }.validate(chrono::Utc::now()).expect("valid")
}

async fn contact(t: &TestStore) -> String {
    t.store
        .create_contact(&handler(), new_contact("999", "Ann Lee"), None)
        .await
        .expect("contact")
        .contact
        .reference
        .to_string()
}

async fn raise_from_contacts_logs_links_and_audits(t: TestStore) {
    let s = &t.store;
    let (a, b) = (contact(&t).await, contact(&t).await);
    let created =
        s.create_incident(&handler(), new_incident(&[a.clone(), b.clone()], 1), None).await.expect("raise");
    let i = created.incident;
    assert!(i.reference.to_string().starts_with("INC-"));
    assert_eq!((i.status, i.version, i.grade), (IncidentStatus::Open, 1, Grade::Emergency));
    let r = i.reference.to_string();
    assert_eq!(s.get_incident(&r).await.expect("read"), i, "what was acknowledged is what is stored");
    assert_eq!(s.incident_contacts(&r).await.expect("contacts"), vec![a.clone(), b]);
    assert_eq!(s.incidents_for_contact(&a).await.expect("back"), vec![r.clone()]);
    let kinds: Vec<String> = s.incident_log(&r).await.expect("log").into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["created", "contact_linked", "contact_linked"]);
    let audit = s
        .search_audit(&AuditQuery { record_id: Some(r.clone()), limit: 10, ..Default::default() })
        .await
        .expect("audit");
    assert_eq!(audit.iter().map(|e| e.action).collect::<Vec<_>>(), [AuditAction::Combination]);
}

async fn a_missing_contact_refuses_the_whole_raise(t: TestStore) {
    let s = &t.store;
    let a = contact(&t).await;
    let err = s.create_incident(&handler(), new_incident(&[a, "FC-20200101-000009".into()], 1), None).await;
    match err {
        Err(StoreError::Invalid(e)) => assert_eq!(e[0].field, "contacts[1]"),
        other => panic!("expected a field error, got {other:?}"),
    }
    let page = s.list_incidents(&IncidentFilter { limit: 10, ..Default::default() }).await.expect("list");
    assert!(page.items.is_empty(), "nothing written");
}

async fn raising_is_idempotent(t: TestStore) {
    let s = &t.store;
    let key = |fp: &str| Some(Idempotency { key: "inc-1".into(), fingerprint: fp.into() });
    let a = s.create_incident(&handler(), new_incident(&[], 2), key("x")).await.expect("first");
    let b = s.create_incident(&handler(), new_incident(&[], 2), key("x")).await.expect("retry");
    assert!(b.replayed);
    assert_eq!(a.incident.reference, b.incident.reference);
    assert!(matches!(
        s.create_incident(&handler(), new_incident(&[], 2), key("y")).await,
        Err(StoreError::Conflict(_))
    ));
    let page = s.list_incidents(&IncidentFilter { limit: 10, ..Default::default() }).await.expect("list");
    assert_eq!(page.items.len(), 1);
}

async fn lifecycle_close_and_reopen_are_enforced_and_logged(t: TestStore) {
    let s = &t.store;
    let r = s
        .create_incident(&handler(), new_incident(&[], 1), None)
        .await
        .expect("raise")
        .incident
        .reference
        .to_string();
    let refused = s.transition_incident(&dispatcher(), &r, IncidentStatus::AtScene, None, None).await;
    assert!(matches!(refused, Err(StoreError::Domain(_))), "{refused:?}");
    assert!(matches!(
        s.reopen_incident(&dispatcher(), &r, "why".into(), None).await,
        Err(StoreError::Domain(_))
    ));
    assert_eq!(s.get_incident(&r).await.expect("read").version, 1, "refused moves change nothing");
    let stale = s.transition_incident(&dispatcher(), &r, IncidentStatus::Resourced, None, Some(7)).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))));
    s.add_incident_remark(&dispatcher(), &r, "Ambulance on scene".into()).await.expect("remark");
    assert!(s.add_incident_remark(&dispatcher(), &r, "   ".into()).await.is_err());
    let close = IncidentClose {
        category: "TRN-RTC-DAMAGE".into(),
        result: IncidentResult::ResolvedAtScene,
        note: None,
    };
    let closed = s.close_incident(&dispatcher(), &r, close.clone(), None).await.expect("close");
    assert_eq!(
        (closed.status, closed.result),
        (IncidentStatus::Closed, Some(IncidentResult::ResolvedAtScene))
    );
    assert!(closed.closed_at.is_some());
    assert!(matches!(
        s.close_incident(&dispatcher(), &r, close.clone(), None).await,
        Err(StoreError::Domain(_))
    ));
    let reopened = s
        .reopen_incident(&dispatcher(), &r, "Caller rang back: driver left the scene".into(), None)
        .await
        .expect("reopen");
    assert_eq!((reopened.status, reopened.reopened, reopened.result), (IncidentStatus::Open, 1, None));
    let log = s.incident_log(&r).await.expect("log");
    let kinds: Vec<&str> = log.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["created", "remark", "closed", "reopened"]);
    assert_eq!(log[3].actor, "d.patel");
    assert_eq!(log[3].data["was_result"], "resolved_at_scene");
}

async fn units_are_assigned_arrive_and_clear(t: TestStore) {
    let s = &t.store;
    let r = s
        .create_incident(&handler(), new_incident(&[], 1), None)
        .await
        .expect("raise")
        .incident
        .reference
        .to_string();
    s.create_unit(&Actor::system(), unit("MC21")).await.expect("unit");
    assert!(matches!(s.create_unit(&Actor::system(), unit("mc 21")).await, Err(StoreError::Conflict(_))));
    let u = s.assign_unit(&dispatcher(), &r, "MC21").await.expect("assign");
    assert_eq!(u.status, UnitStatus::Assigned);
    assert_eq!(u.incident.map(|i| i.to_string()), Some(r.clone()));
    assert_eq!(s.get_incident(&r).await.expect("read").status, IncidentStatus::Resourced);
    s.update_unit(&dispatcher(), "MC21", status(UnitStatus::EnRoute)).await.expect("en route");
    s.update_unit(&dispatcher(), "MC21", status(UnitStatus::AtScene)).await.expect("at scene");
    let i = s.get_incident(&r).await.expect("read");
    assert_eq!(i.status, IncidentStatus::AtScene);
    assert!(i.first_at_scene_at.is_some());
    let a = s.incident_assignments(&r).await.expect("assignments");
    assert_eq!(a.len(), 1);
    assert!(a[0].en_route_at.is_some() && a[0].at_scene_at.is_some() && a[0].cleared_at.is_none());
    let free = s.update_unit(&dispatcher(), "MC21", status(UnitStatus::Available)).await.expect("clear");
    assert_eq!((free.status, free.incident), (UnitStatus::Available, None));
    assert!(s.incident_assignments(&r).await.expect("assignments")[0].cleared_at.is_some());
    let history: Vec<UnitStatus> =
        s.unit_history("MC21").await.expect("history").into_iter().map(|h| h.status).collect();
    assert_eq!(
        history,
        [
            UnitStatus::Available,
            UnitStatus::Assigned,
            UnitStatus::EnRoute,
            UnitStatus::AtScene,
            UnitStatus::Available
        ]
    );
    let kinds: Vec<String> = s.incident_log(&r).await.expect("log").into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["created", "unit_assigned", "unit_status", "unit_status", "unit_cleared"]);
    // Closing clears committed units too.
    s.assign_unit(&dispatcher(), &r, "MC21").await.expect("assign again");
    let close = IncidentClose {
        category: "TRN-RTC-INJURY".into(),
        result: IncidentResult::NoFurtherAction,
        note: None,
    };
    s.close_incident(&dispatcher(), &r, close, None).await.expect("close");
    assert_eq!(s.get_unit("MC21").await.expect("unit").status, UnitStatus::Available);
}

async fn illegal_unit_moves_change_nothing(t: TestStore) {
    let s = &t.store;
    let r = s
        .create_incident(&handler(), new_incident(&[], 1), None)
        .await
        .expect("raise")
        .incident
        .reference
        .to_string();
    s.create_unit(&Actor::system(), unit("RP4")).await.expect("unit");
    let before = s.get_unit("RP4").await.expect("unit");
    assert!(matches!(
        s.update_unit(&dispatcher(), "RP4", status(UnitStatus::AtScene)).await,
        Err(StoreError::Domain(_))
    ));
    assert_eq!(s.get_unit("RP4").await.expect("unit"), before, "arriving before being sent is refused");
    assert!(matches!(s.assign_unit(&dispatcher(), &r, "NOPE1").await, Err(StoreError::NotFound { .. })));
    s.update_unit(&dispatcher(), "RP4", status(UnitStatus::Unavailable)).await.expect("busy");
    assert!(matches!(s.assign_unit(&dispatcher(), &r, "RP4").await, Err(StoreError::Domain(_))));
    assert_eq!(s.get_incident(&r).await.expect("read").status, IncidentStatus::Open);
    assert_eq!(s.incident_log(&r).await.expect("log").len(), 1);
}

async fn links_to_contacts_incidents_and_persons(t: TestStore) {
    let s = &t.store;
    let c = contact(&t).await;
    let a = s
        .create_incident(&handler(), new_incident(&[], 1), None)
        .await
        .expect("a")
        .incident
        .reference
        .to_string();
    let b = s
        .create_incident(&handler(), new_incident(&[], 2), None)
        .await
        .expect("b")
        .incident
        .reference
        .to_string();
    s.link_contact_to_incident(&handler(), &a, &c).await.expect("link");
    assert!(matches!(s.link_contact_to_incident(&handler(), &a, &c).await, Err(StoreError::Conflict(_))));
    assert!(matches!(
        s.link_contact_to_incident(&handler(), &a, "FC-20200101-000001").await,
        Err(StoreError::NotFound { .. })
    ));
    s.link_incidents(&dispatcher(), &a, &b).await.expect("link incidents");
    assert!(matches!(s.link_incidents(&dispatcher(), &b, &a).await, Err(StoreError::Conflict(_))));
    assert!(s.link_incidents(&dispatcher(), &a, &a).await.is_err());
    assert_eq!(s.linked_incidents(&b).await.expect("links"), vec![a.clone()]);
    s.link_person(&dispatcher(), &a, "P-000042", PersonRole::Victim).await.expect("person");
    s.link_person(&dispatcher(), &a, "P-000042", PersonRole::Witness).await.expect("second role");
    assert!(s.link_person(&dispatcher(), &a, "has space", PersonRole::Victim).await.is_err());
    let persons = s.incident_persons(&a).await.expect("persons");
    assert_eq!(persons.iter().map(|p| p.role).collect::<Vec<_>>(), [PersonRole::Victim, PersonRole::Witness]);
    let kinds: Vec<String> = s.incident_log(&a).await.expect("log").into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["created", "contact_linked", "incident_linked", "person_linked", "person_linked"]);
}

async fn list_orders_by_grade_then_age_and_pages(t: TestStore) {
    let s = &t.store;
    for g in [2, 1, 3, 1] {
        s.create_incident(&handler(), new_incident(&[], g), None).await.expect("raise");
    }
    let all = s
        .list_incidents(&IncidentFilter { limit: 3, open_only: true, ..Default::default() })
        .await
        .expect("list");
    assert_eq!(all.items.iter().map(|i| i.grade.number()).collect::<Vec<_>>(), [1, 1, 2]);
    let next = s
        .list_incidents(&IncidentFilter {
            limit: 3,
            open_only: true,
            cursor: all.next_cursor.clone(),
            ..Default::default()
        })
        .await
        .expect("next");
    assert_eq!(next.items.len(), 1);
    assert!(next.next_cursor.is_none());
    let g1 = s
        .list_incidents(&IncidentFilter { limit: 10, grade: Some(Grade::Emergency), ..Default::default() })
        .await
        .expect("g1");
    assert_eq!(g1.items.len(), 2);
    assert!(
        s.list_incidents(&IncidentFilter { limit: 10, cursor: Some("zz".into()), ..Default::default() })
            .await
            .is_err()
    );
    let counts = s.incident_counts().await.expect("counts");
    assert_eq!(counts.iter().map(|c| c.2).sum::<i64>(), 4);
}

async fn incidents_near_a_place_nearest_first(t: TestStore) {
    let s = &t.store;
    let raised = s.create_incident(&dispatcher(), new_incident(&[], 1), None).await.expect("raise").incident;
    let at = fc_domain::GeoPoint::parse(53.4605, -2.2100, None).expect("valid");
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    let near = s.incidents_near(&at, 150.0, since).await.expect("near");
    assert_eq!(near.iter().map(|i| i.reference).collect::<Vec<_>>(), vec![raised.reference], "55 m away");
    assert!(s.incidents_near(&at, 30.0, since).await.expect("near").is_empty(), "outside the radius");
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    assert!(s.incidents_near(&at, 150.0, later).await.expect("near").is_empty(), "before the window");
}

/// On PostgreSQL a missing radius once fixed its parameter's type, and the next incident with one
/// was refused.
async fn an_incident_without_a_radius_then_one_with_one(t: TestStore) {
    let s = &t.store;
    let first = s.create_incident(&handler(), new_incident(&[], 2), None).await.expect("no radius");
    assert_eq!(first.incident.location.and_then(|l| l.radius_m), None);
    let mut second = new_incident(&[], 2);
    second.location = Some(fc_domain::GeoPoint::parse(53.46, -2.21, Some(30.0)).expect("point"));
    let made = s.create_incident(&handler(), second, None).await.expect("a radius after none");
    assert_eq!(made.incident.location.and_then(|l| l.radius_m), Some(30.0));
}
