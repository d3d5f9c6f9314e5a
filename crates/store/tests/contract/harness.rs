//! A fresh store per test, on either backend.

use fc_store::{Store, StoreOptions};
use std::io::Write;
use std::sync::Once;

/// A store and whatever keeps its database alive.
pub struct TestStore {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = StoreOptions::sqlite_file(&dir.path().join("fc.db"));
    let url = opts.url.clone();
    TestStore { store: Store::open(opts).await.expect("open sqlite"), url, _dir: Some(dir) }
}

static SKIP_NOTICE: Once = Once::new();

/// A store on a new PostgreSQL database, or `None` (with a notice) when none is configured.
pub async fn postgres() -> Option<TestStore> {
    let Ok(admin_url) = std::env::var("FC_TEST_POSTGRES_URL") else {
        SKIP_NOTICE.call_once(|| {
            // Written past the test harness's capture so it is seen.
            let _ = writeln!(
                std::io::stderr(),
                "NOTE: PostgreSQL contract tests SKIPPED: FC_TEST_POSTGRES_URL is not set \
                 (e.g. postgres://fc:fc@localhost/postgres)."
            );
        });
        return None;
    };
    use sqlx::Connection;
    let name = format!("fc_test_{}", uuid_like());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("connect to FC_TEST_POSTGRES_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create db");
    let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url.clone());
    let url = format!("{base}/{name}");
    Some(TestStore {
        store: Store::open(StoreOptions::new(url.clone())).await.expect("open postgres"),
        url,
        _dir: None,
    })
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let t = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        t % 1_000_000_000_000,
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// Declares each listed `async fn name(t: TestStore)` as two tests: `name::sqlite` and
/// `name::postgres`.
#[macro_export]
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::harness::sqlite().await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(t) = $crate::harness::postgres().await {
                        super::$name(t).await;
                    }
                }
            }
        )*
    };
}

pub fn handler() -> fc_domain::Actor {
    fc_domain::Actor { username: "h.jones".into(), role: fc_domain::Role::CallHandler }
}

pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// A valid new contact on `channel` with a caller name.
pub fn new_contact(channel: &str, name: &str) -> fc_domain::NewContact {
    let input: fc_domain::record::NewContactInput = serde_json::from_value(serde_json::json!({
        "channel": channel,
        "caller": {"name": name, "date_of_birth": "1984-07-09", "postcode": "m1 1ae", "phone": "07700 900123"},
        "narrative": "Neighbours shouting, sound of breaking glass",
        "location": {"lat": 53.4808, "lon": -2.2426, "radius_m": 25.0}
    }))
    .expect("valid input");
    input.validate(now()).expect("valid contact")
}
