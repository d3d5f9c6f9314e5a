//! Triage data for the demo's seeded day, so every triage screen has something to show: THRIVE
//! assessments and grade decisions on a share of the answered contacts (some overriding the
//! recommendation, with a reason, for the supervisors' override review), DASH questionnaires on
//! domestic abuse contacts (some high, raising MARAC referrals left at each workflow stage), and
//! markers from the force's one list on contacts and persons. Deterministic by seed. It goes
//! through the same functions the API uses, so what is seeded obeys the same rules.

use anyhow::Context;
use fc_domain::{Actor, Contact, ContactStatus, Grade, ReferralAction, Role};
use fc_server::AppState;
use fc_server::api::assessment::questionnaires::{AnswersInput, evaluate, record_result};
use fc_server::api::assessment::thrive::{ElementInput, ThriveInput, record_of};
use fc_server::api::assessment::{assess_contact, history_for};
use fc_store::contacts::grading::GradeDecisionRecord;
use fc_store::contacts::questionnaires::ReferralFilter;
use fc_triage::{Answer, Judgement, SignalKind};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What was seeded, for the start-up message.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    /// THRIVE assessments recorded.
    pub thrive: usize,
    /// Grade decisions recorded.
    pub graded: usize,
    /// Of them, overrides (with a reason).
    pub overrides: usize,
    /// DASH questionnaires recorded.
    pub dash: usize,
    /// MARAC referrals raised.
    pub referrals: usize,
    /// Markers set on contacts and persons.
    pub markers: usize,
}

/// One contact in this many answered contacts gets a THRIVE assessment and a grade decision.
const TRIAGED_ONE_IN: u32 = 10;
/// Contacts triaged at once while seeding.
const CONCURRENT: usize = 4;

const OVERRIDE_UP: [&str; 3] = [
    "Caller's ex-partner has a history of violence and is nearby; upgrading",
    "Elderly caller alone and frightened; attendance needed sooner",
    "Background shouting on the line; risk may escalate",
];
const OVERRIDE_DOWN: [&str; 3] = [
    "Officers already at the address on another call; scheduling",
    "Caller confirms the person has left and is safe with family",
    "Weapon mentioned was in a past incident, not today; scheduled appointment",
];
const AGENCIES: [&str; 3] = ["Greater Manchester MARAC", "Salford MARAC", "Manchester IDVA service"];

fn handler_of(c: &Contact) -> Actor {
    Actor { username: c.handler.clone().unwrap_or_else(|| "handler".into()), role: Role::CallHandler }
}

fn element(judgement: Judgement, notes: &str) -> ElementInput {
    ElementInput { judgement, notes: notes.to_string() }
}

/// A THRIVE assessment that fits the recommended grade, as a handler would record it.
fn thrive_for(grade: Grade) -> ThriveInput {
    use Judgement::*;
    let (level, notes) = match grade {
        Grade::Emergency => (High, "Immediate danger described by the caller"),
        Grade::Priority => (Medium, "Risk could grow if not attended today"),
        Grade::Scheduled => (Low, "No immediate risk; can be planned"),
        Grade::Resolution => (None, "Resolved with advice on the call"),
    };
    let yes = if matches!(grade, Grade::Emergency | Grade::Priority) { Yes } else { No };
    ThriveInput {
        threat: element(level, notes),
        harm: element(level, notes),
        risk: element(level, "Judged from the account and the history shown"),
        investigation: element(yes, "Statement and any CCTV to secure"),
        vulnerability: element(if level == High { Medium } else { Low }, "Caller's circumstances checked"),
        engagement: element(yes, "Partner agencies to be told if needed"),
    }
}

/// A grade one step away from `g`, and which way.
fn neighbour(g: Grade, up: bool) -> Option<Grade> {
    let n = g.number();
    let to = if up { n.checked_sub(1)? } else { n + 1 };
    Grade::try_from(to).ok()
}

