//! Persistence for FirstContact: one contract, two backends.
//!
//! SQLite (WAL, `synchronous=FULL`) is the embedded default; PostgreSQL is for production. Both are
//! reached through sqlx's `Any` driver with one row shape (times as integer microseconds, JSON as
//! text), so every query is written once and the contract test suite runs unchanged on both.
//!
//! Writes go through a single group-commit writer (`writer`): concurrent requests are gathered
//! into one transaction, each in its own savepoint, so one fsync makes many writes durable and a
//! failing write never takes its neighbours with it. A write is acknowledged only after commit.
//! The audit hash chain is extended inside the same transactions.
//!
//! This crate never renders HTTP or HTML and never decides who may do what: callers pass the
//! [`Actor`](fc_domain::Actor) and have checked the role already.

pub mod audit;
mod backend;
pub mod contacts;
mod deferred;
pub mod demand;
mod error;
pub mod events;
pub mod handlers;
pub mod incidents;
mod migrations;
pub mod persons;
mod rows;
pub mod sessions;
mod time;
pub mod units;
pub mod users;
pub mod wellbeing;
mod writer;

pub use backend::{Backend, StoreOptions, redact as redacted_url};
pub use error::StoreError;
pub use events::StoreEvent;

use sqlx::AnyPool;
use std::sync::Arc;
use tokio::sync::broadcast;

/// A handle on the store; cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    reads: AnyPool,
    writer: writer::WriterHandle,
    events: broadcast::Sender<StoreEvent>,
}

impl Store {
    /// Opens (creating if needed) the database named by `options.url` — `sqlite://path` or
    /// `postgres://…` — applies migrations and starts the writer.
    pub async fn open(options: StoreOptions) -> Result<Self, StoreError> {
        let (backend, reads, writes) = backend::connect(&options).await?;
        migrations::apply(backend, &writes).await?;
        contacts::history::backfill_caller_keys(&writes).await?;
        let (events, _) = broadcast::channel(4096);
        let writer = writer::spawn(backend, writes, events.clone(), options.max_batch).await?;
        Ok(Self { inner: Arc::new(Inner { backend, reads, writer, events }) })
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// Subscribes to committed changes (for live screens). Events are sent only after commit.
    pub fn subscribe(&self) -> broadcast::Receiver<StoreEvent> {
        self.inner.events.subscribe()
    }

    /// Checks that the database answers (readiness).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.inner.reads).await?;
        Ok(())
    }

    /// SQLite's journal mode and synchronous level as the store's connections see them, so health
    /// checks and tests can prove durability settings; `None` on PostgreSQL.
    pub async fn sqlite_durability(&self) -> Result<Option<(String, i64)>, StoreError> {
        if self.inner.backend != Backend::Sqlite {
            return Ok(None);
        }
        let mut conn = self.inner.reads.acquire().await?;
        let mode = sqlx::query("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
        let sync = sqlx::query("PRAGMA synchronous").fetch_one(&mut *conn).await?;
        Ok(Some((rows::get(&mode, "journal_mode")?, rows::get(&sync, "synchronous")?)))
    }

    /// Stops accepting writes, lets the writer finish what it has, and closes the pools.
    pub async fn close(&self) {
        self.inner.writer.shutdown().await;
        self.inner.reads.close().await;
    }

    pub(crate) fn reads(&self) -> &AnyPool {
        &self.inner.reads
    }

    pub(crate) fn writer(&self) -> &writer::WriterHandle {
        &self.inner.writer
    }
}
