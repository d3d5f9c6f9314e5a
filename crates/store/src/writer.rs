//! The group-commit writer: the one place that writes.
//!
//! Callers hand it a job (a closure that does its writes through a [`WriteCtx`]). The writer takes
//! every job waiting, runs each inside its own savepoint of one transaction, commits once, and only
//! then answers each caller. One fsync thus makes a whole batch durable, which is how the embedded
//! store keeps up with a surge; a job that fails is rolled back to its savepoint alone.
//!
//! The audit chain head lives here, read from the database when the writer starts and at the start
//! of every batch (under a row lock on PostgreSQL), so entries chain in commit order. That lock also
//! serialises batches across servers sharing one PostgreSQL, which is what lets the batch allocate
//! contact references ([`WriteCtx::next_reference_seq`]) and person and link ids
//! ([`WriteCtx::next_ids`]) in memory, and write each day's counter once.
//! Audit entries and other rows no job reads back are queued ([`crate::deferred`]) and written as
//! multi-row inserts just before commit: a few statements per batch instead of one per row.

use crate::audit::{self, AuditEntry, ChainHead};
use crate::deferred::{Cell, DeferredRows};
use crate::rows::get;
use crate::{Backend, StoreError, StoreEvent};
use chrono::{DateTime, NaiveDate, Utc};
use futures::future::BoxFuture;
use sqlx::{Acquire, AnyConnection, AnyPool};
use std::collections::BTreeMap;
use tokio::sync::{broadcast, mpsc, oneshot};

/// Everything a job may touch while it writes.
pub(crate) struct WriteCtx<'a> {
    /// The connection, inside the job's savepoint.
    pub conn: &'a mut AnyConnection,
    /// The batch's time: every row a job writes carries the same `now`.
    pub now: DateTime<Utc>,
    /// Which database, for the few statements whose text differs (placeholder lists).
    pub backend: Backend,
    head: &'a mut ChainHead,
    events: &'a mut Vec<StoreEvent>,
    deferred: &'a mut DeferredRows,
    counters: &'a mut BatchCounters,
    /// Idempotency keys (actor, key) used by creates earlier in this batch, whose rows are not
    /// written yet: a second request with the same key in the same batch is told to retry.
    claimed_keys: &'a mut std::collections::HashSet<(String, String)>,
    /// Set by a job without a savepoint when it starts writing (see [`WriterHandle::write_checked`]).
    writing: bool,
}

