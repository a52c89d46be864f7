-- The settings stored items were rendered with (0005's `shaping` columns), found newest first: the scheduled run
-- publishes again the articles stored under other settings, a bounded number a run, and the newest first, since they
-- are what feeds show (src/core/publish/shaping.ts). 0005's index on (shaping, slug) could only give them in slug
-- order; this one gives each stored value's articles by publication time, one index range (src/store/d1/articles.ts,
-- STALE_SQL). Nothing read the old index.
DROP INDEX articles_by_shaping;
CREATE INDEX articles_by_shaping ON articles (shaping, published, slug);
