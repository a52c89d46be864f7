// What an uncached request costs D1, in round trips, on the real local binding: a feed reads its plan in one batch
// (count, the newest or an archive page, the next releases) and its stored items in one query; a section, tag or
// author first looks up its name. The count is what production latency grows with (each trip crosses the network).
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.ts";
import { createD1Catalog } from "../../src/store/d1/catalog.ts";
import { createD1Store } from "../../src/store/d1/store.ts";
import { articleText, NEWSROOM, NOW, testSite } from "../support/http-fixtures.ts";
import { publisherOver } from "../support/publish-tree.ts";
import { fillD1 } from "./fill-d1.ts";
import { resetD1 } from "./reset-d1.ts";
import { countingD1 } from "./wrapped-bindings.ts";

const BASE = "https://news.example";
const site = testSite();

beforeEach(async () => {
  await resetD1(env.DB, env.IMAGES);
  await fillD1(env.DB, env.IMAGES, NEWSROOM, site);
});

/** A fresh app (no kept responses, no cached bodies) over the counted binding. */
function countedApp() {
  const counted = countingD1(env.DB);
  const app = createApp({ catalog: createD1Catalog(counted.db, env.IMAGES), site, now: () => NOW, log: () => {} });
  return { app, trips: counted.trips };
}

describe("round trips to D1 for one uncached request", () => {
  it.each([
    ["/rss.xml", 2],
    ["/atom.xml", 2],
    ["/feed.json?limit=3", 2],
    ["/archive/1/rss.xml", 2],
    ["/sections/business/feed.json", 3],
    ["/tags/energy/archive/1/rss.xml", 3],
  ])("%s: %i", async (path, expected) => {
    const { app, trips } = countedApp();
    const res = await app.request(BASE + path);
    expect(res.status, await res.text()).toBe(200);
    expect(trips, JSON.stringify(trips, null, 1)).toHaveLength(expected);
    // The plan is one batch of the window's reads, and the items one query of the stored parts.
    expect(trips.at(-2)!.length).toBeGreaterThanOrEqual(3);
    expect(trips.at(-1)!.join(" ")).toContain("FROM article_parts");
  });

  it("a section not yet public is a 404 after the same reads, under any spelling (no redirect reveals it)", async () => {
    const { app } = countedApp();
    const early = createApp({
      catalog: createD1Catalog(env.DB, env.IMAGES),
      site,
      now: () => new Date("1999-01-01T00:00:00Z"),
      log: () => {},
    });
    expect((await early.request(`${BASE}/sections/business/rss.xml`)).status).toBe(404);
    expect((await early.request(`${BASE}/sections/Business/rss.xml`)).status).toBe(404);
    expect((await app.request(`${BASE}/sections/Business/rss.xml`)).status).toBe(301);
  });
});

describe("a name only embargoed articles use answers as an unknown one: the same reads, returning the same rows", () => {
  // The summit (Diplomacy; Summit, Baku; Ana Lima) is under embargo at NOW: Diplomacy and Summit are used by it alone.
  const previewSite = testSite({ PREVIEW_TOKEN: "a-preview-token-of-32-characters" });
  it.each([
    ["a section's feed", "/sections/diplomacy/rss.xml", "/sections/nothing/rss.xml"],
    ["a section's feed under another spelling", "/sections/Diplomacy/atom.xml", "/sections/Nothing/atom.xml"],
    ["a tag's archive page", "/tags/summit/archive/1/feed.json", "/tags/nothing/archive/1/feed.json"],
    ["a section's page", "/sections/diplomacy/", "/sections/nothing/"],
    ["a tag's page without its slash", "/tags/summit", "/tags/nothing"],
    ["the article page", "/articles/summit", "/articles/nothing"],
    ["the preview without the token", "/preview/summit", "/preview/nothing"],
  ])("%s", async (_case, embargoed, unknown) => {
    const seen = [];
    for (const path of [embargoed, unknown]) {
      const counted = countingD1(env.DB);
      const app = createApp({ catalog: createD1Catalog(counted.db, env.IMAGES), site: previewSite, now: () => NOW, log: () => {} });
      const res = await app.request(BASE + path);
      expect(res.status, path).toBe(404);
      seen.push({ trips: counted.trips, rows: counted.rows, headers: [...res.headers].sort() });
    }
    expect(seen[0]!.trips.length).toBeGreaterThan(0);
    expect(seen[0]).toEqual(seen[1]);
  });
});