impl WriteCtx<'_> {
    /// Appends an audit entry to the chain, in this transaction (written with the batch's other
    /// entries just before commit).
    pub async fn audit(&mut self, entry: AuditEntry) -> Result<(), StoreError> {
        audit::append(self.deferred, self.head, self.now, entry);
        Ok(())
    }

    /// Says the job is past its checks and about to write. A job run with
    /// [`WriterHandle::write_checked`] must call this before its first write: a failure before it
    /// fails the job alone, a failure after it rolls back the whole batch.
    pub fn start_writing(&mut self) {
        self.writing = true;
    }

    /// Claims an idempotency key for a create in this batch; false when an earlier job of the batch
    /// holds it (its row is not written until the batch ends, so the database cannot say).
    pub fn claim_key(&mut self, actor: &str, key: &str) -> bool {
        self.claimed_keys.insert((actor.to_string(), key.to_string()))
    }

    /// Queues a row that no other job of the batch reads back, to be written with its like in one
    /// statement just before commit. `insert` is `INSERT INTO table (col, …)`.
    pub fn defer_insert(&mut self, insert: &'static str, cells: Vec<Cell>) {
        self.deferred.push(insert, cells);
    }

    /// The next number in `day`'s sequence of contact references, allocated in memory; the
    /// day's counter row is written once when the batch commits.
    pub async fn next_reference_seq(&mut self, day: NaiveDate) -> Result<i64, StoreError> {
        let key = day.format("%Y%m%d").to_string();
        if !self.counters.days.contains_key(&key) {
            let row = sqlx::query("SELECT next FROM reference_counters WHERE day = $1")
                .bind(&key)
                .fetch_optional(&mut *self.conn)
                .await?;
            let stored = match row {
                Some(row) => Some(get::<i64>(&row, "next")?),
                None => None,
            };
            self.counters.days.insert(key.clone(), DayCounter { stored, last: stored.unwrap_or(0) });
        }
        let counter = self
            .counters
            .days
            .get_mut(&key)
            .ok_or_else(|| StoreError::Unavailable("reference counter vanished".into()))?;
        counter.last += 1;
        Ok(counter.last)
    }

    /// The first of `n` fresh ids for `table`'s rows, allocated in memory like references: the
    /// table's largest id is read once per batch, and batches are serialised (the chain lock), so
    /// nobody else hands out the same ids. Lets a job insert many rows that other rows refer to in
    /// one statement, without a round trip per row for its id. Every insert into such a table
    /// must take its ids from here (migration 0009 dropped their identity sequences on PostgreSQL).
    pub async fn next_ids(&mut self, table: IdTable, n: usize) -> Result<i64, StoreError> {
        let last = match self.counters.ids.get(&table) {
            Some(last) => *last,
            None => {
                let sql = format!("SELECT COALESCE(MAX(id), 0) AS id FROM {}", table.name());
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(&mut *self.conn).await?;
                get::<i64>(&row, "id")?
            }
        };
        let n = i64::try_from(n).map_err(|_| StoreError::Unavailable("too many ids at once".into()))?;
        self.counters.ids.insert(table, last + n);
        Ok(last + 1)
    }

    /// Queues an event to broadcast once the batch commits.
    pub fn emit(&mut self, event: StoreEvent) {
        self.events.push(event);
    }
}

/// A day's reference counter as the batch sees it: what the database held, and the last number
/// handed out.
#[derive(Debug, Clone, Copy)]
struct DayCounter {
    stored: Option<i64>,
    last: i64,
}

/// Tables whose ids the writer hands out itself (see [`WriteCtx::next_ids`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum IdTable {
    /// `persons`.
    Persons,
    /// `person_contacts` (links).
    PersonLinks,
}

impl IdTable {
    fn name(self) -> &'static str {
        match self {
            IdTable::Persons => "persons",
            IdTable::PersonLinks => "person_contacts",
        }
    }
}

/// What the batch hands out in memory: every day's reference counter it has touched, and the
/// last id given for each table of [`IdTable`].
#[derive(Debug, Clone, Default)]
pub(crate) struct BatchCounters {
    days: BTreeMap<String, DayCounter>,
    ids: BTreeMap<IdTable, i64>,
}

impl BatchCounters {
    /// Writes each counter that moved.
    async fn write(&self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        for (day, c) in &self.days {
            if Some(c.last) == c.stored {
                continue;
            }
            sqlx::query(
                "INSERT INTO reference_counters (day, next) VALUES ($1, $2) \
                 ON CONFLICT (day) DO UPDATE SET next = excluded.next",
            )
            .bind(day)
            .bind(c.last)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }
}

type Finish = Box<dyn FnOnce(Result<(), StoreError>) + Send>;
type JobFn =
    Box<dyn for<'c> FnOnce(&'c mut WriteCtx<'_>) -> BoxFuture<'c, Result<Finish, StoreError>> + Send>;

struct Job {
    run: JobFn,
    /// Runs in its own savepoint (the default); otherwise see [`WriterHandle::write_checked`].
    isolated: bool,
    /// Told of a failure of the job itself (its savepoint was rolled back).
    fail: Box<dyn FnOnce(StoreError) + Send>,
}

/// The sending side, held by the store.
pub(crate) struct WriterHandle {
    jobs: std::sync::RwLock<Option<mpsc::Sender<Job>>>,
    /// Closed when the writer's loop ends (its sender is dropped with the loop).
    done: tokio::sync::Mutex<Option<oneshot::Receiver<()>>>,
}

impl WriterHandle {
    /// Runs `f` in the next batch, in its own savepoint, and returns its result once the batch is
    /// durable. A failing `f` is rolled back alone.
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut WriteCtx<'_>) -> BoxFuture<'c, Result<T, StoreError>> + Send + 'static,
    {
        self.submit(f, true).await
    }

