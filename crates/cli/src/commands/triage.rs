//! `firstcontact triage`: measure the triage engine against the labelled corpus, or assess one
//! narrative from the command line. Parses arguments, calls `fc-triage`, prints; nothing else.

use anyhow::Context;
use clap::{Args, Subcommand};
use fc_domain::Channel;
use fc_triage::eval::{DEFAULT_CORPUS, evaluate, parse_corpus};
use fc_triage::{ContactInput, PersonHistory, TriageEngine};

/// Risk triage: evaluate the engine or assess a narrative.
#[derive(Debug, Args)]
pub struct TriageArgs {
    #[command(subcommand)]
    command: TriageCommand,
}

#[derive(Debug, Subcommand)]
enum TriageCommand {
    /// Per-signal precision and recall and a grade confusion table on the labelled corpus.
    Eval {
        /// A corpus in JSON lines (defaults to the shipped corpus).
        #[arg(long)]
        corpus: Option<std::path::PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Also list every narrative where the engine and the labels disagree.
        #[arg(long)]
        disagreements: bool,
    },
    /// Assess one narrative and print the assessment as JSON.
    Assess {
        /// The channel (999, 101, online_report, webchat, social_media, email, video, text_relay).
        #[arg(long, default_value = "101")]
        channel: String,
        /// The narrative.
        narrative: String,
    },
}

/// Runs the subcommand.
pub fn run(args: TriageArgs) -> anyhow::Result<()> {
    let engine = TriageEngine::with_defaults().context("loading the default triage configuration")?;
    match args.command {
        TriageCommand::Eval { corpus, json, disagreements } => {
            let text = match corpus {
                Some(path) => {
                    std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?
                }
                None => DEFAULT_CORPUS.to_string(),
            };
            let corpus = parse_corpus(&text)?;
            let report = evaluate(&engine, &corpus);
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(());
            }
            print!("{report}");
            if disagreements {
                println!();
                for d in &report.disagreements {
                    println!(
                        "{}: grade expected {} recommended {}; missed {:?}; extra {:?}",
                        d.id,
                        d.expected_grade.number(),
                        d.recommended_grade.number(),
                        d.missed.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                        d.extra.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                    );
                }
            }
        }
        TriageCommand::Assess { channel, narrative } => {
            let channel: Channel = channel.parse()?;
            let assessment =
                engine.assess(&ContactInput::new(channel, &narrative), &PersonHistory::default(), None);
            println!("{}", serde_json::to_string_pretty(&assessment)?);
        }
    }
    Ok(())
}
