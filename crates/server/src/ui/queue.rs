//! The live contact queue: contacts waiting for a handler, most urgent first (channel priority,
//! then longest wait), filterable by channel. The page is complete without JavaScript; the script
//! listens on `/ui/events` and re-fetches the server-rendered fragment from `/ui/queue` after each
//! committed change, so the screen and the store never disagree.
//!
//! The queue shows references, channels, flags and waits only: no caller details.

use super::auth::Signed;
use super::error::UiError;
use super::format;
use super::layout::{self, Nav};
use crate::AppState;
use crate::auth::permission::SeeQueue;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use chrono::{DateTime, Utc};
use fc_domain::{Channel, Contact, ContactStatus};
use futures::Stream;
use maud::{Markup, html};
use serde::Deserialize;
use std::convert::Infallible;

/// Most contacts the screen lists; beyond this the counts still say how many wait.
const QUEUE_LIMIT: u32 = 500;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/", get(page)).route("/ui/queue", get(fragment)).route("/ui/events", get(events))
}

/// `?channel=` filter; an unknown value shows everything rather than failing.
#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    channel: Option<String>,
    /// Set after "Take next" found nothing.
    none_waiting: Option<String>,
}

impl QueueQuery {
    fn channel(&self) -> Option<Channel> {
        self.channel.as_deref().and_then(|c| c.parse().ok())
    }
}

/// Seconds a contact on this channel may wait before it is over target (999: answered within
/// 10 seconds of BT connecting it).
fn answer_target_secs(channel: Channel) -> Option<i64> {
    (channel == Channel::Emergency999).then_some(10)
}

/// One line saying how many wait and for how long, for the polite live region.
pub fn summary(items: &[Contact], now: DateTime<Utc>) -> String {
    match items.iter().map(|c| now - c.offered_at).max() {
        None => "No contacts waiting.".into(),
        Some(longest) => {
            let n = items.len();
            let urgent = items.iter().filter(|c| c.channel == Channel::Emergency999).count();
            format!(
                "{n} contact{} waiting ({urgent} on 999); longest {}.",
                if n == 1 { "" } else { "s" },
                format::waited(longest.num_seconds())
            )
        }
    }
}

/// The replaceable part of the queue: per-channel counts and the table. `items` come most urgent
/// first; `filter` hides other channels from the table but not from the counts.
pub fn queue_fragment(items: &[Contact], now: DateTime<Utc>, filter: Option<Channel>) -> Markup {
    let shown: Vec<&Contact> = items.iter().filter(|c| filter.is_none_or(|f| c.channel == f)).collect();
    let counts: Vec<(Channel, usize)> = Channel::ALL
        .into_iter()
        .map(|ch| (ch, items.iter().filter(|c| c.channel == ch).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    html! {
        div #queue-body data-summary=(summary(items, now)) data-now=(now.timestamp_millis()) {
            @if !counts.is_empty() {
                ul.counts aria-label="Waiting by channel" {
                    @for (ch, n) in &counts {
                        li class={ "chip ch-" (ch.as_str()) } { (ch.label()) ": " strong { (n) } }
                    }
                }
            }
            @if shown.is_empty() {
                p.empty { @if filter.is_some() { "No contacts waiting on this channel." } @else { "No contacts waiting." } }
            } @else {
                table.queue {
                    caption.visually-hidden { "Contacts waiting, most urgent first" }
                    thead { tr {
                        th scope="col" { "Reference" } th scope="col" { "Channel" } th scope="col" { "Flags" }
                        th scope="col" { "Status" } th scope="col" { "Offered" } th scope="col" { "Waiting" }
                    } }
                    tbody {
                        @for c in &shown { (row(c, now)) }
                    }
                }
            }
        }
    }
}

fn row(c: &Contact, now: DateTime<Utc>) -> Markup {
    let waited = (now - c.offered_at).num_seconds().max(0);
    let target = answer_target_secs(c.channel);
    let late = target.is_some_and(|t| waited > t);
    let reference = c.reference.to_string();
    html! {
        tr class={ "ch-" (c.channel.as_str()) @if late { " late" } } {
            th scope="row" { a href={ "/contacts/" (reference) } data-ref=(reference) { (reference) } }
            td { span class={ "chip ch-" (c.channel.as_str()) } { (c.channel.label()) } }
            td {
                @for f in &c.flags {
                    span class={ "flag flag-" (f.as_str()) } { (f.label()) } " "
                }
            }
            td { (format::status(c.status)) }
            td { time datetime=(format::iso(c.offered_at)) { (format::clock(c.offered_at)) } }
            td.wait data-since=(c.offered_at.timestamp_millis()) data-target=[target] {
                span.elapsed { (format::waited(waited)) }
                span.late-tag hidden[!late] { " over target" }
            }
        }
    }
}

fn channel_filter(selected: Option<Channel>) -> Markup {
    html! {
        form.filter method="get" action="/" role="search" {
            label for="filter-channel" { "Channel" }
            select #filter-channel name="channel" {
                option value="" selected[selected.is_none()] { "All channels" }
                @for ch in Channel::ALL {
                    option value=(ch.as_str()) selected[selected == Some(ch)] { (ch.label()) }
                }
            }
            button.secondary type="submit" { "Filter" }
        }
    }
}

async fn waiting(state: &AppState) -> Result<Vec<Contact>, UiError> {
    let mut items = state.store.queue(QUEUE_LIMIT).await?;
    items.retain(|c| matches!(c.status, ContactStatus::Received | ContactStatus::Queued));
    Ok(items)
}

async fn page(
    State(state): State<AppState>,
    auth: Signed<SeeQueue>,
    Query(q): Query<QueueQuery>,
) -> Result<Markup, UiError> {
    let items = waiting(&state).await?;
    let now = Utc::now();
    let me = if auth.user.role.can_take_contacts() {
        state.store.handler(&auth.user.username).await.ok()
    } else {
        None
    };
    // After a severe contact, a break is suggested above the bar (see `ui::wellbeing`).
    // The queue still shows if the figures cannot be read; the failure is logged.
    let prompt = match &me {
        Some(_) => match crate::wellbeing::for_handler(&state, &auth.user.username, now).await {
            Ok(w) => super::wellbeing::break_prompt(&w, auth.csrf()),
            Err(e) => {
                tracing::warn!(error = %e, "reading the handler's wellbeing figures for the queue failed");
                None
            }
        },
        None => None,
    };
    let main = html! {
        @if let Some(p) = prompt { (p) }
        @if let Some(h) = &me { (super::handler_bar::bar(h, auth.csrf())) }
        @if q.none_waiting.is_some() { p.status role="status" { "Nothing is waiting that you can take." } }
        div.page-head {
            h1 { "Queue" }
            (channel_filter(q.channel()))
        }
        p #queue-status.status role="status" aria-live="polite" { (summary(&items, now)) }
        div #queue data-src="/ui/queue" data-events="/ui/events" {
            (queue_fragment(&items, now, q.channel()))
        }
    };
    Ok(layout::page("Queue", &auth.chrome(), Nav::Queue, main))
}

async fn fragment(
    State(state): State<AppState>,
    _auth: Signed<SeeQueue>,
    Query(q): Query<QueueQuery>,
) -> Result<Markup, UiError> {
    let items = waiting(&state).await?;
    Ok(queue_fragment(&items, Utc::now(), q.channel()))
}

/// Committed changes for the page's script (references and statuses only, as on the API).
async fn events(
    State(state): State<AppState>,
    _auth: Signed<SeeQueue>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    Sse::new(crate::live::stream(state)).keep_alive(KeepAlive::default())
}
