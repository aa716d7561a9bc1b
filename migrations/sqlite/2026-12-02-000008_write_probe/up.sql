-- Where /ready checks that the database takes writes again after a full
-- disk or a read-only file: a row that needs fresh pages is written and
-- deleted in one committed transaction. Always empty between probes.
CREATE TABLE write_probe (filler BLOB NOT NULL);
