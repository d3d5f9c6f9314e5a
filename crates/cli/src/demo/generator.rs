//! Deterministic demo traffic: who calls, on which channel, at what hour, saying what, and what
//! happened next. The same seed gives the same day.

use super::{narratives, people};
use chrono::{DateTime, Duration, Timelike, Utc};
use fc_domain::record::{CallerInput, LocationInput, NewContactInput};
use fc_domain::{Channel, Contact, ContactFlag, ContactRef, ContactStatus, Outcome};
use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Share of contacts by channel for a typical force (999 and 101 dominate; digital is growing).
const CHANNEL_MIX: &[(Channel, u32)] = &[
    (Channel::Emergency999, 26),
    (Channel::NonEmergency101, 42),
    (Channel::OnlineReport, 15),
    (Channel::Webchat, 7),
    (Channel::SocialMedia, 3),
    (Channel::Email, 5),
    (Channel::Video, 1),
    (Channel::TextRelay, 1),
];

/// Relative demand by hour of day: quiet small hours, rising through the day, evening peak.
pub const HOURLY: [f64; 24] = [
    0.9, 0.7, 0.55, 0.45, 0.35, 0.35, 0.45, 0.65, 0.85, 0.95, 1.0, 1.05, 1.1, 1.1, 1.15, 1.25, 1.35, 1.4,
    1.4, 1.35, 1.3, 1.25, 1.15, 1.05,
];

/// A seeded generator.
pub struct Generator {
    rng: ChaCha8Rng,
    /// People who call again and again (the single citizen view's repeat callers).
    regulars: Vec<people::Person>,
    /// Percent of contacts with caller details that come from a regular.
    regular_share: u32,
}

/// How many repeat callers the demo population has.
const REGULARS: usize = 150;

