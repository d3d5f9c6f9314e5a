"""SimPy model equivalent to fc-demand's simulator, for the speed comparison in benches/demand.rs.

Reads the expanded configuration the bench writes (JSON: streams with per-interval expected
counts, lognormal handle times, exponential patience; teams with skills and shifts) and simulates
it the idiomatic SimPy way: one process per contact, handlers as tokens in a FilterStore (skills by
filter), abandonment by racing the store request against a patience timeout, a roster process per
shift that adds handlers at the start and withdraws them (once free) at the end.

Simplifications against the Rust engine, all of which make SimPy's job *lighter*: no breaks,
webchat concurrency ignored (one chat per handler), and requests are served first-come
first-served rather than by channel priority (FilterStore has no priorities).

Usage: python3 simpy_model.py CONFIG.json  -> prints "contacts=N answered=M seconds=S"
"""

import json
import math
import random
import sys
import time

import simpy


class Handler:
    __slots__ = ("hid", "skills")

    def __init__(self, hid, skills):
        self.hid = hid
        self.skills = skills


def main(path):
    cfg = json.load(open(path))
    rng = random.Random(cfg["seed"])
    env = simpy.Environment()
    store = simpy.FilterStore(env)
    duration = cfg["duration_secs"]
    interval = cfg["interval_secs"]
    stats = {"contacts": 0, "answered": 0, "abandoned": 0}

    def contact(channel, handle, patience):
        stats["contacts"] += 1
        req = store.get(lambda h: channel in h.skills)
        if patience is not None:
            result = yield req | env.timeout(rng.expovariate(1.0 / patience))
            if req not in result:
                req.cancel()
                stats["abandoned"] += 1
                return
        else:
            yield req
        handler = req.value
        stats["answered"] += 1
        yield env.timeout(handle())
        yield store.put(handler)

    def stream(s):
        counts = s["profile"]
        mean, sd = s["handle_mean"], s["handle_sd"]
        s2 = math.log(1.0 + (sd / mean) ** 2)
        mu, sigma = math.log(mean) - s2 / 2.0, math.sqrt(s2)
        handle = lambda: rng.lognormvariate(mu, sigma)
        t = 0.0
        for i, expected in enumerate(counts):
            end = (i + 1) * interval
            if expected <= 0:
                t = end
                continue
            while True:
                t += rng.expovariate(expected / interval)
                if t >= end:
                    t = end
                    break
                yield env.timeout(t - env.now)
                env.process(contact(s["channel"], handle, s["patience"]))

    def shift(team, sh, first_id):
        yield env.timeout(max(0.0, sh["start"]))
        ids = list(range(first_id, first_id + sh["handlers"]))
        for hid in ids:
            store.put(Handler(hid, team["skills"]))
        yield env.timeout(sh["end"] - max(0.0, sh["start"]))
        for hid in ids:
            yield store.get(lambda h, hid=hid: h.hid == hid)

    next_id = 0
    for team in cfg["teams"]:
        team["skills"] = set(team["skills"])
        for sh in team["shifts"]:
            env.process(shift(team, sh, next_id))
            next_id += sh["handlers"]
    for s in cfg["streams"]:
        env.process(stream(s))
    started = time.perf_counter()
    env.run(until=duration)
    elapsed = time.perf_counter() - started
    print(f"contacts={stats['contacts']} answered={stats['answered']} seconds={elapsed:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
