DROP INDEX events_updated_at;
DROP INDEX events_created_at;
DROP INDEX recommendations_updated_at;
DROP INDEX recommendations_created_at;
