//! The event loop. Speed matters (a year of a large force in well under two seconds), so:
//! roster events are pre-sorted and merged with a small heap of arrivals and completions;
//! abandonment is lazy (a caller whose patience ran out is removed, at its own deadline, when it
//! reaches the head of the queue), which is exact for every measure we report; free handlers sit on
//! per-team stacks validated when popped.

use super::result::{SimResult, Tally};
use super::sample::{PreparedHandle, Sampler};
use super::{Arrivals, SimConfig};
use crate::error::DemandError;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Capacity units per handler: divisible by every concurrency from 1 to 6.
const CAP: u8 = 60;
const K_COMPLETE: u64 = 0;
const K_BREAK_END: u64 = 1;
const K_ARRIVAL: u64 = 2;
const R_SHIFT_START: u8 = 0;
const R_BREAK_START: u8 = 1;
const R_SHIFT_END: u8 = 2;

struct Contact {
    arrival: f64,
    deadline: f64,
    handle: f64,
}

struct Handler {
    team: u16,
    used: u8,
    on_shift: bool,
    available: bool,
    pending_break: f64,
    in_free: bool,
    in_partial: bool,
}

struct Stream {
    q: usize,
    arrivals: Arrivals,
    cursor: f64,
    index: usize,
    handle: PreparedHandle,
    patience: Option<f64>,
}

struct Engine<'a> {
    cfg: &'a SimConfig,
    sampler: Sampler,
    heap: BinaryHeap<Reverse<(u64, u64)>>,
    queues: Vec<VecDeque<Contact>>,
    need: Vec<u8>,
    priority: Vec<u8>,
    handlers: Vec<Handler>,
    free: Vec<Vec<u32>>,
    partial: Vec<Vec<u32>>,
    team_queues: Vec<Vec<usize>>,
    queue_teams: Vec<Vec<u16>>,
    streams: Vec<Stream>,
    tally: Tally,
    busy_unit_secs: f64,
}

