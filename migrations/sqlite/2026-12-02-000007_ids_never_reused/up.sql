-- Ids are never reused (the contract): a deleted record's id must never
-- name a new record, or its history, links and bookmarks would land on the
-- wrong one. SQLite reuses the highest id after a delete unless a table is
-- AUTOINCREMENT, which only CREATE TABLE can say: each table is rebuilt
-- with every row and id kept (SQLite's documented twelve-step procedure),
-- with its indexes and search triggers (DROP TABLE takes them along; the
-- search indexes themselves are keyed by id and stay as they are). Each
-- table's sequence starts past its highest id and past every id its audit
-- trail has seen, so an id deleted before this migration is not reused
-- either. Foreign keys are off during the rebuild and checked before the
-- commit.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

-- partners
CREATE TABLE partners_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    slug TEXT NOT NULL UNIQUE
        CHECK (length(slug) BETWEEN 1 AND 100 AND slug NOT GLOB '*[^a-z0-9-]*' AND slug GLOB '*[a-z]*'),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    city TEXT NOT NULL CHECK (length(trim(city)) > 0),
    country_code TEXT NOT NULL CHECK (country_code GLOB '[A-Z][A-Z]'),
    role TEXT NOT NULL DEFAULT 'partner' CHECK (role IN ('lead_partner', 'partner')),
    region TEXT,
    population BIGINT CHECK (population > 0),
    latitude DOUBLE CHECK (latitude BETWEEN -90 AND 90),
    longitude DOUBLE CHECK (longitude BETWEEN -180 AND 180),
    website TEXT,
    description TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
INSERT INTO partners_rebuilt SELECT * FROM partners;
DROP TABLE partners;
ALTER TABLE partners_rebuilt RENAME TO partners;
CREATE UNIQUE INDEX partners_single_lead ON partners (role) WHERE role = 'lead_partner';
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
DELETE FROM sqlite_sequence WHERE name = 'partners';
INSERT INTO sqlite_sequence (name, seq) VALUES ('partners', max(
    coalesce((SELECT max(id) FROM partners), 0),
    coalesce((SELECT max(record_id) FROM audit_log WHERE collection = 'partners'), 0)));

-- thematic_areas
CREATE TABLE thematic_areas_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    slug TEXT NOT NULL UNIQUE
        CHECK (length(slug) BETWEEN 1 AND 100 AND slug NOT GLOB '*[^a-z0-9-]*' AND slug GLOB '*[a-z]*'),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description TEXT,
    position INTEGER CHECK (position >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO thematic_areas_rebuilt SELECT * FROM thematic_areas;
DROP TABLE thematic_areas;
ALTER TABLE thematic_areas_rebuilt RENAME TO thematic_areas;
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
DELETE FROM sqlite_sequence WHERE name = 'thematic_areas';
INSERT INTO sqlite_sequence (name, seq) VALUES ('thematic_areas', max(
    coalesce((SELECT max(id) FROM thematic_areas), 0),
    coalesce((SELECT max(record_id) FROM audit_log WHERE collection = 'thematic_areas'), 0)));

-- recommendations
CREATE TABLE recommendations_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    slug TEXT NOT NULL UNIQUE
        CHECK (length(slug) BETWEEN 1 AND 100 AND slug NOT GLOB '*[^a-z0-9-]*' AND slug GLOB '*[a-z]*'),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    body TEXT NOT NULL CHECK (length(trim(body)) > 0),
    target_level TEXT NOT NULL CHECK (target_level IN ('local', 'regional', 'national', 'european')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO recommendations_rebuilt SELECT * FROM recommendations;
DROP TABLE recommendations;
ALTER TABLE recommendations_rebuilt RENAME TO recommendations;
CREATE INDEX recommendations_target_level ON recommendations (target_level);
CREATE INDEX recommendations_status ON recommendations (status);
CREATE INDEX recommendations_created_at ON recommendations (created_at);
CREATE INDEX recommendations_updated_at ON recommendations (updated_at);
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
DELETE FROM sqlite_sequence WHERE name = 'recommendations';
INSERT INTO sqlite_sequence (name, seq) VALUES ('recommendations', max(
    coalesce((SELECT max(id) FROM recommendations), 0),
    coalesce((SELECT max(record_id) FROM audit_log WHERE collection = 'recommendations'), 0)));

-- events
CREATE TABLE events_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    slug TEXT NOT NULL UNIQUE
        CHECK (length(slug) BETWEEN 1 AND 100 AND slug NOT GLOB '*[^a-z0-9-]*' AND slug GLOB '*[a-z]*'),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    kind TEXT NOT NULL CHECK (kind IN ('launch', 'transnational_meeting', 'seminar', 'workshop',
                                       'study_visit', 'completion', 'other')),
    starts_on DATE NOT NULL,
    ends_on DATE CHECK (ends_on IS NULL OR ends_on >= starts_on),
    city TEXT CHECK (city IS NULL OR length(trim(city)) > 0),
    country_code TEXT CHECK (country_code IS NULL OR country_code GLOB '[A-Z][A-Z]'),
    host_partner_id INTEGER REFERENCES partners (id) ON DELETE RESTRICT,
    description TEXT,
    url TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO events_rebuilt SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_kind ON events (kind);
CREATE INDEX events_starts_on ON events (starts_on);
CREATE INDEX events_country_code ON events (country_code);
CREATE INDEX events_host_partner ON events (host_partner_id);
CREATE INDEX events_created_at ON events (created_at);
CREATE INDEX events_updated_at ON events (updated_at);
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
DELETE FROM sqlite_sequence WHERE name = 'events';
INSERT INTO sqlite_sequence (name, seq) VALUES ('events', max(
    coalesce((SELECT max(id) FROM events), 0),
    coalesce((SELECT max(record_id) FROM audit_log WHERE collection = 'events'), 0)));

-- Any dangling reference fails the migration here, before the commit.
CREATE TEMP TABLE ids_never_reused_check (n INTEGER CHECK (n = 0));
INSERT INTO ids_never_reused_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE ids_never_reused_check;
COMMIT;
PRAGMA foreign_keys = ON;
