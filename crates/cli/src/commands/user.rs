//! `firstcontact user add`: creates users from the command line — above all the first
//! administrator, before anyone can sign in.

use anyhow::Context;
use fc_domain::{Actor, Role};
use fc_store::users::NewUser;
use std::io::BufRead;

/// User subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Create a user. Reads the password from standard input with --password-stdin, otherwise
    /// makes a strong one and prints it once.
    Add {
        /// Sign-in name.
        #[arg(long)]
        username: String,
        /// Role: call_handler, dispatcher, supervisor, analyst, auditor, administrator.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Name shown on screens (defaults to the username).
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
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

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse().map_err(|e: fc_domain::DomainError| e.to_string())
}

/// Runs a user subcommand.
pub async fn run(cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add { username, role, display_name, password_stdin, database_url } => {
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line).context("reading the password")?;
                (line.trim_end_matches(['\r', '\n']).to_string(), false)
            } else {
                (fc_server::auth::secrets::new_secret("")[..24].to_string(), true)
            };
            anyhow::ensure!(
                password.chars().count() >= fc_server::auth::password::MIN_PASSWORD_CHARS,
                "the password needs at least {} characters",
                fc_server::auth::password::MIN_PASSWORD_CHARS
            );
            let store = crate::commands::serve::open_store(&database_url).await?;
            let password_hash = fc_server::auth::password::hash(&password).map_err(anyhow::Error::msg)?;
            let cli = Actor { username: "cli".into(), role: Role::Administrator };
            let user = store
                .create_user(
                    &cli,
                    NewUser {
                        display_name: display_name.unwrap_or_else(|| username.clone()),
                        username,
                        role,
                        password_hash,
                    },
                )
                .await?;
            store.close().await;
            println!("created {} ({})", user.username, user.role.label());
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
    }
}