/// Every random choice for one contact, drawn up front in contact order so the result does not
/// depend on the order the concurrent writes finish in.
#[derive(Debug, Clone)]
struct Plan {
    contact: Contact,
    /// Override the recommendation: upwards (true) or downwards, and which reason.
    override_to: Option<(bool, usize)>,
    /// Whether to set each signal's contact marker.
    markers: [bool; 3],
    /// How many DASH questions are answered yes, if the contact shows domestic abuse.
    dash_yes: usize,
}

fn plan(contacts: &[Contact], rng: &mut ChaCha8Rng) -> Vec<Plan> {
    let mut plans = Vec::new();
    for c in contacts.iter().filter(|c| c.status == ContactStatus::Closed && c.handler.is_some()) {
        if rng.random_range(0..TRIAGED_ONE_IN) != 0 {
            continue;
        }
        let override_to =
            (rng.random_range(0..6) == 0).then(|| (rng.random_bool(0.5), rng.random_range(0..3)));
        let markers = [rng.random_bool(0.5), rng.random_bool(0.5), rng.random_bool(0.5)];
        // A spread of DASH results: about half high (14+ yes), the rest medium or standard.
        let dash_yes = match rng.random_range(0..4) {
            0 | 1 => rng.random_range(14..=20),
            2 => rng.random_range(10..=13),
            _ => rng.random_range(2..=9),
        };
        plans.push(Plan { contact: c.clone(), override_to, markers, dash_yes });
    }
    plans
}

/// Triages one contact as its handler would: THRIVE fitting the engine's recommendation, the
/// grade (perhaps overridden, with a reason), markers for what the call showed and, for domestic
/// abuse, a DASH. The history is read once and the engine re-run with the THRIVE record, as the
/// API's grade decision does.
async fn triage_one(state: AppState, p: Plan) -> anyhow::Result<Seeded> {
    let mut done = Seeded::default();
    let (c, actor) = (&p.contact, handler_of(&p.contact));
    let reference = c.reference.to_string();
    let history =
        history_for(&state, c).await.map_err(|e| anyhow::anyhow!("history of {reference}: {e:?}"))?;
    let first = assess_contact(&state.triage, c, &history, None);
    let draft =
        thrive_for(first.recommendation.grade).validate().map_err(|e| anyhow::anyhow!("THRIVE: {e:?}"))?;
    let entry = state.store.record_thrive(&actor, &reference, serde_json::to_value(&draft)?, None).await?;
    done.thrive += 1;
    let thrive = record_of(&entry.entry).map_err(|e| anyhow::anyhow!("THRIVE entry: {e:?}"))?;
    let a = assess_contact(&state.triage, &entry.contact, &history, Some(&thrive));
    let recommended = a.recommendation.grade;
    let (mut chosen, mut reason) = (recommended, None);
    if let Some((up, which)) = p.override_to
        && let Some(g) = neighbour(recommended, up).or_else(|| neighbour(recommended, !up))
    {
        chosen = g;
        let reasons = if g.number() < recommended.number() { OVERRIDE_UP } else { OVERRIDE_DOWN };
        reason = Some(reasons[which % reasons.len()].to_string());
    }
    let decision = fc_triage::decide(recommended, chosen, reason.as_deref())?;
    let record = GradeDecisionRecord {
        recommended,
        grade: decision.final_grade,
        reason: decision.reason.clone(),
        reasons: a.recommendation.reasons.iter().map(serde_json::to_value).collect::<Result<_, _>>()?,
        lexicon_version: a.lexicon_version.clone(),
        rules_version: a.recommendation.rules_version.clone(),
    };
    state.store.record_grade(&actor, &reference, record, None).await?;
    done.graded += 1;
    done.overrides += usize::from(decision.is_override());

    let has = |k: SignalKind| a.signals.iter().any(|s| s.kind == k);
    let signals = [
        (SignalKind::DomesticAbuse, "domestic_abuse", "Disclosed abuse by a partner on this call"),
        (SignalKind::MentalHealthCrisis, "mental_health", "In crisis on the call; crisis team details given"),
        (SignalKind::Weapons, "weapons", "Weapon described on this call"),
    ];
    for ((kind, code, note), wanted) in signals.into_iter().zip(p.markers) {
        if has(kind) && wanted {
            state.store.change_marker(&actor, &reference, code, true, Some(note.into())).await?;
            done.markers += 1;
        }
    }
    if has(SignalKind::DomesticAbuse) {
        let dash = state.triage.questionnaires().get("dash").context("the DASH questionnaire")?;
        let answers = dash
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), if i < p.dash_yes { Answer::Yes } else { Answer::No }))
            .collect();
        let result = evaluate(dash, &AnswersInput { answers, judgement: None })
            .map_err(|e| anyhow::anyhow!("DASH: {e:?}"))?;
        record_result(&state, &actor, &reference, &result, None)
            .await
            .map_err(|e| anyhow::anyhow!("recording DASH on {reference}: {e:?}"))?;
        done.dash += 1;
        done.referrals += result.referrals.len();
    }
    Ok(done)
}

