-- $1 sequence and $2 hash of the last entry just appended
UPDATE audit_chain_head SET last_sequence = $1, last_hash = $2
