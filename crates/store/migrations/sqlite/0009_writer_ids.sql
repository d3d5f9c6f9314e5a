-- Person and link ids are handed out by the store's writer, a batch at a time (see the PostgreSQL
-- migration of the same number, which drops the identity sequences it no longer uses). SQLite's
-- INTEGER PRIMARY KEY needs nothing: an explicit id is taken as given. Kept so both backends'
-- migrations stay numbered alike.
SELECT 1;
