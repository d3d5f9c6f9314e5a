//! Referral tasks move open → accepted → sent or declined, each move a log entry on the contact
//! in the same write; and migration 0006's mapping of the old person marker codes.

use crate::harness::{TestStore, handler, new_contact};
use fc_domain::{Actor, DomainError, ReferralAction, ReferralStatus, Role};
use fc_store::StoreError;
use fc_store::audit::{AuditAction, AuditQuery};
use fc_store::contacts::Idempotency;
use fc_store::contacts::questionnaires::{NewReferral, QuestionnaireRecord, ReferralFilter};
use fc_store::users::NewUser;
use serde_json::json;

crate::contract!(
    referrals_move_through_the_workflow_with_log_entries,
    illegal_or_stale_referral_moves_write_nothing,
    old_person_marker_codes_map_to_the_list,
);

fn supervisor() -> Actor {
    Actor { username: "s.khan".into(), role: Role::Supervisor }
}

/// A contact with a high DASH that raised one MARAC referral; returns (contact, referral id).
async fn raised(t: &TestStore, name: &str) -> (String, i64) {
    let s = &t.store;
    let c = s.create_contact(&handler(), new_contact("999", name), None).await.expect("contact").contact;
    let reference = c.reference.to_string();
    let record = QuestionnaireRecord {
        questionnaire: "dash".into(),
        level: "high".into(),
        result: json!({"questionnaire": "dash", "final_level": "high"}),
        referrals: vec![NewReferral { task: "marac_referral".into(), text: "Refer to MARAC".into() }],
    };
    s.record_questionnaire(&handler(), &reference, record, None).await.expect("dash");
    let all = s.list_referrals(&ReferralFilter { limit: 200, ..Default::default() }).await.expect("list");
    let id = all.iter().find(|r| r.reference == reference).map(|r| r.id).expect("raised");
    (reference, id)
}

async fn users(t: &TestStore) {
    for (name, role) in [("s.khan", Role::Supervisor), ("d.ames", Role::CallHandler)] {
        let new = NewUser {
            username: name.into(),
            display_name: name.to_uppercase(),
            role,
            password_hash: "$argon2id$fake".into(),
        };
        t.store.create_user(&Actor::system(), new).await.expect("user");
    }
}

async fn kinds(t: &TestStore, reference: &str) -> Vec<String> {
    t.store.contact_log(reference).await.expect("log").into_iter().map(|e| e.kind).collect()
}