    /// Like [`write`](Self::write) without the savepoint, for hot paths (creating a contact) whose
    /// checks all come before their writes: `f` calls [`WriteCtx::start_writing`] once its checks
    /// pass. An error before that fails `f` alone (nothing was written); an error after it means
    /// the database refused a write, so the whole batch rolls back and every job in it is told to
    /// retry (nothing of theirs was acknowledged). Saves two statements per job.
    pub async fn write_checked<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut WriteCtx<'_>) -> BoxFuture<'c, Result<T, StoreError>> + Send + 'static,
    {
        self.submit(f, false).await
    }

    async fn submit<T, F>(&self, f: F, isolated: bool) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut WriteCtx<'_>) -> BoxFuture<'c, Result<T, StoreError>> + Send + 'static,
    {
        let sender = self.jobs.read().ok().and_then(|g| g.clone()).ok_or(StoreError::Closed)?;
        let (tx, rx) = oneshot::channel::<Result<T, StoreError>>();
        let fail_tx = std::sync::Arc::new(std::sync::Mutex::new(Some(tx)));
        let ok_tx = fail_tx.clone();
        let run: JobFn = Box::new(move |ctx| {
            Box::pin(async move {
                let value = f(ctx).await?;
                let finish: Finish = Box::new(move |committed: Result<(), StoreError>| {
                    if let Some(tx) = ok_tx.lock().ok().and_then(|mut g| g.take()) {
                        let _ = tx.send(committed.map(|()| value));
                    }
                });
                Ok(finish)
            })
        });
        let fail = Box::new(move |e: StoreError| {
            if let Some(tx) = fail_tx.lock().ok().and_then(|mut g| g.take()) {
                let _ = tx.send(Err(e));
            }
        });
        sender.send(Job { run, isolated, fail }).await.map_err(|_| StoreError::Closed)?;
        drop(sender);
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Refuses new writes, lets the writer finish every write already queued, and waits for it.
    pub async fn shutdown(&self) {
        if let Ok(mut g) = self.jobs.write() {
            g.take();
        }
        let done = self.done.lock().await.take();
        if let Some(done) = done {
            let _ = done.await;
        }
    }
}

/// Starts the writer task.
pub(crate) async fn spawn(
    backend: Backend,
    pool: AnyPool,
    events: broadcast::Sender<StoreEvent>,
    max_batch: usize,
) -> Result<WriterHandle, StoreError> {
    let (tx, mut rx) = mpsc::channel::<Job>(max_batch.max(1) * 4);
    let mut conn = pool.acquire().await?.detach();
    let mut head = audit::read_head(&mut conn, backend, false).await?;
    let (done_tx, done_rx) = oneshot::channel::<()>();
    let work = async move {
        let _done = done_tx;
        let mut batch = Vec::with_capacity(max_batch);
        loop {
            if rx.recv_many(&mut batch, max_batch.max(1)).await == 0 {
                break;
            }
            let jobs = std::mem::take(&mut batch);
            if let Err(e) = run_batch(&mut conn, backend, &mut head, &events, jobs).await {
                tracing::error!(error = %e, "write batch failed");
                // The connection may be unusable; reopen it and re-read the chain head.
                if let Ok(c) = pool.acquire().await {
                    conn = c.detach();
                }
                if let Ok(h) = audit::read_head(&mut conn, backend, false).await {
                    head = h;
                }
            }
        }
    };
    match backend {
        // SQLite's connection is a thread of its own fed by channels, so the loop can run anywhere.
        // On a thread of its own, each statement's answer wakes the writer at once, not after
        // whatever tasks are ahead of it in the server's run queue (measured over six A/B pairs:
        // the store at 64 writers went from 6,220 to 7,340 contacts/s on average, at 256 from
        // 9,970 to 11,110; the HTTP API stayed within the noise, see docs/benchmarks.md).
        Backend::Sqlite => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| StoreError::Unavailable(format!("starting the writer: {e}")))?;
            std::thread::Builder::new()
                .name("fc-writer".into())
                .spawn(move || runtime.block_on(work))
                .map_err(|e| StoreError::Unavailable(format!("starting the writer: {e}")))?;
        }
        // A PostgreSQL connection's socket belongs to the server's runtime: the loop stays there.
        Backend::Postgres => {
            tokio::spawn(work);
        }
    }
    Ok(WriterHandle { jobs: std::sync::RwLock::new(Some(tx)), done: tokio::sync::Mutex::new(Some(done_rx)) })
}

