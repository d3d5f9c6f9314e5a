//! The live router: a background task that offers waiting contacts to ready handlers.
//!
//! Offers are **auto-accepted**: the contact moves to in progress with the handler and the handler
//! to on contact in one transaction ([`fc_store::Store::assign_contact`]), as an automatic call
//! distributor puts a call straight through to a handler's headset. There is no "offer pending"
//! state that could strand a 999 call with a handler who walked away; a handler who is not at
//! their desk should not be ready. The task also moves handlers whose last contact closed from on
//! contact to wrap-up, so the state history shows wrap-up time.
//!
//! It runs after every committed change (debounced) and every `routing_interval` as a safety net.
//! It never decides anything itself: the choice is [`fc_demand::routing::route`].

use crate::AppState;
use fc_demand::routing::{Available, Offer, RoutingPolicy, Waiting, route};
use fc_domain::{Actor, Channel, HandlerState, Role};
use fc_store::handlers::{Handler, HandlerLoad};
use fc_store::{Store, StoreError};
use std::collections::HashMap;
use tokio::sync::broadcast::error::RecvError;

/// The actor the router's changes are attributed to in logs.
pub fn router_actor() -> Actor {
    Actor { username: "router".into(), role: Role::Administrator }
}

/// Starts the router; it stops when the returned handle is aborted or the store closes.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut events = state.store.subscribe();
        let mut tick = tokio::time::interval(state.config.routing_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                e = events.recv() => match e {
                    Ok(_) | Err(RecvError::Lagged(_)) => {
                        // Gather a burst of changes into one round.
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        while events.try_recv().is_ok() {}
                    }
                    Err(RecvError::Closed) => return,
                },
                _ = tick.tick() => {}
            }
            if let Err(e) = round(&state.store, &state.config.routing).await {
                tracing::warn!(error = %e, "routing round failed");
                if matches!(e, StoreError::Closed) {
                    return;
                }
            }
        }
    })
}

/// Contacts each handler holds now, by username.
fn holdings(loads: &[HandlerLoad]) -> HashMap<&str, Vec<Channel>> {
    let mut m: HashMap<&str, Vec<Channel>> = HashMap::new();
    for l in loads {
        m.entry(l.username.as_str()).or_default().push(l.channel);
    }
    m
}

/// Handlers the router may offer to: ready ones, and those on contact with room for more.
pub fn available(handlers: &[Handler], loads: &[HandlerLoad], only: Option<&str>) -> Vec<Available> {
    let held = holdings(loads);
    handlers
        .iter()
        .filter(|h| only.is_none_or(|u| u == h.username))
        .filter(|h| match only {
            Some(_) => {
                matches!(h.state, HandlerState::Ready | HandlerState::OnContact | HandlerState::WrapUp)
            }
            None => matches!(h.state, HandlerState::Ready | HandlerState::OnContact),
        })
        .map(|h| Available {
            key: h.username.clone(),
            skills: h.skills.clone(),
            holding: held.get(h.username.as_str()).cloned().unwrap_or_default(),
            idle_since: h.state_since.timestamp_micros() as f64 / 1e6,
        })
        .collect()
}

/// The waiting contacts as the routing function sees them.
pub async fn waiting(store: &Store) -> Result<Vec<Waiting>, StoreError> {
    Ok(store
        .queue(1000)
        .await?
        .into_iter()
        .map(|c| Waiting {
            key: c.reference.to_string(),
            channel: c.channel,
            flags: c.flags,
            offered_at: c.offered_at.timestamp_micros() as f64 / 1e6,
        })
        .collect())
}

/// Makes the offers: each one is re-checked by the store, and a race lost is skipped quietly.
pub async fn place(
    store: &Store,
    by: &Actor,
    offers: &[Offer],
    avail: &[Available],
    waiting: &[Waiting],
) -> Vec<fc_store::handlers::Assignment> {
    let mut held: HashMap<&str, usize> = avail.iter().map(|a| (a.key.as_str(), a.holding.len())).collect();
    let mut done = Vec::new();
    for o in offers {
        if !waiting.iter().any(|w| w.key == o.contact) {
            continue;
        }
        let n = held.entry(o.handler.as_str()).or_insert(0);
        match store.assign_contact(by, &o.handler, &o.contact, (*n + 1) as u32).await {
            Ok(a) => {
                *n += 1;
                done.push(a);
            }
            Err(StoreError::Conflict(m)) => tracing::debug!(%m, "offer overtaken"),
            Err(e) => tracing::warn!(error = %e, contact = %o.contact, "offer failed"),
        }
    }
    done
}

/// One round: wrap-up for handlers whose contacts all closed, then offers.
pub async fn round(store: &Store, policy: &RoutingPolicy) -> Result<usize, StoreError> {
    let handlers = store.list_handlers().await?;
    let loads = store.handler_loads().await?;
    let held = holdings(&loads);
    for h in handlers.iter().filter(|h| h.state == HandlerState::OnContact) {
        if !held.contains_key(h.username.as_str()) {
            match store
                .set_handler_state(
                    &router_actor(),
                    &h.username,
                    HandlerState::WrapUp,
                    Some("last contact closed".into()),
                )
                .await
            {
                Ok(_) | Err(StoreError::Domain(_)) => {}
                Err(e) => return Err(e),
            }
        }
    }
    let handlers = store.list_handlers().await?;
    let avail = available(&handlers, &loads, None);
    if avail.is_empty() {
        return Ok(0);
    }
    let waiting = waiting(store).await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let offers = route(&waiting, &avail, policy);
    Ok(place(store, &router_actor(), &offers, &avail, &waiting).await.len())
}
