-- The phone numbers and email addresses callers gave, normalised ("p:07700900123",
-- "e:ann@example.org"), so a contact's history by phone or email is an index lookup instead of a
-- scan of every contact in the look-back window. Written with the contact (and again when its
-- caller details change); rows for contacts stored before this migration are filled in once by the
-- store when it opens. offered_at is the contact's, copied so the window is in the index.
CREATE TABLE contact_caller_keys (
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    key TEXT NOT NULL,
    offered_at BIGINT NOT NULL,
    PRIMARY KEY (contact_id, key)
);
CREATE INDEX contact_caller_keys_key ON contact_caller_keys(key, offered_at);

-- One-off work the store does in code when it next opens (here: the keys of contacts stored before
-- this migration, which need the phone normaliser); each row is deleted with its work done.
CREATE TABLE pending_backfills (name TEXT PRIMARY KEY);
INSERT INTO pending_backfills (name) VALUES ('caller_keys');
