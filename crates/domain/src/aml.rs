//! Advanced Mobile Location (AML, ETSI TS 103 625): the `key=value;…` message a smartphone sends
//! when 999 is dialled, giving where the handset is and how sure it is. Handlers act on it, so it is
//! parsed strictly: a field that is malformed or out of range is an error naming that field (an
//! impossible place must never reach a map), unknown keys are kept aside rather than refused (the
//! standard grows), and a message whose declared length disagrees with its size is accepted but
//! flagged, because an SMS may arrive cut short.
//!
//! Example: `A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=W;si=…;ei=…;mcc=234;mnc=30;ml=124`

use crate::record::FieldError;
use crate::{DomainError, GeoPoint};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest message accepted; a real AML SMS is under 160 characters, HTTPS payloads a little more.
pub const MAX_MESSAGE_LEN: usize = 1024;

/// How the handset found its position (`pm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PositioningMethod {
    /// Satellite (GNSS): usually metres.
    Gnss,
    /// Wi-Fi: tens of metres.
    Wifi,
    /// Cell towers: hundreds of metres or more.
    Cell,
    /// No position could be found; the message still says a smartphone called.
    None,
}

impl PositioningMethod {
    /// Words for a handler.
    pub fn label(self) -> &'static str {
        match self {
            Self::Gnss => "satellite (GNSS)",
            Self::Wifi => "Wi-Fi",
            Self::Cell => "cell",
            Self::None => "no position",
        }
    }
}

/// A parsed AML message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmlMessage {
    /// Protocol version from the header (`A"ML=1`).
    pub version: u8,
    /// Where the handset is, with its radius; `None` when `pm=N`.
    pub location: Option<GeoPoint>,
    /// When the position was fixed (UTC); old fixes matter for a moving caller.
    pub positioned_at: Option<DateTime<Utc>>,
    /// The handset's confidence, in percent, that it is inside the radius.
    pub confidence_pct: Option<u8>,
    /// How the position was found.
    pub method: PositioningMethod,
    /// Subscriber identity (IMSI), when sent.
    pub imsi: Option<String>,
    /// Handset identity (IMEI), when sent.
    pub imei: Option<String>,
    /// Mobile country code.
    pub mcc: Option<String>,
    /// Mobile network code.
    pub mnc: Option<String>,
    /// True when the declared length (`ml`) does not match the message: it may have been cut short.
    pub length_mismatch: bool,
    /// Keys this parser does not know, kept as sent.
    pub unknown: Vec<(String, String)>,
}

fn err(field: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.to_string(), message: message.into() }
}

fn digits(field: &str, v: &str, lengths: std::ops::RangeInclusive<usize>) -> Result<String, FieldError> {
    if v.bytes().all(|b| b.is_ascii_digit()) && lengths.contains(&v.len()) {
        Ok(v.to_string())
    } else {
        Err(err(field, format!("must be {}–{} digits", lengths.start(), lengths.end())))
    }
}

fn number(field: &str, v: &str) -> Result<f64, FieldError> {
    let ok = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'+' || b == b'-');
    v.parse::<f64>()
        .ok()
        .filter(|x| ok && x.is_finite())
        .ok_or_else(|| err(field, "must be a decimal number"))
}

