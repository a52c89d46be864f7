// Builds the fixture feeds once per test file: catalog from the fixture folder, the feed model at the fixed clock.
import { type Catalog, loadCatalog, selectLatest } from "../../src/core/catalog.ts";
import { buildFeed } from "../../src/core/feed.ts";
import type { Feed } from "../../src/core/model.ts";
import type { SiteSettings } from "../../src/core/settings.ts";
import { feedUrls } from "../../src/formats/index.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { FIXTURE_DIR, NOW, site } from "./site.ts";

export async function fixtureCatalog(settings: SiteSettings = site): Promise<Catalog> {
  return loadCatalog(createDirectorySource(FIXTURE_DIR), settings);
}

export async function fixtureFeed(settings: SiteSettings = site, now: Date = NOW): Promise<Feed> {
  const catalog = await fixtureCatalog(settings);
  return buildFeed({ site: settings, records: selectLatest(catalog, now, settings.feedItems), urls: feedUrls(settings.url + "/") });
}
