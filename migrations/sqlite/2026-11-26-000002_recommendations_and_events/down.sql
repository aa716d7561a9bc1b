DROP TABLE event_thematic_areas;
DROP TABLE event_partners;
DROP TABLE events;
DROP TABLE recommendation_partners;
DROP TABLE recommendation_thematic_areas;
DROP TABLE recommendations;
