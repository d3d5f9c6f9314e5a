//! Staff wellbeing: supervisors' check-ins (append-only, audited, idempotent) and the contacts a
//! handler answered since a time, which the exposure rules count.

use crate::harness::{TestStore, new_contact};
use chrono::{DateTime, Duration, Utc};
use fc_domain::{Actor, CheckInOutcome, HandlerState, Role, Skill};
use fc_store::StoreError;
use fc_store::audit::{AuditAction, AuditQuery, AuditRecord};
use fc_store::contacts::Idempotency;
use fc_store::users::NewUser;
use fc_store::wellbeing::{CheckIn, NewCheckIn};

crate::contract!(
    check_ins_are_recorded_and_read_back_newest_first,
    unknown_handlers_contacts_and_long_notes_write_nothing,
    a_retried_check_in_is_recorded_once,
    check_ins_are_append_only,
    contacts_handled_are_one_handlers_answered_contacts_oldest_first,
    last_breaks_are_each_handlers_latest_break_in_the_window,
);

fn supervisor() -> Actor {
    Actor { username: "s.khan".into(), role: Role::Supervisor }
}

fn epoch() -> DateTime<Utc> {
    DateTime::UNIX_EPOCH
}

async fn add_user(t: &TestStore, name: &str, role: Role) {
    let new = NewUser { username: name.into(), display_name: name.into(), role, password_hash: "x".into() };
    t.store.create_user(&Actor::system(), new).await.expect("user");
}

async fn users(t: &TestStore) {
    add_user(t, "s.khan", Role::Supervisor).await;
    add_user(t, "h.jones", Role::CallHandler).await;
    add_user(t, "d.ames", Role::CallHandler).await;
}

fn check_in(handler: &str, contact: Option<&str>, outcome: CheckInOutcome, note: Option<&str>) -> NewCheckIn {
    NewCheckIn {
        handler: handler.into(),
        contact: contact.map(str::to_string),
        outcome,
        note: note.map(str::to_string),
    }
}

async fn record(t: &TestStore, new: NewCheckIn) -> CheckIn {
    let (c, replayed) = t.store.record_check_in(&supervisor(), new, None).await.expect("record");
    assert!(!replayed);
    c
}

async fn wellbeing_audit(t: &TestStore) -> Vec<AuditRecord> {
    let q = AuditQuery { record_type: Some("staff_wellbeing".into()), limit: 100, ..Default::default() };
    t.store.search_audit(&q).await.expect("audit")
}

async fn check_ins_are_recorded_and_read_back_newest_first(t: TestStore) {
    let s = &t.store;
    users(&t).await;
    let c = s.create_contact(&supervisor(), new_contact("999", "Ann Lee"), None).await.expect("contact");
    let reference = c.contact.reference.to_string();
    let first =
        record(&t, check_in("h.jones", Some(&reference), CheckInOutcome::BreakTaken, Some("  shaken  ")))
            .await;
    assert_eq!(
        (first.handler.as_str(), first.contact.as_deref(), first.outcome, first.note.as_deref()),
        ("h.jones", Some(reference.as_str()), CheckInOutcome::BreakTaken, Some("shaken")),
        "the note is trimmed"
    );
    assert_eq!(first.recorded_by, "s.khan");
    let other = record(&t, check_in("d.ames", None, CheckInOutcome::Fine, Some("   "))).await;
    assert_eq!(other.note, None, "a blank note is no note");
    let last = record(&t, check_in("h.jones", None, CheckInOutcome::FollowUp, None)).await;
    assert!(first.recorded_at < last.recorded_at, "separate writes, separate times");

    assert_eq!(
        s.check_ins(Some("h.jones"), epoch()).await.expect("h.jones"),
        vec![last.clone(), first.clone()]
    );
    assert_eq!(
        s.check_ins(None, epoch()).await.expect("all"),
        vec![last.clone(), other.clone(), first.clone()]
    );
    assert_eq!(s.check_ins(Some("h.jones"), last.recorded_at).await.expect("since"), vec![last.clone()]);
    assert_eq!(s.check_ins(Some("nobody"), epoch()).await.expect("none"), vec![]);
    assert!(s.check_ins(None, Utc::now() + Duration::hours(1)).await.expect("future").is_empty());

    let audit = wellbeing_audit(&t).await;
    assert_eq!(audit.len(), 3, "{audit:?}");
    let oldest = audit.last().expect("first entry");
    assert_eq!(
        (oldest.action, oldest.actor.as_str(), oldest.record_id.as_str()),
        (AuditAction::Collection, "s.khan", "h.jones")
    );
    assert_eq!(oldest.detail, format!("wellbeing check-in: break_taken (after {reference})"));
    assert!(!oldest.detail.contains("shaken"), "the note stays out of the audit log");
    assert_eq!(s.verify_audit().await.expect("verify").first_broken, None);
}

