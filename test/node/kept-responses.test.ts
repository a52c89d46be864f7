// Kept responses: for EDGE_CACHE_SECONDS a feed's requests (200 and 304) are answered without reading the catalog,
// never past the next release of an embargoed article in the feed, and a publish can forget them at once.
import { describe, expect, it } from "vitest";
import type { Catalog } from "../../src/core/catalog.ts";
import { catalogFromSource } from "../../src/core/memory-catalog.ts";
import { createApp } from "../../src/http/app.ts";
import { createMemoryCache } from "../../src/http/body-cache.ts";
import type { AppContext } from "../../src/http/context.ts";
import { answerHot, forgetKept } from "../../src/http/versioned.ts";
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
  const memory = createMemoryCache();
  let gets = 0;
  const cache = {
    ...memory,
    get: (key: string) => {
      gets++;
      return memory.get(key);
    },
  };
  const { catalog, reads } = countingCatalog();
  const app = createApp({ catalog, site: testSite(vars), now: () => now, cache, log: () => {} });
  const get = (path: string, headers: Record<string, string> = {}) => app.request(`http://localhost${path}`, { headers });
  const site = testSite(vars);
  // What answerHot reads of the app's context: the same site, cache and clock as the app's.
  const hotContext = { site, cache, now: () => now } as unknown as AppContext;
  const hot = (path: string, init: RequestInit = {}) => answerHot(new Request(`http://localhost${path}`, init), hotContext);
  return { get, reads, cache, hot, cacheGets: () => gets, setNow: (t: Date) => (now = t) };
}

/** Status, every header and the body, for comparing two answers whole. */
async function whole(response: Response) {
  return { status: response.status, headers: [...response.headers], body: await response.text() };
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

// The hot path (answerHot, before routing) must give exactly the answer the routes give from the same kept response:
// a query parameter the routes ignore sends the same request through them, for comparison.
describe("kept responses answered before routing", () => {
  const DOCUMENTS = ["/rss.xml", "/atom.xml", "/feed.json", "/feeds.opml", "/sections/city/rss.xml", "/tags/transport/feed.json"];

  it.each(DOCUMENTS)("%s: the same status, headers and bytes as the routes, for 200s and 304s", async (path) => {
    const { get, hot, reads } = setup();
    expect(hot(path), "nothing kept yet").toBeUndefined();
    const first = await get(path);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified");
    const readsAfterFirst = reads();
    const cases: Record<string, string>[] = [
      {},
      { "If-None-Match": etag },
      { "If-None-Match": '"other"' },
      ...(lastModified ? [{ "If-Modified-Since": lastModified }] : []),
      { "Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "cors" },
    ];
    for (const headers of cases) {
      const fast = hot(path, { headers });
      expect(fast, JSON.stringify(headers)).toBeDefined();
      const routed = await get(`${path}?via=routes`, headers);
      expect(await whole(fast!), JSON.stringify(headers)).toEqual(await whole(routed));
    }
    expect(hot(path, { headers: { "If-None-Match": etag } })!.status).toBe(304);
    expect(reads(), "neither path read the catalog").toBe(readsAfterFirst);
  });

  it("is the app's own path: a kept feed is answered without reaching the routes", async () => {
    const { get, cacheGets } = setup();
    await get("/rss.xml");
    // The routes read kept responses with the cache's `get`; the hot path only peeks at the isolate's tier.
    const before = cacheGets();
    expect((await get("/rss.xml")).status).toBe(200);
    expect((await get("/rss.xml", { "If-None-Match": '"x"' })).status).toBe(200);
    expect(cacheGets()).toBe(before);
    expect((await get("/rss.xml?via=routes")).status).toBe(200);
    expect(cacheGets()).toBe(before + 1);
  });

  it("leaves to the routes what they must decide: other methods, queries, browser tabs, expired and forgotten entries", async () => {
    const { get, hot, cache, setNow } = setup({ EDGE_CACHE_SECONDS: "30" });
    await get("/rss.xml");
    expect(hot("/rss.xml")).toBeDefined();
    expect(hot("/rss.xml", { method: "HEAD" })).toBeUndefined();
    expect(hot("/rss.xml?limit=5")).toBeUndefined();
    expect(hot("/rss.xml?limit=oops")).toBeUndefined();
    expect(hot("/rss.xml", { headers: { "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate" } })).toBeUndefined();
    expect(hot("/nope.xml")).toBeUndefined();
    setNow(new Date(NOW.getTime() + 30_000));
    expect(hot("/rss.xml"), "expired at EDGE_CACHE_SECONDS").toBeUndefined();
    setNow(NOW);
    await forgetKept(cache, ["home"]);
    expect(hot("/rss.xml"), "forgotten by a publish").toBeUndefined();
  });

  it("is kept again by a 304 after it expired, so a feed polled only with If-None-Match stays off the catalog", async () => {
    const { get, hot, reads, setNow } = setup({ EDGE_CACHE_SECONDS: "30" });
    const etag = (await get("/rss.xml")).headers.get("etag")!;
    setNow(new Date(NOW.getTime() + 31_000));
    expect(hot("/rss.xml", { headers: { "If-None-Match": etag } }), "expired").toBeUndefined();
    const before = reads();
    expect((await get("/rss.xml", { "If-None-Match": etag })).status).toBe(304);
    expect(reads(), "the expired entry's 304 plans the feed").toBeGreaterThan(before);
    const fresh = hot("/rss.xml", { headers: { "If-None-Match": etag } });
    expect(fresh?.status, "kept again from the body cache by that 304").toBe(304);
    const after = reads();
    expect((await get("/rss.xml")).status).toBe(200);
    expect(reads()).toBe(after);
  });

  it("is off with EDGE_CACHE_SECONDS=0", async () => {
    const { get, hot } = setup({ EDGE_CACHE_SECONDS: "0" });
    await get("/rss.xml");
    expect(hot("/rss.xml")).toBeUndefined();
  });
});
