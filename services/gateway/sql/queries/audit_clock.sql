-- The database's clock in Unix microseconds, read after the chain head is
-- locked so entry times never go backwards along the chain.
SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now_us
