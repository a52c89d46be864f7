// Section, tag and author feeds, the OPML list of every feed, and ?limit, through app.request() on Node.
import { describe, expect, it } from "vitest";
import { FORMATS } from "../../src/formats/index.ts";
import { appOver } from "../support/app.ts";
import { EMBARGO, NOW, newsroom, testSite } from "../support/http-fixtures.ts";

const BASE = "https://news.example";

function setup(now = NOW) {
  const app = appOver({ source: newsroom(), site: testSite(), now: () => now, log: () => {} });
  return (path: string, init?: RequestInit) => app.request(`http://localhost${path}`, init);
}

const FACETS = [
  {
    path: "/sections/business/",
    title: "Example News: Business",
    items: ["Gas prices fall", "Oil deal signed"],
    lastModified: "Thu, 08 Jan 2026 10:30:00 GMT",
  },
  {
    path: "/sections/world-news/",
    title: "Example News: World News",
    items: ["Election called"],
    lastModified: "Wed, 07 Jan 2026 09:00:00 GMT",
  },
  {
    path: "/tags/baku/",
    title: "Example News: tagged “Baku”",
    items: ["Metro line opens", "Oil deal signed"],
    lastModified: "Fri, 09 Jan 2026 09:00:00 GMT",
  },
  {
    path: "/authors/ana-lima/",
    title: "Example News: Ana Lima",
    items: ["Election called", "Oil deal signed"],
    lastModified: "Wed, 07 Jan 2026 09:00:00 GMT",
  },
  {
    path: "/authors/ben-ode/",
    title: "Example News: Ben Ode",
    items: ["Metro line opens", "Gas prices fall"],
    lastModified: "Fri, 09 Jan 2026 09:00:00 GMT",
  },
];
const ALL_TITLES = ["Metro line opens", "Election called", "Gas prices fall", "Oil deal signed", "Summit preview"];

describe.each(FACETS)("$path", ({ path, title, items, lastModified }) => {
  it.each(FORMATS.map((f) => [f.file, f] as const))("%s has its own title, self link, items and validators", async (file, format) => {
    const get = setup();
    const res = await get(path + file);
    const body = await res.text();
    expect(res.status, body).toBe(200);
    expect(res.headers.get("content-type")).toBe(format.contentType);
    expect(res.headers.get("last-modified")).toBe(lastModified);
    expect(body).toContain(format.id === "json" ? JSON.stringify(title) : title.replaceAll("&", "&amp;"));
    expect(body).toContain(`${BASE}${path}${file}`);
    for (const t of ALL_TITLES) {
      if (items.includes(t)) expect(body).toContain(t);
      else expect(body, t).not.toContain(`${t}<`); // item titles, not the channel's
    }
    const positions = items.map((t) => body.indexOf(t));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const home = await get(`/${file}`);
    expect(res.headers.get("etag")).not.toBe(home.headers.get("etag"));
    const again = await get(path + file, { headers: { "If-None-Match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });
});

describe("facet names", () => {
  it.each([
    { path: "/sections/nope/rss.xml", status: 404 },
    { path: "/tags/nope/atom.xml", status: 404 },
    { path: "/authors/nobody/feed.json", status: 404 },
    { path: "/categories/business/rss.xml", status: 404 },
    { path: "/sections/business/index.xml", status: 404 },
    // Only embargoed articles: the section does not exist yet.
    { path: "/sections/diplomacy/rss.xml", status: 404 },
    { path: "/tags/summit/rss.xml", status: 404 },
  ])("$path is $status", async ({ path, status }) => {
    const res = await setup()(path);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("opens an embargoed section's feed when its first article is published", async () => {
    const res = await setup(EMBARGO)("/sections/diplomacy/rss.xml");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Summit preview");
  });

  it.each([
    { path: "/sections/World%20News/rss.xml", location: `${BASE}/sections/world-news/rss.xml` },
    { path: "/sections/BUSINESS/atom.xml?limit=1", location: `${BASE}/sections/business/atom.xml?limit=1` },
    { path: "/tags/Baku/archive/1/feed.json", location: `${BASE}/tags/baku/archive/1/feed.json` },
  ])("redirects $path to the slug form", async ({ path, location }) => {
    const res = await setup()(path);
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(location);
  });
});

describe("/feeds.opml", () => {
  it("lists every feed as OPML 2.0, each of which answers", async () => {
    const get = setup();
    const res = await get("/feeds.opml");
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/x-opml; charset=utf-8");
    expect(res.headers.get("etag")).toMatch(/^"opml-/);
    expect(body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<opml version="2.0">/);
    const urls = [...body.matchAll(/xmlUrl="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toEqual([
      `${BASE}/rss.xml`,
      `${BASE}/sections/business/rss.xml`,
      `${BASE}/sections/city/rss.xml`,
      `${BASE}/sections/world-news/rss.xml`,
      `${BASE}/tags/baku/rss.xml`,
      `${BASE}/tags/energy/rss.xml`,
      `${BASE}/tags/politics/rss.xml`,
      `${BASE}/tags/transport/rss.xml`,
      `${BASE}/authors/ana-lima/rss.xml`,
      `${BASE}/authors/ben-ode/rss.xml`,
    ]);
    for (const url of urls) expect((await get(url.slice(BASE.length))).status, url).toBe(200);
    expect((await get("/feeds.opml", { headers: { "If-None-Match": res.headers.get("etag")! } })).status).toBe(304);
  });

  it("gains the embargoed article's new feeds when it is published", async () => {
    const body = await (await setup(EMBARGO)("/feeds.opml")).text();
    expect(body).toContain(`${BASE}/sections/diplomacy/rss.xml`);
    expect(body).toContain(`${BASE}/tags/summit/rss.xml`);
  });
});

describe("?limit", () => {
  it.each([
    { query: "?limit=1", items: 1 },
    { query: "?limit=3", items: 3 },
    { query: "?limit=100", items: 4 },
    { query: "", items: 4 },
    { query: "?other=1", items: 4 },
  ])("$query gives $items items", async ({ query, items }) => {
    const res = await setup()(`/feed.json${query}`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { items: unknown[]; feed_url: string };
    expect(doc.items).toHaveLength(items);
    expect(doc.feed_url).toBe(`${BASE}/feed.json`);
  });

  it.each(["0", "101", "abc", "1.5", "-1", "", "1e1", "+5", " 5", "99999999999999999999", "5&limit=6"])(
    "limit=%s is a 400 problem",
    async (value) => {
      const res = await setup()(`/rss.xml?limit=${value}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const problem = (await res.json()) as { status: number; detail: string };
      expect(problem.status).toBe(400);
      expect(problem.detail).toContain("limit must be a whole number from 1 to 100");
    },
  );
});
