DROP TABLE thematic_areas;
DROP INDEX partners_single_lead;
DROP TABLE partners;
