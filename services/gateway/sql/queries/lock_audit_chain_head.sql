-- The end of the chain, locked until the appending transaction ends.
SELECT last_sequence, last_hash FROM audit_chain_head FOR UPDATE
