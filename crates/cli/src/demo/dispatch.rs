//! Command and control in the demo: units at stations across Greater Manchester, open incidents
//! raised from some of the seeded contacts, and simulated colleagues who dispatch the nearest
//! suitable unit (the same recommender the dispatcher sees), drive it there (position reports
//! move across the map), keep it at scene for a while, clear it and sometimes close the incident.
//! New incidents are raised now and then from live 999 contacts, so the board stays alive.

use super::generator::Generator;
use chrono::Utc;
use fc_dispatch::{Candidate, Requirement, StraightLine, UnitIndex};
use fc_domain::incident::{CategoryList, IncidentClose, IncidentResult, NewIncidentInput};
use fc_domain::record::LocationInput;
use fc_domain::unit::{NewUnitInput, UnitPatch};
use fc_domain::{Actor, GeoPoint, IncidentStatus, Role, Unit, UnitStatus};
use fc_store::Store;
use fc_store::incidents::IncidentFilter;
use rand::RngExt;
use std::collections::HashMap;

/// Stations with an approximate position: (name, call sign prefix, lat, lon).
const STATIONS: &[(&str, &str, f64, f64)] = &[
    ("Longsight", "LS", 53.4580, -2.1990),
    ("Central Park", "CP", 53.5040, -2.1930),
    ("Moss Side", "MS", 53.4600, -2.2480),
    ("Wythenshawe", "WY", 53.3900, -2.2650),
    ("Stockport", "SK", 53.4080, -2.1500),
    ("Oldham", "OL", 53.5420, -2.1150),
    ("Bolton", "BL", 53.5780, -2.4290),
    ("Wigan", "WN", 53.5450, -2.6320),
    ("Bury", "BY", 53.5930, -2.2970),
    ("Salford", "SL", 53.4880, -2.2900),
];

