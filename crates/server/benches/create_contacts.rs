//! How fast contacts become durable on the embedded backend, three ways, in one run:
//!
//! - **raw SQLite**, twice: each contact's row and log entry in bare tables, and the four rows the
//!   store writes per contact in the store's own schema; straight through sqlx with the same
//!   durability (WAL, synchronous=FULL), 512 contacts per transaction.
//! - **store**: `Store::create_contact` from N concurrent tasks (group commit gathers them).
//! - **HTTP API**: `POST /api/v1/contacts` from N concurrent keep-alive connections over loopback,
//!   from a lean client in the same process (see [`Connection`]).
//!
//! Fixed seed and sizes; prints a table for docs/benchmarks.md. Run with
//! `cargo bench -p fc-server --bench create_contacts`. While investigating: `FC_BENCH_LEVELS`
//! (concurrency levels), `FC_BENCH_PATHS` (`raw`, `store`, `http`), `FC_BENCH_KEYS` (creates carry
//! idempotency keys) and `FC_BENCH_CONTACTS` (contacts per row, default 6,000).

use fc_domain::record::NewContactInput;
use fc_domain::{Actor, NewContact, Role};
use fc_server::{AppState, ServerConfig};
use fc_store::{Store, StoreOptions};
use std::time::{Duration, Instant};

/// The allocator the `firstcontact` binary runs with, so the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Contacts per row: `FC_BENCH_CONTACTS=24000` makes longer rows, to check that person matching
/// keeps up when a burst lasts (the recorded figures use the default, 6,000).
fn per_level() -> usize {
    static PER_LEVEL: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
        std::env::var("FC_BENCH_CONTACTS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|n| *n >= 3)
            .unwrap_or(6_000)
    });
    *PER_LEVEL
}
const LEVELS: [usize; 5] = [1, 16, 64, 128, 256];

/// Distinct callers in a row's contacts: in a default row each calls three times, as a force's
/// frequent and one-off callers average out, so person matching links some contacts and creates
/// persons for others. Longer rows (`FC_BENCH_CONTACTS`) keep the same callers, who call more.
const CALLERS: usize = 2_000;

fn contact(i: usize) -> NewContactInput {
    let caller = i % CALLERS;
    serde_json::from_value(serde_json::json!({
        "channel": if i.is_multiple_of(3) { "999" } else { "101" },
        "caller": {
            "name": format!("{} {}", FIRST[caller % FIRST.len()], LAST[(caller / FIRST.len()) % LAST.len()]),
            "date_of_birth": (chrono::NaiveDate::from_ymd_opt(1940, 1, 1).expect("date")
                + chrono::Days::new(caller as u64 * 11))
            .to_string(),
            "postcode": postcode(caller),
            "phone": format!("07700 9{caller:05}"),
        },
        "narrative": format!("Benchmark contact {i}: neighbours shouting, sound of breaking glass"),
    }))
    .expect("valid")
}

/// A Greater Manchester postcode for a caller (districts M1 to M40, varied inward codes).
fn postcode(caller: usize) -> String {
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let (a, b) = (LETTERS[caller % LETTERS.len()], LETTERS[(caller / LETTERS.len()) % LETTERS.len()]);
    format!("M{} {}{}{}", 1 + caller % 40, caller % 10, a as char, b as char)
}

/// Names for the bench's callers (their combinations stay distinct for every caller).
const FIRST: [&str; 40] = [
    "Amara", "Ben", "Chloe", "Dylan", "Erin", "Farid", "Grace", "Harun", "Isla", "Jack", "Kiran", "Leah",
    "Mo", "Nia", "Oscar", "Priya", "Quinn", "Ruth", "Sam", "Tariq", "Uma", "Vik", "Wendy", "Xavier",
    "Yasmin", "Zac", "Aled", "Bethan", "Cai", "Dewi", "Efa", "Ffion", "Gwen", "Huw", "Ifan", "Jac", "Kayla",
    "Lowri", "Macsen", "Nel",
];
const LAST: [&str; 50] = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Edwards",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Hughes",
    "Moore",
    "Clark",
    "King",
    "Harrison",
    "Lewis",
    "Baker",
    "Lee",
    "Allen",
    "Morris",
    "Khan",
    "Scott",
    "Watson",
    "Davis",
    "Parker",
    "James",
    "Bennett",
    "Young",
    "Phillips",
    "Richardson",
    "Mitchell",
];

