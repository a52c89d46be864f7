// Conditional requests, HEAD, methods, Cache-Control and the body cache, through app.request() on Node.
import { describe, expect, it } from "vitest";
import { FORMATS } from "../../src/formats/index.ts";
import { createMemoryCache } from "../../src/http/body-cache.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";
import { articleText, countingFormats, EMBARGO, NEWSROOM, NOW, newsroom, testSite } from "../support/http-fixtures.ts";

const URL_BASE = "http://localhost";

function setup(options: { vars?: Record<string, string>; now?: Date; files?: typeof NEWSROOM; cached?: boolean } = {}) {
  const counter = countingFormats();
  const app = appOver({
    source: createMemorySource(options.files ?? NEWSROOM),
    site: testSite(options.vars),
    now: () => options.now ?? NOW,
    formats: counter.formats,
    cache: options.cached ? createMemoryCache() : undefined,
    log: () => {},
  });
  const get = (path: string, headers: Record<string, string> = {}, method = "GET") => app.request(URL_BASE + path, { method, headers });
  return { app, get, renders: counter.renders };
}

// XML feeds also vary on Sec-Fetch-Dest: a browser tab gets them as application/xml (src/http/browser-feeds.ts).
const feedVary = (id: string) => (id === "json" ? "Accept-Encoding" : "Accept-Encoding, Sec-Fetch-Dest");

