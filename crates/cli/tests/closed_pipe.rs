//! A report piped into `head` ends quietly when the reader goes away, instead of panicking.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn a_report_read_only_in_part_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_firstcontact"))
        .args(["plan", "--weeks", "4", "--scenario"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/normal_week.toml"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut first = String::new();
    let read = BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("a line");
    assert!(read > 0, "the report starts");
    // The reader has gone (stdout dropped above): the rest of the report hits a closed pipe.
    let out = child.wait_with_output().expect("ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}, stderr: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
