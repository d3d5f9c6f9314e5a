//! Fuzzes the triage engine with arbitrary narratives: any bytes that are UTF-8 (and a lossy
//! decoding of those that are not) must give an assessment, never a panic, with evidence spans that
//! lie on character boundaries of the input.

#![no_main]

use fc_domain::Channel;
use fc_triage::{ContactInput, Evidence, PersonHistory, TriageEngine};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static ENGINE: LazyLock<Option<TriageEngine>> = LazyLock::new(|| TriageEngine::with_defaults().ok());

fuzz_target!(|data: &[u8]| {
    let Some(engine) = ENGINE.as_ref() else { return };
    let text = String::from_utf8_lossy(data);
    let channel = Channel::ALL[data.first().map_or(0, |b| usize::from(*b) % Channel::ALL.len())];
    let assessment = engine.assess(&ContactInput::new(channel, &text), &PersonHistory::default(), None);
    for signal in &assessment.signals {
        assert!(!signal.evidence.is_empty());
        for evidence in &signal.evidence {
            if let Evidence::Phrase { span, .. } = evidence {
                assert!(span.start <= span.end && span.end <= text.len());
                assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
        }
    }
});
