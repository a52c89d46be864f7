// Golden files for feeds only the HTTP layer plans: a section feed (with a WebSub hub), a full archive page, and the
// feed options (docs/feeds.md, "Feed options"): excerpts with a query on links, a language's feed, a partner's own feed; per
// format, byte for byte; and the independent judges' view of them. `UPDATE_GOLDEN=1 npm test` rewrites them.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSettings } from "../../src/core/settings.ts";
import { FORMATS } from "../../src/formats/index.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import type { ContentSource } from "../../src/sources/source.ts";
import { appOver } from "../support/app.ts";
import { feedparser, jsonFeedSchemaErrors, xmllint } from "../support/judges.ts";
import { FIXTURE_DIR, GOLDEN_DIR, NOW, SITE_INPUT } from "../support/site.ts";

const site = parseSettings({ ...SITE_INPUT, ARCHIVE_ITEMS: "2", WEBSUB_HUB: "https://hub.example.com/" });
const app = appOver({ source: createDirectorySource(FIXTURE_DIR), site, now: () => NOW, log: () => {} });

/** A partner with its own feed: the site's articles whole, its UTM on links, one medium per format. */
const PARTNERS_YAML =
  "acme:\n  name: Acme Daily\n  origins: [https://www.acme.example]\n  feed:\n    utm: { source: acme, medium: '{format}' }\n";

/** The fixture folder with a partners.yaml beside it (the folder itself has none, so other tests see no partner). */
function withPartners(source: ContentSource): ContentSource {
  const extra = new TextEncoder().encode(PARTNERS_YAML);
  return {
    name: `${source.name}+partners.yaml`,
    list: async () => [...(await source.list()), "partners.yaml"].sort(),
    read: async (path) => (path === "partners.yaml" ? extra : source.read(path)),
    size: async (path) => (path === "partners.yaml" ? extra.length : (source.size?.(path) ?? null)),
  };
}

/** The site's feeds as excerpts, with a query on the links of its own articles (FEED_CONTENT, FEED_LINK_QUERY). */
const options = appOver({
  source: withPartners(createDirectorySource(FIXTURE_DIR)),
  site: parseSettings({ ...SITE_INPUT, FEED_CONTENT: "excerpt", FEED_LINK_QUERY: "utm_source=feed&utm_medium={format}" }),
  now: () => NOW,
  log: () => {},
});
const plainWithPartners = appOver({
  source: withPartners(createDirectorySource(FIXTURE_DIR)),
  site: parseSettings(SITE_INPUT),
  now: () => NOW,
  log: () => {},
});

const CASES = FORMATS.flatMap((format) => [
  { path: `/sections/news/${format.file}`, golden: `section-news.${format.file}`, format, app },
  { path: `/archive/2/${format.file}`, golden: `archive-2.${format.file}`, format, app },
  { path: `/${format.file}`, golden: `excerpt-link-query.${format.file}`, format, app: options },
  { path: `/languages/fa/${format.file}`, golden: `language-fa.${format.file}`, format, app: plainWithPartners },
  { path: `/partners/acme/sections/news/${format.file}`, golden: `partner-acme-news.${format.file}`, format, app: plainWithPartners },
]);

describe("golden HTTP feeds", () => {
  it.each(CASES)("$path matches test/golden/$golden", async ({ path, golden, app }) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    const actual = await res.text();
    const file = join(GOLDEN_DIR, golden);
    if (process.env.UPDATE_GOLDEN === "1") await writeFile(file, actual);
    expect(actual).toBe(await readFile(file, "utf8"));
  });

  it.each(CASES)("$path ($golden) satisfies the independent judges", async ({ path, format, app }) => {
    const body = await (await app.request(path)).text();
    if (format.id === "json") {
      expect(jsonFeedSchemaErrors(JSON.parse(body))).toEqual([]);
      return;
    }
    expect(xmllint(body)).toBe("");
    const parsed = feedparser(body);
    expect(parsed.bozo, parsed.bozo_exception).toBe(false);
    const rels = parsed.feed.links.map((l) => l.rel);
    if (path.startsWith("/archive/")) expect(rels).toEqual(expect.arrayContaining(["self", "current", "prev-archive", "next-archive"]));
    else if (app === options || app === plainWithPartners) expect(rels).toEqual(expect.arrayContaining(["self", "prev-archive"]));
    else expect(rels).toEqual(expect.arrayContaining(["self", "hub"]));
    expect(parsed.entries.length).toBeGreaterThan(0);
  });
});