impl AmlMessage {
    /// Parses one message. Every problem found is returned, each naming its field.
    pub fn parse(text: &str) -> Result<Self, Vec<FieldError>> {
        let text = text.trim();
        if text.len() > MAX_MESSAGE_LEN {
            return Err(vec![err("message", format!("longer than {MAX_MESSAGE_LEN} characters"))]);
        }
        let mut parts = text.split(';').filter(|p| !p.is_empty());
        let version = match parts.next().and_then(|h| h.split_once('=')) {
            Some((key, v)) if key.eq_ignore_ascii_case("A\"ML") => match v.parse::<u8>() {
                Ok(1) => 1,
                _ => return Err(vec![err("A\"ML", format!("version {v:?} is not supported (expected 1)"))]),
            },
            _ => return Err(vec![err("message", "not an AML message (it must start with A\"ML=1)")]),
        };
        let mut errors = Vec::new();
        let mut lat = None;
        let mut lon = None;
        let mut radius = None;
        let mut msg = AmlMessage {
            version,
            location: None,
            positioned_at: None,
            confidence_pct: None,
            method: PositioningMethod::None,
            imsi: None,
            imei: None,
            mcc: None,
            mnc: None,
            length_mismatch: false,
            unknown: Vec::new(),
        };
        let mut method = None;
        let mut seen: Vec<String> = Vec::new();
        for part in parts {
            let Some((key, value)) = part.split_once('=') else {
                errors.push(err("message", format!("{part:?} is not key=value")));
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            if seen.contains(&key) {
                errors.push(err(&key, "appears twice"));
                continue;
            }
            seen.push(key.clone());
            let result: Result<(), FieldError> = (|| {
                match key.as_str() {
                    "lt" => lat = Some(number("lt", value)?),
                    "lg" => lon = Some(number("lg", value)?),
                    "rd" => {
                        let x = number("rd", value)?;
                        if x < 0.0 {
                            return Err(err("rd", "radius cannot be negative"));
                        }
                        radius = Some(x);
                    }
                    "top" => {
                        let t = NaiveDateTime::parse_from_str(value, "%Y%m%d%H%M%S")
                            .map_err(|_| err("top", "must be a real UTC time as YYYYMMDDhhmmss"))?;
                        msg.positioned_at = Some(t.and_utc());
                    }
                    "lc" => match value.parse::<u8>() {
                        Ok(p) if p <= 100 => msg.confidence_pct = Some(p),
                        _ => return Err(err("lc", "must be a percentage 0–100")),
                    },
                    "pm" => {
                        method = Some(match value {
                            "G" | "g" => PositioningMethod::Gnss,
                            "W" | "w" => PositioningMethod::Wifi,
                            "C" | "c" => PositioningMethod::Cell,
                            "N" | "n" => PositioningMethod::None,
                            _ => return Err(err("pm", "must be G (GNSS), W (Wi-Fi), C (cell) or N (none)")),
                        })
                    }
                    "si" => msg.imsi = Some(digits("si", value, 5..=15)?),
                    "ei" => msg.imei = Some(digits("ei", value, 14..=16)?),
                    "mcc" => msg.mcc = Some(digits("mcc", value, 3..=3)?),
                    "mnc" => msg.mnc = Some(digits("mnc", value, 2..=3)?),
                    "ml" => {
                        let n = value.parse::<usize>().map_err(|_| err("ml", "must be a whole number"))?;
                        msg.length_mismatch = n != text.len();
                    }
                    _ => msg.unknown.push((key.clone(), value.to_string())),
                }
                Ok(())
            })();
            if let Err(e) = result {
                errors.push(e);
            }
        }
        msg.method = method
            .unwrap_or_else(|| if lat.is_some() { PositioningMethod::Cell } else { PositioningMethod::None });
        match (lat, lon) {
            (Some(lat), Some(lon)) => match GeoPoint::parse(lat, lon, radius) {
                Ok(p) => msg.location = Some(p),
                Err(DomainError::Invalid { field, message }) => {
                    let field = match field {
                        "lat" => "lt",
                        "lon" => "lg",
                        _ => "rd",
                    };
                    errors.push(err(field, message));
                }
                Err(other) => errors.push(err("message", other.to_string())),
            },
            (None, None) if msg.method == PositioningMethod::None => {}
            (None, _) => errors.push(err("lt", "latitude is missing")),
            (_, None) => errors.push(err("lg", "longitude is missing")),
        }
        if errors.is_empty() { Ok(msg) } else { Err(errors) }
    }

    /// A one-line summary for the contact's log and the handler's screen.
    pub fn summary(&self) -> String {
        let mut s = format!("AML location by {}", self.method.label());
        if let Some(p) = self.location {
            s.push_str(&format!(" at {:.5}, {:.5}", p.lat, p.lon));
            if let Some(r) = p.radius_m {
                s.push_str(&format!(" within {r:.0} m"));
            }
        }
        if let Some(c) = self.confidence_pct {
            s.push_str(&format!(", {c}% confidence"));
        }
        if let Some(t) = self.positioned_at {
            s.push_str(&format!(", fixed {}", t.format("%H:%M:%S UTC")));
        }
        if self.length_mismatch {
            s.push_str(" (declared length differs: the message may be incomplete)");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = "A\"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=W;\
                          si=123456789012345;ei=1234567890123456;mcc=234;mnc=30;ml=124";

    #[test]
    fn parses_the_standard_example() {
        let m = AmlMessage::parse(SAMPLE).expect("parses");
        let p = m.location.expect("located");
        assert_eq!((p.lat, p.lon, p.radius_m), (55.74317, -4.26881, Some(50.0)));
        assert_eq!(m.method, PositioningMethod::Wifi);
        assert_eq!(m.confidence_pct, Some(90));
        assert_eq!(m.positioned_at.map(|t| t.to_rfc3339()), Some("2013-07-17T14:19:35+00:00".into()));
        assert_eq!(m.imsi.as_deref(), Some("123456789012345"));
        assert_eq!(m.mcc.as_deref(), Some("234"));
        assert!(m.length_mismatch, "the example's declared length is not its size");
        assert!(m.summary().contains("Wi-Fi") && m.summary().contains("within 50 m"));
    }

    #[test]
    fn no_position_is_a_valid_message_without_a_location() {
        let m = AmlMessage::parse("A\"ML=1;pm=N;mcc=234;mnc=15").expect("parses");
        assert_eq!(m.location, None);
        assert_eq!(m.method, PositioningMethod::None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = AmlMessage::parse("A\"ML=1;lt=95.1;lg=abc;rd=-3;top=20131345141935;lc=120;pm=X;mcc=23")
            .expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in ["lg", "rd", "top", "lc", "pm", "mcc"] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn impossible_places_and_other_protocols_are_refused() {
        let e = AmlMessage::parse("A\"ML=1;lt=91;lg=0;pm=G").expect_err("refused");
        assert_eq!(e[0].field, "lt");
        assert_eq!(AmlMessage::parse("hello").expect_err("refused")[0].field, "message");
        assert_eq!(AmlMessage::parse("A\"ML=2;lt=1;lg=1").expect_err("refused")[0].field, "A\"ML");
        assert_eq!(AmlMessage::parse("A\"ML=1;lt=1;lt=2;lg=1").expect_err("refused")[0].field, "lt");
        assert!(AmlMessage::parse(&"x".repeat(MAX_MESSAGE_LEN + 1)).is_err());
    }

    #[test]
    fn unknown_keys_are_kept_not_refused() {
        let m = AmlMessage::parse("A\"ML=1;lt=51.5;lg=-0.1;pm=G;zz=hello").expect("parses");
        assert_eq!(m.unknown, vec![("zz".to_string(), "hello".to_string())]);
    }

    proptest! {
        #[test]
        fn valid_messages_round_trip(
            lat in -90.0f64..=90.0, lon in -180.0f64..=180.0, rd in 0u32..100_000,
            lc in 0u8..=100, pm in prop::sample::select(vec!["G", "W", "C"]),
            secs in 0i64..4_000_000_000,
        ) {
            let top = DateTime::from_timestamp(secs, 0).expect("in range");
            let text = format!(
                "A\"ML=1;lt={lat:+.5};lg={lon:+.5};rd={rd};top={};lc={lc};pm={pm}",
                top.format("%Y%m%d%H%M%S")
            );
            let m = AmlMessage::parse(&text).expect("valid message parses");
            let p = m.location.expect("located");
            prop_assert!((p.lat - lat).abs() < 1e-5 && (p.lon - lon).abs() < 1e-5);
            prop_assert_eq!(p.radius_m, Some(f64::from(rd)));
            prop_assert_eq!(m.confidence_pct, Some(lc));
            prop_assert_eq!(m.positioned_at, Some(top));
        }

        #[test]
        fn any_text_gives_a_result_not_a_panic(s in ".{0,300}") {
            let _ = AmlMessage::parse(&s);
        }
    }
}
