-- The phone numbers and email addresses callers gave, normalised ("p:07700900123",
-- "e:ann@example.org"), so a contact's history by phone or email is an index lookup instead of a
-- scan of every contact in the look-back window. Written with the contact (and again when its
-- caller details change); rows for contacts stored before this migration are filled in by the
-- store when it opens. offered_at is the contact's, copied so the window is in the index.
CREATE TABLE contact_caller_keys (
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    key TEXT NOT NULL,
    offered_at INTEGER NOT NULL,
    PRIMARY KEY (contact_id, key)
);
CREATE INDEX contact_caller_keys_key ON contact_caller_keys(key, offered_at);
