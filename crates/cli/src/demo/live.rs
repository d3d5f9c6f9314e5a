//! Live traffic for the demo: new contacts arrive at a realistic random rate and queue, and
//! simulated colleagues work them through the real router: they sign in, go ready, are given
//! contacts by the server's router (auto-accept), close them after a handling time, wrap up, go
//! ready again and now and then take a break. So the queue, the handler states and the supervisor
//! dashboard move like a real room's while people try the product.

use super::generator::{Generator, exponential};
use chrono::{DateTime, Duration, Utc};
use fc_domain::{Actor, Channel, ContactStatus, HandlerState, Outcome, Role, Skill};
use fc_store::Store;
use fc_store::contacts::Transition;
use fc_store::users::NewUser;
use rand::RngExt;
use std::collections::HashMap;

/// The simulated colleagues and their skills: enough to keep up with the default rate, with
/// every channel covered.
pub(crate) const COLLEAGUES: &[(&str, &[Skill])] = &[
    ("sim.handler1", &[Skill::Emergency999, Skill::NonEmergency101]),
    ("sim.handler2", &[Skill::Emergency999, Skill::NonEmergency101]),
    ("sim.handler3", &[Skill::Emergency999, Skill::NonEmergency101, Skill::Languages]),
    ("sim.handler4", &[Skill::Emergency999, Skill::NonEmergency101, Skill::BslRelay]),
    ("sim.handler5", &[Skill::NonEmergency101, Skill::Digital]),
    ("sim.handler6", &[Skill::NonEmergency101, Skill::Digital, Skill::Languages]),
    ("sim.handler7", &[Skill::Emergency999, Skill::NonEmergency101]),
    ("sim.handler8", &[Skill::Digital, Skill::BslRelay, Skill::NonEmergency101]),
];

/// Seconds a colleague spends in wrap-up before going ready again (demo pace).
const WRAP_UP_SECS: i64 = 4;

/// Creates the colleagues' accounts (unusable random password) and skills if missing, and brings
/// them to ready. Safe to run on an existing demo database.
pub async fn bring_in_colleagues(store: &Store) -> anyhow::Result<()> {
    let system = Actor::system();
    let mut hash = None;
    for (name, skills) in COLLEAGUES {
        let exists = store.handler(name).await.is_ok();
        if !exists {
            if hash.is_none() {
                let secret = fc_server::auth::secrets::new_secret("sim-");
                hash = Some(fc_server::auth::password::hash(&secret).map_err(anyhow::Error::msg)?);
            }
            let password_hash = hash.clone().unwrap_or_default();
            let display_name = format!("Simulated colleague {}", name.trim_start_matches("sim.handler"));
            store
                .create_user(
                    &system,
                    NewUser {
                        username: (*name).into(),
                        display_name,
                        role: Role::CallHandler,
                        password_hash,
                    },
                )
                .await?;
        }
        store.set_handler_skills(&system, name, skills.to_vec()).await?;
        let me = Actor { username: (*name).into(), role: Role::CallHandler };
        let h = store.handler(name).await?;
        // Walk from wherever the last run left them to ready.
        let path: &[HandlerState] = match h.state {
            HandlerState::SignedOut => &[HandlerState::SignedIn, HandlerState::Ready],
            HandlerState::SignedIn | HandlerState::Break | HandlerState::WrapUp => &[HandlerState::Ready],
            HandlerState::Ready | HandlerState::OnContact => &[],
        };
        for s in path {
            store.set_handler_state(&me, name, *s, Some("demo colleague starting".into())).await?;
        }
    }
    Ok(())
}

