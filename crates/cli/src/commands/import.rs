//! `firstcontact import contacts|persons FILE.csv --mapping MAP.toml`: loads records from another
//! system. The mapping file names the CSV column for each field; every row is validated exactly as
//! the API validates a new contact, rejected rows are reported (row, field, message) and never
//! half-stored, and the imported contacts are linked into persons in batch (fc_linkage).
//!
//! `contacts` imports past contacts (channel, time, caller, narrative). `persons` imports a person
//! register: each row becomes a closed contact on the mapping's default channel whose narrative
//! says where it came from, because a person's identity details always live on a contact (the
//! source shown beside each detail on the profile).

use crate::commands::linkage::Bar;
use anyhow::Context;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use clap::{Args, Subcommand};
use fc_domain::record::{CallerInput, NewContactInput};
use fc_domain::{Actor, Channel, Contact, ContactRef, ContactStatus, FieldError, Outcome, Role};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What to import.
#[derive(Debug, Subcommand)]
pub enum Import {
    /// Past contacts: channel, time, caller details, narrative.
    Contacts(ImportArgs),
    /// A person register: caller details only.
    Persons(ImportArgs),
}

/// Arguments of both imports.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file (first row: headers).
    pub file: PathBuf,
    /// TOML mapping: `[columns]` field = "CSV header", `[defaults]` field = value.
    #[arg(long)]
    pub mapping: PathBuf,
    /// Database URL.
    #[arg(
        long,
        env = "FC_DATABASE_URL",
        hide_env_values = true,
        default_value = "sqlite://data/firstcontact.db?mode=rwc"
    )]
    pub database_url: String,
    /// Also write every rejected row (row, field, message) to this CSV.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Username the import is attributed to in the logs.
    #[arg(long, default_value = "import")]
    pub actor: String,
}

/// The mapping file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Field name to CSV header.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Field name to a value used when the column is absent or empty.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
}

/// Fields a mapping may name.
const FIELDS: [&str; 13] = [
    "channel",
    "offered_at",
    "name",
    "given_name",
    "surname",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "postcode",
    "narrative",
    "location_text",
    "outcome",
];

/// A refused row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// Row number in the file (the header is row 1).
    pub row: u64,
    /// The field at fault.
    pub field: String,
    /// Why.
    pub message: String,
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(12, 0, 0)).map(|t| t.and_utc())
}

/// A British day/month/year date as ISO (other systems export DOBs that way); anything else as is.
fn british_date(s: &str) -> String {
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| s.to_string())
}

/// The message of a domain error without the field name in front (the report has its own).
fn message(e: fc_domain::DomainError) -> String {
    match e {
        fc_domain::DomainError::Invalid { message, .. } => message,
        other => other.to_string(),
    }
}

/// Turns one row into a stored-ready contact, or the reasons it cannot be one.
fn row_to_contact(
    get: &dyn Fn(&str) -> Option<String>,
    persons: bool,
    source: &str,
    row: u64,
    now: DateTime<Utc>,
) -> Result<Contact, Vec<FieldError>> {
    let err = |field: &str, message: String| vec![FieldError { field: field.into(), message }];
    let channel: Channel = get("channel")
        .unwrap_or_else(|| if persons { "online_report".into() } else { String::new() })
        .parse()
        .map_err(|e| err("channel", message(e)))?;
    let offered_at = match get("offered_at") {
        Some(t) => {
            Some(parse_time(&t).ok_or_else(|| err("offered_at", format!("{t:?} is not a date and time")))?)
        }
        None if persons => Some(now),
        None => return Err(err("offered_at", "required for contacts".into())),
    };
    let name = get("name").or_else(|| {
        let n = format!("{} {}", get("given_name").unwrap_or_default(), get("surname").unwrap_or_default());
        Some(n.trim().to_string()).filter(|n| !n.is_empty())
    });
    let narrative =
        get("narrative").unwrap_or_else(|| format!("Person record imported from {source}, row {row}"));
    let input = NewContactInput {
        channel,
        offered_at,
        flags: Vec::new(),
        caller: CallerInput {
            name,
            date_of_birth: get("date_of_birth").map(|d| british_date(&d)),
            phone: get("phone"),
            email: get("email"),
            address: get("address"),
            postcode: get("postcode"),
        },
        location_text: get("location_text"),
        location: None,
        narrative,
    };
    let new = input.validate(now)?;
    let outcome: Outcome = get("outcome")
        .unwrap_or_else(|| "no_further_action".into())
        .parse()
        .map_err(|e| err("outcome", message(e)))?;
    let at = new.offered_at;
    Ok(Contact {
        reference: ContactRef::new(at.date_naive(), 1).map_err(|e| err("offered_at", e.to_string()))?,
        channel: new.channel,
        status: ContactStatus::Closed,
        flags: new.flags,
        caller: new.caller,
        location_text: new.location_text,
        location: new.location,
        narrative: new.narrative,
        grade: None,
        outcome: Some(outcome),
        handler: None,
        offered_at: at,
        queued_at: Some(at),
        answered_at: Some(at),
        closed_at: Some(at),
        created_at: at,
        updated_at: at,
        version: 1,
    })
}

