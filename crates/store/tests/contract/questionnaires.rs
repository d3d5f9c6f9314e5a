use crate::harness::{TestStore, handler, new_contact};
use fc_store::StoreError;
use fc_store::contacts::questionnaires::{
    NewReferral, QUESTIONNAIRE_COMPLETED, QuestionnaireRecord, ReferralFilter,
};
use serde_json::json;

crate::contract!(a_high_result_raises_its_referral_in_the_same_write);

fn record(level: &str, referrals: Vec<NewReferral>) -> QuestionnaireRecord {
    QuestionnaireRecord {
        questionnaire: "dash".into(),
        level: level.into(),
        result: json!({"questionnaire": "dash", "final_level": level, "score": 15}),
        referrals,
    }
}

async fn a_high_result_raises_its_referral_in_the_same_write(t: TestStore) {
    let s = &t.store;
    let a = s.create_contact(&handler(), new_contact("999", "Ann Lee"), None).await.expect("a").contact;
    let b = s.create_contact(&handler(), new_contact("101", "Bob Hall"), None).await.expect("b").contact;
    let (ra, rb) = (a.reference.to_string(), b.reference.to_string());
    let marac = NewReferral { task: "marac_referral".into(), text: "Refer to MARAC".into() };
    let done =
        s.record_questionnaire(&handler(), &ra, record("high", vec![marac]), None).await.expect("high");
    assert_eq!(done.entry.kind, QUESTIONNAIRE_COMPLETED);
    assert_eq!(done.entry.data["final_level"], "high");
    s.record_questionnaire(&handler(), &rb, record("standard", vec![]), None).await.expect("standard");
    let health = NewReferral { task: "health_referral".into(), text: "Refer to health".into() };
    s.record_questionnaire(&handler(), &rb, record("medium", vec![health]), None).await.expect("medium");

    let all = s.list_referrals(&ReferralFilter { limit: 50, ..Default::default() }).await.expect("all");
    assert_eq!(all.len(), 2);
    assert_eq!(
        (all[0].reference.as_str(), all[0].task.as_str()),
        (rb.as_str(), "health_referral"),
        "newest first"
    );
    assert_eq!(
        (all[1].level.as_str(), all[1].status.as_str(), all[1].raised_by.as_str(), all[1].version),
        ("high", "open", "h.jones", 1)
    );
    let marac_only = ReferralFilter { task: Some("marac_referral".into()), limit: 50, ..Default::default() };
    assert_eq!(s.list_referrals(&marac_only).await.expect("marac")[0].reference, ra);
    let closed =
        ReferralFilter { status: Some(fc_domain::ReferralStatus::Sent), limit: 50, ..Default::default() };
    assert!(s.list_referrals(&closed).await.expect("closed").is_empty());
    let older = ReferralFilter { before: Some(all[0].id), limit: 50, ..Default::default() };
    assert_eq!(s.list_referrals(&older).await.expect("older").len(), 1);
    assert_eq!(s.contact_entries(&rb, QUESTIONNAIRE_COMPLETED).await.expect("results").len(), 2);

    let missing =
        s.record_questionnaire(&handler(), "FC-20200101-000001", record("high", vec![]), None).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
}
