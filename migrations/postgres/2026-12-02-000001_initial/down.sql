-- Everything up.sql made, in reverse order. The unaccent extension stays:
-- something else in this database may use it, and it holds no data.
DROP TRIGGER events_search_sync ON events;
DROP FUNCTION events_search_sync();
DROP TABLE events_search;
DROP TRIGGER recommendations_search_sync ON recommendations;
DROP FUNCTION recommendations_search_sync();
DROP TABLE recommendations_search;
DROP TRIGGER thematic_areas_search_sync ON thematic_areas;
DROP FUNCTION thematic_areas_search_sync();
DROP TABLE thematic_areas_search;
DROP TRIGGER partners_search_sync ON partners;
DROP FUNCTION partners_search_sync();
DROP TABLE partners_search;
DROP FUNCTION search_query(text, text);
DROP FUNCTION search_fold(text);
DROP TABLE write_generation;
DROP TABLE write_probe;
DROP TABLE audit_log;
DROP TABLE api_keys;
DROP TABLE event_thematic_areas;
DROP TABLE event_partners;
DROP TABLE events;
DROP TABLE recommendation_partners;
DROP TABLE recommendation_thematic_areas;
DROP TABLE recommendations;
DROP TABLE thematic_areas;
DROP TABLE partners;
