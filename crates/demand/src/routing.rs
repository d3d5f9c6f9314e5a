//! Live routing: which waiting contact goes to which ready handler. The same rule as the simulator
//! (the oldest contact of the highest-priority channel, to a ready handler with the skills), as a
//! pure function so the server's router task and "take next" share it and it can be
//! property-tested.
//!
//! Capacity follows the simulator: a handler has [`CAPACITY_UNITS`]; a contact on a channel with
//! concurrency `k` uses `CAPACITY_UNITS / k` (webchat at 3 → three chats at once; a call needs the
//! whole handler). Never reads a clock: ages come in as offered times.

use fc_domain::{Channel, ContactFlag, Skill};
use std::collections::HashMap;

/// Capacity of one handler, in units divisible by every concurrency up to 6.
pub const CAPACITY_UNITS: u32 = 60;

/// A force's routing settings: priority per channel (lower first) and concurrent contacts a
/// handler may hold per channel.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingPolicy {
    /// Priority by channel; lower is served first.
    pub priority: HashMap<Channel, u8>,
    /// Contacts of this channel one handler may hold at once (1 for calls).
    pub concurrency: HashMap<Channel, u32>,
}

impl Default for RoutingPolicy {
    /// 999 before 101 before digital ([`Channel::default_priority`]); three webchats at once.
    fn default() -> Self {
        let priority = Channel::ALL.iter().map(|c| (*c, c.default_priority())).collect();
        let concurrency =
            Channel::ALL.iter().map(|c| (*c, if *c == Channel::Webchat { 3 } else { 1 })).collect();
        Self { priority, concurrency }
    }
}

impl RoutingPolicy {
    /// The channel's priority (lower first); unknown channels go last.
    pub fn priority_of(&self, c: Channel) -> u8 {
        self.priority.get(&c).copied().unwrap_or(u8::MAX)
    }

    /// How many of this channel a handler may hold at once (at least 1).
    pub fn concurrency_of(&self, c: Channel) -> u32 {
        self.concurrency.get(&c).copied().unwrap_or(1).clamp(1, CAPACITY_UNITS)
    }

    /// Capacity units one contact on `c` uses.
    pub fn units(&self, c: Channel) -> u32 {
        CAPACITY_UNITS / self.concurrency_of(c)
    }

    /// Whether a handler holding `held` may also take one on `c`.
    pub fn fits(&self, held: &[Channel], c: Channel) -> bool {
        held.iter().map(|h| self.units(*h)).sum::<u32>() + self.units(c) <= CAPACITY_UNITS
    }
}

/// A contact waiting to be offered.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    /// The caller's key (the contact reference).
    pub key: String,
    /// Its channel.
    pub channel: Channel,
    /// Its flags (an interpreter request needs the languages skill).
    pub flags: Vec<ContactFlag>,
    /// When it reached the force, seconds on any fixed clock (older first).
    pub offered_at: f64,
}

/// A handler the router may offer to: ready, or holding contacts with room for more.
#[derive(Debug, Clone, PartialEq)]
pub struct Available {
    /// The handler's key (username).
    pub key: String,
    /// What they may take.
    pub skills: Vec<Skill>,
    /// Channels of the contacts they hold now.
    pub holding: Vec<Channel>,
    /// Since when they have been available, seconds (the longest idle is offered first).
    pub idle_since: f64,
}

/// An offer: this contact to this handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// The contact's key.
    pub contact: String,
    /// The handler's key.
    pub handler: String,
}

