//! Fuzzes the domain parsers that take outside strings: postcodes, partial dates, contact
//! references, AML messages. Each must accept or refuse without panicking, and what it accepts must re-parse to
//! the same value from its own display form.
#![no_main]

use fc_domain::{AmlMessage, ContactRef, PartialDate, Postcode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(p) = Postcode::parse(s) {
        assert_eq!(Postcode::parse(&p.to_string()).ok(), Some(p));
    }
    if let Ok(d) = PartialDate::parse(s, 2100) {
        assert_eq!(PartialDate::parse(&d.to_string(), 2100).ok(), Some(d));
    }
    if let Ok(m) = AmlMessage::parse(s) {
        // Whatever is accepted is a real place.
        if let Some(p) = m.location {
            assert!((-90.0..=90.0).contains(&p.lat) && (-180.0..=180.0).contains(&p.lon));
        }
        let _ = m.summary();
    }
    if let Ok(r) = ContactRef::parse(s) {
        assert_eq!(ContactRef::parse(&r.to_string()).ok(), Some(r));
    }
});
