//! `firstcontact serve`: the service for real. Settings come from defaults, then a TOML file
//! (`--config`), then environment variables (`FC_*`), then flags — later wins.

use anyhow::Context;
use fc_server::{AppState, ServerConfig};
use fc_store::{Store, StoreOptions};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Flags (each also readable from the environment).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// TOML file with `bind`, `database_url`, `session_hours`, `secure_cookies`.
    #[arg(long, env = "FC_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on, e.g. 127.0.0.1:8080.
    #[arg(long, env = "FC_BIND")]
    pub bind: Option<SocketAddr>,
    /// sqlite://path?mode=rwc or postgres://user:pass@host/db.
    #[arg(long, env = "FC_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Hours a sign-in lasts.
    #[arg(long, env = "FC_SESSION_HOURS")]
    pub session_hours: Option<u64>,
    /// Mark cookies Secure (when served over HTTPS).
    #[arg(long, env = "FC_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
    /// A force's own incident categories (JSON, the shape of crates/domain/data/nsir.json), added
    /// to the national list.
    #[arg(long, env = "FC_INCIDENT_CATEGORIES")]
    pub incident_categories: Option<PathBuf>,
    /// Person-matching model JSON (from `firstcontact linkage train`); default: built-in model.
    #[arg(long, env = "FC_LINKAGE_MODEL")]
    pub linkage_model: Option<PathBuf>,
}

/// The config file's shape.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<SocketAddr>,
    database_url: Option<String>,
    session_hours: Option<u64>,
    secure_cookies: Option<bool>,
    incident_categories: Option<PathBuf>,
    /// Attendance targets in minutes: `[attendance] grade1_urban_minutes = 15 ...`.
    attendance: Option<fc_domain::incident::AttendanceTargets>,
    linkage_model: Option<PathBuf>,
}

/// Resolves the settings from defaults, file, environment and flags.
pub fn resolve(args: &Args) -> anyhow::Result<ServerConfig> {
    let file: FileConfig = match &args.config {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            toml::from_str(&text).with_context(|| format!("in {}", path.display()))?
        }
        None => FileConfig::default(),
    };
    let mut config = ServerConfig::default();
    if let Some(b) = args.bind.or(file.bind) {
        config.bind = b;
    }
    if let Some(u) = args.database_url.clone().or(file.database_url) {
        config.database_url = u;
    }
    if let Some(h) = args.session_hours.or(file.session_hours) {
        anyhow::ensure!((1..=24).contains(&h), "session_hours must be between 1 and 24");
        config.session_ttl = Duration::from_secs(h * 3600);
    }
    if let Some(s) = args.secure_cookies.or(file.secure_cookies) {
        config.secure_cookies = s;
    }
    if let Some(t) = file.attendance {
        config.dispatch.attendance = t;
    }
    if let Some(path) = args.incident_categories.clone().or(file.incident_categories) {
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        config.dispatch =
            config.dispatch.with_category_file(&text).with_context(|| format!("in {}", path.display()))?;
    }
    if let Some(path) = args.linkage_model.clone().or(file.linkage_model) {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading the linkage model {}", path.display()))?;
        let model = fc_linkage::Model::from_json(&text).with_context(|| format!("in {}", path.display()))?;
        config.linkage_model = Some(model);
    }
    Ok(config)
}

/// Opens the store, making the SQLite file's folder if needed.
pub async fn open_store(url: &str) -> anyhow::Result<Store> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    Store::open(StoreOptions::new(url)).await.context("opening the database")
}

/// Resolves once Ctrl-C or SIGTERM arrives.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests and writes");
}

/// Runs the server until a shutdown signal.
pub async fn run(args: Args) -> anyhow::Result<()> {
    crate::logging::init();
    let config = resolve(&args)?;
    let store = open_store(&config.database_url).await?;
    if store.count_users().await? == 0 {
        tracing::warn!(
            "no users yet: create an administrator with `firstcontact user add --role administrator`"
        );
    }
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("binding {}", config.bind))?;
    let addr = listener.local_addr()?;
    println!("FirstContact listening on http://{addr}/");
    fc_server::serve(listener, AppState::new(store, config), shutdown_signal()).await?;
    Ok(())
}
