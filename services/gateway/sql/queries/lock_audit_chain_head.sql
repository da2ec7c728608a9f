-- The end of the chain, locked until the appending transaction ends, with
-- the time of its last entry (0 before the first).
SELECT h.last_sequence, h.last_hash,
       COALESCE((SELECT (extract(epoch FROM e.time) * 1000000)::bigint FROM audit_entries e
                 WHERE e.sequence = h.last_sequence), 0) AS last_time_us
FROM audit_chain_head h FOR UPDATE OF h
