-- Foundation schema (SQLite). Times are INTEGER microseconds since the Unix epoch, UTC.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE reference_counters (
    day TEXT PRIMARY KEY,
    next INTEGER NOT NULL
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    priority INTEGER NOT NULL,
    flags TEXT NOT NULL,
    caller TEXT NOT NULL,
    caller_name TEXT,
    caller_postcode TEXT,
    location_text TEXT,
    lat REAL,
    lon REAL,
    radius_m REAL,
    narrative TEXT NOT NULL,
    grade INTEGER,
    outcome TEXT,
    handler TEXT,
    offered_at INTEGER NOT NULL,
    queued_at INTEGER,
    answered_at INTEGER,
    closed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX contacts_status_priority ON contacts(status, priority, offered_at);
CREATE INDEX contacts_channel ON contacts(channel, id);
CREATE INDEX contacts_offered ON contacts(offered_at);

CREATE TABLE contact_events (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX contact_events_contact ON contact_events(contact_id, id);

CREATE TABLE idempotency_keys (
    actor TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (actor, key)
);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    justification TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log(record_type, record_id);
CREATE INDEX audit_log_actor ON audit_log(actor, seq);

-- The append-only logs refuse change at the database itself, whatever code runs above it.
CREATE TRIGGER contact_events_no_update BEFORE UPDATE ON contact_events
BEGIN SELECT RAISE(ABORT, 'contact_events is append-only'); END;
CREATE TRIGGER contact_events_no_delete BEFORE DELETE ON contact_events
BEGIN SELECT RAISE(ABORT, 'contact_events is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The head of the audit hash chain: one row, locked by each writing transaction so entries chain
-- in commit order even with several servers on one PostgreSQL database.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
