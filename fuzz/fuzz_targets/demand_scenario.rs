//! Fuzz the scenario parser: any bytes must give a scenario or an error, never a panic; a parsed
//! scenario must expand to a simulator configuration that validates.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(scenario) = fc_demand::scenario::Scenario::parse(text)
    {
        let _ = scenario.to_sim_config().validate();
    }
});
