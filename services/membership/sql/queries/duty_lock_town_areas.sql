-- $1 town code. Held while a town's list of duty areas is replaced: no
-- member's duties of the town are set meanwhile (they take the shared lock).
SELECT pg_advisory_xact_lock(hashtextextended('gridserve.membership.duty_areas/' || $1, 0))
