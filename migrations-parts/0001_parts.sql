-- A parts database (bound as PARTS_1, PARTS_2, …; src/sources/d1-shards.ts): the big parts of the articles the catalog
-- places here, one row per part, under the version the catalog names. A version is written whole before the catalog
-- names it, and deleted once the catalog names another, so a reader following the catalog never sees half of one.
CREATE TABLE article_parts (
  slug TEXT NOT NULL,
  version TEXT NOT NULL,               -- new for every write (a UUID)
  part TEXT NOT NULL,                  -- source | record | article | rss | atom | json
  revision INTEGER NOT NULL,           -- the OUTPUT_REVISION the items were written by
  text TEXT NOT NULL,
  written INTEGER NOT NULL,            -- epoch ms: the sweep leaves rows younger than a publish can take
  PRIMARY KEY (slug, version, part)
) WITHOUT ROWID;
CREATE INDEX article_parts_by_written ON article_parts (written);
