//! `firstcontact demo`: a working control room in one command. Creates a data folder with an
//! embedded database, demo users for every role, a generated day of a force's contacts, and then
//! serves the UI and API with live traffic arriving.

use crate::demo::{dispatch, generator::Generator, live};
use anyhow::Context;
use chrono::Utc;
use fc_domain::{Actor, CheckInOutcome, Role};
use fc_server::{AppState, ServerConfig};
use fc_store::users::NewUser;
use fc_store::wellbeing::NewCheckIn;
use indicatif::{ProgressBar, ProgressStyle};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

/// Demo options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Port on 127.0.0.1 (0 takes a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Folder for the demo database.
    #[arg(long, default_value = "data/demo")]
    pub data: PathBuf,
    /// Seed for the generated data.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Contacts in the seeded day of history.
    #[arg(long, default_value_t = 2400)]
    pub history: usize,
    /// Mean live arrivals per minute (0 for none).
    #[arg(long, default_value_t = 8.0)]
    pub rate: f64,
    /// Delete the demo database first.
    #[arg(long)]
    pub fresh: bool,
    /// Run on this database instead of the data folder's embedded one: a `postgres://` URL tries
    /// the demo on the production backend. It must be empty, or hold an earlier demo.
    #[arg(long, env = "FIRSTCONTACT_DEMO_DATABASE")]
    pub database: Option<String>,
}

/// Demo sign-ins: (username, role). All share [`DEMO_PASSWORD`].
pub const DEMO_USERS: &[(&str, Role)] = &[
    ("handler", Role::CallHandler),
    ("dispatcher", Role::Dispatcher),
    ("supervisor", Role::Supervisor),
    ("analyst", Role::Analyst),
    ("auditor", Role::Auditor),
    ("admin", Role::Administrator),
];

/// The demo password (demo data only; never use a shared password for real).
pub const DEMO_PASSWORD: &str = "firstcontact-demo";

/// Runs the demo.
pub async fn run(args: Args) -> anyhow::Result<()> {
    crate::logging::init();
    anyhow::ensure!(args.rate >= 0.0 && args.rate <= 600.0, "--rate must be between 0 and 600 per minute");
    let url = match &args.database {
        Some(url) => {
            anyhow::ensure!(
                !args.fresh,
                "--fresh only deletes the embedded demo database; empty {} yourself",
                fc_store::redacted_url(url)
            );
            url.clone()
        }
        None => {
            std::fs::create_dir_all(&args.data)
                .with_context(|| format!("creating {}", args.data.display()))?;
            let db = args.data.join("firstcontact.db");
            if args.fresh {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
                }
            }
            format!("sqlite://{}?mode=rwc", db.display())
        }
    };
    let store = crate::commands::serve::open_store(&url).await?;
    let triage = if store.count_users().await? == 0 {
        Some(seed(&store, &args).await?)
    } else {
        match &args.database {
            Some(url) => println!("Using the existing demo in {}.", fc_store::redacted_url(url)),
            None => println!(
                "Using the existing demo database in {} (--fresh to start again).",
                args.data.display()
            ),
        }
        None
    };

    let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)))
        .await
        .with_context(|| format!("binding 127.0.0.1:{} (try --port 0 for a free port)", args.port))?;
    let addr = listener.local_addr()?;
    let config = ServerConfig { bind: addr, database_url: url, ..ServerConfig::default() };
    let state = AppState::new(store.clone(), config);
    let traffic =
        (args.rate > 0.0).then(|| tokio::spawn(live::run(store.clone(), args.seed ^ 0x5eed, args.rate)));
    let dispatching =
        (args.rate > 0.0).then(|| tokio::spawn(dispatch::run(store.clone(), args.seed ^ 0xd15)));

    println!();
    println!("FirstContact demo control room: http://{addr}/");
    println!("API: http://{addr}/api/v1/openapi.json");
    println!("Sign in with any of these (password: {DEMO_PASSWORD}):");
    for (user, role) in DEMO_USERS {
        println!("  {user:<12} {}", role.label());
    }
    println!("Live traffic: about {} contacts a minute. Ctrl-C to stop.", args.rate);
    println!();

    // Triage data is seeded while the server already answers (it reads each contact's history,
    // which takes some seconds for a day of contacts); the screens fill in as it goes.
    let seeding = triage.map(|pending| {
        let (state, seed) = (state.clone(), args.seed);
        tokio::spawn(async move {
            // Each caller recorded twice calls again: the matcher finds both records and asks a
            // supervisor whether they are one person (/person-pairs).
            for again in pending.twice {
                let handler = Actor { username: "handler".into(), role: Role::CallHandler };
                if let Err(e) = state.store.create_contact(&handler, again, None).await {
                    tracing::warn!("seeding a repeat call failed: {e}");
                }
            }
            match crate::demo::triage::seed(&state, &pending.contacts, &pending.persons, seed).await {
                Ok(t) => println!(
                    "Seeded triage: {} THRIVE assessments, {} grade decisions ({} overrides: /overrides), \
                     {} DASH ({} MARAC referrals: /referrals), {} markers.",
                    t.thrive, t.graded, t.overrides, t.dash, t.referrals, t.markers
                ),
                Err(e) => tracing::warn!("seeding triage data failed: {e:#}"),
            }
        })
    });
    fc_server::serve(listener, state, crate::commands::serve::shutdown_signal()).await?;
    if let Some(t) = seeding {
        t.abort();
    }
    if let Some(t) = traffic {
        t.abort();
    }
    if let Some(t) = dispatching {
        t.abort();
    }
    Ok(())
}