async fn referrals_move_through_the_workflow_with_log_entries(t: TestStore) {
    let s = &t.store;
    users(&t).await;
    let (a, ra) = raised(&t, "Ann Lee").await;
    let (b, rb) = raised(&t, "Bea Moss").await;
    let key = |k: &str| Some(Idempotency { key: k.into(), fingerprint: format!("{ra}:accept") });
    let accept = ReferralAction::Accept { assignee: " d.ames ".into() };
    let (r, replayed) =
        s.move_referral(&supervisor(), ra, accept.clone(), Some(1), key("k1")).await.expect("accept");
    assert!(!replayed);
    assert_eq!(
        (r.status, r.version, r.assigned_to.as_deref()),
        (ReferralStatus::Accepted, 2, Some("d.ames"))
    );
    assert_eq!(r.updated_by.as_deref(), Some("s.khan"));
    let (again, replayed) =
        s.move_referral(&supervisor(), ra, accept, Some(1), key("k1")).await.expect("retry");
    assert!(replayed, "a retry returns the first move");
    assert_eq!(again, r);

    let send =
        ReferralAction::Send { agency: "Manchester MARAC".into(), reference: "MARAC-77".into(), note: None };
    let (r, _) = s.move_referral(&supervisor(), ra, send, Some(2), None).await.expect("send");
    assert_eq!(
        (r.status, r.agency.as_deref(), r.agency_reference.as_deref(), r.assigned_to.as_deref()),
        (ReferralStatus::Sent, Some("Manchester MARAC"), Some("MARAC-77"), Some("d.ames"))
    );
    let log = s.contact_log(&a).await.expect("log");
    let moves: Vec<_> = log.iter().filter(|e| e.kind.starts_with("referral_")).collect();
    assert_eq!(moves.len(), 2, "one entry per move, the retry wrote nothing");
    assert_eq!((moves[0].kind.as_str(), moves[0].actor.as_str()), ("referral_accepted", "s.khan"));
    assert_eq!(moves[1].data["agency"], "Manchester MARAC");
    assert_eq!(moves[1].data["from"], "accepted");
    let result = log.iter().find(|e| e.kind == "questionnaire_completed").map(|e| e.id).expect("result");
    assert_eq!(moves[0].data["result_entry"], result, "each move names the result that raised it");
    let q = AuditQuery {
        record_id: Some(a.clone()),
        action: Some(AuditAction::Disclosure),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(s.search_audit(&q).await.expect("audit").len(), 1, "sending is a disclosure");

    let decline = ReferralAction::Decline { reason: "Already referred by the attending officer".into() };
    let (r, _) = s.move_referral(&supervisor(), rb, decline, None, None).await.expect("decline");
    assert_eq!(
        (r.status, r.note.as_deref()),
        (ReferralStatus::Declined, Some("Already referred by the attending officer"))
    );
    assert!(kinds(&t, &b).await.ends_with(&["referral_declined".to_string()]));

    let sent = ReferralFilter { status: Some(ReferralStatus::Sent), limit: 50, ..Default::default() };
    let listed = s.list_referrals(&sent).await.expect("sent");
    assert_eq!(listed.iter().map(|r| r.id).collect::<Vec<_>>(), vec![ra]);
    assert_eq!(s.get_referral(rb).await.expect("get").status, ReferralStatus::Declined);
}

async fn illegal_or_stale_referral_moves_write_nothing(t: TestStore) {
    let s = &t.store;
    users(&t).await;
    let (a, id) = raised(&t, "Cal Nye").await;
    let before = kinds(&t, &a).await;
    let send = ReferralAction::Send { agency: "MARAC".into(), reference: "M-1".into(), note: None };
    let early = s.move_referral(&supervisor(), id, send, None, None).await;
    assert!(matches!(early, Err(StoreError::Domain(DomainError::IllegalMove { .. }))), "{early:?}");
    let nobody = s
        .move_referral(&supervisor(), id, ReferralAction::Accept { assignee: "ghost".into() }, None, None)
        .await;
    assert!(matches!(nobody, Err(StoreError::Invalid(_))), "{nobody:?}");
    let short =
        s.move_referral(&supervisor(), id, ReferralAction::Decline { reason: "no".into() }, None, None).await;
    assert!(
        matches!(short, Err(StoreError::Domain(DomainError::Invalid { field: "reason", .. }))),
        "{short:?}"
    );
    let stale = s
        .move_referral(&supervisor(), id, ReferralAction::Accept { assignee: "s.khan".into() }, Some(7), None)
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    let missing = s
        .move_referral(
            &supervisor(),
            999_999,
            ReferralAction::Accept { assignee: "s.khan".into() },
            None,
            None,
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
    assert_eq!(kinds(&t, &a).await, before, "nothing written");
    let r = s.get_referral(id).await.expect("get");
    assert_eq!((r.status, r.version), (ReferralStatus::Open, 1));
    // A key already used for another referral is refused rather than replayed.
    let (_, other) = raised(&t, "Dee Orr").await;
    let key = || Some(Idempotency { key: "k".into(), fingerprint: "same".into() });
    s.move_referral(&supervisor(), id, ReferralAction::Accept { assignee: "s.khan".into() }, None, key())
        .await
        .expect("ok");
    let reused = s
        .move_referral(
            &supervisor(),
            other,
            ReferralAction::Accept { assignee: "s.khan".into() },
            None,
            key(),
        )
        .await;
    assert!(matches!(reused, Err(StoreError::Conflict(_))), "{reused:?}");
    assert_eq!(s.get_referral(other).await.expect("get").status, ReferralStatus::Open);
}

/// Runs the person-marker mapping statement of migration 0006 (the same text on both backends)
/// over rows written with the old enum's codes.
async fn old_person_marker_codes_map_to_the_list(t: TestStore) {
    let s = &t.store;
    let c = s.create_contact(&handler(), new_contact("999", "Eve Pike"), None).await.expect("c").contact;
    let new = fc_store::persons::NewLink {
        how: fc_domain::person::LinkHow::New,
        weight: None,
        explanation: None,
        reason: None,
    };
    let p = s.link_contact(&handler(), &c.reference.to_string(), None, new).await.expect("person").person;
    let old = [
        "vulnerable_adult",
        "child_at_risk",
        "domestic_abuse_victim",
        "self_harm",
        "weapons",
        "high_intensity_caller",
    ];
    for code in old {
        s.set_marker(&handler(), &p, code, "written before 0006", None).await.expect("set");
    }
    let sql = include_str!("../../migrations/sqlite/0006_markers_referrals.sql");
    let pg = include_str!("../../migrations/postgres/0006_markers_referrals.sql");
    let update = |text: &str| {
        let body: String = text.lines().filter(|l| !l.starts_with("--")).collect::<Vec<_>>().join("\n");
        body.split(';').next().unwrap_or_default().trim().to_string()
    };
    assert_eq!(update(sql), update(pg), "both backends map the same way");
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&t.url).await.expect("connect");
    sqlx::query(sqlx::AssertSqlSafe(update(sql))).execute(&mut conn).await.expect("mapping runs");
    let rec = s.view_person(&handler(), &p, "test").await.expect("person");
    let mut codes: Vec<&str> = rec.markers.iter().map(|m| m.code.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        vec![
            "adult_at_risk",
            "child_abuse",
            "domestic_abuse",
            "high_intensity_caller",
            "mental_health",
            "weapons"
        ]
    );
    let log = s.person_log(&p).await.expect("log");
    assert!(log.iter().any(|e| e.data["kind"] == "vulnerable_adult"), "log entries stay as written");
}