/// Creates a few dozen units across the stations, most available.
pub async fn seed_units(store: &Store) -> anyhow::Result<usize> {
    let system = Actor::system();
    let mut n = 0;
    for (i, (station, prefix, lat, lon)) in STATIONS.iter().enumerate() {
        let mut units = vec![
            (format!("{prefix}11"), "response", vec!["taser", "first_aid"]),
            (format!("{prefix}12"), "response", vec!["advanced_driver"]),
            (format!("{prefix}21"), "neighbourhood", vec!["mental_health"]),
            (format!("{prefix}31"), "pcso", vec![]),
        ];
        match i % 3 {
            0 => units.push((
                format!("RP{}", i + 1),
                "roads_policing",
                vec!["pursuit", "collision_investigation"],
            )),
            1 => units.push((format!("DOG{}", i + 1), "dog", vec!["dog_handler"])),
            _ => units.push((format!("ARV{}", i + 1), "armed_response", vec!["firearms", "taser"])),
        }
        for (j, (call_sign, kind, skills)) in units.into_iter().enumerate() {
            let input: NewUnitInput = serde_json::from_value(serde_json::json!({
                "call_sign": call_sign, "unit_type": kind, "skills": skills, "home_station": station,
                "position": {"lat": lat + 0.004 * j as f64, "lon": lon - 0.003 * j as f64},
                "status": if j == 3 && i % 2 == 0 { "off_duty" } else { "available" }
            }))?;
            let new = input.validate().map_err(|e| anyhow::anyhow!("demo unit: {e:?}"))?;
            store.create_unit(&system, new).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// Raises an incident from a new located 999 contact; returns its reference.
pub async fn raise_from_new_contact(
    store: &Store,
    generator: &mut Generator,
    actor: &Actor,
) -> Option<String> {
    let list = CategoryList::builtin();
    let mut input = generator.new_contact(Utc::now());
    input.channel = fc_domain::Channel::Emergency999;
    input.flags.clear();
    let point = input.location?;
    let new = input.validate(Utc::now()).ok()?;
    let narrative = new.narrative.clone();
    let contact = store.create_contact(actor, new, None).await.ok()?.contact;
    let category = fc_dispatch::category_hint(&narrative, &list).unwrap_or_else(|| "PSW-CONCERN".into());
    let grade = [1u8, 1, 2, 2, 2, 3][generator.rng().random_range(0..6)];
    let raise: NewIncidentInput = serde_json::from_value(serde_json::json!({
        "contacts": [contact.reference.to_string()], "category": category, "grade": grade,
        "location_text": contact.location_text,
        "location": LocationInput { lat: point.lat, lon: point.lon, radius_m: point.radius_m },
        "summary": narrative.chars().take(90).collect::<String>(), "thrive": "Demo: THRIVE recorded on the contact."
    }))
    .ok()?;
    let new = raise.validate(&list).ok()?;
    Some(store.create_incident(actor, new, None).await.ok()?.incident.reference.to_string())
}

/// Seeds `n` open incidents raised from new contacts.
pub async fn seed_incidents(store: &Store, generator: &mut Generator, n: usize) -> usize {
    let actor = Actor { username: "handler".into(), role: Role::CallHandler };
    let mut made = 0;
    // Not every generated contact is located; try until `n` are raised (bounded).
    for _ in 0..n * 6 {
        if made == n {
            break;
        }
        if raise_from_new_contact(store, generator, &actor).await.is_some() {
            made += 1;
        }
    }
    made
}

fn patch(status: Option<UnitStatus>, position: Option<GeoPoint>) -> UnitPatch {
    UnitPatch { status, position: position.map(|p| (p, Utc::now())), ..Default::default() }
}

/// Moves `from` a step of about `step_m` metres towards `to`.
fn step(from: GeoPoint, to: GeoPoint, step_m: f64) -> (GeoPoint, bool) {
    let d = from.distance_m(&to);
    if d <= step_m {
        return (to, true);
    }
    let f = step_m / d;
    let p = GeoPoint {
        lat: from.lat + (to.lat - from.lat) * f,
        lon: from.lon + (to.lon - from.lon) * f,
        radius_m: None,
    };
    (p, false)
}

/// The simulated dispatchers and vehicles; runs until the task is dropped.
pub async fn run(store: Store, seed: u64) {
    let mut generator = Generator::new(seed);
    let dispatcher = Actor { username: "sim.dispatcher".into(), role: Role::Dispatcher };
    let device = Actor { username: "sim.avls".into(), role: Role::Dispatcher };
    let handler = Actor { username: "sim.handler1".into(), role: Role::CallHandler };
    let mut at_scene_since: HashMap<String, chrono::DateTime<Utc>> = HashMap::new();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3));
    let mut ticks: u64 = 0;
    loop {
        tick.tick().await;
        ticks += 1;
        if ticks.is_multiple_of(40) {
            let _ = raise_from_new_contact(&store, &mut generator, &handler).await;
        }
        let Ok(units) = store.list_units(None).await else { continue };
        let Ok(open) = store
            .list_incidents(&IncidentFilter { open_only: true, limit: 2000, ..Default::default() })
            .await
        else {
            continue;
        };
        // Dispatch: the most urgent incident with nobody on it gets the best recommendation.
        if let Some(i) = open.items.iter().find(|i| i.status == IncidentStatus::Open && i.location.is_some())
        {
            let index = UnitIndex::build(units.iter().map(candidate).collect());
            let need = Requirement::for_incident(&i.category, &i.qualifiers, i.grade);
            if let (Some(at), true) = (i.location, generator.rng().random_range(0..2) == 0)
                && let Some(best) = index.recommend(&at, &need, &StraightLine::default(), 1).first()
            {
                let _ = store.assign_unit(&dispatcher, &i.reference.to_string(), &best.call_sign).await;
            }
        }
        for u in &units {
            move_unit(&store, &device, &dispatcher, u, &open.items, &mut at_scene_since, &mut generator)
                .await;
        }
    }
}

fn candidate(u: &Unit) -> Candidate {
    Candidate {
        call_sign: u.call_sign.to_string(),
        unit_type: u.unit_type,
        skills: u.skills.clone(),
        available: u.status == UnitStatus::Available,
        position: u.position,
    }
}

async fn move_unit(
    store: &Store,
    device: &Actor,
    dispatcher: &Actor,
    u: &Unit,
    open: &[fc_domain::Incident],
    at_scene_since: &mut HashMap<String, chrono::DateTime<Utc>>,
    generator: &mut Generator,
) {
    let cs = u.call_sign.to_string();
    let target = u.incident.and_then(|r| open.iter().find(|i| i.reference == r)).and_then(|i| i.location);
    match (u.status, target, u.position) {
        (UnitStatus::Assigned, _, _) => {
            let _ = store.update_unit(device, &cs, patch(Some(UnitStatus::EnRoute), None)).await;
        }
        (UnitStatus::EnRoute, Some(to), Some(from)) => {
            // Demo pace: about 400 m per 3-second tick (faster than real, so arrivals are seen).
            let (p, arrived) = step(from, to, 400.0);
            let status = arrived.then_some(UnitStatus::AtScene);
            if store.update_unit(device, &cs, patch(status, Some(p))).await.is_ok() && arrived {
                at_scene_since.insert(cs, Utc::now());
            }
        }
        (UnitStatus::AtScene, _, _) => {
            let since = *at_scene_since.entry(cs.clone()).or_insert_with(Utc::now);
            if (Utc::now() - since).num_seconds() > generator.rng().random_range(45..120) {
                at_scene_since.remove(&cs);
                let incident = u.incident.map(|r| r.to_string());
                let _ = store.update_unit(device, &cs, patch(Some(UnitStatus::Available), None)).await;
                if let Some(r) = incident
                    && generator.rng().random_range(0..3) > 0
                    && let Some(i) = open.iter().find(|i| i.reference.to_string() == r)
                {
                    let result = [
                        IncidentResult::ResolvedAtScene,
                        IncidentResult::CrimeRecorded,
                        IncidentResult::AdviceGiven,
                    ][generator.rng().random_range(0..3)];
                    let close = IncidentClose { category: i.category.clone(), result, note: None };
                    let _ = store.close_incident(dispatcher, &r, close, None).await;
                }
            }
        }
        (UnitStatus::EnRoute | UnitStatus::Transporting, None, _) => {
            let _ = store.update_unit(device, &cs, patch(Some(UnitStatus::Available), None)).await;
        }
        _ => {}
    }
}