fn validated(i: usize) -> NewContact {
    contact(i).validate(chrono::Utc::now()).expect("valid")
}

struct Stats {
    per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn stats(mut latencies: Vec<Duration>, elapsed: Duration) -> Stats {
    latencies.sort();
    let q = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
    Stats { per_sec: latencies.len() as f64 / elapsed.as_secs_f64(), p50_ms: q(0.5), p99_ms: q(0.99) }
}

/// Which rows the raw baseline writes per contact.
#[derive(Clone, Copy, PartialEq)]
enum RawRows {
    /// The contact's row and its log entry, in bare tables: the stricter baseline.
    Bare,
    /// The rows the store really writes per contact, in the store's own schema (its migrations,
    /// indexes and append-only triggers): the contact, its `created` log entry, its audit entry
    /// and its phone key. The store's work beyond this (hashing the audit chain, references,
    /// idempotency, events) is what the ratio against it measures.
    SameAsStore,
}

/// The raw SQLite rate for `rows`: one plain statement per row, 512 contacts per transaction,
/// the store's durability (WAL, `synchronous=FULL`).
async fn raw_sqlite(dir: &std::path::Path, rows: RawRows) -> f64 {
    use sqlx::{ConnectOptions, Connection};
    let path = dir.join(if rows == RawRows::Bare { "raw.db" } else { "raw-same-rows.db" });
    if rows == RawRows::SameAsStore {
        Store::open(StoreOptions::sqlite_file(&path)).await.expect("schema").close().await;
    }
    let opts: sqlx::sqlite::SqliteConnectOptions = format!("sqlite://{}?mode=rwc", path.display())
        .parse::<sqlx::sqlite::SqliteConnectOptions>()
        .expect("url")
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Full);
    let mut conn = opts.connect().await.expect("connect");
    if rows == RawRows::Bare {
        for table in [
            "CREATE TABLE contacts (id INTEGER PRIMARY KEY, reference TEXT UNIQUE, channel TEXT, status TEXT, priority INTEGER, \
             flags TEXT, caller TEXT, caller_name TEXT, caller_postcode TEXT, narrative TEXT, offered_at INTEGER, created_at INTEGER, \
             updated_at INTEGER, version INTEGER)",
            "CREATE TABLE contact_events (id INTEGER PRIMARY KEY, contact_id INTEGER, at INTEGER, actor TEXT, kind TEXT, data TEXT)",
        ] {
            sqlx::query(table).execute(&mut conn).await.expect("schema");
        }
    }
    let contacts: Vec<NewContact> = (0..per_level()).map(validated).collect();
    let start = Instant::now();
    for (b, chunk) in contacts.chunks(512).enumerate() {
        let mut tx = conn.begin().await.expect("begin");
        for (i, c) in chunk.iter().enumerate() {
            let n = b * 512 + i + 1;
            let reference = format!("FC-20261123-{n:06}");
            let at = c.offered_at.timestamp_micros();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO contacts (reference, channel, status, priority, flags, caller, caller_name, caller_postcode, \
                 narrative, offered_at, created_at, updated_at, version) VALUES ($1,$2,'received',$3,$4,$5,$6,$7,$8,$9,$9,$9,1) RETURNING id",
            )
            .bind(&reference)
            .bind(c.channel.as_str())
            .bind(i64::from(c.channel.default_priority()))
            .bind(serde_json::to_string(&c.flags).expect("json"))
            .bind(serde_json::to_string(&c.caller).expect("json"))
            .bind(c.caller.name.clone())
            .bind(c.caller.postcode.as_ref().map(|p| p.to_string()))
            .bind(&c.narrative)
            .bind(at)
            .fetch_one(&mut *tx)
            .await
            .expect("contact");
            sqlx::query("INSERT INTO contact_events (contact_id, at, actor, kind, data) VALUES ($1, $2, 'bench', 'created', $3)")
                .bind(id)
                .bind(at)
                .bind(serde_json::to_string(c).expect("json"))
                .execute(&mut *tx)
                .await
                .expect("event");
            if rows == RawRows::Bare {
                continue;
            }
            sqlx::query(
                "INSERT INTO audit_log (seq, at, actor, action, record_type, record_id, detail, prev_hash, hash) \
                 VALUES ($1, $2, 'bench', 'collection', 'contact', $3, 'new 999 contact with caller details', $4, $5)",
            )
            .bind(n as i64)
            .bind(at)
            .bind(&reference)
            .bind(format!("{:064x}", n - 1))
            .bind(format!("{n:064x}"))
            .execute(&mut *tx)
            .await
            .expect("audit");
            sqlx::query("INSERT INTO contact_caller_keys (contact_id, key, offered_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(format!("phone:{n}"))
                .bind(at)
                .execute(&mut *tx)
                .await
                .expect("key");
        }
        tx.commit().await.expect("commit");
    }
    per_level() as f64 / start.elapsed().as_secs_f64()
}