/// Runs until the task is dropped. `per_minute` is the mean arrival rate.
pub async fn run(store: Store, seed: u64, per_minute: f64) {
    if let Err(e) = bring_in_colleagues(&store).await {
        tracing::warn!(error = %e, "demo colleagues could not sign in");
    }
    let mut generator = Generator::new(seed);
    let system = Actor { username: "live.generator".into(), role: Role::CallHandler };
    let mut due: HashMap<String, DateTime<Utc>> = HashMap::new();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    let mean_gap = 60.0 / per_minute.max(0.1);
    let mut next_arrival = tokio::time::Instant::now();
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(next_arrival) => {
                let input = generator.new_contact(Utc::now());
                if let Ok(new) = input.validate(Utc::now()) {
                    match store.create_contact(&system, new, None).await {
                        Ok(created) => {
                            let r = created.contact.reference.to_string();
                            let _ = store.transition_contact(&system, &r, Transition { to: ContactStatus::Queued, outcome: None, note: None }, None).await;
                        }
                        // The demo is stopping: the generator stops with it, quietly.
                        Err(fc_store::StoreError::Closed) => return,
                        Err(e) => tracing::warn!(error = %e, "live generator could not create a contact"),
                    }
                }
                let gap = exponential(generator.rng(), mean_gap);
                next_arrival = tokio::time::Instant::now() + std::time::Duration::from_secs_f64(gap.min(mean_gap * 6.0));
            }
            _ = tick.tick() => {
                work(&store, &mut generator, &mut due).await;
            }
        }
    }
}

/// One second of the colleagues' work: close what is done, go ready after wrap-up, take the odd
/// break, and let the odd 101 caller give up.
async fn work(store: &Store, generator: &mut Generator, due: &mut HashMap<String, DateTime<Utc>>) {
    let now = Utc::now();
    let Ok(loads) = store.handler_loads().await else { return };
    for l in loads.iter().filter(|l| l.username.starts_with("sim.")) {
        if !due.contains_key(&l.reference) {
            // Demo pace: a tenth of a real handling time.
            let secs = generator.handle_time(l.channel) / 10;
            due.insert(l.reference.clone(), now + Duration::seconds(secs.max(5)));
        }
    }
    let finished: Vec<(String, String)> = loads
        .iter()
        .filter(|l| due.get(&l.reference).is_some_and(|at| *at <= now))
        .map(|l| (l.reference.clone(), l.username.clone()))
        .collect();
    for (r, who) in finished {
        due.remove(&r);
        let outcome = [
            Outcome::IncidentRaised,
            Outcome::ResolvedAtFirstContact,
            Outcome::AdviceGiven,
            Outcome::NoFurtherAction,
        ][generator.rng().random_range(0..4)];
        let actor = Actor { username: who, role: Role::CallHandler };
        let t = Transition { to: ContactStatus::Closed, outcome: Some(outcome), note: None };
        let _ = store.transition_contact(&actor, &r, t, None).await;
    }
    due.retain(|r, _| loads.iter().any(|l| &l.reference == r));
    if let Ok(handlers) = store.list_handlers().await {
        for h in handlers.iter().filter(|h| h.username.starts_with("sim.")) {
            let me = Actor { username: h.username.clone(), role: Role::CallHandler };
            let held = (now - h.state_since).num_seconds();
            let next = match h.state {
                HandlerState::WrapUp if held >= WRAP_UP_SECS => {
                    // One wrap-up in twenty ends in a short break.
                    Some(if generator.rng().random_range(0..20) == 0 {
                        HandlerState::Break
                    } else {
                        HandlerState::Ready
                    })
                }
                HandlerState::Break if held >= 45 => Some(HandlerState::Ready),
                HandlerState::SignedIn | HandlerState::SignedOut => None,
                _ => None,
            };
            if let Some(s) = next {
                let _ = store.set_handler_state(&me, &h.username, s, None).await;
            }
        }
    }
    let Ok(waiting) = store.queue(200).await else { return };
    for c in waiting {
        let waited = (now - c.offered_at).num_seconds();
        if c.channel == Channel::NonEmergency101 && waited > 300 && generator.rng().random_range(0..20) == 0 {
            let t = Transition {
                to: ContactStatus::Abandoned,
                outcome: None,
                note: Some("caller hung up".into()),
            };
            let _ = store.transition_contact(&Actor::system(), &c.reference.to_string(), t, None).await;
        }
    }
}
