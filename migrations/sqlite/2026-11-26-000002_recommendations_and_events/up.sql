-- Recommendations and events, and the link tables that tie them to partners
-- and thematic areas. Every foreign key is ON DELETE RESTRICT: nothing
-- cascades silently. The service deletes a recommendation's or an event's
-- own links itself, in the same transaction as the row.

CREATE TABLE recommendations (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE
        CHECK (length(slug) BETWEEN 1 AND 100 AND slug NOT GLOB '*[^a-z0-9-]*' AND slug GLOB '*[a-z]*'),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    body TEXT NOT NULL CHECK (length(trim(body)) > 0),
    target_level TEXT NOT NULL CHECK (target_level IN ('local', 'regional', 'national', 'european')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX recommendations_target_level ON recommendations (target_level);
CREATE INDEX recommendations_status ON recommendations (status);

CREATE TABLE recommendation_thematic_areas (
    recommendation_id INTEGER NOT NULL REFERENCES recommendations (id) ON DELETE RESTRICT,
    thematic_area_id INTEGER NOT NULL REFERENCES thematic_areas (id) ON DELETE RESTRICT,
    PRIMARY KEY (recommendation_id, thematic_area_id)
) WITHOUT ROWID;
CREATE INDEX recommendation_thematic_areas_thematic_area
    ON recommendation_thematic_areas (thematic_area_id, recommendation_id);

CREATE TABLE recommendation_partners (
    recommendation_id INTEGER NOT NULL REFERENCES recommendations (id) ON DELETE RESTRICT,
    partner_id INTEGER NOT NULL REFERENCES partners (id) ON DELETE RESTRICT,
    PRIMARY KEY (recommendation_id, partner_id)
) WITHOUT ROWID;
CREATE INDEX recommendation_partners_partner ON recommendation_partners (partner_id, recommendation_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE
        CHECK (length(slug) BETWEEN 1 AND 100 AND slug NOT GLOB '*[^a-z0-9-]*' AND slug GLOB '*[a-z]*'),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    kind TEXT NOT NULL CHECK (kind IN ('launch', 'transnational_meeting', 'seminar', 'workshop',
                                       'study_visit', 'completion', 'other')),
    starts_on DATE NOT NULL,
    ends_on DATE CHECK (ends_on IS NULL OR ends_on >= starts_on),
    -- Where the sources do not say where an event took place, these stay empty.
    city TEXT CHECK (city IS NULL OR length(trim(city)) > 0),
    country_code TEXT CHECK (country_code IS NULL OR country_code GLOB '[A-Z][A-Z]'),
    host_partner_id INTEGER REFERENCES partners (id) ON DELETE RESTRICT,
    description TEXT,
    url TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX events_kind ON events (kind);
CREATE INDEX events_starts_on ON events (starts_on);
CREATE INDEX events_country_code ON events (country_code);
CREATE INDEX events_host_partner ON events (host_partner_id);

CREATE TABLE event_partners (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE RESTRICT,
    partner_id INTEGER NOT NULL REFERENCES partners (id) ON DELETE RESTRICT,
    PRIMARY KEY (event_id, partner_id)
) WITHOUT ROWID;
CREATE INDEX event_partners_partner ON event_partners (partner_id, event_id);

CREATE TABLE event_thematic_areas (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE RESTRICT,
    thematic_area_id INTEGER NOT NULL REFERENCES thematic_areas (id) ON DELETE RESTRICT,
    PRIMARY KEY (event_id, thematic_area_id)
) WITHOUT ROWID;
CREATE INDEX event_thematic_areas_thematic_area ON event_thematic_areas (thematic_area_id, event_id);
