-- Partners: the city-regions of a network. Column rules mirror the HTTP
-- contract so that even a bug in the service cannot store what the API
-- would reject.
CREATE TABLE partners (
    id INTEGER PRIMARY KEY NOT NULL,
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

-- At most one lead partner: a partial unique index enforces it in the
-- database, whatever the service checks first.
CREATE UNIQUE INDEX partners_single_lead ON partners (role) WHERE role = 'lead_partner';

CREATE TABLE thematic_areas (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE
        CHECK (length(slug) BETWEEN 1 AND 100 AND slug NOT GLOB '*[^a-z0-9-]*' AND slug GLOB '*[a-z]*'),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description TEXT,
    position INTEGER CHECK (position >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
