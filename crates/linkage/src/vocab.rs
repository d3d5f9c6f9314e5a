//! Interned strings. Each distinct normalised name or street is stored once and records hold a
//! `u32` id, which keeps a record small (10 million must fit in memory), makes exact comparison an
//! integer compare, and gives term frequencies for free (how many records use each value).

use crate::hash::IdentityBuild;
use std::collections::HashMap;

/// The id meaning "no value".
pub const NONE: u32 = u32::MAX;

/// Which vocabulary a string belongs to (the same word can be a given name and a surname).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Given (first) names, including the formal names nicknames map to.
    Given,
    /// Surnames, whole and their double-barrelled parts.
    Surname,
    /// Street names from address lines.
    Street,
}

/// One vocabulary: strings, their ids and how many records use each.
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    map: HashMap<Box<str>, u32, IdentityBuild>,
    strings: Vec<Box<str>>,
    counts: Vec<u32>,
    total: u64,
}

impl Vocab {
    /// The id of `s`, adding it if new; `count` adds one use (false for derived values such as
    /// the formal form of a nickname, which should not skew term frequencies).
    pub fn intern(&mut self, s: &str, count: bool) -> u32 {
        let id = match self.map.get(s) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.strings.len()).unwrap_or(NONE - 1);
                self.map.insert(s.into(), id);
                self.strings.push(s.into());
                self.counts.push(0);
                id
            }
        };
        if count && let Some(c) = self.counts.get_mut(id as usize) {
            *c = c.saturating_add(1);
            self.total += 1;
        }
        id
    }

    /// The id of `s` if known, without adding it.
    pub fn lookup(&self, s: &str) -> Option<u32> {
        self.map.get(s).copied()
    }

    /// The string for an id ("" for unknown ids).
    pub fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |s| s)
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// True when nothing has been interned.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Share of counted uses taken by `id` (its term frequency); 0 when unknown.
    pub fn frequency(&self, id: u32) -> f64 {
        match self.counts.get(id as usize) {
            Some(&c) if self.total > 0 => f64::from(c) / self.total as f64,
            _ => 0.0,
        }
    }

    /// Total counted uses.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Approximate heap bytes held, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.strings.iter().map(|s| s.len() * 2 + 48).sum::<usize>() + self.counts.len() * 4
    }
}

/// Read access to interned strings and their frequencies, as the comparators need it.
pub trait Strings: Sync {
    /// The string for `id` in vocabulary `kind`.
    fn text(&self, kind: Kind, id: u32) -> &str;
    /// Term frequency of `id` in vocabulary `kind`.
    fn frequency(&self, kind: Kind, id: u32) -> f64;
}

/// Adds strings while normalising (counting uses or not).
pub trait Interner {
    /// The id for `s` in `kind`.
    fn intern(&mut self, kind: Kind, s: &str, count: bool) -> u32;
}

/// The three vocabularies of a data set or index.
#[derive(Debug, Default, Clone)]
pub struct Vocabs {
    /// Given names.
    pub given: Vocab,
    /// Surnames.
    pub surname: Vocab,
    /// Streets.
    pub street: Vocab,
}

impl Vocabs {
    /// The vocabulary for `kind`.
    pub fn of(&self, kind: Kind) -> &Vocab {
        match kind {
            Kind::Given => &self.given,
            Kind::Surname => &self.surname,
            Kind::Street => &self.street,
        }
    }

    fn of_mut(&mut self, kind: Kind) -> &mut Vocab {
        match kind {
            Kind::Given => &mut self.given,
            Kind::Surname => &mut self.surname,
            Kind::Street => &mut self.street,
        }
    }

    /// Approximate heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.given.heap_bytes() + self.surname.heap_bytes() + self.street.heap_bytes()
    }
}

impl Strings for Vocabs {
    fn text(&self, kind: Kind, id: u32) -> &str {
        self.of(kind).get(id)
    }

    fn frequency(&self, kind: Kind, id: u32) -> f64 {
        self.of(kind).frequency(id)
    }
}

impl Interner for Vocabs {
    fn intern(&mut self, kind: Kind, s: &str, count: bool) -> u32 {
        self.of_mut(kind).intern(s, count)
    }
}

/// A read-only view of shared vocabularies plus the few new strings of one query, so a real-time
/// match needs no write access to the index.
#[derive(Debug)]
pub struct Overlay<'a> {
    base: &'a Vocabs,
    extra: Vec<(Kind, Box<str>)>,
}

impl<'a> Overlay<'a> {
    /// A view over `base` with no extra strings yet.
    pub fn new(base: &'a Vocabs) -> Self {
        Self { base, extra: Vec::new() }
    }

    fn offset(&self) -> u32 {
        // Ids above every real vocabulary, counting down from NONE so they never clash.
        NONE - 1 - 64
    }
}

impl Interner for Overlay<'_> {
    fn intern(&mut self, kind: Kind, s: &str, _count: bool) -> u32 {
        if let Some(id) = self.base.of(kind).lookup(s) {
            return id;
        }
        if let Some(i) = self.extra.iter().position(|(k, e)| *k == kind && &**e == s) {
            return self.offset() + i as u32;
        }
        if self.extra.len() >= 60 {
            return NONE;
        }
        self.extra.push((kind, s.into()));
        self.offset() + (self.extra.len() as u32 - 1)
    }
}

impl Strings for Overlay<'_> {
    fn text(&self, kind: Kind, id: u32) -> &str {
        if id >= self.offset() && id != NONE {
            return self.extra.get((id - self.offset()) as usize).map_or("", |(_, s)| s);
        }
        self.base.of(kind).get(id)
    }

    fn frequency(&self, kind: Kind, id: u32) -> f64 {
        if id >= self.offset() { 0.0 } else { self.base.of(kind).frequency(id) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_and_counts() {
        let mut v = Vocabs::default();
        let a = v.intern(Kind::Surname, "smith", true);
        let b = v.intern(Kind::Surname, "smith", true);
        let c = v.intern(Kind::Surname, "jones", true);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!((v.frequency(Kind::Surname, a) - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(v.text(Kind::Surname, c), "jones");
        let mut o = Overlay::new(&v);
        assert_eq!(o.intern(Kind::Surname, "smith", false), a);
        let x = o.intern(Kind::Surname, "zyx", false);
        assert_eq!(o.text(Kind::Surname, x), "zyx");
        assert_eq!(o.frequency(Kind::Surname, x), 0.0);
    }
}
