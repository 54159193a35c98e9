-- Finds the rows past apex.actions.retention (ExecutionRetention) without reading the whole table.
-- Not on updated_at: each final write changes that column, and an index on it would keep those writes
-- from being heap-only (HOT) updates.
CREATE INDEX IF NOT EXISTS action_execution_created_idx ON action_execution (created_at);
