-- Each record's CSV line as the export writes it, stored beside the record
-- and rewritten in the write's own transaction, so that a download copies
-- lines instead of putting every record together again (src/lines).
-- A line is current while its `generation` is csv_generation's (moved
-- when a slug that other records' lines name changes) and its `format` is
-- the running code's fingerprint of that CSV (its columns and revision).
-- Lines that are not current are never sent: the record is read anew.
CREATE TABLE csv_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO csv_generation (id, n) VALUES (1, 0);

-- Counted by generation and format to tell, at a start, whether any
-- record lacks a current line.
CREATE TABLE partners_csv (
    id INTEGER PRIMARY KEY REFERENCES partners (id) ON DELETE CASCADE,
    line TEXT NOT NULL,
    generation BIGINT NOT NULL,
    format BIGINT NOT NULL
);
CREATE INDEX partners_csv_current ON partners_csv (generation, format);
CREATE TABLE thematic_areas_csv (
    id INTEGER PRIMARY KEY REFERENCES thematic_areas (id) ON DELETE CASCADE,
    line TEXT NOT NULL,
    generation BIGINT NOT NULL,
    format BIGINT NOT NULL
);
CREATE INDEX thematic_areas_csv_current ON thematic_areas_csv (generation, format);
CREATE TABLE recommendations_csv (
    id INTEGER PRIMARY KEY REFERENCES recommendations (id) ON DELETE CASCADE,
    line TEXT NOT NULL,
    generation BIGINT NOT NULL,
    format BIGINT NOT NULL
);
CREATE INDEX recommendations_csv_current ON recommendations_csv (generation, format);
CREATE TABLE events_csv (
    id INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    line TEXT NOT NULL,
    generation BIGINT NOT NULL,
    format BIGINT NOT NULL
);
CREATE INDEX events_csv_current ON events_csv (generation, format);

-- The database itself drops what a change makes untrue, whatever makes it
-- (the API, a command, or SQL run by hand): a record changed, or a link of
-- it made or removed, loses its line (the API stores it anew in the same
-- write); a partner's or thematic area's slug changed, which other lines
-- name, moves the generation, so that no stored line is current.
CREATE TRIGGER partners_csv_changed AFTER UPDATE ON partners BEGIN
    DELETE FROM partners_csv WHERE id = old.id;
END;
CREATE TRIGGER thematic_areas_csv_changed AFTER UPDATE ON thematic_areas BEGIN
    DELETE FROM thematic_areas_csv WHERE id = old.id;
END;
CREATE TRIGGER recommendations_csv_changed AFTER UPDATE ON recommendations BEGIN
    DELETE FROM recommendations_csv WHERE id = old.id;
END;
CREATE TRIGGER events_csv_changed AFTER UPDATE ON events BEGIN
    DELETE FROM events_csv WHERE id = old.id;
END;
CREATE TRIGGER event_partners_csv_insert AFTER INSERT ON event_partners BEGIN
    DELETE FROM events_csv WHERE id = new.event_id;
END;
CREATE TRIGGER event_partners_csv_delete AFTER DELETE ON event_partners BEGIN
    DELETE FROM events_csv WHERE id = old.event_id;
END;
CREATE TRIGGER event_partners_csv_update AFTER UPDATE ON event_partners BEGIN
    DELETE FROM events_csv WHERE id IN (old.event_id, new.event_id);
END;
CREATE TRIGGER event_thematic_areas_csv_insert AFTER INSERT ON event_thematic_areas BEGIN
    DELETE FROM events_csv WHERE id = new.event_id;
END;
CREATE TRIGGER event_thematic_areas_csv_delete AFTER DELETE ON event_thematic_areas BEGIN
    DELETE FROM events_csv WHERE id = old.event_id;
END;
CREATE TRIGGER event_thematic_areas_csv_update AFTER UPDATE ON event_thematic_areas BEGIN
    DELETE FROM events_csv WHERE id IN (old.event_id, new.event_id);
END;
CREATE TRIGGER recommendation_partners_csv_insert AFTER INSERT ON recommendation_partners BEGIN
    DELETE FROM recommendations_csv WHERE id = new.recommendation_id;
END;
CREATE TRIGGER recommendation_partners_csv_delete AFTER DELETE ON recommendation_partners BEGIN
    DELETE FROM recommendations_csv WHERE id = old.recommendation_id;
END;
CREATE TRIGGER recommendation_partners_csv_update AFTER UPDATE ON recommendation_partners BEGIN
    DELETE FROM recommendations_csv WHERE id IN (old.recommendation_id, new.recommendation_id);
END;
CREATE TRIGGER recommendation_thematic_areas_csv_insert AFTER INSERT ON recommendation_thematic_areas BEGIN
    DELETE FROM recommendations_csv WHERE id = new.recommendation_id;
END;
CREATE TRIGGER recommendation_thematic_areas_csv_delete AFTER DELETE ON recommendation_thematic_areas BEGIN
    DELETE FROM recommendations_csv WHERE id = old.recommendation_id;
END;
CREATE TRIGGER recommendation_thematic_areas_csv_update AFTER UPDATE ON recommendation_thematic_areas BEGIN
    DELETE FROM recommendations_csv WHERE id IN (old.recommendation_id, new.recommendation_id);
END;
CREATE TRIGGER partners_csv_renamed AFTER UPDATE OF slug ON partners WHEN new.slug IS NOT old.slug BEGIN
    UPDATE csv_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER thematic_areas_csv_renamed AFTER UPDATE OF slug ON thematic_areas WHEN new.slug IS NOT old.slug BEGIN
    UPDATE csv_generation SET n = n + 1 WHERE id = 1;
END;
