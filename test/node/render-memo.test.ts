// Items are rendered once per article and reused across feeds: the reused text must be exactly what a fresh render
// of the same feed gives, whatever feed, position or feed-level setting the article appeared with before.
import { describe, expect, it } from "vitest";
import { generateArchive } from "../../bench/generate-archive.ts";
import { loadCatalog } from "../../src/core/catalog.ts";
import { buildFeed } from "../../src/core/feed.ts";
import type { Feed } from "../../src/core/model.ts";
import { FORMATS, feedUrls } from "../../src/formats/index.ts";
import { toJsonFeed } from "../../src/formats/json-feed.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { site } from "../support/site.ts";

const files = Object.fromEntries([...generateArchive({ count: 30, seed: 3 })].map((f) => [f.path, f.data]));
const catalog = await loadCatalog(createMemorySource(files), site);
const feedOf = (start: number, count: number, extra: Partial<Feed> = {}): Feed => ({
  ...buildFeed({ site, records: catalog.articles.slice(start, start + count), urls: feedUrls(site.url + "/") }),
  ...extra,
});
/** The same feed over copies of its articles: nothing memoised applies to them. */
const fresh = (feed: Feed): Feed => ({ ...feed, items: feed.items.map((a) => ({ ...a })) });

describe.each(FORMATS.map((f) => [f.id, f] as const))("%s: memoised items", (_id, format) => {
  it("give the same bytes as a fresh render, in feeds that share articles at other positions", () => {
    const feeds = [feedOf(0, 20), feedOf(5, 20), feedOf(0, 1), feedOf(0, 20), feedOf(10, 0)];
    for (const feed of feeds) expect(format.render(feed)).toBe(format.render(fresh(feed)));
  });

  it("follow feed-level facts an item depends on (Atom category schemes name the feed's home page)", () => {
    const feed = feedOf(0, 5);
    format.render(feed);
    const elsewhere = { ...feed, homeUrl: "https://elsewhere.example.com/" };
    expect(format.render(elsewhere)).toBe(format.render(fresh(elsewhere)));
  });
});

describe("JSON Feed text", () => {
  it.each([
    ["twenty items", feedOf(0, 20)],
    ["no items", feedOf(0, 0)],
    [
      "hubs and paging",
      feedOf(0, 3, { hubs: ["https://hub.example.com/"], paging: { prev: feedUrls(site.url + "/archive/1/"), archived: false } }),
    ],
  ])("is exactly the typed document, feed fields indented and one item per line: %s", (_name, feed) => {
    const text = FORMATS.find((f) => f.id === "json")!.render(feed);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(toJsonFeed(feed))));
    const lines = text.split("\n");
    expect(lines.filter((l) => l.startsWith('    {"id":')).length).toBe(feed.items.length);
    expect(text.endsWith("}\n")).toBe(true);
  });
});
