-- Where a request was read from, so a redelivery of the same record (after a crash or a rebalance)
-- can be told from a client sending the same requestId again.
ALTER TABLE action_execution ADD COLUMN source_partition INTEGER;
ALTER TABLE action_execution ADD COLUMN source_offset BIGINT;
