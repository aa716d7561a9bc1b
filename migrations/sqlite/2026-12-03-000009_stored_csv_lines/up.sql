-- Each record's CSV line as the export writes it, stored beside the record
-- and written in the record's own write transaction, so that a download
-- copies lines instead of putting every record together again
-- (src/lines). A line is current while its `format` is the running code's
-- fingerprint of that CSV (its columns and revision); a record without a
-- current line is read anew. Counted by format to tell, at a start,
-- whether any record lacks one.
CREATE TABLE partners_csv (
    id INTEGER PRIMARY KEY REFERENCES partners (id) ON DELETE CASCADE,
    line TEXT NOT NULL,
    format BIGINT NOT NULL
);
CREATE INDEX partners_csv_format ON partners_csv (format);
CREATE TABLE thematic_areas_csv (
    id INTEGER PRIMARY KEY REFERENCES thematic_areas (id) ON DELETE CASCADE,
    line TEXT NOT NULL,
    format BIGINT NOT NULL
);
CREATE INDEX thematic_areas_csv_format ON thematic_areas_csv (format);
CREATE TABLE recommendations_csv (
    id INTEGER PRIMARY KEY REFERENCES recommendations (id) ON DELETE CASCADE,
    line TEXT NOT NULL,
    format BIGINT NOT NULL
);
CREATE INDEX recommendations_csv_format ON recommendations_csv (format);
CREATE TABLE events_csv (
    id INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    line TEXT NOT NULL,
    format BIGINT NOT NULL
);
CREATE INDEX events_csv_format ON events_csv (format);

-- The database itself deletes the lines a change makes untrue, in that
-- change's transaction: a record's when it or a link of it changes (the API
-- stores it anew in the same write), and those that name a partner or a
-- thematic area by its slug when the slug changes. Also when a record
-- goes with foreign keys off (the sqlite3 shell's default), which cascade
-- no delete.
CREATE TRIGGER partners_csv_changed AFTER UPDATE ON partners BEGIN
    DELETE FROM partners_csv WHERE id = old.id;
END;
CREATE TRIGGER partners_csv_deleted AFTER DELETE ON partners BEGIN
    DELETE FROM partners_csv WHERE id = old.id;
END;
CREATE TRIGGER thematic_areas_csv_changed AFTER UPDATE ON thematic_areas BEGIN
    DELETE FROM thematic_areas_csv WHERE id = old.id;
END;
CREATE TRIGGER thematic_areas_csv_deleted AFTER DELETE ON thematic_areas BEGIN
    DELETE FROM thematic_areas_csv WHERE id = old.id;
END;
CREATE TRIGGER recommendations_csv_changed AFTER UPDATE ON recommendations BEGIN
    DELETE FROM recommendations_csv WHERE id = old.id;
END;
CREATE TRIGGER recommendations_csv_deleted AFTER DELETE ON recommendations BEGIN
    DELETE FROM recommendations_csv WHERE id = old.id;
END;
CREATE TRIGGER events_csv_changed AFTER UPDATE ON events BEGIN
    DELETE FROM events_csv WHERE id = old.id;
END;
CREATE TRIGGER events_csv_deleted AFTER DELETE ON events BEGIN
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
    DELETE FROM events_csv WHERE id IN (SELECT id FROM events WHERE host_partner_id = new.id);
    DELETE FROM events_csv WHERE id IN (SELECT event_id FROM event_partners WHERE partner_id = new.id);
    DELETE FROM recommendations_csv WHERE id IN (SELECT recommendation_id FROM recommendation_partners WHERE partner_id = new.id);
END;
CREATE TRIGGER thematic_areas_csv_renamed AFTER UPDATE OF slug ON thematic_areas WHEN new.slug IS NOT old.slug BEGIN
    DELETE FROM events_csv WHERE id IN (SELECT event_id FROM event_thematic_areas WHERE thematic_area_id = new.id);
    DELETE FROM recommendations_csv WHERE id IN (SELECT recommendation_id FROM recommendation_thematic_areas WHERE thematic_area_id = new.id);
END;