/// Today's seeded contacts and the most frequent callers, for the triage seeding that runs once
/// the server is up.
struct PendingTriage {
    /// Callers recorded as two persons, who call again once the server runs.
    twice: Vec<fc_domain::NewContact>,
    contacts: Vec<fc_domain::Contact>,
    persons: Vec<String>,
}

async fn seed(store: &fc_store::Store, args: &Args) -> anyhow::Result<PendingTriage> {
    let system = Actor::system();
    let hash = fc_server::auth::password::hash(DEMO_PASSWORD).map_err(anyhow::Error::msg)?;
    for (username, role) in DEMO_USERS {
        store
            .create_user(
                &system,
                NewUser {
                    username: (*username).into(),
                    display_name: format!("Demo {}", role.label()),
                    role: *role,
                    password_hash: hash.clone(),
                },
            )
            .await?;
    }
    let mut generator = Generator::new(args.seed);
    let offers = generator.day_of_offers(Utc::now() - chrono::Duration::minutes(30), args.history);
    let bar = ProgressBar::new(offers.len() as u64).with_message("seeding a day of contacts");
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // A day's roster: the demo handler, the simulated colleagues on shift now and colleagues whose
    // shifts are over (no sign-in). About 80 contacts each, as a day of 2,400 spreads over a
    // force's handlers, so each one's wellbeing figures (/wellbeing) look like a real shift's.
    let off_shift: Vec<String> = (1..=20).map(|i| format!("colleague.{i:02}")).collect();
    let handlers: Vec<&str> = ["handler"]
        .into_iter()
        .chain(live::COLLEAGUES.iter().map(|(name, _)| *name))
        .chain(off_shift.iter().map(String::as_str))
        .collect();
    // Earlier months first, mostly repeat callers, so profiles have a history to show.
    let end = Utc::now() - chrono::Duration::minutes(30);
    generator.set_regular_share(90);
    let past = generator.past_offers(end - chrono::Duration::hours(24), 90, args.history / 4);
    let mut stored = Vec::with_capacity(offers.len() + past.len());
    for chunk in past.chunks(400) {
        let contacts: Vec<_> = chunk.iter().filter_map(|t| generator.historical(*t, &handlers)).collect();
        stored.extend(store.import_contacts(&system, contacts).await?);
    }
    generator.set_regular_share(25);
    let today_from = stored.len();
    for chunk in offers.chunks(400) {
        let contacts: Vec<_> = chunk.iter().filter_map(|t| generator.historical(*t, &handlers)).collect();
        stored.extend(store.import_contacts(&system, contacts).await?);
        bar.inc(chunk.len() as u64);
    }
    bar.finish_with_message("seeded a day of contacts");
    let linked = crate::persons_link::link_contacts(
        store,
        &system,
        &stored,
        &fc_linkage::Model::default(),
        &fc_linkage::NoProgress,
    )
    .await?;
    println!(
        "Linked {} contacts into {} persons (single citizen view); {} possible same person pairs for review.",
        linked.contacts, linked.persons, linked.pairs_for_review
    );
    // Markers on the most frequent callers, so profiles and the contact screen show them.
    let supervisor = Actor { username: "supervisor".into(), role: Role::Supervisor };
    for (i, (person, _)) in linked.largest.iter().take(6).enumerate() {
        let (code, note) = match i {
            0 => ("mental_health", "Known to the crisis team; ask about medication and support worker"),
            2 => ("violence", "Threatened a neighbour with a bat (previous incident)"),
            4 => ("adult_at_risk", "Lives alone, memory problems; check welfare"),
            _ => ("high_intensity_caller", "Calls most days; refer to the high-intensity user lead"),
        };
        store.set_marker(&supervisor, person, code, note, None).await?;
    }
    let twice = recorded_twice(store, &supervisor, &linked.largest).await?;
    // The supervisor has already checked in with the demo handler once this shift.
    let check_in = NewCheckIn {
        handler: "handler".into(),
        contact: None,
        outcome: CheckInOutcome::Fine,
        note: Some("Quiet word after the run of hard calls this morning; fine to carry on.".into()),
    };
    store.record_check_in(&supervisor, check_in, None).await?;
    println!(
        "Spread the day over {} handlers; the supervisor has checked in once with `handler` (staff wellbeing: /wellbeing).",
        handlers.len()
    );
    let units = dispatch::seed_units(store).await?;
    let incidents = dispatch::seed_incidents(store, &mut generator, 30).await;
    println!(
        "Seeded {units} units at 10 stations and {incidents} open incidents (dispatcher view: /dispatch)."
    );
    // Triage on a share of today's contacts (THRIVE, grades with some overrides, DASH and MARAC
    // referrals at every stage, markers from the force's one list) is seeded once serving.
    Ok(PendingTriage {
        twice,
        contacts: stored[today_from..].to_vec(),
        persons: linked.largest.iter().map(|(p, _)| p.clone()).collect(),
    })
}