impl Generator {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        let mut pop = ChaCha8Rng::seed_from_u64(seed ^ 0x00c1_7123);
        let regulars = (0..REGULARS).map(|_| people::person(&mut pop)).collect();
        Self { rng: ChaCha8Rng::seed_from_u64(seed), regulars, regular_share: 25 }
    }

    /// Sets the percent of contacts that come from a repeat caller (0 to 100).
    pub fn set_regular_share(&mut self, percent: u32) {
        self.regular_share = percent.min(100);
    }

    /// A caller: a repeat caller (typed slightly differently each time, as handlers do) or a
    /// one-off.
    fn caller(&mut self) -> people::Person {
        if self.regulars.is_empty() || self.rng.random_range(0..100) >= self.regular_share {
            return people::person(&mut self.rng);
        }
        let mut p = self.regulars[self.rng.random_range(0..self.regulars.len())].clone();
        match self.rng.random_range(0..6) {
            0 => p.phone = p.phone.replace(' ', ""),
            1 => p.given = p.given.to_uppercase(),
            2 => p.postcode = p.postcode.to_lowercase().replace(' ', ""),
            _ => {}
        }
        p
    }

    /// The random source, for the live loop's timing.
    pub fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.rng
    }

    fn channel(&mut self) -> Channel {
        let total: u32 = CHANNEL_MIX.iter().map(|(_, w)| w).sum();
        let mut pick = self.rng.random_range(0..total);
        for (c, w) in CHANNEL_MIX {
            if pick < *w {
                return *c;
            }
            pick -= w;
        }
        Channel::NonEmergency101
    }

    /// A new contact as a client would send it.
    pub fn new_contact(&mut self, offered_at: DateTime<Utc>) -> NewContactInput {
        let channel = self.channel();
        let p = self.caller();
        let rng = &mut self.rng;
        let texts = match channel {
            Channel::Emergency999 | Channel::Video | Channel::TextRelay => narratives::EMERGENCY,
            Channel::NonEmergency101 => narratives::NON_EMERGENCY,
            _ => narratives::DIGITAL,
        };
        let narrative = texts[rng.random_range(0..texts.len())].to_string();
        let silent = channel == Channel::Emergency999 && rng.random_range(0..40) == 0;
        let mut flags = Vec::new();
        if silent {
            flags.push(ContactFlag::Silent999);
        }
        if channel == Channel::TextRelay {
            flags.push(ContactFlag::Relay);
        }
        if rng.random_range(0..80) == 0 {
            flags.push(ContactFlag::CallerIsChild);
        }
        let known = !silent && rng.random_range(0..10) > 0;
        let caller = if known {
            CallerInput {
                name: Some(format!("{} {}", p.given, p.surname)),
                date_of_birth: (rng.random_range(0..3) > 0).then_some(p.dob),
                phone: Some(p.phone),
                email: (!channel.is_voice()).then_some(p.email),
                address: Some(p.address.clone()),
                postcode: Some(p.postcode.clone()),
            }
        } else {
            CallerInput::default()
        };
        let located = channel == Channel::Emergency999 || rng.random_range(0..3) == 0;
        NewContactInput {
            channel,
            offered_at: Some(offered_at),
            flags,
            caller,
            location_text: Some(format!("{}, {}", p.address, p.postcode)),
            location: located.then_some(LocationInput {
                lat: p.lat,
                lon: p.lon,
                radius_m: Some(if channel == Channel::Emergency999 {
                    rng.random_range(5.0..60.0)
                } else {
                    200.0
                }),
            }),
            narrative: if silent {
                "Silent 999 call, open line, Silent Solution (55) not pressed.".into()
            } else {
                narrative
            },
        }
    }

    /// Seconds from offer to answer, by channel (999 mostly inside 10 s; 101 minutes; digital longer).
    pub fn answer_wait(&mut self, channel: Channel) -> i64 {
        let r: f64 = self.rng.random();
        let mean = match channel {
            Channel::Emergency999 | Channel::TextRelay | Channel::Video => 4.0,
            Channel::NonEmergency101 => 240.0,
            Channel::Webchat => 180.0,
            _ => 3600.0,
        };
        (-(1.0 - r).ln() * mean).round().max(1.0) as i64
    }

    /// Handling time in seconds (lognormal-ish: most short, a long tail).
    pub fn handle_time(&mut self, channel: Channel) -> i64 {
        let base = if channel == Channel::Emergency999 { 360.0 } else { 420.0 };
        let z: f64 = (0..6).map(|_| self.rng.random::<f64>()).sum::<f64>() - 3.0;
        (base * (0.6 * z).exp()).round().max(30.0) as i64
    }

    /// A finished historical contact offered at `offered_at`, with its whole story.
    pub fn historical(&mut self, offered_at: DateTime<Utc>, handlers: &[&str]) -> Option<Contact> {
        let input = self.new_contact(offered_at);
        let new = input.validate(offered_at + Duration::minutes(1)).ok()?;
        let wait = self.answer_wait(new.channel);
        let abandons =
            new.channel == Channel::NonEmergency101 && wait > 600 && self.rng.random_range(0..3) > 0;
        let handler = handlers[self.rng.random_range(0..handlers.len())].to_string();
        let queued = offered_at;
        let (status, answered, closed, outcome) = if abandons {
            (ContactStatus::Abandoned, None, Some(offered_at + Duration::seconds(wait)), None)
        } else {
            let answered = offered_at + Duration::seconds(wait);
            let closed = answered + Duration::seconds(self.handle_time(new.channel));
            let outcome = match (new.channel, self.rng.random_range(0..10)) {
                (Channel::Emergency999, 0..=5) => Outcome::IncidentRaised,
                (_, 0..=2) => Outcome::IncidentRaised,
                (_, 3..=5) => Outcome::ResolvedAtFirstContact,
                (_, 6..=7) => Outcome::AdviceGiven,
                (_, 8) => Outcome::ReferredToPartner,
                _ => Outcome::NoFurtherAction,
            };
            (ContactStatus::Closed, Some(answered), Some(closed), Some(outcome))
        };
        let last = closed.unwrap_or(offered_at);
        Some(Contact {
            reference: ContactRef::new(offered_at.date_naive(), 1).ok()?,
            channel: new.channel,
            status,
            flags: new.flags,
            caller: new.caller,
            location_text: new.location_text,
            location: new.location,
            narrative: new.narrative,
            grade: None,
            outcome,
            handler: answered.map(|_| handler),
            offered_at,
            queued_at: Some(queued),
            answered_at: answered,
            closed_at: closed,
            created_at: offered_at,
            updated_at: last,
            version: 1,
        })
    }

    /// `total` offer times spread evenly at random over the `days` before `end`.
    pub fn past_offers(&mut self, end: DateTime<Utc>, days: i64, total: usize) -> Vec<DateTime<Utc>> {
        let mut out: Vec<DateTime<Utc>> = (0..total)
            .map(|_| end - Duration::seconds(self.rng.random_range(86_400..days.max(2) * 86_400)))
            .collect();
        out.sort();
        out
    }

    /// Offer times for a day of `total` contacts ending at `end`, following [`HOURLY`].
    pub fn day_of_offers(&mut self, end: DateTime<Utc>, total: usize) -> Vec<DateTime<Utc>> {
        let start = end - Duration::hours(24);
        let max = HOURLY.iter().cloned().fold(0.0, f64::max);
        let mut out = Vec::with_capacity(total);
        while out.len() < total {
            let t = start + Duration::seconds(self.rng.random_range(0..86_400));
            if self.rng.random::<f64>() * max <= HOURLY[t.hour() as usize] {
                out.push(t);
            }
        }
        out.sort();
        out
    }
}

/// Exponential inter-arrival time with the given mean, for the live loop.
pub fn exponential<R: Rng + ?Sized>(rng: &mut R, mean_secs: f64) -> f64 {
    let r: f64 = rng.random();
    -(1.0 - r).ln() * mean_secs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_contacts_and_all_valid() {
        let at = DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z").expect("date").with_timezone(&Utc);
        let (mut a, mut b) = (Generator::new(7), Generator::new(7));
        for _ in 0..500 {
            let x = a.new_contact(at);
            assert_eq!(x, b.new_contact(at));
            assert!(x.validate(at).is_ok(), "generated contacts are valid");
        }
    }

    #[test]
    fn a_day_has_realistic_shape() {
        let end = DateTime::parse_from_rfc3339("2026-11-23T00:00:00Z").expect("date").with_timezone(&Utc);
        let mut g = Generator::new(1);
        let offers = g.day_of_offers(end, 2000);
        let night = offers.iter().filter(|t| (3..6).contains(&t.hour())).count();
        let evening = offers.iter().filter(|t| (17..20).contains(&t.hour())).count();
        assert!(evening > 2 * night, "evening {evening} vs small hours {night}");
        let contacts: Vec<_> = offers.iter().filter_map(|t| g.historical(*t, &["a"])).collect();
        assert!(contacts.len() > 1990);
        let e999: Vec<_> = contacts.iter().filter(|c| c.channel == Channel::Emergency999).collect();
        let within_10s = e999
            .iter()
            .filter(|c| c.answered_at.is_some_and(|a| (a - c.offered_at).num_seconds() <= 10))
            .count();
        assert!(within_10s as f64 / e999.len() as f64 > 0.85);
    }
}