/// Runs a simulation. `progress` is called now and then with the share of simulated time done.
pub fn simulate(cfg: &SimConfig, progress: &mut dyn FnMut(f64)) -> Result<SimResult, DemandError> {
    cfg.validate()?;
    let intervals = ((cfg.duration_secs / cfg.interval_secs).ceil() as usize).max(1);
    let thresholds = cfg.queues.iter().map(|q| q.target.threshold_secs).collect();
    let mut tally = Tally::new(cfg.queues.len(), intervals, cfg.interval_secs, thresholds);
    let qi = |c| cfg.queues.iter().position(|q| q.channel == c);

    // Teams: the queues each may take (by priority) and, per queue, the teams that may take it
    // (specialists first, so generalists stay free for what only they can do).
    let team_queues: Vec<Vec<usize>> = cfg
        .teams
        .iter()
        .map(|t| {
            let mut v: Vec<usize> = t.skills.iter().filter_map(|&c| qi(c)).collect();
            v.sort_by_key(|&q| (cfg.queues[q].priority, q));
            v.dedup();
            v
        })
        .collect();
    let queue_teams: Vec<Vec<u16>> = (0..cfg.queues.len())
        .map(|q| {
            let mut v: Vec<u16> =
                (0..cfg.teams.len() as u16).filter(|&t| team_queues[t as usize].contains(&q)).collect();
            v.sort_by_key(|&t| (team_queues[t as usize].len(), t));
            v
        })
        .collect();

    // Handlers and the pre-sorted roster.
    let mut handlers = Vec::new();
    let mut roster: Vec<(f64, u8, u32)> = Vec::new();
    let mut breaks: Vec<(u32, f64)> = Vec::new();
    let mut rostered = vec![0i64; intervals + 1];
    for (ti, team) in cfg.teams.iter().enumerate() {
        for sh in &team.shifts {
            let a = ((sh.start_secs / cfg.interval_secs).ceil().max(0.0) as usize).min(intervals);
            let b = ((sh.end_secs / cfg.interval_secs).ceil().max(0.0) as usize).min(intervals);
            rostered[a] += i64::from(sh.handlers);
            rostered[b] -= i64::from(sh.handlers);
            for i in 0..sh.handlers {
                let h = handlers.len() as u32;
                handlers.push(Handler {
                    team: ti as u16,
                    used: 0,
                    on_shift: false,
                    available: false,
                    pending_break: 0.0,
                    in_free: false,
                    in_partial: false,
                });
                roster.push((sh.start_secs.max(0.0), R_SHIFT_START, h));
                roster.push((sh.end_secs.max(0.0), R_SHIFT_END, h));
                for br in &sh.breaks {
                    let t = sh.start_secs
                        + br.after_secs
                        + br.stagger_secs * f64::from(i) / f64::from(sh.handlers);
                    if t < sh.end_secs {
                        roster.push((t.max(0.0), R_BREAK_START, breaks.len() as u32));
                        breaks.push((h, br.duration_secs));
                    }
                }
            }
        }
    }
    roster.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut acc = 0i64;
    for (i, s) in tally.series.iter_mut().enumerate() {
        acc += rostered[i];
        s.rostered = acc.max(0) as u32;
    }
    let rostered_secs: f64 = cfg
        .teams
        .iter()
        .flat_map(|t| &t.shifts)
        .map(|s| (s.end_secs.min(cfg.duration_secs) - s.start_secs.max(0.0)).max(0.0) * f64::from(s.handlers))
        .sum();

    let streams = cfg
        .streams
        .iter()
        .filter_map(|s| {
            Some(Stream {
                q: qi(s.channel)?,
                arrivals: s.arrivals.clone(),
                cursor: 0.0,
                index: 0,
                handle: s.handle.prepare(),
                patience: s.patience_secs,
            })
        })
        .collect();
    let mut e = Engine {
        cfg,
        sampler: Sampler::new(cfg.seed),
        heap: BinaryHeap::new(),
        queues: cfg.queues.iter().map(|_| VecDeque::new()).collect(),
        need: cfg.queues.iter().map(|q| CAP / q.concurrency.clamp(1, 6)).collect(),
        priority: cfg.queues.iter().map(|q| q.priority).collect(),
        handlers,
        free: vec![Vec::new(); cfg.teams.len()],
        partial: vec![Vec::new(); cfg.teams.len()],
        team_queues,
        queue_teams,
        streams,
        tally,
        busy_unit_secs: 0.0,
    };
    for s in 0..e.streams.len() {
        e.schedule_arrival(s);
    }

    let mut events = 0u64;
    let mut ri = 0usize;
    loop {
        let heap_t = e.heap.peek().map(|Reverse((t, _))| f64::from_bits(*t));
        let roster_next = roster.get(ri).filter(|r| heap_t.is_none_or(|ht| r.0 <= ht));
        let now;
        if let Some(&(t, kind, id)) = roster_next {
            if t > cfg.duration_secs {
                break;
            }
            now = t;
            ri += 1;
            match kind {
                R_SHIFT_START => e.shift_start(id, now),
                R_BREAK_START => {
                    let (h, d) = breaks[id as usize];
                    e.break_start(h, d, now);
                }
                _ => e.shift_end(id),
            }
        } else if let Some(Reverse((tb, payload))) = e.heap.pop() {
            now = f64::from_bits(tb);
            if now > cfg.duration_secs {
                break;
            }
            let (kind, q, id) = (payload >> 56, ((payload >> 32) & 0xff_ffff) as usize, payload as u32);
            match kind {
                K_COMPLETE => e.complete(id, q, now),
                K_BREAK_END => e.break_end(id, now),
                _ => e.arrive(id as usize, now),
            }
        } else {
            break;
        }
        events += 1;
        if events & 0xffff == 0 {
            progress(now / cfg.duration_secs);
        }
    }
    progress(1.0);

    let mut waiting = vec![0u64; cfg.queues.len()];
    for (q, queue) in e.queues.iter().enumerate() {
        for c in queue {
            if c.deadline <= cfg.duration_secs {
                e.tally.abandoned(c.arrival, q);
            } else {
                waiting[q] += 1;
            }
        }
    }
    let occupancy = if rostered_secs > 0.0 { (e.busy_unit_secs / rostered_secs).min(1.0) } else { 0.0 };
    Ok(e.tally.finish(&cfg.queues, waiting, occupancy, events))
}

