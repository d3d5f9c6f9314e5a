-- Command and control (SQLite): incidents, their append-only log and links, units, their status
-- history and assignments. Times are INTEGER microseconds since the Unix epoch, UTC.
CREATE TABLE incident_counters (
    day TEXT PRIMARY KEY,
    next INTEGER NOT NULL
);

CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    category TEXT NOT NULL,
    qualifiers TEXT NOT NULL,
    grade INTEGER NOT NULL,
    area TEXT NOT NULL,
    location_text TEXT,
    lat REAL,
    lon REAL,
    radius_m REAL,
    summary TEXT NOT NULL,
    thrive TEXT NOT NULL,
    closing_category TEXT,
    result TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    first_at_scene_at INTEGER,
    closed_at INTEGER,
    reopened INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX incidents_status_grade ON incidents(status, grade, created_at);

CREATE TABLE incident_log (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX incident_log_incident ON incident_log(incident_id, id);

CREATE TABLE incident_contacts (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    linked_at INTEGER NOT NULL,
    linked_by TEXT NOT NULL,
    PRIMARY KEY (incident_id, contact_id)
);
CREATE INDEX incident_contacts_contact ON incident_contacts(contact_id);

CREATE TABLE incident_links (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    other_id INTEGER NOT NULL REFERENCES incidents(id),
    linked_at INTEGER NOT NULL,
    linked_by TEXT NOT NULL,
    PRIMARY KEY (incident_id, other_id)
);

CREATE TABLE incident_persons (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    person_ref TEXT NOT NULL,
    role TEXT NOT NULL,
    linked_at INTEGER NOT NULL,
    linked_by TEXT NOT NULL,
    PRIMARY KEY (incident_id, person_ref, role)
);
CREATE INDEX incident_persons_person ON incident_persons(person_ref);

CREATE TABLE incident_idempotency_keys (
    actor TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (actor, key)
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    call_sign TEXT NOT NULL UNIQUE,
    unit_type TEXT NOT NULL,
    skills TEXT NOT NULL,
    home_station TEXT NOT NULL,
    lat REAL,
    lon REAL,
    position_at INTEGER,
    status TEXT NOT NULL,
    status_at INTEGER NOT NULL,
    incident_id INTEGER REFERENCES incidents(id),
    version INTEGER NOT NULL
);
CREATE INDEX units_status ON units(status);

CREATE TABLE unit_status_history (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    status TEXT NOT NULL,
    incident_id INTEGER REFERENCES incidents(id),
    lat REAL,
    lon REAL
);
CREATE INDEX unit_status_history_unit ON unit_status_history(unit_id, id);

CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    assigned_at INTEGER NOT NULL,
    assigned_by TEXT NOT NULL,
    en_route_at INTEGER,
    at_scene_at INTEGER,
    cleared_at INTEGER
);
CREATE INDEX assignments_incident ON assignments(incident_id, id);
CREATE INDEX assignments_unit ON assignments(unit_id, cleared_at);

CREATE TRIGGER incident_log_no_update BEFORE UPDATE ON incident_log
BEGIN SELECT RAISE(ABORT, 'incident_log is append-only'); END;
CREATE TRIGGER incident_log_no_delete BEFORE DELETE ON incident_log
BEGIN SELECT RAISE(ABORT, 'incident_log is append-only'); END;
CREATE TRIGGER unit_status_history_no_update BEFORE UPDATE ON unit_status_history
BEGIN SELECT RAISE(ABORT, 'unit_status_history is append-only'); END;
CREATE TRIGGER unit_status_history_no_delete BEFORE DELETE ON unit_status_history
BEGIN SELECT RAISE(ABORT, 'unit_status_history is append-only'); END;
