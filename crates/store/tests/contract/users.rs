use crate::harness::TestStore;
use chrono::{Duration, Utc};
use fc_domain::{Actor, Role};
use fc_store::StoreError;
use fc_store::users::NewUser;

crate::contract!(users_sessions_and_tokens, tokens_are_listed_and_revoked);

async fn users_sessions_and_tokens(t: TestStore) {
    let s = &t.store;
    let admin = Actor::system();
    let new = |name: &str, role| NewUser {
        username: name.into(),
        display_name: name.to_uppercase(),
        role,
        password_hash: "$argon2id$fake".into(),
    };
    let u = s.create_user(&admin, new("h.jones", Role::CallHandler)).await.expect("create");
    assert!(matches!(
        s.create_user(&admin, new("h.jones", Role::Auditor)).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.create_user(&admin, new("bad name!", Role::Auditor)).await,
        Err(StoreError::Invalid(_))
    ));
    let creds = s.user_credentials("h.jones").await.expect("lookup").expect("exists");
    assert_eq!(creds.user, u);
    assert_eq!(creds.password_hash, "$argon2id$fake");

    let now = Utc::now();
    s.create_session(u.id, "secret-1", "csrf-1", now + Duration::hours(8)).await.expect("session");
    s.create_session(u.id, "secret-old", "csrf-2", now - Duration::seconds(1)).await.expect("session");
    let live = s.session("secret-1", now).await.expect("lookup").expect("live");
    assert_eq!(live.user.username, "h.jones");
    assert_eq!(live.csrf_token, "csrf-1");
    assert!(s.session("secret-old", now).await.expect("lookup").is_none(), "expired");
    assert!(s.session("nope", now).await.expect("lookup").is_none());

    let token = s.create_api_token(u.id, "CAD link", "tok-secret").await.expect("token");
    assert_eq!(token.username, "h.jones");
    assert_eq!(
        s.token_user("tok-secret").await.expect("lookup").map(|u| u.username).as_deref(),
        Some("h.jones")
    );

    let disabled =
        s.update_user(&admin, "h.jones", Some(Role::Supervisor), Some(false)).await.expect("update");
    assert!(!disabled.active);
    assert!(s.session("secret-1", now).await.expect("lookup").is_none(), "disabled users are signed out");
    assert!(s.token_user("tok-secret").await.expect("lookup").is_none(), "and their tokens stop");
    s.delete_session("secret-1").await.expect("logout");
    assert_eq!(s.count_users().await.expect("count"), 1);
}

/// A leaked integration token is stopped on its own, without disabling its owner; owners see and
/// revoke only their own, administrators any; the revocation is audited once however often it is
/// retried.
async fn tokens_are_listed_and_revoked(t: TestStore) {
    let s = &t.store;
    let admin = Actor::system();
    let new = |name: &str| NewUser {
        username: name.into(),
        display_name: name.to_uppercase(),
        role: Role::CallHandler,
        password_hash: "$argon2id$fake".into(),
    };
    let a = s.create_user(&admin, new("int.cad")).await.expect("user");
    let b = s.create_user(&admin, new("int.rms")).await.expect("user");
    let cad = s.create_api_token(a.id, "CAD link", "fct_cad").await.expect("token");
    let spare = s.create_api_token(a.id, "spare", "fct_spare").await.expect("token");
    let rms = s.create_api_token(b.id, "RMS link", "fct_rms").await.expect("token");

    let mine = s.list_api_tokens(Some(a.id)).await.expect("list");
    assert_eq!(mine.iter().map(|t| t.id).collect::<Vec<_>>(), vec![spare.id, cad.id], "own, newest first");
    assert_eq!(s.list_api_tokens(None).await.expect("all").len(), 3);

    let someone_elses = s
        .revoke_api_token(&Actor { username: "int.cad".into(), role: Role::CallHandler }, rms.id, Some(a.id))
        .await;
    assert!(matches!(someone_elses, Err(StoreError::NotFound { .. })), "{someone_elses:?}");
    assert!(s.token_user("fct_rms").await.expect("lookup").is_some(), "refused revocation changed nothing");

    let revoked = s.revoke_api_token(&admin, cad.id, None).await.expect("revoke");
    assert!(revoked.revoked_at.is_some());
    assert!(s.token_user("fct_cad").await.expect("lookup").is_none(), "a revoked token stops");
    assert!(
        s.token_user("fct_spare").await.expect("lookup").is_some(),
        "the owner's other token still works"
    );
    let again = s.revoke_api_token(&admin, cad.id, None).await.expect("retry");
    assert_eq!(again, revoked, "a retry answers the same");
    assert!(matches!(s.revoke_api_token(&admin, 9_999, None).await, Err(StoreError::NotFound { .. })));

    let q = fc_store::audit::AuditQuery {
        record_type: Some("api_token".into()),
        record_id: Some(cad.id.to_string()),
        limit: 10,
        ..Default::default()
    };
    let entries = s.search_audit(&q).await.expect("audit");
    assert_eq!(entries.len(), 1, "revoked once, audited once: {entries:?}");
    assert!(entries[0].detail.contains("CAD link"));
    let listed = s.list_api_tokens(Some(a.id)).await.expect("list");
    assert!(listed.iter().any(|t| t.id == cad.id && t.revoked_at == revoked.revoked_at));
}
