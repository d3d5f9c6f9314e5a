use super::*;

#[test]
fn default_model_is_valid_and_round_trips() {
    let m = Model::default();
    m.validate().expect("default is valid");
    let json = m.to_json().expect("serialises");
    assert_eq!(Model::from_json(&json).expect("parses"), m);
}

#[test]
fn rejects_bad_models() {
    let m = Model { version: 99, ..Model::default() };
    assert!(matches!(Model::from_json(&m.to_json().expect("json")), Err(LinkageError::ModelVersion { .. })));
    let mut m = Model::default();
    m.fields[0].m.pop();
    assert!(m.validate().is_err());
    let mut m = Model::default();
    m.thresholds.review = 0.9;
    m.thresholds.link = 0.5;
    assert!(m.validate().is_err());
    assert!(Model::from_json("{not json").is_err());
}

#[test]
fn probability_and_weight_are_inverse() {
    for w in [-20.0, -1.0, 0.0, 3.5, 20.0] {
        assert!((weight_of(probability(w)) - w).abs() < 1e-6);
    }
}

#[test]
fn agreement_outweighs_disagreement() {
    let s = Model::default().scorer(1_000_000);
    let agree: Gamma = [1, 1, 1, 1, 1, 1, 1, 1];
    let differ: Gamma = [7, 5, 7, 5, 3, 3, 3, 4];
    assert!(s.gamma_weight(&agree) > 40.0);
    assert!(s.gamma_weight(&differ) < -10.0);
    assert_eq!(s.gamma_weight(&[0; N_FIELDS]), 0.0);
}