impl Engine<'_> {
    fn push(&mut self, t: f64, kind: u64, q: usize, id: u32) {
        self.heap.push(Reverse((t.to_bits(), kind << 56 | (q as u64) << 32 | u64::from(id))));
    }

    fn schedule_arrival(&mut self, s: usize) {
        let interval = self.cfg.interval_secs;
        let end = self.cfg.duration_secs;
        let st = &mut self.streams[s];
        let next = match &st.arrivals {
            Arrivals::Replay(times) => {
                let t = times.get(st.index).copied().filter(|t| *t <= end);
                st.index += 1;
                t.map(|t| t.max(st.cursor))
            }
            Arrivals::Profile(counts) => loop {
                if st.cursor >= end || counts.is_empty() {
                    break None;
                }
                let bound = (st.index + 1) as f64 * interval;
                let expected = counts[st.index.min(counts.len() - 1)];
                if expected > 0.0 {
                    let t = st.cursor + self.sampler.exponential(interval / expected);
                    if t < bound {
                        break Some(t);
                    }
                }
                // Memoryless: restart the clock at the interval boundary with the next rate.
                st.cursor = bound;
                st.index += 1;
            },
        };
        if let Some(t) = next {
            self.streams[s].cursor = t;
            self.push(t, K_ARRIVAL, 0, s as u32);
        }
    }

    fn arrive(&mut self, s: usize, now: f64) {
        let (q, handle, patience) = {
            let st = &self.streams[s];
            (st.q, st.handle, st.patience)
        };
        let handle = handle.sample(&mut self.sampler);
        let deadline = patience.map_or(f64::INFINITY, |p| now + self.sampler.exponential(p));
        self.schedule_arrival(s);
        self.tally.offered(now, q);
        let contact = Contact { arrival: now, deadline, handle };
        match self.find_handler(q) {
            Some(h) => self.start(h, q, contact, now),
            None => self.queues[q].push_back(contact),
        }
    }

    fn find_handler(&mut self, q: usize) -> Option<u32> {
        let need = self.need[q];
        for ti in 0..self.queue_teams[q].len() {
            let team = self.queue_teams[q][ti] as usize;
            if need < CAP {
                let mut i = 0;
                while i < self.partial[team].len() {
                    let h = self.partial[team][i];
                    let hd = &mut self.handlers[h as usize];
                    if !hd.available || hd.used == 0 || hd.used >= CAP {
                        hd.in_partial = false;
                        self.partial[team].swap_remove(i);
                        continue;
                    }
                    if CAP - hd.used >= need {
                        return Some(h);
                    }
                    i += 1;
                }
            }
            while let Some(h) = self.free[team].pop() {
                let hd = &mut self.handlers[h as usize];
                hd.in_free = false;
                if hd.available && hd.used == 0 {
                    return Some(h);
                }
            }
        }
        None
    }

    fn start(&mut self, h: u32, q: usize, c: Contact, now: f64) {
        self.tally.answered(c.arrival, q, now - c.arrival);
        let need = self.need[q];
        self.busy_unit_secs += c.handle * f64::from(need) / f64::from(CAP);
        let hd = &mut self.handlers[h as usize];
        hd.used += need;
        if hd.used < CAP && !hd.in_partial {
            hd.in_partial = true;
            let team = hd.team as usize;
            self.partial[team].push(h);
        }
        self.push(now + c.handle, K_COMPLETE, q, h);
    }

    /// A ready handler takes the oldest contact of the highest-priority queue it can serve.
    fn pull(&mut self, h: u32, now: f64) {
        let team = self.handlers[h as usize].team as usize;
        loop {
            let free_units = CAP - self.handlers[h as usize].used;
            let mut best: Option<(u8, f64, usize)> = None;
            for &q in &self.team_queues[team] {
                if self.need[q] > free_units || best.is_some_and(|b| b.0 < self.priority[q]) {
                    continue;
                }
                while let Some(c) = self.queues[q].front() {
                    if c.deadline > now {
                        break;
                    }
                    let arrival = c.arrival;
                    self.queues[q].pop_front();
                    self.tally.abandoned(arrival, q);
                }
                if let Some(c) = self.queues[q].front()
                    && best.is_none_or(|b| c.arrival < b.1)
                {
                    best = Some((self.priority[q], c.arrival, q));
                }
            }
            let Some((_, _, q)) = best else { break };
            let Some(c) = self.queues[q].pop_front() else { break };
            self.start(h, q, c, now);
        }
        let hd = &mut self.handlers[h as usize];
        if hd.used == 0 && !hd.in_free {
            hd.in_free = true;
            self.free[team].push(h);
        } else if hd.used > 0 && hd.used < CAP && !hd.in_partial {
            hd.in_partial = true;
            self.partial[team].push(h);
        }
    }

    fn complete(&mut self, h: u32, q: usize, now: f64) {
        let need = self.need[q];
        let hd = &mut self.handlers[h as usize];
        hd.used = hd.used.saturating_sub(need);
        if hd.used == 0 && hd.pending_break > 0.0 {
            let d = std::mem::take(&mut hd.pending_break);
            self.push(now + d, K_BREAK_END, 0, h);
        } else if hd.available {
            self.pull(h, now);
        }
    }

    fn shift_start(&mut self, h: u32, now: f64) {
        let hd = &mut self.handlers[h as usize];
        hd.on_shift = true;
        hd.available = true;
        self.pull(h, now);
    }

    fn shift_end(&mut self, h: u32) {
        let hd = &mut self.handlers[h as usize];
        hd.on_shift = false;
        hd.available = false;
        hd.pending_break = 0.0;
    }

    fn break_start(&mut self, h: u32, duration: f64, now: f64) {
        let hd = &mut self.handlers[h as usize];
        if !hd.on_shift || !hd.available {
            return;
        }
        hd.available = false;
        if hd.used == 0 {
            self.push(now + duration, K_BREAK_END, 0, h);
        } else {
            hd.pending_break = duration;
        }
    }

    fn break_end(&mut self, h: u32, now: f64) {
        let hd = &mut self.handlers[h as usize];
        if hd.on_shift {
            hd.available = true;
            self.pull(h, now);
        }
    }
}
