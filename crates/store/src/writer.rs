//! The group-commit writer: the one place that writes.
//!
//! Callers hand it a job (a closure that does its writes through a [`WriteCtx`]). The writer takes
//! every job waiting, runs each inside its own savepoint of one transaction, commits once, and only
//! then answers each caller. One fsync thus makes a whole batch durable, which is how the embedded
//! store keeps up with a surge; a job that fails is rolled back to its savepoint alone.
//!
//! The audit chain head lives here, read from the database when the writer starts and at the start
//! of every batch (under a row lock on PostgreSQL), so entries chain in commit order.

use crate::audit::{self, AuditEntry, ChainHead};
use crate::{Backend, StoreError, StoreEvent};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sqlx::{Acquire, AnyConnection, AnyPool};
use tokio::sync::{broadcast, mpsc, oneshot};

/// Everything a job may touch while it writes.
pub(crate) struct WriteCtx<'a> {
    /// The connection, inside the job's savepoint.
    pub conn: &'a mut AnyConnection,
    /// The batch's time: every row a job writes carries the same `now`.
    pub now: DateTime<Utc>,
    head: &'a mut ChainHead,
    events: &'a mut Vec<StoreEvent>,
}

impl WriteCtx<'_> {
    /// Appends an audit entry to the chain, in this transaction.
    pub async fn audit(&mut self, entry: AuditEntry) -> Result<(), StoreError> {
        audit::append(self.conn, self.head, self.now, entry).await
    }

    /// Queues an event to broadcast once the batch commits.
    pub fn emit(&mut self, event: StoreEvent) {
        self.events.push(event);
    }
}

type Finish = Box<dyn FnOnce(Result<(), StoreError>) + Send>;
type JobFn =
    Box<dyn for<'c> FnOnce(&'c mut WriteCtx<'_>) -> BoxFuture<'c, Result<Finish, StoreError>> + Send>;

struct Job {
    run: JobFn,
    /// Told of a failure of the job itself (its savepoint was rolled back).
    fail: Box<dyn FnOnce(StoreError) + Send>,
}

/// The sending side, held by the store.
pub(crate) struct WriterHandle {
    jobs: std::sync::RwLock<Option<mpsc::Sender<Job>>>,
    done: tokio::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl WriterHandle {
    /// Runs `f` in the next batch and returns its result once the batch is durable.
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
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
        sender.send(Job { run, fail }).await.map_err(|_| StoreError::Closed)?;
        drop(sender);
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Refuses new writes, lets the writer finish every write already queued, and waits for it.
    pub async fn shutdown(&self) {
        if let Ok(mut g) = self.jobs.write() {
            g.take();
        }
        let handle = self.done.lock().await.take();
        if let Some(h) = handle {
            let _ = h.await;
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
    let handle = tokio::spawn(async move {
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
    });
    Ok(WriterHandle { jobs: std::sync::RwLock::new(Some(tx)), done: tokio::sync::Mutex::new(Some(handle)) })
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
    let outcome: Result<(), StoreError> = async {
        let mut tx = conn.begin().await?;
        *head = audit::read_head(&mut tx, backend, true).await?;
        for job in jobs {
            let before = head.clone();
            let mut job_events = Vec::new();
            let mut sp = tx.begin().await?;
            let result = {
                let mut ctx = WriteCtx { conn: &mut sp, now, head, events: &mut job_events };
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
                    (job.fail)(e);
                }
            }
        }
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
