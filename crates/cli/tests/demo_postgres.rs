//! The demo on the production backend: `firstcontact demo --database postgres://…` seeds a day,
//! runs live traffic and person matching, and nothing fails. The contract suite checks each store
//! call on PostgreSQL; this checks the whole product together, with the generator's mix of
//! contacts (with and without places, repeat callers, incidents, units) that a test's tidy data
//! misses. A float bound as the wrong kind of NULL once passed every contract test and refused
//! the next contact with a place on PostgreSQL.
//!
//! Skipped, with a notice, when `FC_TEST_POSTGRES_URL` is not set.

#![cfg(unix)]

use serde_json::{Value, json};
use sqlx::Connection;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The demo process, killed when the test ends however it ends: a failed assertion must not leave
/// a demo running against the test database.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_runs_on_postgres_without_a_failure() {
    let Ok(admin_url) = std::env::var("FC_TEST_POSTGRES_URL") else {
        eprintln!("NOTE: the demo on PostgreSQL was SKIPPED: FC_TEST_POSTGRES_URL is not set.");
        return;
    };
    let name = format!("fc_demo_test_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("connect to FC_TEST_POSTGRES_URL");
    for sql in [format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), format!("CREATE DATABASE {name}")] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut admin).await.expect("fresh database");
    }
    let base_url = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url.clone());
    let url = format!("{base_url}/{name}");

    let mut demo = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_firstcontact"))
            .args(["demo", "--port", "0", "--database", &url, "--history", "300", "--rate", "600"])
            .env("RUST_LOG", "warn")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the demo"),
    );
    let mut stdout = BufReader::new(demo.0.stdout.take().expect("stdout"));
    let mut line = String::new();
    let base = loop {
        line.clear();
        assert!(stdout.read_line(&mut line).expect("read") > 0, "the demo ended before announcing its URL");
        if let Some(at) = line.find("http://127.0.0.1:") {
            break line[at..].trim().trim_end_matches('/').to_string();
        }
    };
    // Keep draining stdout so the demo never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));

    let browser = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let login = browser
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"username": "supervisor", "password": "firstcontact-demo"}))
        .send()
        .await
        .expect("sign in");
    assert!(login.status().is_success(), "sign in: {}", login.status());
    let count = |body: &Value| body["items"].as_array().map_or(0, Vec::len);
    let first = get_json(&browser, &format!("{base}/api/v1/contacts?limit=100")).await;
    // Live traffic at ten a second: within a few seconds new contacts must have landed.
    let mut latest = first["items"][0]["reference"].clone();
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let now = get_json(&browser, &format!("{base}/api/v1/contacts?limit=1")).await;
        if now["items"][0]["reference"] != first["items"][0]["reference"] {
            latest = now["items"][0]["reference"].clone();
            break;
        }
    }
    assert_ne!(latest, first["items"][0]["reference"], "no live contact arrived");
    let with_place =
        first["items"].as_array().expect("items").iter().filter(|c| !c["location"].is_null()).count();
    assert!(
        with_place > 0 && with_place < count(&first),
        "the seeded day mixes contacts with and without a place"
    );
    for page in [
        "/api/v1/dashboard",
        "/api/v1/incidents",
        "/api/v1/units",
        "/api/v1/link-reviews",
        "/dashboard",
        "/dispatch",
    ] {
        let status = browser.get(format!("{base}{page}")).send().await.expect("page").status();
        assert!(status.is_success(), "{page}: {status}");
    }
    let persons = get_json(&browser, &format!("{base}/api/v1/persons?q=07")).await;
    assert!(persons.as_array().is_some_and(|p| !p.is_empty()), "matching made persons: {persons}");

    let _ = demo.0.kill();
    let _ = demo.0.wait();
    let mut stderr = String::new();
    demo.0.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("stderr");
    let failures: Vec<&str> =
        stderr.lines().filter(|l| l.contains("ERROR") || l.contains("failed")).collect();
    assert!(failures.is_empty(), "the demo logged failures on PostgreSQL:\n{}", failures.join("\n"));
    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut admin).await.expect("drop the demo database");
}

/// A JSON answer, or the test fails naming the URL.
async fn get_json(client: &reqwest::Client, url: &str) -> Value {
    let res = client.get(url).send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
    res.json().await.unwrap_or_else(|e| panic!("{url}: {e}"))
}
