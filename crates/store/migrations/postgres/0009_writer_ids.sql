-- Person and link ids are handed out by the store's writer, a batch at a time (the largest id,
-- read once per batch under the audit chain's lock), so a burst's new persons and links are one
-- multi-row insert each. The identity sequences would never move again and would give ids already
-- taken; without them an insert that forgets its id fails at once instead of colliding later.
ALTER TABLE persons ALTER COLUMN id DROP IDENTITY;
ALTER TABLE person_contacts ALTER COLUMN id DROP IDENTITY;
