-- Full-text search (FTS5) over names, titles, bodies and descriptions.
-- unicode61 with remove_diacritics 2 folds case and accents, so that
-- 'krakow' finds 'Kraków'. The indexes are external-content tables kept
-- in step by triggers, so every write path updates them in its own
-- transaction.

CREATE VIRTUAL TABLE partners_fts USING fts5(name, city, region, description, content='partners', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER partners_fts_insert AFTER INSERT ON partners BEGIN
    INSERT INTO partners_fts(rowid, name, city, region, description) VALUES (new.id, new.name, new.city, new.region, new.description);
END;
CREATE TRIGGER partners_fts_delete AFTER DELETE ON partners BEGIN
    INSERT INTO partners_fts(partners_fts, rowid, name, city, region, description) VALUES ('delete', old.id, old.name, old.city, old.region, old.description);
END;
CREATE TRIGGER partners_fts_update AFTER UPDATE ON partners BEGIN
    INSERT INTO partners_fts(partners_fts, rowid, name, city, region, description) VALUES ('delete', old.id, old.name, old.city, old.region, old.description);
    INSERT INTO partners_fts(rowid, name, city, region, description) VALUES (new.id, new.name, new.city, new.region, new.description);
END;
INSERT INTO partners_fts(partners_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE thematic_areas_fts USING fts5(name, description, content='thematic_areas', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER thematic_areas_fts_insert AFTER INSERT ON thematic_areas BEGIN
    INSERT INTO thematic_areas_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
END;
CREATE TRIGGER thematic_areas_fts_delete AFTER DELETE ON thematic_areas BEGIN
    INSERT INTO thematic_areas_fts(thematic_areas_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
END;
CREATE TRIGGER thematic_areas_fts_update AFTER UPDATE ON thematic_areas BEGIN
    INSERT INTO thematic_areas_fts(thematic_areas_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
    INSERT INTO thematic_areas_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
END;
INSERT INTO thematic_areas_fts(thematic_areas_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE recommendations_fts USING fts5(title, body, content='recommendations', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER recommendations_fts_insert AFTER INSERT ON recommendations BEGIN
    INSERT INTO recommendations_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER recommendations_fts_delete AFTER DELETE ON recommendations BEGIN
    INSERT INTO recommendations_fts(recommendations_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER recommendations_fts_update AFTER UPDATE ON recommendations BEGIN
    INSERT INTO recommendations_fts(recommendations_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO recommendations_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
INSERT INTO recommendations_fts(recommendations_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE events_fts USING fts5(title, city, description, content='events', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, title, city, description) VALUES (new.id, new.title, new.city, new.description);
END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, title, city, description) VALUES ('delete', old.id, old.title, old.city, old.description);
END;
CREATE TRIGGER events_fts_update AFTER UPDATE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, title, city, description) VALUES ('delete', old.id, old.title, old.city, old.description);
    INSERT INTO events_fts(rowid, title, city, description) VALUES (new.id, new.title, new.city, new.description);
END;
INSERT INTO events_fts(events_fts) VALUES ('rebuild');
