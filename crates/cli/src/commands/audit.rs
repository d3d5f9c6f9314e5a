//! `firstcontact audit verify`: walks the audit hash chain and says whether it is intact, and if
//! not, where it breaks. Exits non-zero on a broken chain so it can run from cron or monitoring.

/// Audit subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Check that no audit entry was altered, removed or inserted.
    Verify {
        /// Database URL.
        #[arg(
            long,
            env = "FC_DATABASE_URL",
            default_value = "sqlite://data/firstcontact.db?mode=rwc",
            hide_env_values = true
        )]
        database_url: String,
    },
}

/// Runs an audit subcommand.
pub async fn run(cmd: AuditCommand) -> anyhow::Result<()> {
    match cmd {
        AuditCommand::Verify { database_url } => {
            let store = crate::commands::serve::open_store(&database_url).await?;
            let report = store.verify_audit().await?;
            store.close().await;
            match report.first_broken {
                None => {
                    println!("audit chain intact: {} entries", report.entries);
                    Ok(())
                }
                Some(seq) => {
                    anyhow::bail!("audit chain BROKEN at entry {seq}: {}", report.problem.unwrap_or_default())
                }
            }
        }
    }
}