/// Two of the most frequent callers are given a second person record, as a migration from an old
/// system leaves behind: one of their contacts is split off with a reason. Their next call (made
/// once the server runs) matches both records, so the possible-same-person queue has real work.
async fn recorded_twice(
    store: &fc_store::Store,
    supervisor: &Actor,
    largest: &[(String, usize)],
) -> anyhow::Result<Vec<fc_domain::NewContact>> {
    let mut again = Vec::new();
    for (person, _) in largest.iter().skip(1).step_by(2).take(2) {
        let record = store.view_person(supervisor, person, "demo: seeding a duplicate record").await?;
        let Some((_, contact)) = record.contacts.last() else { continue };
        let reason = "Old system import: the same caller held under a second record";
        store.split_person(supervisor, person, vec![contact.reference.to_string()], reason, None).await?;
        let input = serde_json::from_value::<fc_domain::record::NewContactInput>(serde_json::json!({
            "channel": "101",
            "caller": contact.caller,
            "narrative": "Calling again about the same problem with the neighbours; wants an update.",
        }));
        match input.map(|i| i.validate(Utc::now())) {
            Ok(Ok(new)) => again.push(new),
            other => tracing::warn!("a repeat call for {person} could not be made: {other:?}"),
        }
    }
    Ok(again)
}
