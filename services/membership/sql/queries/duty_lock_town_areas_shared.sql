-- $1 town code. Held while a member's duties are checked against the town's
-- duty areas and written, so the list cannot change in between.
SELECT pg_advisory_xact_lock_shared(hashtextextended('gridserve.membership.duty_areas/' || $1, 0))
