use crate::app::{PASSWORD, TestApp, contact_body, problem};
use fc_domain::Role;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn sign_in_out_and_csrf() {
    let app = TestApp::spawn().await;
    let anon = app.anonymous();
    let (status, body) = problem(anon.get(app.url("/api/v1/contacts")).send().await.expect("send")).await;
    assert_eq!(status, 401);
    assert_eq!(body["type"], "/problems/unauthenticated");
    let wrong = anon
        .post(app.url("/api/v1/session"))
        .json(&json!({"username": "call.handler", "password": "wrong password"}))
        .send()
        .await
        .expect("send");
    assert_eq!(problem(wrong).await.0, 401);
    let unknown = anon
        .post(app.url("/api/v1/session"))
        .json(&json!({"username": "nobody", "password": PASSWORD}))
        .send()
        .await
        .expect("send");
    let (_, unknown) = problem(unknown).await;
    assert_eq!(unknown["detail"], "sign in first", "same answer for unknown users");

    let s = app.session(Role::CallHandler).await;
    let login = s.client.get(app.url("/api/v1/session")).send().await.expect("me");
    assert_eq!(login.status(), 200);
    // A change without the CSRF header is refused even with a valid cookie.
    let no_csrf =
        s.client.post(app.url("/api/v1/contacts")).json(&contact_body()).send().await.expect("send");
    assert_eq!(problem(no_csrf).await.0, 403);
    assert_eq!(app.store.count_contacts().await.expect("count"), 0);
    let out = s.req(Method::DELETE, "/api/v1/session").send().await.expect("logout");
    assert_eq!(out.status(), 204);
    assert_eq!(s.get("/api/v1/contacts").await.status(), 401, "the session is gone");
}

#[tokio::test]
async fn cookie_is_httponly_and_samesite() {
    let app = TestApp::spawn().await;
    let res = app
        .anonymous()
        .post(app.url("/api/v1/session"))
        .json(&json!({"username": "supervisor", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie").to_string();
    assert!(cookie.starts_with("fc_session=fcs_"));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Strict"));
    assert!(cookie.contains("Max-Age="));
}

#[tokio::test]
async fn api_tokens_act_as_their_owner_without_csrf() {
    let app = TestApp::spawn().await;
    let s = app.session(Role::CallHandler).await;
    let t: Value =
        s.post_json("/api/v1/tokens", json!({"name": "CAD link"})).await.json().await.expect("json");
    let secret = t["secret"].as_str().expect("secret").to_string();
    assert!(secret.starts_with("fct_"));
    let res = app
        .anonymous()
        .post(app.url("/api/v1/contacts"))
        .bearer_auth(&secret)
        .json(&contact_body())
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 201);
    let c: Value = res.json().await.expect("json");
    let log = app.store.contact_log(c["reference"].as_str().expect("ref")).await.expect("log");
    assert_eq!(log[0].actor, "call.handler");
    let bad =
        app.anonymous().get(app.url("/api/v1/contacts")).bearer_auth("fct_nope").send().await.expect("send");
    assert_eq!(problem(bad).await.0, 401);
}

/// A leaked integration token is revoked on its own and stops at once, even though it was just
/// used (and so cached); owners manage only their own tokens, administrators everyone's.
#[tokio::test]
async fn api_tokens_are_listed_and_revoked() {
    let app = TestApp::spawn().await;
    let handler = app.session(Role::CallHandler).await;
    let t: Value =
        handler.post_json("/api/v1/tokens", json!({"name": "CAD link"})).await.json().await.expect("json");
    let (id, secret) =
        (t["token"]["id"].as_i64().expect("id"), t["secret"].as_str().expect("secret").to_string());
    let use_it = || app.anonymous().get(app.url("/api/v1/contacts")).bearer_auth(secret.clone()).send();
    assert_eq!(use_it().await.expect("send").status(), 200, "works, and is now cached");

    let listed: Value = handler.get("/api/v1/tokens").await.json().await.expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["name"], "CAD link");
    assert!(listed[0].get("secret").is_none() && listed[0]["revoked_at"].is_null());

    // Someone else's token is not theirs to see or revoke.
    let dispatcher = app.session(Role::Dispatcher).await;
    let theirs: Value = dispatcher.get("/api/v1/tokens").await.json().await.expect("json");
    assert_eq!(theirs.as_array().map(Vec::len), Some(0));
    let refused = dispatcher.req(Method::DELETE, &format!("/api/v1/tokens/{id}")).send().await.expect("send");
    assert_eq!(problem(refused).await.0, 404);
    assert_eq!(use_it().await.expect("send").status(), 200);

    // An administrator sees every token and revokes this one; it stops at once.
    let admin = app.session(Role::Administrator).await;
    let all: Value = admin.get("/api/v1/tokens").await.json().await.expect("json");
    assert!(all.as_array().is_some_and(|a| a.iter().any(|t| t["id"] == id)));
    let revoked = admin.req(Method::DELETE, &format!("/api/v1/tokens/{id}")).send().await.expect("send");
    assert_eq!(revoked.status(), 200);
    let revoked: Value = revoked.json().await.expect("json");
    assert!(revoked["revoked_at"].is_string());
    assert_eq!(problem(use_it().await.expect("send")).await.0, 401);
    let retried = handler.req(Method::DELETE, &format!("/api/v1/tokens/{id}")).send().await.expect("send");
    assert_eq!(retried.status(), 200, "revoking again is harmless");
    assert_eq!(retried.json::<Value>().await.expect("json")["revoked_at"], revoked["revoked_at"]);
    let bad = admin.req(Method::DELETE, "/api/v1/tokens/not-a-number").send().await.expect("send");
    assert_eq!(problem(bad).await.0, 400);
}

#[tokio::test]
async fn repeated_failed_sign_ins_lock_the_username_but_not_others() {
    let app = TestApp::spawn().await;
    let attempt = |user: &'static str, password: &'static str| {
        let client = app.anonymous();
        let url = app.url("/api/v1/session");
        async move {
            client
                .post(url)
                .json(&json!({"username": user, "password": password}))
                .send()
                .await
                .expect("login")
        }
    };
    for _ in 0..5 {
        assert_eq!(attempt("supervisor", "wrong password").await.status(), 401);
    }
    let locked = attempt("supervisor", PASSWORD).await;
    assert_eq!(locked.status(), 429, "even the right password is refused while locked");
    assert!(locked.headers().get("retry-after").is_some());
    let (status, body) = problem(locked).await;
    assert_eq!(status, 429);
    assert_eq!(body["type"], "/problems/too-many-requests");
    assert_eq!(attempt("analyst", PASSWORD).await.status(), 200, "other users can still sign in");
}
