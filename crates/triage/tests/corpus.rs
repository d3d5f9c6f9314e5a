//! The labelled corpus is the contract for the lexicon: every narrative signal must keep recall of
//! at least 0.9 (and precision of at least 0.8), so a lexicon change that loses real risk fails CI.

use fc_triage::SignalKind;
use fc_triage::engine::TriageEngine;
use fc_triage::eval::{default_corpus, evaluate};

#[test]
fn corpus_is_large_varied_and_well_formed() {
    let corpus = default_corpus().expect("corpus parses");
    assert!(corpus.len() >= 300, "{} narratives", corpus.len());
    let quiet = corpus.iter().filter(|e| e.signals.is_empty()).count();
    assert!(quiet >= 80, "only {quiet} narratives without a signal");
    let mut ids: Vec<&str> = corpus.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), corpus.len(), "duplicate ids");
    for kind in SignalKind::NARRATIVE {
        let n = corpus.iter().filter(|e| e.signals.contains(&kind)).count();
        assert!(n >= 10, "{kind}: only {n} examples");
    }
}

#[test]
fn every_signal_keeps_recall_of_at_least_0_9() {
    let engine = TriageEngine::with_defaults().expect("engine");
    let corpus = default_corpus().expect("corpus parses");
    let report = evaluate(&engine, &corpus);
    println!("{report}");
    for s in &report.signals {
        assert!(s.recall() >= 0.9, "{}: recall {:.3} below 0.9\n{report}", s.kind, s.recall());
        assert!(s.precision() >= 0.8, "{}: precision {:.3} below 0.8\n{report}", s.kind, s.precision());
    }
    let g1 = report.confusion[0];
    assert!(g1[2] + g1[3] == 0, "a grade 1 narrative was recommended grade 3 or 4\n{report}");
}
