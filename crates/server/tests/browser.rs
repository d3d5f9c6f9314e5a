//! The web UI in real headless Chromium, driven over WebDriver: two people in two browser
//! sessions; one logs a contact through the form, using only the keyboard; the other's queue
//! shows it without a reload (live over SSE). Screenshots of the queue and the contact screen are
//! left in the target directory for a person to look at.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test says it was skipped,
//! unless `CI` is set, where a skipped browser test would hide a broken install: there it fails.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use fc_domain::{Actor, Role};
use fc_server::{AppState, ServerConfig};
use fc_store::users::NewUser;
use fc_store::{Store, StoreOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery";
/// Longest we wait for anything the browser should do promptly.
const DEADLINE: Duration = Duration::from_secs(20);

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file()))
}

/// chromedriver on a free loopback port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start(program: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
        let started = Instant::now();
        loop {
            if let Ok(res) = reqwest::get(format!("{}/status", driver.url)).await
                && res.status().is_success()
            {
                return driver;
            }
            assert!(started.elapsed() < DEADLINE, "chromedriver did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A new browser session with its own fresh profile.
    async fn browser(&self, chromium: &Path, profile: &Path) -> Client {
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "chrome".into());
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": chromium.display().to_string(), "args": args }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("browser session")
    }
}

/// A fresh store in `dir` with these users (username, display name, role), all with [`PASSWORD`].
async fn store_with_users(dir: &Path, file: &str, users: &[(&str, &str, Role)]) -> Store {
    let store = Store::open(StoreOptions::sqlite_file(&dir.join(file))).await.expect("store");
    let hash = fc_server::auth::password::hash(PASSWORD).expect("hash");
    for (username, display_name, role) in users {
        let new = NewUser {
            username: (*username).into(),
            display_name: (*display_name).into(),
            role: *role,
            password_hash: hash.clone(),
        };
        store.create_user(&Actor::system(), new).await.expect("user");
    }
    store
}

/// Serves `store` on a free loopback port; returns the base URL.
async fn serve(store: Store) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = AppState::new(store, ServerConfig::default());
    tokio::spawn(fc_server::serve(listener, state, std::future::pending()));
    base
}

/// Chromium and ChromeDriver, or `None` after saying the test `what` was skipped (outside CI
/// only: there a skipped browser test would hide a broken install, so it fails).
fn browser_programs(what: &str) -> Option<(PathBuf, PathBuf)> {
    let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    let chromedriver = find_program(&["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser tests: install chromium and chromium-driver"
        );
        let _ = writeln!(std::io::stderr(), "SKIPPED {what}: chromium/chromedriver not installed");
        return None;
    };
    Some((chromium, chromedriver))
}

async fn start_app(dir: &Path) -> String {
    let users = [("alice", "Alice Handler", Role::CallHandler), ("bob", "Bob Supervisor", Role::Supervisor)];
    serve(store_with_users(dir, "browser.db", &users).await).await
}

/// Presses one key on whatever has focus, as a person would.
async fn press(c: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    c.perform_actions(keys).await.expect("key press");
}

/// Types text into whatever has focus.
async fn type_text(c: &Client, text: &str) {
    c.active_element().await.expect("focus").send_keys(text).await.expect("type");
}

async fn focused_id(c: &Client) -> String {
    let v =
        c.execute("return document.activeElement && document.activeElement.id", vec![]).await.expect("js");
    v.as_str().unwrap_or_default().to_string()
}

/// Presses Tab until the element with `id` has focus (a bounded number of times).
async fn tab_to(c: &Client, id: &str) {
    for _ in 0..40 {
        if focused_id(c).await == id {
            return;
        }
        press(c, Key::Tab.into()).await;
    }
    panic!("Tab never reached #{id}; focus is on #{}", focused_id(c).await);
}

