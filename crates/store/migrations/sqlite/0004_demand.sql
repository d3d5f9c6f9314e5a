-- Live demand management (SQLite): handlers' skills and current state, and the append-only history
-- of every state change (time in each state is computed from it).
CREATE TABLE handlers (
    username TEXT PRIMARY KEY REFERENCES users(username),
    skills TEXT NOT NULL,
    state TEXT NOT NULL,
    state_since INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX handlers_state ON handlers(state);

CREATE TABLE handler_state_events (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users(username),
    at INTEGER NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    actor TEXT NOT NULL,
    contact_reference TEXT,
    reason TEXT
);
CREATE INDEX handler_state_events_user ON handler_state_events(username, at);
CREATE INDEX handler_state_events_at ON handler_state_events(at);

CREATE TRIGGER handler_state_events_no_update BEFORE UPDATE ON handler_state_events
BEGIN SELECT RAISE(ABORT, 'handler_state_events is append-only'); END;
CREATE TRIGGER handler_state_events_no_delete BEFORE DELETE ON handler_state_events
BEGIN SELECT RAISE(ABORT, 'handler_state_events is append-only'); END;

-- Dashboards and reports read contacts by answer and close time as well as by offer time.
CREATE INDEX contacts_handler_status ON contacts(handler, status);
