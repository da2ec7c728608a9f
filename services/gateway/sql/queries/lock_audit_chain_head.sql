-- The end of the chain, locked until the appending transaction ends, and the
-- database's clock in Unix microseconds read once it is locked, so entry
-- times never go backwards along the chain.
SELECT last_sequence, last_hash, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now_us
FROM audit_chain_head FOR UPDATE