describe("round trips to D1 for one publish", () => {
  // What the publisher reads and writes for an article: what it reads by file name (the authors registry, what the
  // file holds, its lists and slugs) in one batch, who else claims the slug or id, then the write (one transaction).
  it.each([
    ["a new article", "2026/new-story.md", "New story"],
    ["an edit of a stored one", "2026/oil-deal.md", "Oil deal signed (edited)"],
  ])("%s: 3", async (_case, file, title) => {
    const counted = countingD1(env.DB);
    const publisher = publisherOver(createD1Store(counted.db, env.IMAGES), site);
    const text = articleText({ title, date: "2026-01-09T09:00:00Z", section: "Energy", tags: ["Oil"], author: "ana-lima" });
    const outcome = await publisher.putArticle(file, new TextEncoder().encode(text), { now: NOW });
    expect(outcome.result).not.toBe("unchanged");
    expect(counted.trips, JSON.stringify(counted.trips, null, 1)).toHaveLength(3);
    expect(counted.trips[0]!.join(" ")).toContain("FROM registries");
    expect(counted.trips[2]!.join(" ")).toContain("INSERT INTO articles");
  });

  it("a batch of 40 articles: the same 3, one transaction of 30 statements at most writing all of them", async () => {
    const counted = countingD1(env.DB);
    const publisher = publisherOver(createD1Store(counted.db, env.IMAGES), site);
    const uploads = Array.from({ length: 40 }, (_, i) => ({
      file: `2026/batch-${i}.md`,
      bytes: new TextEncoder().encode(articleText({ title: `Story ${i}`, date: "2026-01-09T09:00:00Z", section: "Energy", tags: ["Oil"] })),
    }));
    const results = await publisher.putArticles(uploads, NOW);
    expect(results.every((r) => "outcome" in r && r.outcome.result === "created")).toBe(true);
    expect(counted.trips, JSON.stringify(counted.trips.map((t) => t.length))).toHaveLength(3);
    // One statement for every kind of row, but the parts: four articles a statement (D1's 100 bound parameters).
    expect(counted.trips[2]!.filter((sql) => sql.startsWith("INSERT INTO articles"))).toHaveLength(1);
    const parts = counted.trips[2]!.filter((sql) => sql.startsWith("INSERT INTO article_parts"));
    expect(parts).toHaveLength(10);
    // D1 binds at most 100 parameters a statement: the highest one each statement names.
    const highest = parts.map((sql) => Math.max(...[...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1]))));
    expect(highest).toEqual(Array(10).fill(97));
    expect(counted.trips[2]!.length).toBeLessThan(30);
  });

  it("a published article's body changed without a later updated: the same 3 (its stored text read with the claims)", async () => {
    const counted = countingD1(env.DB);
    const publisher = publisherOver(createD1Store(counted.db, env.IMAGES), site);
    const text = articleText({
      title: "Oil deal signed",
      date: "2026-01-05T09:00:00Z",
      section: "Business",
      tags: ["Energy", "Baku"],
      author: "ana-lima",
      body: "A corrected body.",
    });
    const outcome = await publisher.putArticle("2026/oil-deal.md", new TextEncoder().encode(text), { now: NOW });
    expect(outcome.warnings.map((w) => w.field)).toContain("updated");
    expect(counted.trips, JSON.stringify(counted.trips, null, 1)).toHaveLength(3);
    expect(counted.trips[1]!.join(" ")).toContain(
      "LEFT JOIN article_parts p ON p.slug = a.slug AND p.version = a.version AND p.part = 'source'",
    );
    expect(counted.trips[1]!.join(" ")).toContain("JOIN retired_ids");
  });
});
