// Cache-Tag: each kind of cacheable answer names what it depends on, so that the purges of a publish, a delete and a
// release (test/worker/edge-cache.test.ts) drop exactly it; answers no shared cache may keep carry none.
import { describe, expect, it } from "vitest";
import {
  articleTag,
  cacheTagHeader,
  feedTag,
  imageTag,
  isSharedCacheable,
  scopeTag,
  tagsOfChange,
  tagsOfRelease,
} from "../../src/http/cache-tags.ts";
import { appOver } from "../support/app.ts";
import { fixtureSite, fixtureSource, NOW, PREVIEW_TOKEN } from "../support/embed-fixture.ts";

const ORIGIN = "https://feeds.example.com";
const app = appOver({ source: fixtureSource(), site: fixtureSite(ORIGIN, { PREVIEW_TOKEN }), now: () => NOW, log: () => {} });
const tagsOf = (res: Response) => res.headers.get("Cache-Tag")?.split(",").sort() ?? null;

describe("the Cache-Tag of each kind of answer", () => {
  it.each([
    ["the site's feed", "/rss.xml", 200, ["feed:home:rss", "scope:home", "site"]],
    ["the site's feed, another format", "/feed.json", 200, ["feed:home:json", "scope:home", "site"]],
    ["a `?limit` of it (the same tags: purged with it)", "/atom.xml?limit=2", 200, ["feed:home:atom", "scope:home", "site"]],
    ["a section's feed", "/sections/news/rss.xml", 200, ["feed:sections/news:rss", "scope:sections/news", "site"]],
    ["a section's archive page", "/sections/news/archive/1/atom.xml", 200, ["feed:sections/news:atom", "scope:sections/news", "site"]],
    ["a tag's feed", "/tags/security/feed.json", 200, ["feed:tags/security:json", "scope:tags/security", "site"]],
    ["an author's feed", "/authors/jane/rss.xml", 200, ["feed:authors/jane:rss", "scope:authors/jane", "site"]],
    ["another spelling's redirect", "/sections/News/rss.xml", 301, ["feed:sections/news:rss", "scope:sections/news", "site"]],
    ["the OPML list", "/feeds.opml", 200, ["index", "site"]],
    ["the home page", "/", 200, ["index", "scope:home", "site"]],
    ["a section's page", "/sections/news/", 200, ["scope:sections/news", "site"]],
    ["a page without its slash (redirect)", "/sections/news", 301, ["scope:sections/news", "site"]],
    ["an author's page", "/authors/jane/", 200, ["scope:authors/jane", "site"]],
    ["an article's page", "/articles/ferry", 200, ["article:ferry", "site"]],
    ["an image", "/images/photo.jpg", 200, ["image:images/photo.jpg", "site"]],
    ["the partner headlines", "/headlines.json", 200, ["headlines", "site"]],
    ["the iframe page", "/embed/headlines?section=news", 200, ["headlines", "site"]],
    ["the sitemap index", "/sitemap.xml", 200, ["index", "site"]],
    ["a pages sitemap", "/sitemaps/pages-1.xml", 200, ["index", "site"]],
    ["an articles sitemap", "/sitemaps/articles-1.xml", 200, ["index", "site"]],
    ["the news sitemap", "/sitemap-news.xml", 200, ["index", "site"]],
    ["robots.txt", "/robots.txt", 200, ["site"]],
    ["a 404", "/nothing-here", 404, ["not-found", "site"]],
    ["a 404 for an embargoed article's page", "/articles/embargoed", 404, ["not-found", "site"]],
  ])("%s: %s → %i", async (_kind, path, status, tags) => {
    const res = await app.request(ORIGIN + path);
    expect(res.status).toBe(status);
    expect(tagsOf(res)).toEqual(tags);
  });

  it("a 304 carries the tags of its 200 (a cache revalidating keeps them)", async () => {
    const first = await app.request(`${ORIGIN}/sections/news/rss.xml`);
    const again = await app.request(`${ORIGIN}/sections/news/rss.xml`, { headers: { "If-None-Match": first.headers.get("ETag")! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("Cache-Tag")).toBe(first.headers.get("Cache-Tag"));
  });

  it.each([
    ["a preview (keyed without the editor's cookie, so never shared)", "/preview/ferry", {}, 200],
    ["a preview's 404 for a draft", "/preview/draft", {}, 404],
    ["the sign-in form", "/preview", {}, 200],
    ["a refused query", "/rss.xml?limit=0", {}, 400],
    ["a preview with the token", "/preview/draft", { Authorization: `Bearer ${PREVIEW_TOKEN}` }, 200],
  ])("none on %s", async (_kind, path, headers, status) => {
    const res = await app.request(ORIGIN + path, { headers });
    expect(res.status).toBe(status);
    expect(res.headers.get("Cache-Control")).toMatch(/no-store/);
    expect(res.headers.get("Cache-Tag")).toBeNull();
  });
});

describe("tag values", () => {
  it.each([
    [scopeTag("home"), "scope:home"],
    [scopeTag("sections/world-news"), "scope:sections/world-news"],
    // Slugs keep letters of any script: tags must be printable ASCII.
    [scopeTag("tags/نفت"), "scope:tags/%D9%86%D9%81%D8%AA"],
    [feedTag("authors/jane", "atom"), "feed:authors/jane:atom"],
    [articleTag("ferry"), "article:ferry"],
    [imageTag("images/2025/a b.jpg"), "image:images/2025/a%20b.jpg"],
  ])("%s", (tag, expected) => {
    expect(tag).toBe(expected);
    expect(tag).toMatch(/^[\x21-\x7e]{1,1024}$/);
  });

  it("stays within a purge's 1,024 characters for the longest names, as a hash of the name", () => {
    const long = articleTag("a".repeat(2000));
    expect(long).toMatch(/^article:#[0-9a-f]{16}$/);
    expect(articleTag("b".repeat(2000))).not.toBe(long);
  });

  it("joins tags once each, in order", () => {
    expect(cacheTagHeader(["scope:home", "site", "scope:home"])).toBe("scope:home,site");
  });

  it.each([
    [null, true],
    ["public, max-age=60", true],
    ["public, max-age=0, s-maxage=0", true],
    ["no-store", false],
    ["private, no-store", false],
    ["private, max-age=60", false],
  ])("a shared cache may keep an answer with Cache-Control %j: %s", (value, expected) => {
    expect(isSharedCacheable(value)).toBe(expected);
  });
});

describe("what a change purges", () => {
  const change = {
    scopes: ["home", "sections/energy", "tags/oil"],
    slugs: ["pipeline"],
    images: ["images/pipe.jpg"],
    registries: [] as const,
    now: NOW,
  };

  it("a publish: its lists, pages and images, and the site-wide lists, 404s and headlines", () => {
    expect(tagsOfChange(change).sort()).toEqual([
      "article:pipeline",
      "headlines",
      "image:images/pipe.jpg",
      "index",
      "not-found",
      "scope:home",
      "scope:sections/energy",
      "scope:tags/oil",
    ]);
  });

  it("a registry: everything", () => {
    expect(tagsOfChange({ ...change, registries: ["authors.yaml"] })).toEqual(["site"]);
  });

  it("a release: each released article's lists and page, once each", () => {
    const released = [
      { slug: "a", published: NOW, scopes: ["home", "sections/energy"] },
      { slug: "b", published: NOW, scopes: ["home", "tags/oil"] },
    ];
    expect(tagsOfRelease(released).sort()).toEqual([
      "article:a",
      "article:b",
      "headlines",
      "index",
      "not-found",
      "scope:home",
      "scope:sections/energy",
      "scope:tags/oil",
    ]);
    expect(tagsOfRelease([])).toEqual([]);
  });
});
