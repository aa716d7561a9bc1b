-- Going back keeps the AUTOINCREMENT tables: they read and write exactly as
-- the plain ones did, and rebuilding them again would only make ids
-- reusable, which is the bug the up migration fixed.
SELECT 1;
