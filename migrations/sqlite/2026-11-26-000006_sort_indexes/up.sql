-- Indexes for the time sorts of the two large collections, so that
-- `sort=-created_at` (newest first, the common ask) reads the index
-- backwards and stops at the page's end instead of sorting every match.
-- Confirmed with EXPLAIN QUERY PLAN; tests/api/plans.rs keeps them used.
CREATE INDEX recommendations_created_at ON recommendations (created_at);
CREATE INDEX recommendations_updated_at ON recommendations (updated_at);
CREATE INDEX events_created_at ON events (created_at);
CREATE INDEX events_updated_at ON events (updated_at);
