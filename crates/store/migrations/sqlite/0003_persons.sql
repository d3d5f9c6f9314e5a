-- Single citizen view (SQLite): persons, the links from contacts to persons (deactivated, never
-- deleted, so an undo is a new fact), an append-only person log, the link review queue and
-- vulnerability/warning markers. Times are INTEGER microseconds since the Unix epoch, UTC.
CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    reference TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    merged_into INTEGER REFERENCES persons(id)
);

CREATE TABLE person_contacts (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    how TEXT NOT NULL,
    weight REAL,
    explanation TEXT,
    linked_by TEXT NOT NULL,
    linked_at INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    ended_by TEXT,
    ended_at INTEGER,
    ended_reason TEXT
);
CREATE INDEX person_contacts_person ON person_contacts(person_id, active);
CREATE INDEX person_contacts_contact ON person_contacts(contact_id);
CREATE UNIQUE INDEX person_contacts_one_active ON person_contacts(contact_id) WHERE active = 1;

CREATE TABLE person_events (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT,
    data TEXT NOT NULL
);
CREATE INDEX person_events_person ON person_events(person_id, id);

CREATE TABLE link_reviews (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    candidates TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    decision TEXT,
    decided_person_id INTEGER REFERENCES persons(id),
    reason TEXT,
    decided_by TEXT,
    decided_at INTEGER
);
CREATE INDEX link_reviews_status ON link_reviews(status, id);
CREATE INDEX link_reviews_contact ON link_reviews(contact_id);

CREATE TABLE person_markers (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at INTEGER NOT NULL,
    cleared_by TEXT,
    cleared_at INTEGER,
    cleared_reason TEXT
);
CREATE INDEX person_markers_person ON person_markers(person_id);

-- Idempotency keys of creating requests on persons (markers, splits): the first result is kept so a
-- retry returns it instead of acting twice.
CREATE TABLE person_idempotency_keys (
    actor TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (actor, key)
);

CREATE TRIGGER person_events_no_update BEFORE UPDATE ON person_events
BEGIN SELECT RAISE(ABORT, 'person_events is append-only'); END;
CREATE TRIGGER person_events_no_delete BEFORE DELETE ON person_events
BEGIN SELECT RAISE(ABORT, 'person_events is append-only'); END;
CREATE TRIGGER person_contacts_no_delete BEFORE DELETE ON person_contacts
BEGIN SELECT RAISE(ABORT, 'person_contacts keeps every link: deactivate instead'); END;
