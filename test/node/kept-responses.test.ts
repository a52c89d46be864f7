// Kept responses: for EDGE_CACHE_SECONDS a feed's requests (200 and 304) are answered without reading the catalog,
// never past the next release of an embargoed article in the feed, and a publish can forget them at once.
import { describe, expect, it } from "vitest";
import type { Catalog } from "../../src/core/catalog.ts";
import { catalogFromSource } from "../../src/core/memory-catalog.ts";
import { createApp } from "../../src/http/app.ts";
import { createMemoryCache } from "../../src/http/body-cache.ts";
import { forgetKept } from "../../src/http/versioned.ts";
import { EMBARGO, NOW, newsroom, testSite } from "../support/http-fixtures.ts";

/** The newsroom's catalog, counting every question asked of it. */
function countingCatalog(): { catalog: Catalog; reads: () => number } {
  const inner = catalogFromSource(newsroom(), testSite());
  let reads = 0;
  const catalog = new Proxy(inner, {
    get(target, name) {
      const method = target[name as keyof Catalog] as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        reads++;
        return method.apply(target, args);
      };
    },
  });
  return { catalog, reads: () => reads };
}

function setup(vars: Record<string, string> = {}) {
  let now = NOW;
  const cache = createMemoryCache();
  const { catalog, reads } = countingCatalog();
  const app = createApp({ catalog, site: testSite(vars), now: () => now, cache, log: () => {} });
  const get = (path: string, headers: Record<string, string> = {}) => app.request(`http://localhost${path}`, { headers });
  return { get, reads, cache, setNow: (t: Date) => (now = t) };
}

describe("kept responses", () => {
  it("answer a repeated request, and a matching If-None-Match, without reading the catalog", async () => {
    const { get, reads } = setup();
    const first = await get("/rss.xml");
    const body = await first.text();
    const afterFirst = reads();
    expect(afterFirst).toBeGreaterThan(0);
    const second = await get("/rss.xml");
    expect(await second.text()).toBe(body);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(second.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
    const revalidated = await get("/rss.xml", { "If-None-Match": first.headers.get("etag")! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(reads()).toBe(afterFirst);
  });

  it("expire after EDGE_CACHE_SECONDS", async () => {
    const { get, reads, setNow } = setup({ EDGE_CACHE_SECONDS: "30" });
    await get("/atom.xml");
    const afterFirst = reads();
    setNow(new Date(NOW.getTime() + 29_000));
    await get("/atom.xml");
    expect(reads()).toBe(afterFirst);
    setNow(new Date(NOW.getTime() + 30_000));
    await get("/atom.xml");
    expect(reads()).toBeGreaterThan(afterFirst);
  });

  it("are never served past the release of an embargoed article in the feed: it appears at its second", async () => {
    const { get, setNow } = setup({ EDGE_CACHE_SECONDS: "3600" });
    setNow(new Date(EMBARGO.getTime() - 1000));
    expect(await (await get("/rss.xml")).text()).not.toContain("Summit preview");
    setNow(new Date(EMBARGO.getTime() - 1));
    expect(await (await get("/rss.xml")).text()).not.toContain("Summit preview");
    setNow(EMBARGO);
    expect(await (await get("/rss.xml")).text()).toContain("Summit preview");
  });

  it("are keyed by path and limit only: other query parameters share one entry, a limit has its own", async () => {
    const { get, reads } = setup();
    await get("/feed.json");
    const afterFirst = reads();
    await get("/feed.json?utm_source=x&cachebust=123");
    expect(reads()).toBe(afterFirst);
    const limited = await (await get("/feed.json?limit=1")).json();
    expect(reads()).toBeGreaterThan(afterFirst);
    expect((limited as { items: unknown[] }).items).toHaveLength(1);
  });

  it("are forgotten for the feeds a publish touched, so the next request plans again", async () => {
    const { get, reads, cache } = setup();
    await get("/sections/business/rss.xml");
    await get("/feeds.opml");
    const before = reads();
    await forgetKept(cache, ["sections/business"]);
    await get("/sections/business/rss.xml");
    const afterFeed = reads();
    expect(afterFeed).toBeGreaterThan(before);
    await get("/feeds.opml");
    expect(reads()).toBeGreaterThan(afterFeed);
  });

  it("are off with EDGE_CACHE_SECONDS=0: every request plans", async () => {
    const { get, reads } = setup({ EDGE_CACHE_SECONDS: "0" });
    await get("/rss.xml");
    const afterFirst = reads();
    await get("/rss.xml");
    expect(reads()).toBeGreaterThan(afterFirst);
  });
});