/// Polls `check` until it holds or the deadline passes.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < DEADLINE, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn sign_in(c: &Client, base: &str, username: &str) {
    c.goto(&format!("{base}/login")).await.expect("login page");
    c.find(Locator::Id("username")).await.expect("username").send_keys(username).await.expect("type");
    c.find(Locator::Id("password")).await.expect("password").send_keys(PASSWORD).await.expect("type");
    press(c, Key::Enter.into()).await;
    c.wait().at_most(DEADLINE).for_element(Locator::Id("queue")).await.expect("the queue after sign-in");
}

async fn screenshot(c: &Client, name: &str) -> PathBuf {
    let png = c.screenshot().await.expect("screenshot");
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, png).expect("write screenshot");
    let _ = writeln!(std::io::stderr(), "screenshot: {}", path.display());
    path
}

async fn current_path(c: &Client) -> String {
    c.current_url().await.map(|u| u.path().to_string()).unwrap_or_default()
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css)).await.expect(css).text().await.expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_logged_by_keyboard_appears_live_in_another_session() {
    let Some((chromium, chromedriver)) = browser_programs("browser test") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let base = start_app(dir.path()).await;
    let driver = Driver::start(&chromedriver).await;
    let a = driver.browser(&chromium, &dir.path().join("profile-a")).await;
    let b = driver.browser(&chromium, &dir.path().join("profile-b")).await;

    sign_in(&a, &base, "alice").await;
    sign_in(&b, &base, "bob").await;
    let header = text_of(&b, ".who").await;
    assert!(header.contains("Bob Supervisor") && header.contains("Supervisor"), "{header}");
    // A marker that a reload would wipe: it must survive until the new contact shows.
    b.execute("window.__noReload = true", vec![]).await.expect("js");

    // A: the `n` shortcut, then only Tab, Space, typing and Enter.
    press(&a, 'n').await;
    a.wait().at_most(DEADLINE).for_element(Locator::Id("f-channel")).await.expect("the new-contact form");
    assert_eq!(focused_id(&a).await, "f-channel", "the form starts on its first field");
    tab_to(&a, "f-flag-silent_999").await;
    press(&a, Key::Space.into()).await;
    tab_to(&a, "f-caller-name").await;
    type_text(&a, "Alex Keyboard").await;
    tab_to(&a, "f-location-text").await;
    type_text(&a, "Junction of High Street and Mill Lane").await;
    tab_to(&a, "f-narrative").await;
    type_text(&a, "Open line, no speech; traffic noise.").await;
    press(&a, Key::Tab.into()).await;
    let on_button = a.execute("return document.activeElement.type", vec![]).await.expect("js");
    assert_eq!(on_button, "submit", "Tab after the narrative reaches the submit button");
    press(&a, Key::Enter.into()).await;

    eventually("the contact screen", || async { current_path(&a).await.starts_with("/contacts/FC-") }).await;
    let reference = current_path(&a).await.trim_start_matches("/contacts/").to_string();
    assert_eq!(text_of(&a, "h1").await, reference);
    let body = text_of(&a, "main").await;
    assert!(body.contains("Alex Keyboard") && body.contains("Silent 999 (55)"), "{body}");
    let contact_png = screenshot(&a, "browser-contact.png").await;

    // B: the new contact appears in the queue without a reload.
    let selector = format!("#queue a[data-ref=\"{reference}\"]");
    eventually("the contact in the other session's queue", || async {
        b.find(Locator::Css(&selector)).await.is_ok()
    })
    .await;
    let kept = b.execute("return window.__noReload === true", vec![]).await.expect("js");
    assert_eq!(kept, true, "the queue updated in place, without reloading the page");
    let status = text_of(&b, "#queue-status").await;
    assert!(status.contains("1 contact waiting"), "the live region says so: {status}");
    let waiting = text_of(&b, "#queue td.wait .elapsed").await;
    assert!(waiting.ends_with('s'), "the wait is shown: {waiting}");
    let row = text_of(&b, "#queue tbody tr").await;
    assert!(
        row.contains("Silent 999 (55)") && !row.contains("Alex"),
        "flags shown, caller details not: {row}"
    );

    // B: the `/` shortcut focuses the channel filter.
    b.find(Locator::Css("h1")).await.expect("h1").click().await.expect("click");
    press(&b, '/').await;
    assert_eq!(focused_id(&b).await, "filter-channel");

    let queue_png = screenshot(&b, "browser-queue.png").await;

    // A: a mistake comes back beside its field, with the error summary focused for a screen reader.
    a.goto(&format!("{base}/contacts/new")).await.expect("form");
    tab_to(&a, "f-caller-postcode").await;
    type_text(&a, "not a postcode").await;
    press(&a, Key::Enter.into()).await;
    eventually("the error summary to take focus", || async { focused_id(&a).await == "error-summary" }).await;
    let error = text_of(&a, "#f-caller-postcode-error").await;
    assert!(error.contains("not a valid UK postcode"), "{error}");
    let form_png = screenshot(&a, "browser-form-errors.png").await;

    for png in [queue_png, contact_png, form_png] {
        assert!(std::fs::metadata(png).expect("png").len() > 1000);
    }

    a.close().await.expect("close a");
    b.close().await.expect("close b");
}

