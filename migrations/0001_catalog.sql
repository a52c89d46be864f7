-- The catalog in D1: one row per article with its publication facts, every list (the site's, each section's, tag's
-- and author's) as positions counted from the oldest article, facets, images, registries and WebSub state.
-- Times are epoch milliseconds. Reads are indexed lookups; see src/sources/d1-catalog.ts for the queries.

-- A publishable article (drafts live in `drafts`). `slug` is its URL and its key; `id` its permanent identifier.
CREATE TABLE articles (
  slug TEXT PRIMARY KEY,
  file TEXT NOT NULL UNIQUE,           -- path under the content root, e.g. 2025/05/baku-visit.md
  id TEXT NOT NULL UNIQUE,             -- guid / Atom id / JSON Feed id
  published INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,           -- hash of the whole record: changes with anything that shapes output
  source_hash TEXT NOT NULL,           -- hash of the markdown file as published (what `npm run publish` compares)
  warnings TEXT NOT NULL DEFAULT '[]'  -- what `npm run check` says about the file (JSON), for the preview
) WITHOUT ROWID;
CREATE INDEX articles_by_published ON articles (published);

-- The big parts of an article, one row each (D1 caps a value at 2 MB): the markdown source, the record (JSON), the
-- rendered Article (JSON), and the item of each format as written at publish, with the OUTPUT_REVISION it was written by.
CREATE TABLE article_parts (
  slug TEXT NOT NULL,
  part TEXT NOT NULL,                  -- source | record | article | rss | atom | json
  revision INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (slug, part)
) WITHOUT ROWID;

-- Every list an article is in: scope is `home`, `sections/{slug}`, `tags/{slug}` or `authors/{key}`. Positions are dense
-- per scope, 0 for the oldest, ordered by (published, slug descending), so an archive page is a range of positions and
-- the number published at an instant is one more than the position of the newest one out.
CREATE TABLE memberships (
  scope TEXT NOT NULL,
  slug TEXT NOT NULL,
  position INTEGER NOT NULL,
  published INTEGER NOT NULL,
  name TEXT NOT NULL,                  -- the facet's name as this article spells it (the newest spelling names the facet)
  PRIMARY KEY (scope, slug)
) WITHOUT ROWID;
CREATE INDEX memberships_by_position ON memberships (scope, position);
CREATE INDEX memberships_by_time ON memberships (scope, published, position);
CREATE INDEX memberships_by_slug ON memberships (slug);

-- Each section, tag and author with articles, for lookups by slug and the public lists.
CREATE TABLE facets (
  scope TEXT PRIMARY KEY,              -- as in memberships
  kind TEXT NOT NULL,                  -- sections | tags | authors
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  first_published INTEGER NOT NULL     -- the facet is public from this instant
) WITHOUT ROWID;
CREATE INDEX facets_public ON facets (kind, first_published, slug);

-- Scopes a write touched, within one batch (cleared at its start and end): their facets are recomputed from it.
CREATE TABLE touched_scopes (scope TEXT PRIMARY KEY) WITHOUT ROWID;

-- Drafts: valid articles marked `draft: true`, for the editor's preview only. They claim no slug or id.
CREATE TABLE drafts (
  file TEXT PRIMARY KEY,
  slug TEXT NOT NULL,
  source_hash TEXT NOT NULL,
  record TEXT NOT NULL,
  warnings TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;
CREATE INDEX drafts_by_slug ON drafts (slug, file);

-- Images stored in R2 (key = path), with facts measured from their bytes. An image is served once an article that
-- uses it is published: `image_refs` says which articles use which image.
CREATE TABLE images (
  path TEXT PRIMARY KEY,               -- images/…
  type TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  length INTEGER NOT NULL,
  sha256 TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE image_refs (
  path TEXT NOT NULL,
  slug TEXT NOT NULL,
  PRIMARY KEY (path, slug)
) WITHOUT ROWID;
CREATE INDEX image_refs_by_slug ON image_refs (slug);

-- Identifiers of deleted articles: never given to another article.
CREATE TABLE retired_ids (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL,
  retired INTEGER NOT NULL
) WITHOUT ROWID;

-- authors.yaml and partners.yaml as published: the text, and the parsed registry (JSON) the worker reads.
CREATE TABLE registries (
  name TEXT PRIMARY KEY,               -- authors.yaml | partners.yaml
  source_hash TEXT NOT NULL,
  text TEXT NOT NULL,
  parsed TEXT NOT NULL,
  warnings TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;

-- Small facts the worker keeps between runs: the WebSub state of each feed, the scheduled run's clock.
CREATE TABLE state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
