// Inside workerd: rendered feeds kept in the Workers Cache API by content version, and the deployed worker's HTTP rules.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type BodyCache, createIsolateBodyCache, createWorkersCache } from "../../src/http/body-cache.ts";
import { appOver } from "../support/app.ts";
import { countingFormats, NOW, newsroom, testSite } from "../support/http-fixtures.ts";
import { publishSample } from "./sample.ts";

const BASE = "http://localhost:8787";

beforeAll(publishSample, 120_000);

describe("Cache API body cache", () => {
  it("renders a feed once; the next request, even from a fresh app (another isolate), is served from caches.default", async () => {
    const origin = `https://cache-${crypto.randomUUID()}.example`;
    const counter = countingFormats();
    const make = () =>
      appOver({
        source: newsroom(),
        site: testSite(),
        now: () => NOW,
        formats: counter.formats,
        cache: createWorkersCache(caches.default, origin),
        log: () => {},
      });
    const first = await make().request("http://localhost/sections/business/atom.xml");
    const body = await first.text();
    expect(first.status).toBe(200);
    expect(counter.renders()).toBe(1);

    const second = await make().request("http://localhost/sections/business/atom.xml");
    expect(await second.text()).toBe(body);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(counter.renders()).toBe(1);

    // Another content version (a different limit) is another cache entry.
    await make().request("http://localhost/sections/business/atom.xml?limit=1");
    expect(counter.renders()).toBe(2);
  });

  it("answers a matching If-None-Match with 304 from the plan alone, without rendering or reading the body cache", async () => {
    const counter = countingFormats();
    let reads = 0;
    const cache = createWorkersCache(
      {
        match: async (request: Request) => {
          reads++;
          return caches.default.match(request);
        },
        put: (request: Request, response: Response) => caches.default.put(request, response),
        delete: (request: Request) => caches.default.delete(request),
      },
      `https://cache-${crypto.randomUUID()}.example`,
    );
    // No kept responses here, so the second request plans: its 304 comes from the version, not from any cache.
    const site = testSite({ EDGE_CACHE_SECONDS: "0" });
    const app = appOver({ source: newsroom(), site, now: () => NOW, formats: counter.formats, cache, log: () => {} });
    const etag = (await app.request("http://localhost/rss.xml")).headers.get("etag")!;
    const res = await app.request("http://localhost/rss.xml", { headers: { "If-None-Match": etag } });
    expect(res.status).toBe(304);
    expect(counter.renders()).toBe(1);
    expect(reads).toBe(1);
  });
});

describe("the worker", () => {
  it("serves conditional GET, HEAD and 405 on the published sample feeds", async () => {
    const res = await exports.default.fetch(`${BASE}/atom.xml`);
    expect(res.status).toBe(200);
    await res.text();
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"atom-/);
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+$/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");

    const notModified = await exports.default.fetch(`${BASE}/atom.xml`, { headers: { "If-None-Match": etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);

    const head = await exports.default.fetch(`${BASE}/atom.xml`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(await head.text()).toBe("");

    const post = await exports.default.fetch(`${BASE}/atom.xml`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("answers a kept feed before routing with the routes' own headers and bytes (answerHot), 200 and 304", async () => {
    const whole = async (res: Response) => ({ status: res.status, headers: [...res.headers], body: await res.text() });
    for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/feeds.opml"]) {
      const first = await exports.default.fetch(`${BASE}${path}`);
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag")!;
      await first.text();
      for (const headers of [{}, { "If-None-Match": etag }] as Record<string, string>[]) {
        // Without a query the worker's isolate tier answers; a query the routes ignore sends the request through them.
        const hot = await whole(await exports.default.fetch(`${BASE}${path}`, { headers }));
        const routed = await whole(await exports.default.fetch(`${BASE}${path}?via=routes`, { headers }));
        expect(hot, `${path} ${JSON.stringify(headers)}`).toEqual(routed);
        expect(hot.status).toBe("If-None-Match" in headers ? 304 : 200);
      }
    }
  });

  it("answers a kept feed before routing inside workerd: no cache read, the routes' own bytes and headers", async () => {
    // The worker's own tiers (the isolate's in front of caches.default), with the far reads counted.
    const origin = `https://hot-${crypto.randomUUID()}.example`;
    const tiers = createIsolateBodyCache(createWorkersCache(caches.default, origin));
    let gets = 0;
    const cache: BodyCache = {
      ...tiers,
      get: (key) => {
        gets++;
        return tiers.get(key);
      },
    };
    const app = appOver({ source: newsroom(), site: testSite(), now: () => NOW, cache, log: () => {} });
    const whole = async (res: Response) => ({ status: res.status, headers: [...res.headers], body: await res.text() });
    const first = await app.request("http://localhost/rss.xml");
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    await first.text();
    for (const headers of [{}, { "If-None-Match": etag }] as Record<string, string>[]) {
      gets = 0;
      const hot = await whole(await app.request("http://localhost/rss.xml", { headers }));
      expect(gets, "the hot answer reads no cache").toBe(0);
      const routed = await whole(await app.request("http://localhost/rss.xml?via=routes", { headers }));
      expect(gets, "the routes read the kept response through the cache").toBeGreaterThan(0);
      expect(hot).toEqual(routed);
      expect(hot.status).toBe("If-None-Match" in headers ? 304 : 200);
    }
  });

  it("serves section feeds, the OPML list and archive pages, and 404s as problem+json", async () => {
    const opml = await exports.default.fetch(`${BASE}/feeds.opml`);
    const list = await opml.text();
    expect(opml.status).toBe(200);
    const sectionUrl = /xmlUrl="(http:\/\/localhost:8787\/sections\/[^"]+)"/.exec(list)?.[1];
    expect(sectionUrl).toBeDefined();
    const section = await exports.default.fetch(sectionUrl!);
    expect(section.status).toBe(200);
    await section.text();
    const page = await exports.default.fetch(`${BASE}/archive/1/feed.json`);
    expect(page.status).toBe(200);
    expect(((await page.json()) as { feed_url: string }).feed_url).toBe(`${BASE}/feed.json`);
    const missing = await exports.default.fetch(`${BASE}/sections/no-such-section/rss.xml`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    await missing.text();
  });
});