/// Chooses offers for one routing round. Contacts are taken in order of channel priority, then
/// age (oldest first); each goes to the handler with the skills and the room for it who holds the
/// fewest contacts, then has been idle longest. A contact nobody can take is skipped, so a 999 with
/// no skilled handler free does not block the 101s behind it for handlers who cannot take 999.
pub fn route(waiting: &[Waiting], handlers: &[Available], policy: &RoutingPolicy) -> Vec<Offer> {
    let mut order: Vec<&Waiting> = waiting.iter().collect();
    order.sort_by(|a, b| {
        policy
            .priority_of(a.channel)
            .cmp(&policy.priority_of(b.channel))
            .then(a.offered_at.total_cmp(&b.offered_at))
            .then(a.key.cmp(&b.key))
    });
    let mut holding: Vec<Vec<Channel>> = handlers.iter().map(|h| h.holding.clone()).collect();
    let mut offers = Vec::new();
    for w in order {
        let needs = Skill::required(w.channel, &w.flags);
        let best = handlers
            .iter()
            .enumerate()
            .filter(|(i, h)| {
                needs.iter().all(|s| h.skills.contains(s)) && policy.fits(&holding[*i], w.channel)
            })
            .min_by(|(i, a), (j, b)| {
                holding[*i]
                    .len()
                    .cmp(&holding[*j].len())
                    .then(a.idle_since.total_cmp(&b.idle_since))
                    .then(a.key.cmp(&b.key))
            })
            .map(|(i, _)| i);
        if let Some(i) = best {
            holding[i].push(w.channel);
            offers.push(Offer { contact: w.key.clone(), handler: handlers[i].key.clone() });
        }
    }
    offers
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn w(key: &str, channel: Channel, at: f64) -> Waiting {
        Waiting { key: key.into(), channel, flags: vec![], offered_at: at }
    }

    fn h(key: &str, skills: &[Skill], holding: &[Channel]) -> Available {
        Available { key: key.into(), skills: skills.to_vec(), holding: holding.to_vec(), idle_since: 0.0 }
    }

    #[test]
    fn emergency_first_even_when_younger() {
        let waiting =
            [w("old-101", Channel::NonEmergency101, 0.0), w("new-999", Channel::Emergency999, 50.0)];
        let hs = [h("a", &[Skill::Emergency999, Skill::NonEmergency101], &[])];
        let offers = route(&waiting, &hs, &RoutingPolicy::default());
        assert_eq!(offers, vec![Offer { contact: "new-999".into(), handler: "a".into() }]);
    }

    #[test]
    fn webchats_share_a_handler_calls_do_not() {
        let waiting: Vec<Waiting> =
            (0..5).map(|i| w(&format!("chat{i}"), Channel::Webchat, f64::from(i))).collect();
        let hs = [h("a", &[Skill::Digital], &[])];
        let offers = route(&waiting, &hs, &RoutingPolicy::default());
        assert_eq!(offers.len(), 3, "three chats at once");
        let busy = [h("b", &[Skill::NonEmergency101, Skill::Digital], &[Channel::NonEmergency101])];
        assert!(route(&waiting, &busy, &RoutingPolicy::default()).is_empty());
    }

    #[test]
    fn interpreter_requests_need_languages() {
        let mut c = w("c", Channel::NonEmergency101, 0.0);
        c.flags = vec![ContactFlag::InterpreterNeeded];
        let plain = [h("a", &[Skill::NonEmergency101], &[])];
        assert!(route(std::slice::from_ref(&c), &plain, &RoutingPolicy::default()).is_empty());
        let linguist = [h("b", &[Skill::NonEmergency101, Skill::Languages], &[])];
        assert_eq!(route(&[c], &linguist, &RoutingPolicy::default()).len(), 1);
    }

    #[test]
    fn a_configured_priority_wins() {
        let mut policy = RoutingPolicy::default();
        policy.priority.insert(Channel::Webchat, 0);
        policy.priority.insert(Channel::NonEmergency101, 5);
        let waiting = [w("call", Channel::NonEmergency101, 0.0), w("chat", Channel::Webchat, 9.0)];
        let hs = [h("a", &[Skill::NonEmergency101, Skill::Digital], &[])];
        assert_eq!(route(&waiting, &hs, &policy)[0].contact, "chat");
    }

    fn channel() -> impl Strategy<Value = Channel> {
        prop::sample::select(Channel::ALL.to_vec())
    }

    fn skill_set() -> impl Strategy<Value = Vec<Skill>> {
        prop::sample::subsequence(Skill::ALL.to_vec(), 0..=5)
    }

    fn scenario() -> impl Strategy<Value = (Vec<Waiting>, Vec<Available>)> {
        let waiting =
            prop::collection::vec((channel(), 0.0..1000.0f64, any::<bool>()), 0..25).prop_map(|v| {
                v.into_iter()
                    .enumerate()
                    .map(|(i, (c, at, interp))| Waiting {
                        key: format!("c{i}"),
                        channel: c,
                        flags: if interp { vec![ContactFlag::InterpreterNeeded] } else { vec![] },
                        offered_at: at,
                    })
                    .collect::<Vec<_>>()
            });
        let handlers =
            prop::collection::vec((skill_set(), prop::collection::vec(channel(), 0..2), 0.0..100.0f64), 0..8)
                .prop_map(|v| {
                    let policy = RoutingPolicy::default();
                    v.into_iter()
                        .enumerate()
                        .map(|(i, (skills, mut holding, idle))| {
                            // Only states a real handler can be in: within capacity.
                            while holding.iter().map(|c| policy.units(*c)).sum::<u32>() > CAPACITY_UNITS {
                                holding.pop();
                            }
                            Available { key: format!("h{i}"), skills, holding, idle_since: idle }
                        })
                        .collect::<Vec<_>>()
                });
        (waiting, handlers)
    }

    proptest! {
        #[test]
        fn offers_respect_skills_capacity_and_uniqueness((waiting, handlers) in scenario()) {
            let policy = RoutingPolicy::default();
            let offers = route(&waiting, &handlers, &policy);
            let mut seen = std::collections::HashSet::new();
            let mut load: HashMap<&str, Vec<Channel>> =
                handlers.iter().map(|h| (h.key.as_str(), h.holding.clone())).collect();
            for o in &offers {
                prop_assert!(seen.insert(o.contact.clone()), "a contact offered twice");
                let c = waiting.iter().find(|w| w.key == o.contact).expect("known contact");
                let h = handlers.iter().find(|h| h.key == o.handler).expect("known handler");
                for s in Skill::required(c.channel, &c.flags) {
                    prop_assert!(h.skills.contains(&s), "offered without the skill {s}");
                }
                load.get_mut(h.key.as_str()).expect("handler").push(c.channel);
            }
            for (_, held) in load {
                prop_assert!(held.iter().map(|c| policy.units(*c)).sum::<u32>() <= CAPACITY_UNITS);
            }
        }

        #[test]
        fn nothing_is_left_that_someone_could_take((waiting, handlers) in scenario()) {
            let policy = RoutingPolicy::default();
            let offers = route(&waiting, &handlers, &policy);
            let mut load: HashMap<&str, Vec<Channel>> =
                handlers.iter().map(|h| (h.key.as_str(), h.holding.clone())).collect();
            for o in &offers {
                let c = waiting.iter().find(|w| w.key == o.contact).expect("known");
                load.get_mut(o.handler.as_str()).expect("handler").push(c.channel);
            }
            for w in waiting.iter().filter(|w| !offers.iter().any(|o| o.contact == w.key)) {
                let needs = Skill::required(w.channel, &w.flags);
                for h in &handlers {
                    let could = needs.iter().all(|s| h.skills.contains(s)) && policy.fits(&load[h.key.as_str()], w.channel);
                    prop_assert!(!could, "{} left waiting while {} had room and the skills", w.key, h.key);
                }
            }
        }

        #[test]
        fn no_contact_is_passed_over_for_a_less_urgent_one((waiting, handlers) in scenario()) {
            // For a single free handler with every skill, the one offer made when only one fits
            // is the most urgent contact.
            let policy = RoutingPolicy::default();
            let calls: Vec<Waiting> = waiting.into_iter().filter(|w| w.channel != Channel::Webchat).collect();
            let one = [Available { key: "all".into(), skills: Skill::ALL.to_vec(), holding: vec![], idle_since: 0.0 }];
            let offers = route(&calls, &one, &policy);
            prop_assert!(offers.len() <= 1);
            if let Some(o) = offers.first() {
                let chosen = calls.iter().find(|w| w.key == o.contact).expect("known");
                for other in &calls {
                    let key = (policy.priority_of(other.channel), other.offered_at);
                    let mine = (policy.priority_of(chosen.channel), chosen.offered_at);
                    prop_assert!(mine.0 < key.0 || (mine.0 == key.0 && mine.1 <= key.1));
                }
            }
            let _ = handlers;
        }
    }
}