/// Seeds triage data on `contacts` (today's) and a few more person markers on `persons`.
pub async fn seed(
    state: &AppState,
    contacts: &[Contact],
    persons: &[String],
    seed: u64,
) -> anyhow::Result<Seeded> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7419_e5ed);
    let mut done = Seeded::default();
    // Contacts are independent, so they are triaged concurrently (the writer commits them in
    // groups); every choice was drawn in `plan`, so the outcome is the same whatever the order.
    // A few at a time, so reads never wait long for a pooled connection.
    for chunk in plan(contacts, &mut rng).chunks(CONCURRENT) {
        let mut tasks = tokio::task::JoinSet::new();
        for p in chunk {
            tasks.spawn(triage_one(state.clone(), p.clone()));
        }
        while let Some(one) = tasks.join_next().await {
            let one = one??;
            done.thrive += one.thrive;
            done.graded += one.graded;
            done.overrides += one.overrides;
            done.dash += one.dash;
            done.referrals += one.referrals;
            done.markers += one.markers;
        }
    }
    work_referrals(state, &mut rng).await?;
    let supervisor = Actor { username: "supervisor".into(), role: Role::Supervisor };
    let more = [
        ("domestic_abuse", "Repeat victim; MARAC case open"),
        ("stalking_harassment", "Ex-partner follows her to work; injunction in place"),
        ("officer_safety", "Has spat at and kicked officers on arrest"),
        ("missing_person", "Goes missing from care; usually found at the station"),
    ];
    for (person, (code, note)) in persons.iter().skip(6).zip(more) {
        state.store.set_marker(&supervisor, person, code, note, None).await?;
        done.markers += 1;
    }
    Ok(done)
}

/// Leaves the seeded referrals at every stage: open, accepted, sent and declined in turn.
async fn work_referrals(state: &AppState, rng: &mut ChaCha8Rng) -> anyhow::Result<()> {
    let supervisor = Actor { username: "supervisor".into(), role: Role::Supervisor };
    let mut open = state.store.list_referrals(&ReferralFilter { limit: 200, ..Default::default() }).await?;
    // By contact reference, not id: ids follow the order the concurrent writes committed in.
    open.sort_by(|a, b| a.reference.cmp(&b.reference));
    for (i, r) in open.iter().enumerate() {
        let assignee = if rng.random_bool(0.5) { "supervisor" } else { "handler" };
        let accept = ReferralAction::Accept { assignee: assignee.into() };
        match i % 4 {
            1 => {
                state.store.move_referral(&supervisor, r.id, accept, None, None).await?;
            }
            2 => {
                state.store.move_referral(&supervisor, r.id, accept, None, None).await?;
                let send = ReferralAction::Send {
                    agency: AGENCIES[rng.random_range(0..AGENCIES.len())].into(),
                    reference: format!("MARAC-{:05}", 10_000 + i),
                    note: Some("Sent by secure email with the DASH".into()),
                };
                state.store.move_referral(&supervisor, r.id, send, None, None).await?;
            }
            3 => {
                let decline = ReferralAction::Decline {
                    reason: "Already referred by the attending officer today".into(),
                };
                state.store.move_referral(&supervisor, r.id, decline, None, None).await?;
            }
            _ => {}
        }
    }
    Ok(())
}
