-- Possible same person: two persons the evidence says may be one (a contact matched both above the
-- link threshold, or batch clustering's anti-chaining guard held a strong link back). A supervisor
-- merges them or keeps them apart, with a reason. One review per pair, ever: a pair kept apart is
-- never queued again. person_a is always the lower id. Times are microseconds since the epoch, UTC.
CREATE TABLE person_pair_reviews (
    id INTEGER PRIMARY KEY,
    person_a INTEGER NOT NULL REFERENCES persons(id),
    person_b INTEGER NOT NULL REFERENCES persons(id),
    weight REAL NOT NULL,
    source TEXT NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    decision TEXT,
    survivor_id INTEGER REFERENCES persons(id),
    reason TEXT,
    decided_by TEXT,
    decided_at INTEGER,
    CHECK (person_a < person_b)
);
CREATE UNIQUE INDEX person_pair_reviews_pair ON person_pair_reviews(person_a, person_b);
CREATE INDEX person_pair_reviews_status ON person_pair_reviews(status, id);