async fn run_batch(
    conn: &mut AnyConnection,
    backend: Backend,
    head: &mut ChainHead,
    events: &broadcast::Sender<StoreEvent>,
    jobs: Vec<Job>,
) -> Result<(), StoreError> {
    let now = crate::time::now();
    let mut finishes: Vec<Finish> = Vec::with_capacity(jobs.len());
    let mut batch_events = Vec::new();
    let start_head = head.clone();
    let mut deferred = DeferredRows::default();
    let mut counters = BatchCounters::default();
    let mut claimed_keys = std::collections::HashSet::new();
    let outcome: Result<(), StoreError> = async {
        let mut tx = conn.begin().await?;
        *head = audit::read_head(&mut tx, backend, true).await?;
        let mut jobs = jobs.into_iter();
        while let Some(job) = jobs.next() {
            let before = head.clone();
            let deferred_before = deferred.len();
            let counters_before = counters.clone();
            let mut job_events = Vec::new();
            if job.isolated {
                let mut sp = tx.begin().await?;
                let result = {
                    let mut ctx = WriteCtx {
                        conn: &mut sp,
                        now,
                        backend,
                        head,
                        events: &mut job_events,
                        deferred: &mut deferred,
                        counters: &mut counters,
                        claimed_keys: &mut claimed_keys,
                        writing: false,
                    };
                    (job.run)(&mut ctx).await
                };
                match result {
                    Ok(finish) => {
                        sp.commit().await?;
                        finishes.push(finish);
                        batch_events.append(&mut job_events);
                    }
                    Err(e) => {
                        sp.rollback().await?;
                        *head = before;
                        deferred.truncate(deferred_before);
                        counters = counters_before;
                        (job.fail)(e);
                    }
                }
                continue;
            }
            let (result, wrote) = {
                let mut ctx = WriteCtx {
                    conn: &mut tx,
                    now,
                    backend,
                    head,
                    events: &mut job_events,
                    deferred: &mut deferred,
                    counters: &mut counters,
                    claimed_keys: &mut claimed_keys,
                    writing: false,
                };
                let result = (job.run)(&mut ctx).await;
                (result, ctx.writing)
            };
            match result {
                Ok(finish) => {
                    finishes.push(finish);
                    batch_events.append(&mut job_events);
                }
                Err(e) if !wrote => {
                    *head = before;
                    deferred.truncate(deferred_before);
                    counters = counters_before;
                    (job.fail)(e);
                }
                Err(e) => {
                    // A write was refused half way: nothing in this transaction can be trusted.
                    let message = e.to_string();
                    (job.fail)(e);
                    for rest in jobs.by_ref() {
                        (rest.fail)(StoreError::Unavailable(format!(
                            "the batch was rolled back ({message}); retry"
                        )));
                    }
                    return Err(StoreError::Unavailable(format!("a write in the batch failed: {message}")));
                }
            }
        }
        deferred.flush(&mut tx, backend).await?;
        counters.write(&mut tx).await?;
        audit::write_head(&mut tx, head).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => {
            for f in finishes {
                f(Ok(()));
            }
            for e in batch_events {
                let _ = events.send(e);
            }
            Ok(())
        }
        Err(e) => {
            *head = start_head;
            let message = e.to_string();
            for f in finishes {
                f(Err(StoreError::Unavailable(format!("the write was not committed: {message}"))));
            }
            Err(e)
        }
    }
}