async fn unknown_handlers_contacts_and_long_notes_write_nothing(t: TestStore) {
    let s = &t.store;
    users(&t).await;
    let nobody =
        s.record_check_in(&supervisor(), check_in("nobody", None, CheckInOutcome::Fine, None), None).await;
    assert!(matches!(nobody, Err(StoreError::NotFound { .. })), "{nobody:?}");
    let missing = check_in("h.jones", Some("FC-20261122-999999"), CheckInOutcome::Fine, None);
    let missing = s.record_check_in(&supervisor(), missing, None).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
    let long = "x".repeat(fc_domain::wellbeing::CHECK_IN_NOTE_MAX + 1);
    let long = s
        .record_check_in(&supervisor(), check_in("h.jones", None, CheckInOutcome::Fine, Some(&long)), None)
        .await;
    assert!(matches!(long, Err(StoreError::Domain(_))), "{long:?}");
    assert!(s.check_ins(None, epoch()).await.expect("read").is_empty());
    assert!(wellbeing_audit(&t).await.is_empty());
}

async fn a_retried_check_in_is_recorded_once(t: TestStore) {
    let s = &t.store;
    users(&t).await;
    let key = |fp: &str| Some(Idempotency { key: "check-1".into(), fingerprint: fp.into() });
    let new = || check_in("h.jones", None, CheckInOutcome::TrimReferral, Some("TRiM offered"));
    let (first, replayed) = s.record_check_in(&supervisor(), new(), key("a")).await.expect("first");
    assert!(!replayed);
    let (again, replayed) = s.record_check_in(&supervisor(), new(), key("a")).await.expect("retry");
    assert!(replayed);
    assert_eq!(again, first, "the retry answers with the first check-in");
    let other = check_in("d.ames", None, CheckInOutcome::Fine, None);
    let clash = s.record_check_in(&supervisor(), other, key("b")).await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");
    // The key is the actor's own: another supervisor's same key is a new check-in.
    let someone = Actor { username: "a.other".into(), role: Role::Supervisor };
    let (theirs, replayed) = s.record_check_in(&someone, new(), key("a")).await.expect("theirs");
    assert!(!replayed);
    assert_ne!(theirs.id, first.id);
    assert_eq!(s.check_ins(Some("h.jones"), epoch()).await.expect("read"), vec![theirs, first]);
    assert_eq!(s.check_ins(Some("d.ames"), epoch()).await.expect("read"), vec![]);
    assert_eq!(wellbeing_audit(&t).await.len(), 2, "one entry per check-in recorded");
}

async fn check_ins_are_append_only(t: TestStore) {
    let s = &t.store;
    users(&t).await;
    let kept = record(&t, check_in("h.jones", None, CheckInOutcome::StoodDown, Some("sent home"))).await;
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&t.url).await.expect("connect");
    let edit = sqlx::query("UPDATE wellbeing_check_ins SET outcome = 'fine'").execute(&mut conn).await;
    assert!(edit.is_err(), "an UPDATE on check-ins must be refused");
    let delete = sqlx::query("DELETE FROM wellbeing_check_ins").execute(&mut conn).await;
    assert!(delete.is_err(), "a DELETE on check-ins must be refused");
    assert_eq!(s.check_ins(None, epoch()).await.expect("read"), vec![kept]);
}

