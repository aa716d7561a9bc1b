DROP TABLE partners_fts;
CREATE VIRTUAL TABLE partners_fts USING fts5(name, city, region, description, content='partners', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
INSERT INTO partners_fts(partners_fts) VALUES ('rebuild');

DROP TABLE thematic_areas_fts;
CREATE VIRTUAL TABLE thematic_areas_fts USING fts5(name, description, content='thematic_areas', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
INSERT INTO thematic_areas_fts(thematic_areas_fts) VALUES ('rebuild');

DROP TABLE recommendations_fts;
CREATE VIRTUAL TABLE recommendations_fts USING fts5(title, body, content='recommendations', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
INSERT INTO recommendations_fts(recommendations_fts) VALUES ('rebuild');

DROP TABLE events_fts;
CREATE VIRTUAL TABLE events_fts USING fts5(title, city, description, content='events', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
INSERT INTO events_fts(events_fts) VALUES ('rebuild');
