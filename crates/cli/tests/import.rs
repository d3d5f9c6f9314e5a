//! `firstcontact import contacts`: a CSV with a column mapping is validated row by row, rejected
//! rows are reported with their row number, field and reason, the rest are stored, and the
//! imported contacts are linked into persons in batch.

use fc_store::{Store, StoreOptions};
use std::process::Command;

const CSV: &str = "\
Ref,When,Forename,Surname,DOB,Tel,Post code,Notes,How
1,2026-03-01 10:00,Jane,Smith,1984-07-09,07700 900123,M1 1AE,Noise complaint,101
2,2026-04-02 11:30,Jane,Smith,09/07/1984,07700900123,m11ae,Shouting next door,999
3,2026-05-03 09:15,JANE,SMITH,1984-07-09,07700 900123,M1 1AE,Follow-up,email
4,2026-05-04 12:00,Tariq,Hussain,1951-02-03,0161 496 0999,OL1 1AA,Lost wallet,101
5,2026-05-05 12:00,Bad,Date,1984-13-45,,,Typo in DOB,101
6,2026-05-06 12:00,Some,One,,,,,fax
";

const MAPPING: &str = r#"
[columns]
offered_at = "When"
given_name = "Forename"
surname = "Surname"
date_of_birth = "DOB"
phone = "Tel"
postcode = "Post code"
narrative = "Notes"
channel = "How"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_reports_rejects_and_links_into_persons() {
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("contacts.csv");
    let map = dir.path().join("map.toml");
    let rejects = dir.path().join("rejects.csv");
    std::fs::write(&csv, CSV).expect("csv");
    std::fs::write(&map, MAPPING).expect("map");
    let db = dir.path().join("fc.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let out = Command::new(env!("CARGO_BIN_EXE_firstcontact"))
        .args(["import", "contacts"])
        .arg(&csv)
        .arg("--mapping")
        .arg(&map)
        .args(["--database-url", &url])
        .arg("--rejects")
        .arg(&rejects)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("imported 4 rows; rejected 2 rows"), "{stdout}");
    assert!(
        stdout.contains("row 6: date_of_birth") || stdout.contains("row 6: caller.date_of_birth"),
        "{stdout}"
    );
    assert!(stdout.contains("row 7: channel"), "{stdout}");
    let report = std::fs::read_to_string(&rejects).expect("rejects file");
    assert_eq!(report.lines().count(), 3, "header and two rejects: {report}");

    let store = Store::open(StoreOptions::new(url)).await.expect("open");
    assert_eq!(store.count_contacts().await.expect("count"), 4, "rejected rows were not stored");
    let jane = store.search_persons("smith", 10).await.expect("search");
    assert_eq!(jane.len(), 1, "three spellings, one person: {jane:?}");
    assert_eq!(jane[0].contacts, 3);
    let tariq = store.search_persons("hussain", 10).await.expect("search");
    assert_eq!(tariq.len(), 1);
    assert_eq!(tariq[0].contacts, 1);
    assert_eq!(store.person_stats().await.expect("stats").persons, 2);
    store.close().await;
}
