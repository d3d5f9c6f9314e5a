//! Scenario parsing: the shipped examples parse, and bad input gets an error naming line and field.

use super::*;
use proptest::prelude::*;

const NORMAL: &str = include_str!("../../../../scenarios/normal_week.toml");
const NYE: &str = include_str!("../../../../scenarios/new_years_eve.toml");
const INCIDENT: &str = include_str!("../../../../scenarios/major_incident.toml");

fn error_of(text: &str) -> (usize, String, String) {
    match Scenario::parse(text) {
        Err(DemandError::Scenario { line, field, reason }) => (line, field, reason),
        other => panic!("expected a scenario error, got {other:?}"),
    }
}

const MINIMAL: &str = r#"start = "2024-03-04T00:00"
days = 1
[[channel]]
channel = "999"
contacts_per_day = 100
handle_mean_secs = 200
[[team]]
name = "t"
skills = ["999"]
[[team.shift]]
start = "00:00"
hours = 24
handlers = 3
"#;

#[test]
fn shipped_examples_parse() {
    for text in [NORMAL, NYE, INCIDENT] {
        let s = Scenario::parse(text).expect("example parses");
        let cfg = s.to_sim_config();
        cfg.validate().expect("expands to a valid simulation");
    }
}

#[test]
fn minimal_scenario_has_defaults() {
    let s = Scenario::parse(MINIMAL).expect("parses");
    assert_eq!(s.interval_minutes, 15);
    assert_eq!(s.channels[0].target, Target::EMERGENCY_999);
    let total: f64 = s.baseline_profile(&s.channels[0]).iter().sum();
    assert!((total - 100.0).abs() < 1e-6, "{total}");
}

#[test]
fn negative_rate_names_line_and_field() {
    let (line, field, reason) = error_of(&MINIMAL.replace("contacts_per_day = 100", "contacts_per_day = -5"));
    assert_eq!((line, field.as_str()), (5, "channel[1].contacts_per_day"));
    assert!(reason.contains("-5"), "{reason}");
}

#[test]
fn zero_handlers_names_line_and_field() {
    let (line, field, _) = error_of(&MINIMAL.replace("handlers = 3", "handlers = 0"));
    assert_eq!((line, field.as_str()), (13, "team[1].shift[1].handlers"));
}

#[test]
fn unknown_channel_names_line_and_field() {
    let (line, field, reason) = error_of(&MINIMAL.replace("channel = \"999\"", "channel = \"fax\""));
    assert_eq!((line, field.as_str()), (4, "channel[1].channel"));
    assert!(reason.contains("fax"), "{reason}");
    let (line, field, _) = error_of(&MINIMAL.replace("skills = [\"999\"]", "skills = [\"999\", \"pigeon\"]"));
    assert_eq!((line, field.as_str()), (9, "team[1].skills"));
}

#[test]
fn malformed_times_name_line_and_field() {
    let (line, field, _) = error_of(&MINIMAL.replace("2024-03-04T00:00", "2024-13-04T00:00"));
    assert_eq!((line, field.as_str()), (1, "start"));
    let (line, field, reason) = error_of(&MINIMAL.replace("start = \"00:00\"", "start = \"25:61\""));
    assert_eq!((line, field.as_str()), (11, "team[1].shift[1].start"));
    assert!(reason.contains("25:61"));
}

#[test]
fn syntax_and_unknown_fields_are_located() {
    let (line, field, _) = error_of(&MINIMAL.replace("days = 1", "days = = 1"));
    assert_eq!((line, field.as_str()), (2, "(syntax)"));
    let (line, _, reason) = error_of(&MINIMAL.replace("days = 1", "days = 1\nrate = 3"));
    assert_eq!(line, 3);
    assert!(reason.contains("rate"), "{reason}");
}

#[test]
fn channel_nobody_can_take_is_an_error() {
    let text =
        format!("{MINIMAL}[[channel]]\nchannel = \"email\"\ncontacts_per_day = 5\nhandle_mean_secs = 60\n");
    let (line, field, _) = error_of(&text);
    assert_eq!((line, field.as_str()), (15, "channel[2].channel"));
}

#[test]
fn surge_adds_contacts_in_its_window() {
    let text = format!(
        "{MINIMAL}[[surge]]\nchannel = \"999\"\nstart = \"2024-03-04T15:00\"\nminutes = 60\nextra_contacts = 400\n"
    );
    let s = Scenario::parse(&text).expect("parses");
    let cfg = s.to_sim_config();
    assert_eq!(cfg.streams.len(), 2);
    let crate::sim::Arrivals::Profile(p) = &cfg.streams[1].arrivals else { panic!("profile") };
    assert!((p.iter().sum::<f64>() - 400.0).abs() < 1e-9);
    assert!((p[60] - 100.0).abs() < 1e-9 && p[59] == 0.0 && p[64] == 0.0);
}

proptest! {
    #[test]
    fn parser_never_panics(text in "\\PC{0,400}") {
        let _ = Scenario::parse(&text);
    }

    #[test]
    fn parser_never_panics_on_mutated_examples(pos in 0usize..400, junk in "[\\[\\]=\"#a-z0-9 .:\\n-]{0,12}") {
        let mut t = MINIMAL.to_string();
        let p = pos.min(t.len());
        if t.is_char_boundary(p) {
            t.insert_str(p, &junk);
        }
        let _ = Scenario::parse(&t);
    }
}
