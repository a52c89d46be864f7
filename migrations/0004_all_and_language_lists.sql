-- Two kinds of list (src/core/publish/publication.ts, membershipsOf): `all`, every publishable article whatever feeds it
-- is in (sitemaps count it, the site's next release is read from it), now that `home` is the site's own list, which an
-- article leaves with `main_feed: false`; and `languages/{language}`, one per language.
--
-- Until now every article was in `home`, so `all` starts as a copy of it, position for position, tombstones and their
-- count included: sitemap files keep their URLs. Language lists cannot be filled here (an article's language is in its
-- stored record, possibly in a parts database, and the site's language is a setting): publishing again
-- (`npm run publish -- --all`) files every stored article into its language's list, since an article whose stored
-- lists differ from its lists is not "unchanged" (docs/feeds.md, "Feed options").
INSERT INTO memberships (scope, position, slug, published, listed, name, removed)
  SELECT 'all', position, slug, published, listed, name, removed FROM memberships WHERE scope = 'home';
INSERT INTO lists (scope, removed) SELECT 'all', removed FROM lists WHERE scope = 'home';