async fn through_store(store: &Store, concurrency: usize) -> Stats {
    let actor = Actor { username: "bench".into(), role: Role::CallHandler };
    let per_task = per_level() / concurrency;
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|t| {
            let (store, actor) = (store.clone(), actor.clone());
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(per_task);
                for i in 0..per_task {
                    let c = validated(t * per_task + i);
                    let s = Instant::now();
                    store.create_contact(&actor, c, None).await.expect("create");
                    lat.push(s.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    stats(all, start.elapsed())
}

/// One keep-alive HTTP/1.1 connection of the load client. The client is deliberately lean
/// (requests formatted by hand, responses parsed with httparse, no connection pool): it shares
/// the machine's two cores with the server, and every cycle it spends is one the server loses.
struct Connection {
    stream: tokio::net::TcpStream,
    buf: Vec<u8>,
}

impl Connection {
    async fn open(addr: std::net::SocketAddr) -> Self {
        let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Self { stream, buf: Vec::with_capacity(16 * 1024) }
    }

    /// Sends one request and reads its whole response; returns the status.
    async fn send(&mut self, request: &[u8]) -> u16 {
        use tokio::io::AsyncWriteExt;
        self.stream.write_all(request).await.expect("write");
        self.buf.clear();
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut response = httparse::Response::new(&mut headers);
            if let httparse::Status::Complete(head) = response.parse(&self.buf).expect("response") {
                let length = response
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                    .and_then(|h| std::str::from_utf8(h.value).ok()?.parse::<usize>().ok())
                    .expect("content-length");
                let status = response.code.expect("status");
                while self.buf.len() < head + length {
                    self.read_more().await;
                }
                return status;
            }
            self.read_more().await;
        }
    }

    async fn read_more(&mut self) {
        use tokio::io::AsyncReadExt;
        let mut chunk = [0u8; 8192];
        let n = self.stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "the server closed the connection");
        self.buf.extend_from_slice(&chunk[..n]);
    }
}

/// `POST /api/v1/contacts` with contact `i` as its body. With `FC_BENCH_KEYS` set, each carries an
/// `Idempotency-Key`, as a telephony integration's creates would.
fn create_request(token: &str, i: usize) -> Vec<u8> {
    let body = serde_json::to_vec(&contact(i)).expect("json");
    let key = match std::env::var("FC_BENCH_KEYS") {
        Ok(_) => format!("Idempotency-Key: bench-{i}\r\n"),
        Err(_) => String::new(),
    };
    let mut request = format!(
        "POST /api/v1/contacts HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n{key}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    request
}

/// Runs `concurrency` connections, each sending its share of [`per_level`] requests made by
/// `request(i)` one after another, and expecting `status`.
async fn load(
    addr: std::net::SocketAddr,
    concurrency: usize,
    status: u16,
    request: impl Fn(usize) -> Vec<u8> + Clone + Send + 'static,
) -> Stats {
    let per_task = per_level() / concurrency;
    let mut connections = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        connections.push(Connection::open(addr).await);
    }
    let start = Instant::now();
    let tasks: Vec<_> = connections
        .into_iter()
        .enumerate()
        .map(|(t, mut conn)| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(per_task);
                for i in 0..per_task {
                    let bytes = request(t * per_task + i);
                    let s = Instant::now();
                    assert_eq!(conn.send(&bytes).await, status);
                    lat.push(s.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    stats(all, start.elapsed())
}

/// Concurrency levels: `FC_BENCH_LEVELS=64,256` narrows a run while investigating (the recorded
/// figures always use the default set).
fn levels() -> Vec<usize> {
    std::env::var("FC_BENCH_LEVELS")
        .ok()
        .map(|v| v.split(',').filter_map(|l| l.trim().parse().ok()).collect())
        .filter(|l: &Vec<usize>| !l.is_empty())
        .unwrap_or_else(|| LEVELS.to_vec())
}

/// Which paths to run (`raw`, `store`, `http`): `FC_BENCH_PATHS=http` skips the others while
/// investigating.
fn runs(path: &str) -> bool {
    std::env::var("FC_BENCH_PATHS").map(|p| p.split(',').any(|x| x.trim() == path)).unwrap_or(true)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let dir = tempfile::tempdir().expect("dir");
        // `FC_BENCH_PATHS=http` (without `raw`) skips the baselines while profiling; the ratios
        // then read NaN.
        let (raw, same) = if runs("raw") {
            (raw_sqlite(dir.path(), RawRows::Bare).await, raw_sqlite(dir.path(), RawRows::SameAsStore).await)
        } else {
            (f64::NAN, f64::NAN)
        };
        println!("raw SQLite (WAL, synchronous=FULL, 512 contacts/transaction):");
        println!("  contact and log entry, bare tables: {raw:.0} contacts/s");
        println!("  the store's four rows per contact, its schema: {same:.0} contacts/s");
        println!();
        println!(
            "| path | concurrency | contacts/s | vs raw | vs raw, same rows | p50 ms | p99 ms | matching caught up after (s) |"
        );
        println!("|---|---|---|---|---|---|---|---|");
        for level in levels().into_iter().filter(|_| runs("store")) {
            let store = Store::open(StoreOptions::sqlite_file(&dir.path().join(format!("store{level}.db"))))
                .await
                .expect("store");
            let s = through_store(&store, level).await;
            println!(
                "| store | {level} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | – |",
                s.per_sec,
                s.per_sec / raw,
                s.per_sec / same,
                s.p50_ms,
                s.p99_ms
            );
            store.close().await;
        }
        for level in levels().into_iter().filter(|_| runs("http")) {
            let store = Store::open(StoreOptions::sqlite_file(&dir.path().join(format!("http{level}.db"))))
                .await
                .expect("store");
            let hash = fc_server::auth::password::hash("bench-password-long").expect("hash");
            let user = store
                .create_user(
                    &Actor::system(),
                    fc_store::users::NewUser {
                        username: "bench".into(),
                        display_name: "Bench".into(),
                        role: Role::CallHandler,
                        password_hash: hash,
                    },
                )
                .await
                .expect("user");
            store.create_api_token(user.id, "bench", "fct_bench").await.expect("token");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let addr = listener.local_addr().expect("addr");
            let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
            let state = AppState::new(store, ServerConfig::default());
            let server = tokio::spawn(fc_server::serve(listener, state.clone(), async {
                let _ = stop_rx.await;
            }));
            // The same client doing no work on the server: the ceiling this machine's HTTP stack
            // and client allow, so the API's figures can be read against it.
            let health = b"GET /health HTTP/1.1\r\nHost: bench\r\n\r\n".to_vec();
            let floor = load(addr, level, 200, move |_| health.clone()).await;
            println!(
                "| HTTP, no work (GET /health) | {level} | {:.0} | – | – | {:.2} | {:.2} | – |",
                floor.per_sec, floor.p50_ms, floor.p99_ms
            );
            let s = load(addr, level, 201, |i| create_request("fct_bench", i)).await;
            // Person matching runs behind the acknowledgements; let it finish before the next row so
            // one row's backlog does not run during the next row's measurement.
            let behind = Instant::now();
            state.persons.flush().await;
            let matched = state.store.person_stats().await.expect("stats");
            eprintln!(
                "matching at {level}: {} persons, {} contacts linked, {} reviews waiting",
                matched.persons, matched.linked_contacts, matched.pending_reviews
            );
            println!(
                "| HTTP API | {level} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} |",
                s.per_sec,
                s.per_sec / raw,
                s.per_sec / same,
                s.p50_ms,
                s.p99_ms,
                behind.elapsed().as_secs_f64()
            );
            let _ = stop_tx.send(());
            let _ = server.await;
        }
    });
}
