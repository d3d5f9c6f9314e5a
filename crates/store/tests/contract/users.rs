use crate::harness::TestStore;
use chrono::{Duration, Utc};
use fc_domain::{Actor, Role};
use fc_store::StoreError;
use fc_store::users::NewUser;

crate::contract!(users_sessions_and_tokens);

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
