//! Live traffic for the demo: new contacts arrive at a realistic random rate and queue, and
//! simulated colleagues answer what has waited long enough and close it after a handling time, so
//! the queue moves like a real one while people try the product.

use super::generator::{Generator, exponential};
use chrono::{Duration, Utc};
use fc_domain::{Actor, Channel, ContactStatus, Outcome, Role};
use fc_store::Store;
use fc_store::contacts::Transition;
use rand::RngExt;

/// How long a contact waits before a simulated colleague picks it up.
fn patience_before_pickup(channel: Channel) -> i64 {
    match channel {
        Channel::Emergency999 | Channel::TextRelay | Channel::Video => 12,
        Channel::NonEmergency101 => 150,
        Channel::Webchat => 120,
        _ => 600,
    }
}

/// Runs until the task is dropped. `per_minute` is the mean arrival rate.
pub async fn run(store: Store, seed: u64, per_minute: f64) {
    let mut generator = Generator::new(seed);
    let system = Actor { username: "live.generator".into(), role: Role::CallHandler };
    let colleagues: Vec<Actor> =
        (1..=4).map(|i| Actor { username: format!("sim.handler{i}"), role: Role::CallHandler }).collect();
    let mut in_progress: Vec<(String, chrono::DateTime<Utc>)> = Vec::new();
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
                        Err(e) => tracing::warn!(error = %e, "live generator could not create a contact"),
                    }
                }
                let gap = exponential(generator.rng(), mean_gap);
                next_arrival = tokio::time::Instant::now() + std::time::Duration::from_secs_f64(gap.min(mean_gap * 6.0));
            }
            _ = tick.tick() => {
                work_the_queue(&store, &mut generator, &colleagues, &mut in_progress).await;
            }
        }
    }
}

async fn work_the_queue(
    store: &Store,
    generator: &mut Generator,
    colleagues: &[Actor],
    in_progress: &mut Vec<(String, chrono::DateTime<Utc>)>,
) {
    let now = Utc::now();
    let due: Vec<String> = in_progress.iter().filter(|(_, at)| *at <= now).map(|(r, _)| r.clone()).collect();
    in_progress.retain(|(_, at)| *at > now);
    for r in due {
        let who = &colleagues[generator.rng().random_range(0..colleagues.len())];
        let outcome = [
            Outcome::IncidentRaised,
            Outcome::ResolvedAtFirstContact,
            Outcome::AdviceGiven,
            Outcome::NoFurtherAction,
        ][generator.rng().random_range(0..4)];
        let t = Transition { to: ContactStatus::Closed, outcome: Some(outcome), note: None };
        let _ = store.transition_contact(who, &r, t, None).await;
    }
    let Ok(waiting) = store.queue(200).await else { return };
    for c in waiting {
        let waited = (now - c.offered_at).num_seconds();
        let r = c.reference.to_string();
        let who = &colleagues[generator.rng().random_range(0..colleagues.len())];
        if c.channel == Channel::NonEmergency101 && waited > 300 && generator.rng().random_range(0..20) == 0 {
            let t = Transition {
                to: ContactStatus::Abandoned,
                outcome: None,
                note: Some("caller hung up".into()),
            };
            let _ = store.transition_contact(&Actor::system(), &r, t, None).await;
        } else if waited > patience_before_pickup(c.channel) && generator.rng().random_range(0..3) == 0 {
            let t = Transition { to: ContactStatus::InProgress, outcome: None, note: None };
            if store.transition_contact(who, &r, t, None).await.is_ok() {
                // Demo pace: a tenth of a real handling time.
                let secs = generator.handle_time(c.channel) / 10;
                in_progress.push((r, now + Duration::seconds(secs.max(5))));
            }
        }
    }
}
