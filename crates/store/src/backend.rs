//! Choosing and connecting to a backend. The URL decides: `sqlite:` for the embedded default,
//! `postgres:` for production. SQLite gets WAL and `synchronous=FULL` on every connection so an
//! acknowledged write survives power loss.

use crate::StoreError;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// Which database engine is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// How to open the store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://user:pass@host/db`.
    pub url: String,
    /// Most writes gathered into one transaction.
    pub max_batch: usize,
    /// Connections for reads.
    pub read_connections: u32,
}

impl StoreOptions {
    /// Defaults for a URL: batches of up to 512 writes, 4 read connections.
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), max_batch: 512, read_connections: 4 }
    }

    /// An SQLite file at `path`.
    pub fn sqlite_file(path: &std::path::Path) -> Self {
        Self::new(format!("sqlite://{}?mode=rwc", path.display()))
    }
}

impl Backend {
    /// Picks the backend from the URL scheme.
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL {:?}: use sqlite://path or postgres://…",
                redact(url)
            )))
        }
    }
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

/// Opens the read pool and the single-connection write pool.
pub(crate) async fn connect(options: &StoreOptions) -> Result<(Backend, AnyPool, AnyPool), StoreError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::from_url(&options.url)?;
    let pool = |max: u32| {
        let opts = AnyPoolOptions::new().max_connections(max).acquire_timeout(Duration::from_secs(10));
        match backend {
            Backend::Sqlite => opts.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(SQLITE_PRAGMAS).await?;
                    Ok(())
                })
            }),
            Backend::Postgres => opts,
        }
    };
    // The write pool connects first so that SQLite creates the file and switches it to WAL before
    // any reader opens it.
    let writes = pool(1).connect(&options.url).await?;
    let reads = pool(options.read_connections.max(1)).connect(&options.url).await?;
    tracing::info!(backend = ?backend, url = %redact(&options.url), "store connected");
    Ok((backend, reads, writes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://fc:secret@localhost/fc"), "postgres://fc:***@localhost/fc");
        let err = Backend::from_url("mysql://fc:secret@localhost/fc").expect_err("unsupported");
        assert!(!err.to_string().contains("secret"));
    }
}
