// The fixture feeds as the routes serve them (bytes through app.request), and the model they were planned from.
import { HOME } from "../../src/core/catalog.ts";
import { loadContent } from "../../src/core/content.ts";
import { planFeed } from "../../src/core/feed-plan.ts";
import { createMemoryCatalog } from "../../src/core/memory-catalog.ts";
import type { Feed } from "../../src/core/model.ts";
import type { SiteSettings } from "../../src/core/settings.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { appOver } from "./app.ts";
import { FIXTURE_DIR, NOW, site } from "./site.ts";

/** The app over the fixture folder at the fixed clock. */
export function fixtureApp(settings: SiteSettings = site, now: Date = NOW) {
  return appOver({ source: createDirectorySource(FIXTURE_DIR), site: settings, now: () => now, log: () => {} });
}

/** The body a route of the fixture app serves (asserting it answered 200). */
export async function served(path: string, settings: SiteSettings = site, now: Date = NOW): Promise<string> {
  const res = await fixtureApp(settings, now).request(`${settings.url}${path}`);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res.text();
}

/** The model of the site's subscription feed: the head the planner wrote and the articles it selected. */
export async function fixtureFeed(settings: SiteSettings = site, now: Date = NOW): Promise<Feed> {
  const source = createDirectorySource(FIXTURE_DIR);
  const catalog = createMemoryCatalog(await loadContent(source, settings), source);
  const plan = (await planFeed(catalog, settings, now, { scope: HOME }))!;
  return { head: plan.head, updated: plan.updated, items: await catalog.articles(plan.entries) };
}
