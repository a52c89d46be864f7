-- Lists whose writes never grow with the archive, and articles' parts in the same row shape in every database.
-- Both tables are rebuilt once (SQLite cannot change a primary key in place): the database needs room for a second
-- copy of its article_parts while this runs (docs/capacity.md).

-- Parts: the row shape of a parts database (migrations-parts/), so the catalog's own table is one more shard read and
-- written by the same statements (src/store/d1/parts.ts): every version under its own key, written before the
-- catalog names it (or in the catalog's own transaction when it is this database), deleted once it names another.
-- The articles whose parts are here keep the version their row names ('' for those written before versions).
-- An ordinary rowid table, not WITHOUT ROWID: a row is kilobytes of text, over the 1/20 of a page SQLite's documents
-- name for WITHOUT ROWID, so its key lives in a small index and its text at the end of the row, past the columns the
-- sweep reads (BENCHMARKS.md, "Issue 17": writes and reads of parts both cheaper this way).
CREATE TABLE article_parts_next (
  slug TEXT NOT NULL,
  version TEXT NOT NULL,
  part TEXT NOT NULL,                  -- source | record | article | rss | atom | json
  revision INTEGER NOT NULL,           -- the OUTPUT_REVISION the items were written by
  written INTEGER NOT NULL,            -- epoch ms (0: before this migration); the sweep leaves young versions alone
  text TEXT NOT NULL,
  PRIMARY KEY (slug, version, part)
);
INSERT INTO article_parts_next (slug, version, part, revision, written, text)
  SELECT p.slug, a.version, p.part, p.revision, 0, p.text FROM article_parts p JOIN articles a ON a.slug = p.slug AND a.shard = 0;
DROP TABLE article_parts;
ALTER TABLE article_parts_next RENAME TO article_parts;

-- Lists (src/core/publish/lists.ts): each position is taken once and for good. An article enters a list at its
-- publication time when that sorts after every article already out in it, else at the instant it is stored, so the
-- articles out at any instant are the first positions, and an insertion moves only articles not yet out. An article
-- that leaves after it was out leaves a tombstone (`removed`), counted per list in `lists`. Every existing position
-- was ordered by publication time: each is listed at its publication time.
CREATE TABLE memberships_next (
  scope TEXT NOT NULL,                 -- home | sections/{slug} | tags/{slug} | authors/{key}
  position INTEGER NOT NULL,           -- 0 for the first article listed; ordered by (listed, slug descending)
  slug TEXT NOT NULL,
  published INTEGER NOT NULL,
  listed INTEGER NOT NULL,             -- epoch ms: in the list from this instant
  name TEXT NOT NULL,                  -- the facet's name as this article spells it (the newest article's names the facet)
  removed INTEGER NOT NULL DEFAULT 0,  -- 1: the article left; the position stays taken
  PRIMARY KEY (scope, position)
) WITHOUT ROWID;
INSERT INTO memberships_next (scope, position, slug, published, listed, name, removed)
  SELECT scope, position, slug, published, published, name, 0 FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_next RENAME TO memberships;
-- The positions out at an instant (the count, and where an article enters), and the next release.
CREATE INDEX memberships_by_listed ON memberships (scope, listed, position);
-- A list's newest articles by publication time, ties by slug (the feeds' order), live entries only.
CREATE INDEX memberships_live ON memberships (scope, published DESC, slug) WHERE removed = 0;
-- An article's lists: one live entry per list.
CREATE UNIQUE INDEX memberships_of_article ON memberships (slug, scope) WHERE removed = 0;

-- Positions removed from each list after their article was out.
CREATE TABLE lists (
  scope TEXT PRIMARY KEY,
  removed INTEGER NOT NULL
) WITHOUT ROWID;

-- Within one write (cleared at its start and end): the list entries its changes make leave or enter (placed together,
-- src/store/d1/lists.ts), and the conditions a change failed (src/store/d1/guard.ts), which keep every statement of the
-- write from making that change.
CREATE TABLE list_changes (
  key TEXT NOT NULL,                   -- the change (its file)
  scope TEXT NOT NULL,
  action TEXT NOT NULL,                -- tombstone | drop | enter
  position INTEGER,
  listed INTEGER,
  slug TEXT,
  published INTEGER,
  name TEXT
);
CREATE TABLE write_guard (
  key TEXT NOT NULL,                   -- the change (its file or path)
  field TEXT NOT NULL,                 -- stale | slug | id | retired | image | in-use
  holder TEXT NOT NULL
);