/// The app as `start_app`, also handing back the store so a test can change a contact the way an
/// integration would, and the reference of one 101 contact about domestic abuse.
async fn start_app_with_contact(dir: &Path) -> (String, Store, String) {
    let store = store_with_users(dir, "triage.db", &[("alice", "Alice Handler", Role::CallHandler)]).await;
    let input: fc_domain::record::NewContactInput = serde_json::from_value(serde_json::json!({
        "channel": "101", "narrative": "My ex partner keeps turning up at my house"
    }))
    .expect("input");
    let actor = Actor { username: "alice".into(), role: Role::CallHandler };
    let contact = input.validate(chrono::Utc::now()).expect("valid");
    let reference =
        store.create_contact(&actor, contact, None).await.expect("contact").contact.reference.to_string();
    let base = serve(store.clone()).await;
    (base, store, reference)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_risk_panel_follows_the_call_live_and_thrive_is_keyboard_first() {
    let Some((chromium, chromedriver)) = browser_programs("risk panel browser test") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let (base, store, reference) = start_app_with_contact(dir.path()).await;
    let driver = Driver::start(&chromedriver).await;
    let a = driver.browser(&chromium, &dir.path().join("profile-t")).await;
    sign_in(&a, &base, "alice").await;
    a.goto(&format!("{base}/contacts/{reference}")).await.expect("contact screen");
    a.wait().at_most(DEADLINE).for_element(Locator::Id("risk-panel")).await.expect("the risk panel");
    assert!(text_of(&a, "#risk-live").await.contains("Domestic abuse"));
    assert!(!text_of(&a, "#risk-live").await.contains("Weapons"));
    a.execute("window.__noReload = true", vec![]).await.expect("js");

    // Someone adds to the narrative during the call: the panel follows without a reload.
    let actor = Actor { username: "alice".into(), role: Role::CallHandler };
    let patch = fc_domain::ContactPatch {
        narrative: Some("My ex partner is outside with a knife".into()),
        ..Default::default()
    };
    store.update_contact(&actor, &reference, patch, None).await.expect("update");
    eventually("the weapon signal to appear live", || async {
        a.find(Locator::Css("#risk-live")).await.is_ok()
            && text_of(&a, "#risk-live").await.contains("Weapons")
    })
    .await;
    let kept = a.execute("return window.__noReload === true", vec![]).await.expect("js");
    assert_eq!(kept, true, "updated in place");
    assert!(
        text_of(&a, "p.narrative mark").await.contains("knife")
            || text_of(&a, "p.narrative").await.contains("knife")
    );

    // `t` opens THRIVE on its first judgement; Tab walks the elements in THRIVE order.
    a.find(Locator::Css("h1")).await.expect("h1").click().await.expect("click");
    press(&a, 't').await;
    assert_eq!(focused_id(&a).await, "thrive-threat");
    press(&a, Key::Tab.into()).await;
    assert_eq!(focused_id(&a).await, "thrive-threat-notes");
    press(&a, Key::Tab.into()).await;
    assert_eq!(focused_id(&a).await, "thrive-harm");
    let png = screenshot(&a, "browser-risk-panel.png").await;
    assert!(std::fs::metadata(png).expect("png").len() > 1000);
    a.close().await.expect("close");
}

/// A dispatcher's store: one dispatcher user, one roads policing unit near Oxford Road.
async fn start_dispatch_app(dir: &Path) -> (String, Store) {
    let store = store_with_users(dir, "dispatch.db", &[("dina", "Dina Dispatcher", Role::Dispatcher)]).await;
    let unit: fc_domain::unit::NewUnitInput = serde_json::from_value(serde_json::json!({
        "call_sign": "RP4", "unit_type": "roads_policing", "home_station": "Longsight",
        "position": {"lat": 53.47, "lon": -2.23}, "status": "available"
    }))
    .expect("shape");
    store.create_unit(&Actor::system(), unit.validate().expect("valid")).await.expect("unit");
    let base = serve(store.clone()).await;
    (base, store)
}

async fn raise(store: &Store, summary: &str) -> String {
    let input: fc_domain::incident::NewIncidentInput = serde_json::from_value(serde_json::json!({
        "category": "TRN-RTC-INJURY", "grade": 1, "location": {"lat": 53.48, "lon": -2.24},
        "summary": summary
    }))
    .expect("shape");
    let new = input.validate(&fc_domain::incident::CategoryList::builtin()).expect("valid");
    let actor = Actor { username: "h".into(), role: Role::CallHandler };
    store.create_incident(&actor, new, None).await.expect("raise").incident.reference.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dispatch_board_is_live_and_a_unit_is_assigned_by_one_key() {
    let Some((chromium, chromedriver)) = browser_programs("dispatch browser test") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let (base, store) = start_dispatch_app(dir.path()).await;
    let first = raise(&store, "Two cars, one overturned").await;
    let driver = Driver::start(&chromedriver).await;
    let c = driver.browser(&chromium, &dir.path().join("profile-d")).await;
    sign_in(&c, &base, "dina").await;
    c.goto(&format!("{base}/dispatch")).await.expect("dispatch");
    c.wait().at_most(DEADLINE).for_element(Locator::Id("dispatch")).await.expect("the board");
    assert!(text_of(&c, "#dispatch").await.contains(&first));
    c.execute("window.__noReload = true", vec![]).await.expect("js");
    let second = raise(&store, "Lorry shed its load").await;
    eventually("the new incident on the board without a reload", || async {
        text_of(&c, "#dispatch").await.contains(&second)
    })
    .await;
    let kept = c.execute("return window.__noReload === true", vec![]).await.expect("js");
    assert_eq!(kept, serde_json::json!(true), "updated live, not reloaded");
    let circles = c
        .execute("return document.querySelectorAll('#dispatch svg circle').length", vec![])
        .await
        .expect("js");
    assert_eq!(circles, serde_json::json!(2), "both incidents on the offline map");
    screenshot(&c, "browser-dispatch.png").await;

    c.goto(&format!("{base}/incidents/{first}")).await.expect("incident");
    c.wait().at_most(DEADLINE).for_element(Locator::Id("h-recs")).await.expect("recommendations");
    press(&c, '1').await;
    eventually("the unit assigned by pressing 1", || async {
        store.get_unit("RP4").await.map(|u| u.status == fc_domain::UnitStatus::Assigned).unwrap_or(false)
    })
    .await;
    c.wait().at_most(DEADLINE).for_element(Locator::Id("h-log")).await.expect("back on the incident");
    assert!(text_of(&c, "#h-log + ol").await.contains("unit assigned"));
    screenshot(&c, "browser-incident.png").await;
}

/// A handler who has just closed a severe contact (a suicide attempt), and a supervisor.
async fn start_wellbeing_app(dir: &Path) -> (String, Store, String) {
    let users = [("alice", "Alice Handler", Role::CallHandler), ("bob", "Bob Supervisor", Role::Supervisor)];
    let store = store_with_users(dir, "wellbeing.db", &users).await;
    let input: fc_domain::record::NewContactInput = serde_json::from_value(serde_json::json!({
        "channel": "101", "narrative": "My dad says he is going to kill himself, he has taken an overdose"
    }))
    .expect("input");
    let alice = Actor { username: "alice".into(), role: Role::CallHandler };
    let contact = input.validate(chrono::Utc::now()).expect("valid");
    let reference =
        store.create_contact(&alice, contact, None).await.expect("contact").contact.reference.to_string();
    for (to, outcome) in [
        (fc_domain::ContactStatus::Queued, None),
        (fc_domain::ContactStatus::InProgress, None),
        (fc_domain::ContactStatus::Closed, Some(fc_domain::Outcome::IncidentRaised)),
    ] {
        let t = fc_store::contacts::Transition { to, outcome, note: None };
        store.transition_contact(&alice, &reference, t, None).await.expect("transition");
    }
    for s in [fc_domain::HandlerState::SignedIn, fc_domain::HandlerState::Ready] {
        store.set_handler_state(&alice, "alice", s, None).await.expect("state");
    }
    let base = serve(store.clone()).await;
    (base, store, reference)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_severe_contact_a_break_is_one_key_away_and_a_supervisor_checks_in_by_keyboard() {
    let Some((chromium, chromedriver)) = browser_programs("wellbeing browser test") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let (base, store, reference) = start_wellbeing_app(dir.path()).await;
    let driver = Driver::start(&chromedriver).await;

    // The handler: the prompt sits above the queue; `b` reaches its button, Enter takes the break.
    let a = driver.browser(&chromium, &dir.path().join("profile-w1")).await;
    sign_in(&a, &base, "alice").await;
    assert!(text_of(&a, "#break-prompt").await.contains(&reference));
    a.find(Locator::Css("h1")).await.expect("h1").click().await.expect("click");
    press(&a, 'b').await;
    assert_eq!(focused_id(&a).await, "break-now");
    press(&a, Key::Enter.into()).await;
    eventually("the handler to be on a break", || async {
        store.handler("alice").await.is_ok_and(|h| h.state == fc_domain::HandlerState::Break)
    })
    .await;
    a.wait().at_most(DEADLINE).for_element(Locator::Id("queue")).await.expect("back on the queue");
    assert!(a.find(Locator::Id("break-prompt")).await.is_err(), "no prompt once on a break");
    a.close().await.expect("close");

    // The supervisor: Tab to the handler on the overview, then the check-in form, all by keyboard.
    let b = driver.browser(&chromium, &dir.path().join("profile-w2")).await;
    sign_in(&b, &base, "bob").await;
    b.goto(&format!("{base}/wellbeing")).await.expect("wellbeing");
    assert!(text_of(&b, "#wellbeing-status").await.contains("1 check-in due"));
    tab_to(&b, "wb-alice").await;
    press(&b, Key::Enter.into()).await;
    b.wait().at_most(DEADLINE).for_element(Locator::Id("check-in-form")).await.expect("the handler's page");
    tab_to(&b, "ci-outcome").await;
    press(&b, Key::Down.into()).await;
    tab_to(&b, "ci-note").await;
    type_text(&b, "Walked her to the quiet room").await;
    press(&b, Key::Tab.into()).await;
    press(&b, Key::Enter.into()).await;
    eventually("the check-in to be recorded", || async {
        let since = chrono::Utc::now() - chrono::Duration::hours(1);
        store.check_ins(Some("alice"), since).await.is_ok_and(|c| c.len() == 1)
    })
    .await;
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    let recorded = store.check_ins(Some("alice"), since).await.expect("read");
    assert_eq!(
        recorded[0].outcome,
        fc_domain::CheckInOutcome::BreakTaken,
        "the second outcome, by arrow key"
    );
    assert_eq!(recorded[0].contact.as_deref(), Some(reference.as_str()), "prefilled with the contact");
    assert_eq!(recorded[0].note.as_deref(), Some("Walked her to the quiet room"));
    let png = screenshot(&b, "browser-wellbeing.png").await;
    assert!(std::fs::metadata(png).expect("png").len() > 1000);
    b.close().await.expect("close");
}
