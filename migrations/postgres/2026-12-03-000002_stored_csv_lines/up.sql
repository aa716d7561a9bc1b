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
-- thematic area by its slug when the slug changes; all of an owner's
-- when a link table is truncated. By hand, begin with the API's first
-- statement, UPDATE write_generation SET n = n + 1: it runs writes one at
-- a time, so a line stored meanwhile is not one read before the change.
CREATE FUNCTION partners_csv_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM partners_csv WHERE id = OLD.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER partners_csv_changed AFTER UPDATE ON partners
    FOR EACH ROW EXECUTE FUNCTION partners_csv_changed();
CREATE FUNCTION thematic_areas_csv_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM thematic_areas_csv WHERE id = OLD.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER thematic_areas_csv_changed AFTER UPDATE ON thematic_areas
    FOR EACH ROW EXECUTE FUNCTION thematic_areas_csv_changed();
CREATE FUNCTION recommendations_csv_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM recommendations_csv WHERE id = OLD.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER recommendations_csv_changed AFTER UPDATE ON recommendations
    FOR EACH ROW EXECUTE FUNCTION recommendations_csv_changed();
CREATE FUNCTION events_csv_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM events_csv WHERE id = OLD.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_csv_changed AFTER UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_csv_changed();
CREATE FUNCTION event_partners_csv_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM events_csv WHERE id = OLD.event_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        DELETE FROM events_csv WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER event_partners_csv_changed AFTER INSERT OR UPDATE OR DELETE ON event_partners
    FOR EACH ROW EXECUTE FUNCTION event_partners_csv_changed();
CREATE FUNCTION event_thematic_areas_csv_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM events_csv WHERE id = OLD.event_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        DELETE FROM events_csv WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER event_thematic_areas_csv_changed AFTER INSERT OR UPDATE OR DELETE ON event_thematic_areas
    FOR EACH ROW EXECUTE FUNCTION event_thematic_areas_csv_changed();
CREATE FUNCTION recommendation_partners_csv_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM recommendations_csv WHERE id = OLD.recommendation_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        DELETE FROM recommendations_csv WHERE id = NEW.recommendation_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER recommendation_partners_csv_changed AFTER INSERT OR UPDATE OR DELETE ON recommendation_partners
    FOR EACH ROW EXECUTE FUNCTION recommendation_partners_csv_changed();
CREATE FUNCTION recommendation_thematic_areas_csv_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM recommendations_csv WHERE id = OLD.recommendation_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        DELETE FROM recommendations_csv WHERE id = NEW.recommendation_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER recommendation_thematic_areas_csv_changed AFTER INSERT OR UPDATE OR DELETE ON recommendation_thematic_areas
    FOR EACH ROW EXECUTE FUNCTION recommendation_thematic_areas_csv_changed();
CREATE FUNCTION events_csv_all_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM events_csv;
    RETURN NULL;
END
$$;
CREATE FUNCTION recommendations_csv_all_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM recommendations_csv;
    RETURN NULL;
END
$$;
CREATE TRIGGER event_partners_csv_truncated AFTER TRUNCATE ON event_partners
    FOR EACH STATEMENT EXECUTE FUNCTION events_csv_all_changed();
CREATE TRIGGER event_thematic_areas_csv_truncated AFTER TRUNCATE ON event_thematic_areas
    FOR EACH STATEMENT EXECUTE FUNCTION events_csv_all_changed();
CREATE TRIGGER recommendation_partners_csv_truncated AFTER TRUNCATE ON recommendation_partners
    FOR EACH STATEMENT EXECUTE FUNCTION recommendations_csv_all_changed();
CREATE TRIGGER recommendation_thematic_areas_csv_truncated AFTER TRUNCATE ON recommendation_thematic_areas
    FOR EACH STATEMENT EXECUTE FUNCTION recommendations_csv_all_changed();
CREATE FUNCTION partners_csv_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM events_csv WHERE id IN (SELECT id FROM events WHERE host_partner_id = NEW.id);
    DELETE FROM events_csv WHERE id IN (SELECT event_id FROM event_partners WHERE partner_id = NEW.id);
    DELETE FROM recommendations_csv WHERE id IN (SELECT recommendation_id FROM recommendation_partners WHERE partner_id = NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER partners_csv_renamed AFTER UPDATE OF slug ON partners
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug) EXECUTE FUNCTION partners_csv_renamed();
CREATE FUNCTION thematic_areas_csv_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM events_csv WHERE id IN (SELECT event_id FROM event_thematic_areas WHERE thematic_area_id = NEW.id);
    DELETE FROM recommendations_csv WHERE id IN (SELECT recommendation_id FROM recommendation_thematic_areas WHERE thematic_area_id = NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER thematic_areas_csv_renamed AFTER UPDATE OF slug ON thematic_areas
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug) EXECUTE FUNCTION thematic_areas_csv_renamed();