describe.each(FORMATS.map((f) => [f.file, f] as const))("conditional GET of /%s", (file, format) => {
  it("has a strong ETag and the feed's own Last-Modified, and a matching If-None-Match gets a 304 without rendering", async () => {
    const { get, renders } = setup();
    const first = await get(`/${file}`);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe(format.contentType);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\x21\x23-\x7e]+"$/);
    // Newest item is "Metro line opens" (2026-01-09 09:00); the embargoed summit does not count.
    expect(first.headers.get("last-modified")).toBe("Fri, 09 Jan 2026 09:00:00 GMT");
    expect(renders()).toBe(1);

    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, "*"]) {
      const res = await get(`/${file}`, { "If-None-Match": inm });
      expect(res.status, inm).toBe(304);
      expect(await res.text()).toBe("");
      expect(res.headers.get("etag")).toBe(etag);
      expect(res.headers.get("last-modified")).toBe("Fri, 09 Jan 2026 09:00:00 GMT");
      expect(res.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
      expect(res.headers.get("vary")).toBe(feedVary(format.id));
      expect(res.headers.get("content-type")).toBeNull();
    }
    expect(renders()).toBe(1);
  });

  it("answers If-Modified-Since with 304 when not older, 200 when older, and ignores it under If-None-Match", async () => {
    const { get, renders } = setup();
    expect((await get(`/${file}`, { "If-Modified-Since": "Fri, 09 Jan 2026 09:00:00 GMT" })).status).toBe(304);
    expect((await get(`/${file}`, { "If-Modified-Since": "Sat, 10 Jan 2026 00:00:00 GMT" })).status).toBe(304);
    expect(renders()).toBe(0);
    expect((await get(`/${file}`, { "If-Modified-Since": "Fri, 09 Jan 2026 08:59:59 GMT" })).status).toBe(200);
    expect((await get(`/${file}`, { "If-None-Match": '"old"', "If-Modified-Since": "Sat, 10 Jan 2026 00:00:00 GMT" })).status).toBe(200);
  });

  it("ignores malformed validators instead of failing", async () => {
    const { get } = setup();
    const cases: Record<string, string>[] = [
      { "If-None-Match": "unquoted" },
      { "If-Modified-Since": "last tuesday" },
      { "If-None-Match": '"a" "b"', "If-Modified-Since": "0" },
    ];
    for (const headers of cases) {
      const res = await get(`/${file}`, headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
  });

  it("answers HEAD with the GET headers and no body", async () => {
    const { get } = setup();
    const full = await get(`/${file}`);
    const head = await get(`/${file}`, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const pick = (res: Response) => Object.fromEntries([...res.headers].filter(([k]) => k !== "content-length"));
    expect(pick(head)).toEqual(pick(full));
    const head304 = await get(`/${file}`, { "If-None-Match": full.headers.get("etag")! }, "HEAD");
    expect(head304.status).toBe(304);
  });

  it.each(["POST", "PUT", "DELETE", "PATCH"])("refuses %s with 405 and Allow", async (method) => {
    const { get, renders } = setup();
    const res = await get(`/${file}`, {}, method);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(renders()).toBe(0);
  });

  it("answers OPTIONS with Allow and CORS preflight headers", async () => {
    const { get } = setup();
    const res = await get(`/${file}`, { Origin: "https://reader.example", "Access-Control-Request-Method": "GET" }, "OPTIONS");
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("is public: CORS, nosniff, a Link to the HTML index, Vary on Accept-Encoding", async () => {
    const { get } = setup();
    const res = await get(`/${file}`);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("link")).toBe('<https://news.example/>; rel="alternate"; type="text/html"');
    expect(res.headers.get("vary")).toBe(feedVary(format.id));
  });
});

describe("Cache-Control", () => {
  it.each<{ case: string; vars: Record<string, string>; now: Date; path: string; expected: string }>([
    { case: "defaults", vars: {}, now: NOW, path: "/rss.xml", expected: "public, max-age=300, s-maxage=300, stale-while-revalidate=600" },
    {
      case: "settings",
      vars: { CACHE_MAX_AGE: "60", CACHE_S_MAXAGE: "900", CACHE_STALE_WHILE_REVALIDATE: "30" },
      now: NOW,
      path: "/rss.xml",
      expected: "public, max-age=60, s-maxage=900, stale-while-revalidate=30",
    },
    {
      case: "two minutes before an embargo: nothing may be served past it",
      vars: {},
      now: new Date(EMBARGO.getTime() - 120_000),
      path: "/atom.xml",
      expected: "public, max-age=120, s-maxage=120, stale-while-revalidate=0",
    },
    {
      case: "ten minutes before: stale-while-revalidate shortened to what is left",
      vars: {},
      now: new Date(EMBARGO.getTime() - 600_000),
      path: "/feed.json",
      expected: "public, max-age=300, s-maxage=300, stale-while-revalidate=300",
    },
    {
      case: "a feed without the embargoed article is cut all the same: the hint is site-wide, never per feed",
      vars: {},
      now: new Date(EMBARGO.getTime() - 120_000),
      path: "/sections/business/rss.xml",
      expected: "public, max-age=120, s-maxage=120, stale-while-revalidate=0",
    },
    {
      case: "a full archive page lives longer",
      vars: { ARCHIVE_ITEMS: "2", ARCHIVE_MAX_AGE: "604800" },
      now: NOW,
      path: "/archive/1/rss.xml",
      expected: "public, max-age=604800, s-maxage=604800, stale-while-revalidate=600",
    },
    {
      case: "the open archive page is cut at the embargo like the feed",
      vars: { ARCHIVE_ITEMS: "3" },
      now: new Date(EMBARGO.getTime() - 60_000),
      path: "/archive/2/rss.xml",
      expected: "public, max-age=60, s-maxage=60, stale-while-revalidate=0",
    },
  ])("$case", async ({ vars, now, path, expected }) => {
    const { get } = setup({ vars, now });
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe(expected);
  });

  it("shows the embargoed article, with new validators, once its time has come", async () => {
    const before = await setup({ now: new Date(EMBARGO.getTime() - 1000) }).get("/rss.xml");
    const after = await setup({ now: EMBARGO }).get("/rss.xml");
    expect(await before.text()).not.toContain("Summit preview");
    expect(await after.text()).toContain("Summit preview");
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    expect(after.headers.get("last-modified")).toBe("Sat, 10 Jan 2026 18:00:00 GMT");
  });
});

describe("ETag", () => {
  const etagOf = async (path: string, options: Parameters<typeof setup>[0] = {}) => (await setup(options).get(path)).headers.get("etag")!;

  it("is the same for the same content in another isolate, and differs per format, limit and feed", async () => {
    const tags = await Promise.all(
      ["/rss.xml", "/atom.xml", "/feed.json", "/rss.xml?limit=2", "/sections/business/rss.xml", "/archive/1/rss.xml"].map((p) => etagOf(p)),
    );
    expect(new Set(tags).size).toBe(tags.length);
    expect(await etagOf("/rss.xml")).toBe(tags[0]);
  });

  it("changes when an article's body changes without a new `updated`, only in the feeds that show it", async () => {
    const edited = {
      ...NEWSROOM,
      "2026/oil-deal.md": articleText({
        title: "Oil deal signed",
        date: "2026-01-05T09:00:00Z",
        section: "Business",
        tags: ["Energy", "Baku"],
        author: "ana-lima",
        body: "A corrected body.",
      }),
    };
    expect(await etagOf("/rss.xml", { files: edited })).not.toBe(await etagOf("/rss.xml"));
    expect(await etagOf("/sections/business/atom.xml", { files: edited })).not.toBe(await etagOf("/sections/business/atom.xml"));
    expect(await etagOf("/sections/city/atom.xml", { files: edited })).toBe(await etagOf("/sections/city/atom.xml"));
  });

  const EVERY_FEED = [
    "/rss.xml",
    "/atom.xml",
    "/feed.json",
    "/sections/business/rss.xml",
    "/tags/energy/atom.xml",
    "/archive/1/feed.json",
    "/feeds.opml",
  ];

  it.each([
    ["PREVIEW_TOKEN", { PREVIEW_TOKEN: "a-secret-of-sixteen-chars" }],
    ["another PREVIEW_TOKEN", { PREVIEW_TOKEN: "another-secret-of-16+" }],
    ["every cache lifetime", { CACHE_MAX_AGE: "5", CACHE_S_MAXAGE: "7", CACHE_STALE_WHILE_REVALIDATE: "9", ARCHIVE_MAX_AGE: "11" }],
  ])("of every feed stays the same when %s changes (it shapes no byte)", async (_name, vars) => {
    for (const path of EVERY_FEED) expect(await etagOf(path, { vars }), path).toBe(await etagOf(path));
  });

  it.each([
    ["SITE_TITLE", { SITE_TITLE: "Other News" }],
    ["SITE_DESCRIPTION", { SITE_DESCRIPTION: "Something else." }],
    ["WEBSUB_HUB", { WEBSUB_HUB: "https://hub.example/" }],
  ])("of the site feed changes with %s, which shapes the bytes", async (_name, vars) => {
    expect(await etagOf("/rss.xml", { vars })).not.toBe(await etagOf("/rss.xml"));
  });

  it("changes when an article's title changes, in the feeds that carry it", async () => {
    const retitled = {
      ...NEWSROOM,
      "2026/metro.md": NEWSROOM["2026/metro.md"]!.toString().replace("Metro line opens", "Metro line opens early"),
    };
    for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/sections/city/rss.xml", "/tags/transport/feed.json"]) {
      expect(await etagOf(path, { files: retitled }), path).not.toBe(await etagOf(path));
    }
    expect(await etagOf("/sections/business/rss.xml", { files: retitled })).toBe(await etagOf("/sections/business/rss.xml"));
  });
});

describe("body cache", () => {
  it("renders a feed once per content version and serves the same bytes from the cache", async () => {
    const { get, renders } = setup({ cached: true });
    const a = await (await get("/atom.xml")).text();
    const b = await (await get("/atom.xml")).text();
    const c = await (await get("/atom.xml", {}, "HEAD")).text();
    expect(b).toBe(a);
    expect(c).toBe("");
    expect(renders()).toBe(1);
    await get("/atom.xml?limit=1");
    expect(renders()).toBe(2);
  });

  it("renders every time without a cache (the control)", async () => {
    const { get, renders } = setup();
    await get("/atom.xml");
    await get("/atom.xml");
    expect(renders()).toBe(2);
  });
});

describe("errors", () => {
  it.each([
    {
      accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
      type: "text/html; charset=utf-8",
      marker: "<!doctype html>",
    },
    { accept: "application/json", type: "application/problem+json", marker: '"status": 404' },
    { accept: "", type: "application/problem+json", marker: '"title": "Not Found"' },
    { accept: "text/html;q=0, */*", type: "application/problem+json", marker: '"instance": "/no/such/page"' },
  ])("404 for Accept: $accept", async ({ accept, type, marker }) => {
    const { get } = setup();
    const res = await get("/no/such/page", accept ? { Accept: accept } : {});
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("vary")).toBe("Accept");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toContain(marker);
  });

  it("sends nosniff on every response", async () => {
    const { get } = setup();
    for (const path of ["/", "/rss.xml", "/feeds.opml", "/rss.xml?limit=0", "/missing", "/images/none.jpg", "/archive/99/rss.xml"]) {
      expect((await get(path)).headers.get("x-content-type-options"), path).toBe("nosniff");
    }
  });

  it("turns a failing source into a 500 problem, logged", async () => {
    const logged: string[] = [];
    const app = appOver({
      source: { name: "broken", list: async () => Promise.reject(new Error("disk on fire")), read: async () => null },
      site: testSite(),
      now: () => NOW,
      log: (m) => logged.push(m),
    });
    const res = await app.request(`${URL_BASE}/rss.xml`);
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.text()).not.toContain("disk on fire");
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ event: "error", message: "disk on fire", path: "/rss.xml" });
  });
});

// Keeps the newsroom helper honest: the fixture the other suites use is the one tested here.
it("newsroom() serves the same content as NEWSROOM", async () => {
  const app = appOver({ source: newsroom(), site: testSite(), now: () => NOW, log: () => {} });
  expect(await (await app.request(`${URL_BASE}/rss.xml`)).text()).toContain("Metro line opens");
});
