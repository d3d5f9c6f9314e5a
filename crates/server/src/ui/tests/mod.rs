//! UI tests: rendered fragments (snapshots of what people see) and the pages end to end over HTTP
//! against a real server on port 0 with a fresh SQLite file.

mod demand;
mod dispatch;
mod http;
mod person_pairs;
mod persons;
mod referrals;
mod render;
mod triage;
mod wellbeing;

use crate::{AppState, ServerConfig};
use fc_domain::{Actor, Role};
use fc_store::users::NewUser;
use fc_store::{Store, StoreOptions};

/// A running app on a free port with one user per role (password `correct horse battery`).
pub struct TestUi {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The store behind it, to check what was stored.
    pub store: Store,
    /// The person matcher, to wait for matching.
    pub persons: crate::matcher::PersonMatcher,
    _dir: tempfile::TempDir,
}

pub const PASSWORD: &str = "correct horse battery";

impl TestUi {
    pub async fn start() -> TestUi {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(StoreOptions::sqlite_file(&dir.path().join("ui.db"))).await.expect("store");
        let hash = crate::auth::password::hash(PASSWORD).expect("hash");
        for (username, role) in
            [("handler", Role::CallHandler), ("super", Role::Supervisor), ("auditor", Role::Auditor)]
        {
            let new = NewUser {
                username: username.into(),
                display_name: format!("{} Person", role.label()),
                role,
                password_hash: hash.clone(),
            };
            store.create_user(&Actor::system(), new).await.expect("user");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let state = AppState::new(store.clone(), ServerConfig::default());
        let persons = state.persons.clone();
        tokio::spawn(async move { crate::serve(listener, state, std::future::pending()).await });
        TestUi { base, store, persons, _dir: dir }
    }

    /// A browser-like client (cookies kept) that does not follow redirects, so tests see them.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Signs `client` in as `username`.
    pub async fn sign_in(&self, client: &reqwest::Client, username: &str) {
        let res = client
            .post(format!("{}/login", self.base))
            .form(&[("username", username), ("password", PASSWORD), ("next", "/")])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 303, "sign-in as {username}");
    }

    /// GETs a page, returning status and body.
    pub async fn get(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let res = client.get(format!("{}{path}", self.base)).send().await.expect("get");
        (res.status().as_u16(), res.text().await.expect("body"))
    }

    /// POSTs a form, returning status, `Location` and body.
    pub async fn post(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, String, String) {
        let res = client.post(format!("{}{path}", self.base)).form(form).send().await.expect("post");
        let status = res.status().as_u16();
        let location =
            res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        (status, location, res.text().await.expect("body"))
    }
}

/// The value of the first hidden input named `name` in `html`.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).map(|i| i + marker.len()).expect("hidden field");
    html[start..].split('"').next().unwrap_or_default().to_string()
}
