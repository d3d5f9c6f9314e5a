-- Person markers now use the force's configurable marker list (the same list as contact markers,
-- with a category: vulnerability, warning or pattern) instead of a fixed enum. Existing rows move
-- to the list's codes; codes the list shares with the old enum (mental_health, violence, weapons,
-- officer_safety, high_intensity_caller) are unchanged. Person log entries stay as written.
UPDATE person_markers SET kind = CASE kind
    WHEN 'vulnerable_adult' THEN 'adult_at_risk'
    WHEN 'child_at_risk' THEN 'child_abuse'
    WHEN 'domestic_abuse_victim' THEN 'domestic_abuse'
    WHEN 'self_harm' THEN 'mental_health'
    ELSE kind END
WHERE kind IN ('vulnerable_adult', 'child_at_risk', 'domestic_abuse_victim', 'self_harm');

-- Referral tasks get a workflow: open -> accepted (assigned to a user) -> sent (to a partner
-- agency, with its reference) or declined (with a reason). The row holds the state now, with a
-- version for If-Match; every change is also a log entry on the contact.
ALTER TABLE referrals ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE referrals ADD COLUMN assigned_to TEXT;
ALTER TABLE referrals ADD COLUMN agency TEXT;
ALTER TABLE referrals ADD COLUMN agency_reference TEXT;
ALTER TABLE referrals ADD COLUMN note TEXT;
ALTER TABLE referrals ADD COLUMN updated_by TEXT;
ALTER TABLE referrals ADD COLUMN updated_at INTEGER;
