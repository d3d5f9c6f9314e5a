//! DASH thresholds, judgement rules and referrals.

use super::*;

fn lib() -> QuestionnaireLibrary {
    QuestionnaireLibrary::with_defaults().expect("shipped questionnaires load")
}

fn yes_to(n: usize, q: &Questionnaire) -> BTreeMap<String, Answer> {
    q.questions
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.clone(), if i < n { Answer::Yes } else { Answer::No }))
        .collect()
}

#[test]
fn dash_has_27_questions_and_the_usual_thresholds() {
    let lib = lib();
    let dash = lib.get("dash").expect("dash");
    assert_eq!(dash.questions.len(), 27);
    let level = |n| dash.evaluate(&yes_to(n, dash), None).expect("evaluates").final_level;
    assert_eq!(level(9), RiskLevel::Standard);
    assert_eq!(level(10), RiskLevel::Medium);
    assert_eq!(level(13), RiskLevel::Medium);
    assert_eq!(level(14), RiskLevel::High);
    assert_eq!(level(27), RiskLevel::High);
}

#[test]
fn high_dash_raises_a_marac_referral() {
    let lib = lib();
    let dash = lib.get("dash").expect("dash");
    let r = dash.evaluate(&yes_to(15, dash), None).expect("evaluates");
    assert_eq!(r.referrals.len(), 1);
    assert_eq!(r.referrals[0].task, "marac_referral");
    assert!(dash.evaluate(&yes_to(11, dash), None).expect("evaluates").referrals.is_empty());
}

#[test]
fn judgement_may_raise_never_lower() {
    let lib = lib();
    let dash = lib.get("dash").expect("dash");
    let raise = ProfessionalJudgement { level: RiskLevel::High, reason: "strangulation last night".into() };
    let r = dash.evaluate(&yes_to(5, dash), Some(raise)).expect("raise allowed");
    assert_eq!(r.computed_level, RiskLevel::Standard);
    assert_eq!(r.final_level, RiskLevel::High);
    assert_eq!(r.referrals[0].task, "marac_referral");
    let lower = ProfessionalJudgement { level: RiskLevel::Medium, reason: "seems calm".into() };
    let err = dash.evaluate(&yes_to(20, dash), Some(lower)).expect_err("lowering refused");
    assert!(matches!(err, TriageError::JudgementCannotLower { .. }));
    let no_reason = ProfessionalJudgement { level: RiskLevel::High, reason: " ".into() };
    assert!(dash.evaluate(&yes_to(1, dash), Some(no_reason)).is_err());
}

#[test]
fn unknown_questions_are_rejected() {
    let lib = lib();
    let dash = lib.get("dash").expect("dash");
    let answers = BTreeMap::from([("q99".to_string(), Answer::Yes)]);
    assert!(matches!(dash.evaluate(&answers, None), Err(TriageError::UnknownQuestion { .. })));
    assert!(lib.get("dara").is_err());
}

#[test]
fn sdash_critical_question_gives_at_least_medium() {
    let lib = lib();
    let s = lib.get("s-dash").expect("s-dash");
    let answers = BTreeMap::from([("s6".to_string(), Answer::Yes)]);
    assert_eq!(s.evaluate(&answers, None).expect("ok").final_level, RiskLevel::Medium);
    assert_eq!(s.evaluate(&yes_to(6, s), None).expect("ok").referrals[0].task, "stalking_referral");
}

#[test]
fn rcrp_any_threshold_question_means_police_otherwise_health() {
    let lib = lib();
    let r = lib.get("rcrp").expect("rcrp");
    let none = BTreeMap::from([("r1".to_string(), Answer::No), ("r3".to_string(), Answer::No)]);
    let res = r.evaluate(&none, None).expect("ok");
    assert_eq!(res.final_label, "Health or social care lead");
    assert_eq!(res.referrals[0].task, "health_referral");
    let crime = BTreeMap::from([("r3".to_string(), Answer::Yes)]);
    let res = r.evaluate(&crime, None).expect("ok");
    assert_eq!(res.final_label, "Police response");
    assert!(res.referrals.is_empty());
}

#[test]
fn a_force_can_add_its_own_questionnaire() {
    let mut lib = lib();
    let dara = r#"{"id":"dara","version":"2024-pilot","title":"DARA","questions":[
        {"id":"d1","text":"Has the abuser ever strangled you?","critical":true}],
        "scoring":{"thresholds":[],"critical_level":"high"}}"#;
    lib.add(Questionnaire::from_json(dara).expect("parses"));
    let q = lib.get("dara").expect("added");
    let answers = BTreeMap::from([("d1".to_string(), Answer::Yes)]);
    assert_eq!(q.evaluate(&answers, None).expect("ok").final_level, RiskLevel::High);
}
