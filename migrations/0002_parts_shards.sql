-- Where an article's parts are kept (src/sources/d1-shards.ts): shard 0 is this database's `article_parts`; shard n ≥ 1
-- is the database bound as PARTS_n, its rows under `version`. Both columns are added in place (SQLite rewrites no row),
-- so an existing catalog keeps every article in shard 0 and needs no re-import.
ALTER TABLE articles ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN version TEXT NOT NULL DEFAULT '';
-- The articles whose parts a shard holds, for moving them out of it (`POST /api/parts/move`) a bounded step at a time.
CREATE INDEX articles_by_shard ON articles (shard, slug);
