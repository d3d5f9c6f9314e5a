use crate::harness::{TestStore, handler};
use chrono::{DateTime, Duration, TimeZone, Utc};
use fc_domain::{CallerDetails, Channel, Contact, ContactRef, ContactStatus, Outcome};

crate::contract!(answer_totals_use_the_national_bands, timings_and_arrivals_cover_the_window);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single().expect("time")
}

/// A historical contact offered `at` and answered after `wait` seconds (None: abandoned after 30 s).
fn past(channel: Channel, at: DateTime<Utc>, wait: Option<f64>) -> Contact {
    let answered = wait.map(|w| at + Duration::milliseconds((w * 1000.0) as i64));
    let closed = answered.map_or(at + Duration::seconds(30), |a| a + Duration::seconds(200));
    Contact {
        reference: ContactRef::new(at.date_naive(), 1).expect("ref"),
        channel,
        status: if wait.is_some() { ContactStatus::Closed } else { ContactStatus::Abandoned },
        flags: vec![],
        caller: CallerDetails::default(),
        location_text: None,
        location: None,
        narrative: "history".into(),
        grade: None,
        outcome: wait.map(|_| Outcome::AdviceGiven),
        handler: wait.map(|_| "h.jones".to_string()),
        offered_at: at,
        queued_at: Some(at),
        answered_at: answered,
        closed_at: Some(closed),
        created_at: at,
        updated_at: closed,
        version: 1,
    }
}

async fn answer_totals_use_the_national_bands(t: TestStore) {
    let s = &t.store;
    let waits = [Some(0.5), Some(9.99), Some(10.0), Some(59.9), Some(60.0), Some(300.0), None];
    let mut batch: Vec<Contact> = waits
        .iter()
        .enumerate()
        .map(|(i, w)| past(Channel::Emergency999, t0() + Duration::minutes(i as i64), *w))
        .collect();
    batch.push(past(Channel::NonEmergency101, t0(), Some(42.0)));
    batch.push(past(Channel::NonEmergency101, t0() + Duration::days(40), Some(1.0)));
    s.import_contacts(&handler(), batch).await.expect("import");
    let totals = s.answer_totals(t0(), t0() + Duration::days(30)).await.expect("totals");
    let e = totals[&Channel::Emergency999];
    assert_eq!((e.offered, e.answered, e.abandoned), (7, 6, 1));
    assert_eq!(
        (e.under_10s, e.from_10_to_60s, e.over_60s),
        (2, 2, 2),
        "10.0 s is in the middle band, 60.0 s in the last"
    );
    assert_eq!(e.answer_micros, 440_390_000);
    let n = totals[&Channel::NonEmergency101];
    assert_eq!((n.offered, n.answered, n.from_10_to_60s), (1, 1, 1), "the later one is outside the window");
    assert!(s.answer_totals(t0() - Duration::days(9), t0()).await.expect("empty").is_empty());
}

async fn timings_and_arrivals_cover_the_window(t: TestStore) {
    let s = &t.store;
    let batch = vec![
        past(Channel::Emergency999, t0(), Some(4.0)),
        past(Channel::Emergency999, t0() + Duration::minutes(20), None),
        past(Channel::Webchat, t0() + Duration::minutes(50), Some(90.0)),
        past(Channel::Webchat, t0() + Duration::hours(3), Some(90.0)),
    ];
    s.import_contacts(&handler(), batch).await.expect("import");
    let timings = s.contact_timings(t0(), t0() + Duration::hours(1)).await.expect("timings");
    assert_eq!(timings.len(), 3);
    assert_eq!(timings[0].answer_secs(), Some(4.0));
    assert_eq!(timings[1].abandon_secs(), Some(30.0));
    assert_eq!(timings[2].channel, Channel::Webchat);
    let arrivals = s.arrival_counts(t0(), 15 * 60, 8).await.expect("arrivals");
    assert_eq!(arrivals[&Channel::Emergency999], vec![1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    assert_eq!(
        arrivals[&Channel::Webchat],
        vec![0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0],
        "the one 3 h later is past the 2 h window"
    );
}
