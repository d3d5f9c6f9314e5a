//! `TestApp`: a running server, its store, and signed-in clients for each role.

use fc_domain::{Actor, Role};
use fc_server::{AppState, ServerConfig};
use fc_store::users::NewUser;
use fc_store::{Store, StoreOptions};
use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::Value;

pub const PASSWORD: &str = "a-long-test-password";

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub persons: fc_server::matcher::PersonMatcher,
    _dir: tempfile::TempDir,
    _server: tokio::task::JoinHandle<()>,
}

/// A client signed in as one user, sending the CSRF header on changes.
pub struct Session {
    pub client: Client,
    pub csrf: String,
    pub base: String,
}

/// SQLite in `dir`, or with `FC_TEST_API_BACKEND=postgres` a new database on the server named by
/// `FC_TEST_POSTGRES_URL`: `scripts/test` runs this suite a second time that way, so every API
/// flow (matching, routing, dispatch) meets the production backend too, not just each store call.
async fn options(dir: &std::path::Path) -> StoreOptions {
    let on_postgres = std::env::var("FC_TEST_API_BACKEND").is_ok_and(|b| b == "postgres");
    let admin_url = std::env::var("FC_TEST_POSTGRES_URL").ok();
    let (true, Some(admin_url)) = (on_postgres, admin_url) else {
        return StoreOptions::sqlite_file(&dir.join("api.db"));
    };
    use sqlx::Connection;
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let name = format!(
        "fc_api_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000,
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("connect to FC_TEST_POSTGRES_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create db");
    let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url.clone());
    StoreOptions::new(format!("{base}/{name}"))
}

impl TestApp {
    pub async fn spawn() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(options(dir.path()).await).await.expect("store");
        let hash = fc_server::auth::password::hash(PASSWORD).expect("hash");
        for role in Role::ALL {
            store
                .create_user(
                    &Actor::system(),
                    NewUser {
                        username: role.as_str().replace('_', "."),
                        display_name: role.label().into(),
                        role,
                        password_hash: hash.clone(),
                    },
                )
                .await
                .expect("user");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let state = AppState::new(store.clone(), ServerConfig::default());
        let persons = state.persons.clone();
        let server = tokio::spawn(async move {
            let _ = fc_server::serve(listener, state, std::future::pending()).await;
        });
        Self { base, store, persons, _dir: dir, _server: server }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Signs in as the demo user for `role`.
    pub async fn session(&self, role: Role) -> Session {
        let client = Client::builder().cookie_store(true).build().expect("client");
        let res = client
            .post(self.url("/api/v1/session"))
            .json(&serde_json::json!({"username": role.as_str().replace('_', "."), "password": PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 200, "login as {role}");
        let body: Value = res.json().await.expect("json");
        let csrf = body["csrf_token"].as_str().expect("csrf").to_string();
        Session { client, csrf, base: self.base.clone() }
    }

    pub fn anonymous(&self) -> Client {
        Client::new()
    }

    /// The served OpenAPI document.
    pub async fn openapi(&self) -> Value {
        let res = self.anonymous().get(self.url("/api/v1/openapi.json")).send().await.expect("get");
        res.json().await.expect("json")
    }
}

impl Session {
    pub fn req(&self, method: Method, path: &str) -> RequestBuilder {
        let b = self.client.request(method.clone(), format!("{}{path}", self.base));
        if method == Method::GET { b } else { b.header("x-csrf-token", &self.csrf) }
    }

    pub async fn post_json(&self, path: &str, body: Value) -> Response {
        self.req(Method::POST, path).json(&body).send().await.expect("send")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.req(Method::GET, path).send().await.expect("send")
    }

    /// Sends each route as this session's `role`: a role the route allows gets an answer under
    /// 400, any other a 403. Routes are (method, path, body, roles allowed).
    pub async fn assert_boundaries<P: AsRef<str>>(
        &self,
        role: Role,
        routes: &[(Method, P, Option<Value>, Vec<Role>)],
    ) {
        for (method, path, body, allowed) in routes {
            let path = path.as_ref();
            let mut req = self.req(method.clone(), path);
            if let Some(b) = body {
                req = req.json(b);
            }
            let status = req.send().await.expect("send").status().as_u16();
            if allowed.contains(&role) {
                assert!(status < 400, "{role} should be allowed {method} {path}, got {status}");
            } else {
                assert_eq!(status, 403, "{role} must be refused {method} {path}");
            }
        }
    }
}

/// A problem+json body, checked for its content type.
pub async fn problem(res: Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert_eq!(ct, "application/problem+json", "status {status}");
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["status"], status);
    assert!(body["request_id"].is_string());
    (status, body)
}

pub fn contact_body() -> Value {
    serde_json::json!({
        "channel": "999",
        "flags": ["silent_999"],
        "caller": {"name": "Jane Smith", "date_of_birth": "1984-07", "postcode": "m1 1ae", "phone": "07700 900123"},
        "location": {"lat": 53.48, "lon": -2.24, "radius_m": 30},
        "narrative": "Open line, shouting heard"
    })
}

/// Waits (bounded) for a committed event matching `f`: no sleeping on guesses.
pub async fn wait_for(
    rx: &mut tokio::sync::broadcast::Receiver<fc_store::StoreEvent>,
    f: impl Fn(&fc_store::StoreEvent) -> bool,
) -> fc_store::StoreEvent {
    tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            match rx.recv().await {
                Ok(e) if f(&e) => return e,
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(e) => panic!("events closed: {e}"),
            }
        }
    })
    .await
    .expect("the event arrives")
}
