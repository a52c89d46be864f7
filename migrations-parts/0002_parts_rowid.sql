-- The catalog's own article_parts has this shape too (migrations/0003): one table definition in every database that
-- holds parts, so the same statements run in each (src/store/d1/parts.ts). An ordinary rowid table, not WITHOUT ROWID
-- as 0001 made it: a row is kilobytes of text, over the 1/20 of a page SQLite's documents name for WITHOUT ROWID, so
-- its key lives in a small index and its text at the end of the row, past the columns the sweep reads (BENCHMARKS.md,
-- "Issue 17"). The index on `written` goes: the sweep walks the key, and the index only cost every write. The table is
-- rebuilt once, so the database needs room for a second copy of it while this runs (docs/capacity.md).
CREATE TABLE article_parts_next (
  slug TEXT NOT NULL,
  version TEXT NOT NULL,               -- new for every write (a UUID)
  part TEXT NOT NULL,                  -- source | record | article | rss | atom | json
  revision INTEGER NOT NULL,           -- the OUTPUT_REVISION the items were written by
  written INTEGER NOT NULL,            -- epoch ms: the sweep leaves rows younger than a publish can take
  text TEXT NOT NULL,
  PRIMARY KEY (slug, version, part)
);
INSERT INTO article_parts_next (slug, version, part, revision, written, text)
  SELECT slug, version, part, revision, written, text FROM article_parts;
DROP TABLE article_parts;
ALTER TABLE article_parts_next RENAME TO article_parts;
