// Sitemaps and robots.txt (issue 10 item 6): the index and its files, the Google News sitemap of the last two days,
// validated with xmllint against the sitemaps.org XSD (shipped by the npm package `sitemap`) and read by that package's
// strict parsers and validators; HTTP validators and lifetimes like feeds; and, over a computed million-article
// catalog, files of at most 50,000 URLs counted from the oldest article, each read with one slice.
import { describe, expect, it } from "vitest";
import { parseSettings } from "../../src/core/settings.ts";
import { newsLanguage } from "../../src/formats/sitemap.ts";
import { createApp } from "../../src/http/app.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";
import { readSitemap, readSitemapIndex, SITEMAP_XSD, xmllint, xmllintSchema } from "../support/judges.ts";
import { FIXTURE_DIR, NOW, SITE_INPUT, site } from "../support/site.ts";
import { syntheticCatalog } from "../support/synthetic-catalog.ts";

const app = appOver({ source: createDirectorySource(FIXTURE_DIR), site, now: () => NOW, log: () => {} });
const BASE = site.url;

async function get(target: { request: (p: string, i?: RequestInit) => Response | Promise<Response> }, path: string, init?: RequestInit) {
  const res = await target.request(path, init);
  return { res, body: await res.text() };
}

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);

describe("robots.txt", () => {
  it("names both sitemaps and keeps crawlers out of the editors' preview", async () => {
    const { res, body } = await get(app, "/robots.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(body).toBe(`User-agent: *\nDisallow: /preview\n\nSitemap: ${BASE}/sitemap.xml\nSitemap: ${BASE}/sitemap-news.xml\n`);
  });

  it("puts paths under SITE_URL's base path", async () => {
    const based = appOver({
      source: createDirectorySource(FIXTURE_DIR),
      site: parseSettings({ ...SITE_INPUT, SITE_URL: "https://example.org/feeds" }),
      now: () => NOW,
      log: () => {},
    });
    const { body } = await get(based, "/robots.txt");
    expect(body).toContain("Disallow: /feeds/preview\n");
    expect(body).toContain("Sitemap: https://example.org/feeds/sitemap.xml\n");
  });
});

describe("/sitemap.xml and its files", () => {
  it("is an index of the pages file and the articles file, which the sitemap package's parser reads", async () => {
    const { res, body } = await get(app, "/sitemap.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    expect(xmllint(body)).toBe("");
    const index = await readSitemapIndex(body);
    expect(index.map((i) => i.url)).toEqual([`${BASE}/sitemaps/pages-1.xml`, `${BASE}/sitemaps/articles-1.xml`]);
  });

  it("lists every published article's page with its last modification, and nothing else, valid against the XSD", async () => {
    const { res, body } = await get(app, "/sitemaps/articles-1.xml");
    expect(res.status).toBe(200);
    expect(xmllintSchema(body, SITEMAP_XSD)).toBe("");
    const items = await readSitemap(body);
    expect(items.map((i) => [i.url, i.lastmod])).toEqual([
      [`${BASE}/articles/q-and-a-instc`, "2025-05-05T07:45:00Z"],
      [`${BASE}/articles/oil-gas-baku-energy-week`, "2025-05-02T23:00:00Z"],
      [`${BASE}/articles/caspian-corridor-analysis`, "2025-05-04T12:30:00Z"], // its `updated`
      [`${BASE}/articles/iran-azerbaijan-de-escalation`, "2025-04-28T13:10:00Z"],
      [`${BASE}/articles/tehran-metro-fa`, "2025-04-22T09:00:00Z"],
    ]);
    for (const item of items) expect((await app.request(item.url.slice(BASE.length))).status, item.url).toBe(200);
  });

  it("lists the home page and every section, tag and author page, each of which answers", async () => {
    const { body } = await get(app, "/sitemaps/pages-1.xml");
    expect(xmllintSchema(body, SITEMAP_XSD)).toBe("");
    const items = await readSitemap(body);
    expect(items[0]).toMatchObject({ url: `${BASE}/`, lastmod: "2025-05-05T07:45:00Z" });
    expect(items.map((i) => i.url)).toEqual(
      expect.arrayContaining([`${BASE}/sections/news/`, `${BASE}/tags/%D8%AA%D9%87%D8%B1%D8%A7%D9%86/`, `${BASE}/authors/reuters/`]),
    );
    expect(items.length).toBeGreaterThan(15);
    for (const item of items) expect((await app.request(item.url.slice(BASE.length) || "/")).status, item.url).toBe(200);
  });

  it("a file that does not exist (yet) is 404", async () => {
    for (const path of ["/sitemaps/articles-2.xml", "/sitemaps/pages-2.xml", "/sitemaps/articles-0.xml", "/sitemaps/articles-01.xml"]) {
      expect((await app.request(path)).status, path).toBe(404);
    }
  });

  it("the XSD check can fail: a lastmod that is no W3C datetime is refused", () => {
    const bad = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${BASE}/x</loc><lastmod>2025-05-02 23:00</lastmod></url></urlset>`;
    expect(xmllintSchema(bad, SITEMAP_XSD)).toContain("lastmod");
  });

  it("answers like a feed: strong ETag, 304 on If-None-Match, Last-Modified, Cache-Control, HEAD, 405", async () => {
    const first = await app.request("/sitemaps/articles-1.xml");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"sitemap-\d+-[0-9a-f]{16}"$/);
    expect(first.headers.get("last-modified")).toBe("Mon, 05 May 2025 07:45:00 GMT");
    expect(first.headers.get("cache-control")).toMatch(/^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+$/);
    const again = await app.request("/sitemaps/articles-1.xml", { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect((await app.request("/sitemap.xml", { method: "HEAD" })).status).toBe(200);
    const post = await app.request("/sitemap.xml", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});

describe("/sitemap-news.xml", () => {
  const at = new Date("2025-05-10T12:00:00Z");
  const article = (title: string, date: string, extra = "") =>
    `---\ntitle: ${JSON.stringify(title)}\ndate: ${date}\n${extra}---\n\nBody.\n`;
  const newsApp = (now: Date) =>
    appOver({
      source: createMemorySource({
        "a.md": article("Fresh & <new>", "2025-05-10T11:00:00Z", "section: News\n"),
        "b.md": article("خبر تازه", "2025-05-09T08:00:00Z", "lang: fa\n"),
        "c.md": article("Traditional", "2025-05-08T12:30:00Z", "lang: zh-Hant\n"),
        "d.md": article("Too old", "2025-05-08T11:59:00Z"),
        "e.md": article("Embargoed", "2025-05-10T12:30:00Z"),
        "f.md": article("Draft", "2025-05-10T10:00:00Z", "draft: true\n"),
      }),
      site,
      now: () => now,
      log: () => {},
    });

  it("lists the articles of the last two days, newest first, with publication, language, date and title", async () => {
    const { res, body } = await get(newsApp(at), "/sitemap-news.xml");
    expect(res.status).toBe(200);
    expect(xmllint(body)).toBe("");
    expect(body).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
    const items = await readSitemap(body);
    expect(items.map((i) => [i.url, i.news])).toEqual([
      [
        `${BASE}/articles/a`,
        { publication: { name: site.title, language: "en" }, publication_date: "2025-05-10T11:00:00Z", title: "Fresh & <new>" },
      ],
      [
        `${BASE}/articles/b`,
        { publication: { name: site.title, language: "fa" }, publication_date: "2025-05-09T08:00:00Z", title: "خبر تازه" },
      ],
      [
        `${BASE}/articles/c`,
        { publication: { name: site.title, language: "zh-tw" }, publication_date: "2025-05-08T12:30:00Z", title: "Traditional" },
      ],
    ]);
  });

  it("is cached no longer than until its oldest article leaves the window", async () => {
    // c.md leaves at 2025-05-10T12:30:00Z; the lifetime is cut at the minute boundary before it.
    const { res } = await get(newsApp(new Date("2025-05-10T12:28:45Z")), "/sitemap-news.xml");
    expect(res.headers.get("cache-control")).toBe("public, max-age=75, s-maxage=75, stale-while-revalidate=0");
  });

  it.each([
    [
      "no title",
      "<news:publication><news:name>N</news:name><news:language>en</news:language></news:publication><news:publication_date>2025-05-10T11:00:00Z</news:publication_date>",
    ],
    [
      "a language that is no ISO 639 code",
      "<news:publication><news:name>N</news:name><news:language>English</news:language></news:publication><news:publication_date>2025-05-10T11:00:00Z</news:publication_date><news:title>T</news:title>",
    ],
    [
      "a date that is not ISO 8601",
      "<news:publication><news:name>N</news:name><news:language>en</news:language></news:publication><news:publication_date>10 May 2025</news:publication_date><news:title>T</news:title>",
    ],
  ])("the news judge can fail: it refuses an entry with %s", async (_, news) => {
    const xml = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>${BASE}/x</loc><news:news>${news}</news:news></url></urlset>`;
    await expect(readSitemap(xml)).rejects.toThrow();
  });

  it("is an empty urlset when nothing was published in two days", async () => {
    const { body } = await get(newsApp(new Date("2025-06-30T00:00:00Z")), "/sitemap-news.xml");
    expect(locs(body)).toEqual([]);
    expect(xmllint(body)).toBe("");
  });
});

describe("newsLanguage (Google News language codes)", () => {
  it.each([
    ["en-GB", "en"],
    ["fa", "fa"],
    ["zh-Hant-TW", "zh-tw"],
    ["zh-TW", "zh-tw"],
    ["zh", "zh-cn"],
    ["zh-Hans", "zh-cn"],
    ["ckb", "ckb"],
  ])("%s → %s", (lang, code) => {
    expect(newsLanguage(lang)).toBe(code);
  });
});

describe("a million articles", () => {
  const COUNT = 1_000_001;
  const newest = new Date("2026-01-01T00:00:00Z");
  const million = () => {
    const { catalog, reads } = syntheticCatalog({ count: COUNT, newest, stepMs: 60_000, site });
    return { app: createApp({ catalog, site, now: () => newest, log: () => {} }), reads };
  };

  it("/sitemap.xml is an index of files of at most 50,000 URLs, and reads no entries", async () => {
    const { app, reads } = million();
    const { body } = await get(app, "/sitemap.xml");
    const files = (await readSitemapIndex(body)).map((i) => i.url);
    expect(files).toEqual([
      `${BASE}/sitemaps/pages-1.xml`,
      ...Array.from({ length: 21 }, (_, i) => `${BASE}/sitemaps/articles-${i + 1}.xml`),
    ]);
    // The site's positions are read with its list (window, asking for no entries): no entry is read.
    expect(reads.calls.filter((c) => c.method !== "publicFacets" && c.returned > 0)).toEqual([]);
  });

  it("file 1 holds the 50,000 oldest articles, is valid, full and cached as archived, read with one slice", async () => {
    const { app, reads } = million();
    const { res, body } = await get(app, "/sitemaps/articles-1.xml");
    expect(reads.calls).toEqual([{ method: "slice", returned: 50_000 }]);
    const urls = locs(body);
    expect(urls).toHaveLength(50_000);
    expect(urls[0]).toBe(`${BASE}/articles/story-49999`);
    expect(urls.at(-1)).toBe(`${BASE}/articles/story-0`);
    expect(xmllintSchema(body, SITEMAP_XSD)).toBe("");
    expect(res.headers.get("cache-control")).toBe("public, max-age=86400, s-maxage=86400, stale-while-revalidate=600");
  });

  it("the last file holds only the newest article; the one after it does not exist", async () => {
    const { app } = million();
    const { body, res } = await get(app, "/sitemaps/articles-21.xml");
    expect(locs(body)).toEqual([`${BASE}/articles/story-1000000`]);
    expect(res.headers.get("cache-control")).not.toContain("86400");
    expect((await app.request("/sitemaps/articles-22.xml")).status).toBe(404);
  });

  it("the news sitemap reads the newest 1,000 entries and articles, no more", async () => {
    const { app, reads } = million();
    const { body } = await get(app, "/sitemap-news.xml");
    expect(locs(body)).toHaveLength(1_000); // two days at one a minute is 2,880; Google takes at most 1,000
    expect(locs(body)[0]).toBe(`${BASE}/articles/story-1000000`);
    expect(reads.calls).toEqual([
      { method: "newest", returned: 1_000 },
      { method: "articles", returned: 1_000 },
    ]);
  });
});
