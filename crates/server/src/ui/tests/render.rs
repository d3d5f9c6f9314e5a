//! Snapshots of what people see: the queue fragment and the new-contact form with errors.

use crate::ui::form::Form;
use crate::ui::new_contact::{contact_form, parse};
use crate::ui::queue::queue_fragment;
use chrono::{DateTime, Duration, Utc};
use fc_domain::record::CallerDetails;
use fc_domain::{Channel, Contact, ContactFlag, ContactRef, ContactStatus};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
}

fn contact(seq: u32, channel: Channel, flags: Vec<ContactFlag>, offered: DateTime<Utc>) -> Contact {
    Contact {
        reference: ContactRef::parse(&format!("FC-20261123-{seq:06}")).expect("reference"),
        channel,
        status: ContactStatus::Received,
        flags,
        caller: CallerDetails { name: Some("Never Shown".into()), ..Default::default() },
        location_text: None,
        location: None,
        narrative: "not shown in the queue".into(),
        grade: None,
        outcome: None,
        handler: None,
        offered_at: offered,
        queued_at: None,
        answered_at: None,
        closed_at: None,
        created_at: offered,
        updated_at: offered,
        version: 1,
    }
}

/// Pretty-prints maud's one-line output, one tag per line, so snapshot diffs are readable.
fn lines(html: &str) -> String {
    html.replace("><", ">\n<")
}

#[test]
fn queue_fragment_shows_references_channels_flags_and_waits_but_no_caller_details() {
    let now = at("2026-11-23T14:00:00Z");
    let items = vec![
        contact(7, Channel::Emergency999, vec![ContactFlag::Silent999], now - Duration::seconds(42)),
        contact(9, Channel::Emergency999, vec![], now - Duration::seconds(5)),
        contact(
            3,
            Channel::NonEmergency101,
            vec![ContactFlag::CallbackRequested],
            now - Duration::seconds(754),
        ),
    ];
    let html = queue_fragment(&items, now, None).into_string();
    assert!(!html.contains("Never Shown") && !html.contains("not shown"), "no personal details");
    insta::assert_snapshot!("queue_fragment", lines(&html));

    let only_101 = queue_fragment(&items, now, Some(Channel::NonEmergency101)).into_string();
    assert!(!only_101.contains("data-ref=\"FC-20261123-000007\""));
    assert!(only_101.contains("999: <strong>2</strong>"), "counts still cover every channel");
    let empty = queue_fragment(&[], now, None).into_string();
    assert!(empty.contains("No contacts waiting."));
}

#[test]
fn form_errors_render_beside_fields_and_in_a_linked_summary() {
    let form = Form::from_pairs(&[
        ("channel", "101"),
        ("flags", "silent_999"),
        ("caller.name", "Jo \"JB\" Bloggs"),
        ("caller.postcode", "ZZ"),
        ("location.lat", "51.5"),
        ("narrative", "Car broken into overnight"),
    ]);
    let (input, mut errors) = parse(&form);
    let input = input.expect("channel parsed");
    if let Err(mut e) = input.validate(at("2026-11-23T14:00:00Z")) {
        errors.append(&mut e);
    }
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["location.lon", "caller.postcode", "flags"]);
    let html = contact_form(&form, &errors, "CSRF", "KEY").into_string();
    insta::assert_snapshot!("contact_form_errors", lines(&html));
}
