-- Staff wellbeing: a supervisor's check-in with a handler after a distressing contact, and what it
-- came to. A record of care, never rewritten: the triggers below refuse UPDATE and DELETE. The
-- handler is a username and the contact a public reference, as the screens name them. Times are
-- microseconds since the epoch, UTC.
CREATE TABLE wellbeing_check_ins (
    id INTEGER PRIMARY KEY,
    handler TEXT NOT NULL,
    contact_reference TEXT,
    outcome TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX wellbeing_check_ins_handler ON wellbeing_check_ins(handler, recorded_at);
CREATE INDEX wellbeing_check_ins_recorded ON wellbeing_check_ins(recorded_at);

CREATE TRIGGER wellbeing_check_ins_no_update BEFORE UPDATE ON wellbeing_check_ins
BEGIN SELECT RAISE(ABORT, 'wellbeing_check_ins is append-only'); END;
CREATE TRIGGER wellbeing_check_ins_no_delete BEFORE DELETE ON wellbeing_check_ins
BEGIN SELECT RAISE(ABORT, 'wellbeing_check_ins is append-only'); END;

-- Idempotency keys of recorded check-ins (as idempotency_keys is for contacts): a retried request
-- returns the check-in the first one recorded instead of recording it twice.
CREATE TABLE wellbeing_check_in_keys (
    actor TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    check_in_id INTEGER NOT NULL REFERENCES wellbeing_check_ins(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (actor, key)
);

-- Contacts answered since a time, everyone's or one handler's (exposure per shift and week).
-- Partial, so creating a contact (answered_at still NULL) costs no index write.
CREATE INDEX contacts_answered ON contacts(answered_at) WHERE answered_at IS NOT NULL;
CREATE INDEX contacts_handler_answered ON contacts(handler, answered_at) WHERE answered_at IS NOT NULL;
