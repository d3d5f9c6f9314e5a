//! Property tests for the queueing maths: probabilities stay in [0, 1], service level rises with
//! handlers, and the staffing search returns the least level meeting the target.

use super::Load;
use super::erlang_a::erlang_a;
use super::erlang_c::{erlang_b, erlang_c};
use super::staffing::{Model, Target, evaluate, required_servers};
use proptest::prelude::*;

fn load() -> impl Strategy<Value = Load> {
    (0.0001f64..3.0, 10.0f64..1200.0).prop_map(|(a, h)| Load { arrivals_per_sec: a, handle_secs: h })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn probabilities_are_probabilities(l in load(), n in 0u32..1500, p in 1.0f64..2000.0, t in 0.0f64..300.0) {
        let b = erlang_b(n, l.erlangs());
        prop_assert!((0.0..=1.0).contains(&b));
        let c = erlang_c(&l, n, t).expect("valid");
        prop_assert!((0.0..=1.0).contains(&c.p_wait) && (0.0..=1.0).contains(&c.service_level));
        let a = erlang_a(&l, n, p, t).expect("valid");
        for v in [a.p_wait, a.p_abandon, a.service_level, a.service_level_offered, a.occupancy] {
            prop_assert!((0.0..=1.0).contains(&v), "{a:?}");
        }
        prop_assert!(a.mean_wait_secs.is_finite() && a.mean_wait_secs >= 0.0);
    }

    #[test]
    fn service_level_rises_with_handlers(l in load(), n in 1u32..400, p in 5.0f64..1000.0, t in 0.0f64..120.0) {
        for model in [Model::ErlangC, Model::ErlangA { patience_secs: p }] {
            let lo = evaluate(&l, n, model, t).expect("valid");
            let hi = evaluate(&l, n + 1, model, t).expect("valid");
            prop_assert!(hi.service_level >= lo.service_level - 1e-9, "{model:?} {lo:?} {hi:?}");
            prop_assert!(hi.service_level_offered >= lo.service_level_offered - 1e-9);
            prop_assert!(hi.p_abandon <= lo.p_abandon + 1e-9);
        }
    }

    #[test]
    fn staffing_is_minimal(l in load(), p in 5.0f64..1000.0, share in 0.5f64..0.95, t in 5.0f64..120.0) {
        let target = Target { threshold_secs: t, share };
        for model in [Model::ErlangC, Model::ErlangA { patience_secs: p }] {
            let o = required_servers(&l, model, target).expect("reachable");
            prop_assert!(o.service_level_offered >= share);
            if o.servers > 0 {
                let below = evaluate(&l, o.servers - 1, model, t).expect("valid");
                prop_assert!(below.service_level_offered < share, "{model:?} {o:?} {below:?}");
            }
        }
    }
}
