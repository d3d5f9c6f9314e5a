//! Lists every corpus narrative where the engine and the labels disagree, with what matched and
//! what was set aside, for tuning a lexicon: `cargo run -p fc-triage --example corpus_misses [signal]`.

use fc_triage::engine::TriageEngine;
use fc_triage::eval::{default_corpus, evaluate};
use fc_triage::{Evidence, PersonHistory};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let only = std::env::args().nth(1);
    let engine = TriageEngine::with_defaults()?;
    let corpus = default_corpus()?;
    let report = evaluate(&engine, &corpus);
    for d in &report.disagreements {
        let interesting = match &only {
            Some(s) if s == "grade" => d.expected_grade != d.recommended_grade,
            Some(s) => d.missed.iter().chain(&d.extra).any(|k| k.as_str() == s),
            None => !d.missed.is_empty() || !d.extra.is_empty(),
        };
        if !interesting {
            continue;
        }
        let Some(entry) = corpus.iter().find(|e| e.id == d.id) else { continue };
        let a = engine.assess(&entry.contact(), &PersonHistory::default(), None::<&_>);
        println!(
            "{} [{}] G{} -> G{}  missed {:?} extra {:?}",
            d.id,
            entry.channel,
            d.expected_grade.number(),
            d.recommended_grade.number(),
            d.missed,
            d.extra
        );
        println!("   {}", entry.narrative);
        for s in &a.signals {
            let words: Vec<String> = s
                .evidence
                .iter()
                .filter_map(|e| match e {
                    Evidence::Phrase { text, fuzzy, .. } => {
                        Some(format!("{text}{}", if *fuzzy { "~" } else { "" }))
                    }
                    _ => None,
                })
                .collect();
            println!("   + {} {:?}", s.kind, words);
        }
        for x in &a.discounted {
            println!("   - {} {:?} ({:?} by {:?})", x.kind, x.text, x.reason, x.cue);
        }
    }
    Ok(())
}
