-- Triage in the product (SQLite): THRIVE versions, questionnaire results and markers are contact
-- log entries; these tables index and extend them.

-- Supervisors' review lists scan the log by kind (graded, questionnaire_completed...).
CREATE INDEX contact_events_kind ON contact_events(kind, id);

-- Tasks a questionnaire result raised (MARAC referral, stalking referral, health referral).
CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    event_id INTEGER NOT NULL REFERENCES contact_events(id),
    questionnaire TEXT NOT NULL,
    level TEXT NOT NULL,
    task TEXT NOT NULL,
    text TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX referrals_status ON referrals(status, id);
CREATE INDEX referrals_contact ON referrals(contact_id, id);

-- Idempotency for triage POSTs: a retried request returns the log entry the first one wrote.
CREATE TABLE triage_requests (
    actor TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES contact_events(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (actor, key)
);
