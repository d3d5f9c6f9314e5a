//! Fuzzes the API's contact body parsing and validation: any bytes give a contact or a problem
//! with a status in the 4xx range, never a panic, and a validated contact round-trips through JSON.
#![no_main]

use fc_domain::record::NewContactInput;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match fc_server::extract::parse_json::<NewContactInput>(data) {
        Ok(input) => {
            let now = chrono::Utc::now();
            match input.validate(now) {
                Ok(contact) => {
                    let json = serde_json::to_string(&contact).expect("serialises");
                    let _: fc_domain::NewContact = serde_json::from_str(&json).expect("round-trips");
                }
                Err(errors) => assert!(!errors.is_empty()),
            }
        }
        Err(e) => {
            let status = e.problem().status;
            assert!((400..500).contains(&status), "{status}");
        }
    }
});