/// Makes `name` ready for webchats (up to three at once), so contacts can be given to them.
async fn ready_for_chats(t: &TestStore, name: &str) {
    let s = &t.store;
    let admin = Actor { username: "admin".into(), role: Role::Administrator };
    s.set_handler_skills(&admin, name, vec![Skill::Digital]).await.expect("skills");
    for to in [HandlerState::SignedIn, HandlerState::Ready] {
        s.set_handler_state(&supervisor(), name, to, None).await.expect("state");
    }
}

async fn contacts_handled_are_one_handlers_answered_contacts_oldest_first(t: TestStore) {
    let s = &t.store;
    users(&t).await;
    ready_for_chats(&t, "h.jones").await;
    ready_for_chats(&t, "d.ames").await;
    let mut refs = Vec::new();
    for name in ["Ann Lee", "Bo Li", "Cy Wu", "Di Roe"] {
        let c = s.create_contact(&supervisor(), new_contact("webchat", name), None).await.expect("contact");
        refs.push(c.contact.reference.to_string());
    }
    let router = Actor { username: "router".into(), role: Role::Administrator };
    // Ann and Cy to h.jones, Bo to d.ames (in between), Di never answered.
    let mut answered = Vec::new();
    for (handler, i) in [("h.jones", 0), ("d.ames", 1), ("h.jones", 2)] {
        let a = s.assign_contact(&router, handler, &refs[i], 3).await.expect("assign");
        answered.push(a.contact.answered_at.expect("answered"));
    }
    let refs_of = |contacts: Vec<fc_domain::Contact>| -> Vec<String> {
        contacts.iter().map(|c| c.reference.to_string()).collect()
    };
    let mine = s.contacts_handled(Some("h.jones"), epoch()).await.expect("h.jones");
    assert!(mine.iter().all(|c| c.handler.as_deref() == Some("h.jones")));
    assert_eq!(refs_of(mine), vec![refs[0].clone(), refs[2].clone()]);
    let all = s.contacts_handled(None, epoch()).await.expect("all");
    assert_eq!(
        refs_of(all),
        vec![refs[0].clone(), refs[1].clone(), refs[2].clone()],
        "oldest answered first"
    );
    let since = s.contacts_handled(Some("h.jones"), answered[2]).await.expect("since");
    assert_eq!(refs_of(since), vec![refs[2].clone()]);
    assert!(answered[0] < answered[2], "separate writes, separate times");
    assert!(s.contacts_handled(Some("nobody"), epoch()).await.expect("none").is_empty());
    let later = Utc::now() + Duration::hours(1);
    assert!(s.contacts_handled(None, later).await.expect("future").is_empty());
}

async fn last_breaks_are_each_handlers_latest_break_in_the_window(t: TestStore) {
    let s = &t.store;
    users(&t).await;
    let mut starts = Vec::new();
    for name in ["h.jones", "d.ames"] {
        let me = Actor { username: name.into(), role: Role::CallHandler };
        s.set_handler_state(&me, name, HandlerState::SignedIn, None).await.expect("sign in");
        for _ in 0..2 {
            let h = s.set_handler_state(&me, name, HandlerState::Break, None).await.expect("break");
            starts.push((name, h.state_since));
            s.set_handler_state(&me, name, HandlerState::SignedIn, None).await.expect("back");
        }
    }
    let later = Utc::now() + Duration::seconds(1);
    let all = s.last_breaks(None, epoch(), later).await.expect("all");
    assert_eq!(all.len(), 2);
    assert_eq!(all["h.jones"], starts[1].1, "the latest of h.jones's two breaks");
    assert_eq!(all["d.ames"], starts[3].1);
    let one = s.last_breaks(Some("h.jones"), epoch(), later).await.expect("one");
    assert_eq!(one.into_iter().collect::<Vec<_>>(), vec![("h.jones".to_string(), starts[1].1)]);
    let before = s.last_breaks(None, epoch(), starts[1].1).await.expect("before");
    assert_eq!(before["h.jones"], starts[0].1, "the window's end is exclusive");
    assert!(s.last_breaks(None, later, later + Duration::hours(1)).await.expect("none").is_empty());
}
