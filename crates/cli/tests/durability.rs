//! An acknowledged write is durable: the server is killed with SIGKILL while clients are creating
//! contacts, restarted on the same database, and every contact it acknowledged is there exactly
//! once. Unacknowledged requests are retried with the same idempotency key and must not duplicate.

#![cfg(unix)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

const PASSWORD: &str = "durability-test-password";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_firstcontact"))
}

/// Starts `firstcontact serve` on a free port and returns it with its base URL (read from its
/// own announcement, so there is no sleeping for readiness).
/// A server process, killed when dropped so a failed assertion never leaves one running.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(url: &str) -> (Server, String) {
    let mut child = bin()
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("read announcement");
    let base = line.trim().rsplit(' ').next().expect("url").trim_end_matches('/').to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");
    (Server(child), base)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_contacts_survive_sigkill_exactly_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("fc.db").display());
    let mut add = bin()
        .args([
            "user",
            "add",
            "--username",
            "loader",
            "--role",
            "call_handler",
            "--password-stdin",
            "--database-url",
            &url,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("user add");
    add.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("write");
    assert!(add.wait().expect("wait").success());

    let (mut server, base) = start(&url);
    let client = reqwest::Client::new();
    let browser = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let login: Value = browser
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"username": "loader", "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let token: Value = browser
        .post(format!("{base}/api/v1/tokens"))
        .header("x-csrf-token", login["csrf_token"].as_str().expect("csrf"))
        .json(&json!({"name": "loader"}))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let secret = token["secret"].as_str().expect("secret").to_string();

    // Four writers create contacts as fast as they can; each acknowledged key is remembered.
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let unacknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut writers = Vec::new();
    for w in 0..4 {
        let (client, base, secret) = (client.clone(), base.clone(), secret.clone());
        let (ack, unack) = (acknowledged.clone(), unacknowledged.clone());
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let key = format!("w{w}-{i}");
                let res = client
                    .post(format!("{base}/api/v1/contacts"))
                    .bearer_auth(&secret)
                    .header("idempotency-key", &key)
                    .json(&json!({"channel": "999", "narrative": format!("durability {key}")}))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == 201 => {
                        let v: Value = match r.json().await {
                            Ok(v) => v,
                            Err(_) => {
                                unack.lock().expect("lock").push(key);
                                break;
                            }
                        };
                        ack.lock()
                            .expect("lock")
                            .push((key, v["reference"].as_str().unwrap_or_default().to_string()));
                    }
                    _ => {
                        unack.lock().expect("lock").push(key);
                        break;
                    }
                }
            }
        }));
    }
    // Kill once a good number are acknowledged (poll, don't sleep blindly).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while acknowledged.lock().expect("lock").len() < 300 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    server.0.kill().expect("SIGKILL");
    server.0.wait().expect("reap");
    for w in writers {
        w.await.expect("writer");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= 300, "only {} acknowledged before the deadline", acknowledged.len());

    let (mut server, base) = start(&url);
    // Every acknowledged contact is there, with its own narrative.
    for (key, reference) in &acknowledged {
        let c: Value = client
            .get(format!("{base}/api/v1/contacts/{reference}"))
            .bearer_auth(&secret)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        assert_eq!(c["narrative"], format!("durability {key}"), "{reference} lost or wrong");
    }
    // Requests cut off by the kill are retried with their keys; none may duplicate.
    let unacknowledged = unacknowledged.lock().expect("lock").clone();
    for key in &unacknowledged {
        let res = client
            .post(format!("{base}/api/v1/contacts"))
            .bearer_auth(&secret)
            .header("idempotency-key", key)
            .json(&json!({"channel": "999", "narrative": format!("durability {key}")}))
            .send()
            .await
            .expect("retry");
        assert!(res.status() == 200 || res.status() == 201, "retry of {key}: {}", res.status());
    }
    let mut narratives = std::collections::HashMap::<String, u32>::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/api/v1/contacts?limit=200");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value =
            client.get(url).bearer_auth(&secret).send().await.expect("list").json().await.expect("json");
        for item in page["items"].as_array().expect("items") {
            *narratives.entry(item["narrative"].as_str().unwrap_or_default().to_string()).or_default() += 1;
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let duplicated: Vec<_> = narratives.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicated.is_empty(), "duplicated contacts: {duplicated:?}");
    assert_eq!(narratives.len(), acknowledged.len() + unacknowledged.len());
    server.0.kill().expect("stop");
    let _ = server.0.wait();
}
