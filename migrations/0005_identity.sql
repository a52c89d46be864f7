-- Old URLs and the settings stored items were rendered with. Both are added in place: no existing row is rewritten.

-- Every old URL that leads to an article (src/core/redirects.ts): an alias its front matter claims, or the page of a
-- slug it had (a rename, a re-slug, or its last page before it was deleted or unpublished). A row names the article by
-- its id, fixed when it was first published, so a row follows the article through every later move: the path answers
-- 301 to the article's page while it is published, 410 once its id is retired (deleted, unpublished), and as an
-- unknown path otherwise (an embargoed article, before its release).
CREATE TABLE redirects (
  path TEXT PRIMARY KEY,               -- the path's key: /2024/05/old-story, https://old.example/2024/05/x, /articles/{old-slug}
  id TEXT NOT NULL,                    -- the article's id (articles.id; retired_ids.id once it is gone)
  kind TEXT NOT NULL                   -- alias (claimed by the front matter: one owner) | page (a slug the article had)
) WITHOUT ROWID;
-- The rows of an article: moved with it when its id changes, its aliases replaced when it is published again.
CREATE INDEX redirects_by_id ON redirects (id);

-- The settings that shape stored items (SITE_URL, SITE_TITLE, SITE_LANGUAGE, SITE_TIMEZONE), as a hash, each
-- article's and each registry's as they were when it was stored. Added for issue 17 item 9 (a settings change noticed
-- and the items it shapes re-published by the scheduled run, a bounded number at a time, the index keeping that lookup
-- bounded; 0006 orders the index by publication time, so the newest go first). Written by every publish and read by
-- the scheduled run since then (src/core/publish/shaping.ts; docs/publishing.md, "Settings that shape stored items").
ALTER TABLE articles ADD COLUMN shaping TEXT NOT NULL DEFAULT '';
CREATE INDEX articles_by_shaping ON articles (shaping, slug);
ALTER TABLE registries ADD COLUMN shaping TEXT NOT NULL DEFAULT '';