/// Reads and validates the whole file: the contacts to store and the rejects.
pub fn read_rows(
    file: &Path,
    mapping: &Mapping,
    persons: bool,
) -> anyhow::Result<(Vec<Contact>, Vec<Reject>)> {
    for f in mapping.columns.keys().chain(mapping.defaults.keys()) {
        anyhow::ensure!(
            FIELDS.contains(&f.as_str()),
            "unknown field {f:?} in the mapping; known: {}",
            FIELDS.join(", ")
        );
    }
    let mut rdr = csv::Reader::from_path(file).with_context(|| format!("opening {}", file.display()))?;
    let headers = rdr.headers()?.clone();
    let mut cols = BTreeMap::new();
    for (field, header) in &mapping.columns {
        let i = headers.iter().position(|h| h.trim() == header).with_context(|| {
            format!("the mapping names column {header:?} for {field}, but the file has no such header")
        })?;
        cols.insert(field.as_str(), i);
    }
    let source = file.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    let now = Utc::now();
    let bar = Bar::new();
    fc_linkage::Progress::start(&bar, "reading rows", 0);
    let (mut ok, mut rejects) = (Vec::new(), Vec::new());
    for (i, rec) in rdr.records().enumerate() {
        let row = i as u64 + 2;
        fc_linkage::Progress::advance(&bar, 1);
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                rejects.push(Reject { row, field: "row".into(), message: e.to_string() });
                continue;
            }
        };
        let get = |f: &str| -> Option<String> {
            cols.get(f)
                .and_then(|&c| rec.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .or_else(|| mapping.defaults.get(f).cloned())
        };
        match row_to_contact(&get, persons, &source, row, now) {
            Ok(c) => ok.push(c),
            Err(errors) => {
                rejects.extend(errors.into_iter().map(|e| Reject { row, field: e.field, message: e.message }))
            }
        }
    }
    fc_linkage::Progress::finish(&bar);
    Ok((ok, rejects))
}

/// Runs an import.
pub async fn run(cmd: Import) -> anyhow::Result<()> {
    let (args, persons) = match cmd {
        Import::Contacts(a) => (a, false),
        Import::Persons(a) => (a, true),
    };
    let text = std::fs::read_to_string(&args.mapping)
        .with_context(|| format!("reading {}", args.mapping.display()))?;
    let mapping: Mapping = toml::from_str(&text).with_context(|| format!("in {}", args.mapping.display()))?;
    let (contacts, rejects) = read_rows(&args.file, &mapping, persons)?;
    let store = crate::commands::serve::open_store(&args.database_url).await?;
    let actor = Actor { username: args.actor.clone(), role: Role::Administrator };
    let bar = Bar::new();
    fc_linkage::Progress::start(&bar, "storing contacts", contacts.len() as u64);
    let mut stored = Vec::with_capacity(contacts.len());
    for chunk in contacts.chunks(500) {
        stored.extend(store.import_contacts(&actor, chunk.to_vec()).await?);
        fc_linkage::Progress::advance(&bar, chunk.len() as u64);
    }
    fc_linkage::Progress::finish(&bar);
    let linked = crate::persons_link::link_contacts(
        &store,
        &actor,
        &stored,
        &fc_linkage::Model::default(),
        &Bar::new(),
    )
    .await?;
    store.close().await;
    let rows: std::collections::BTreeSet<u64> = rejects.iter().map(|r| r.row).collect();
    println!("imported {} rows; rejected {} rows", stored.len(), rows.len());
    println!("linked {} contacts into {} persons", linked.contacts, linked.persons);
    if linked.pairs_for_review > 0 {
        println!(
            "{} possible same person pairs held back from merging are waiting for review at /link-reviews",
            linked.pairs_for_review
        );
    }
    for r in rejects.iter().take(100) {
        println!("  row {}: {}: {}", r.row, r.field, r.message);
    }
    if rejects.len() > 100 {
        println!("  ... and {} more (use --rejects FILE)", rejects.len() - 100);
    }
    if let Some(path) = &args.rejects {
        let mut w = csv::Writer::from_path(path)?;
        w.write_record(["row", "field", "message"])?;
        for r in &rejects {
            w.write_record([r.row.to_string(), r.field.clone(), r.message.clone()])?;
        }
        w.flush()?;
    }
    Ok(())
}
