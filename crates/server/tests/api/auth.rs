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
