// The benchmark archive generator, and the prebuilt archive index that serves the largest archives: the indexed path
// must give exactly the bytes the file-by-file path gives on the same articles.
import { describe, expect, it } from "vitest";
import { type GeneratedFile, generateArchive } from "../../bench/generate-archive.ts";
import { INDEX_FILE, loadIndexedCatalog, recordFile } from "../../src/core/archive-index.ts";
import { HOME } from "../../src/core/catalog.ts";
import { loadContent } from "../../src/core/content.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";
import { indexFiles } from "../support/catalogs.ts";

const site = parseSettings({
  SITE_URL: "https://news.example.com",
  SITE_TITLE: "Bench",
  SITE_DESCRIPTION: "Generated archive",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "Europe/London",
  FEED_ITEMS: "20",
});
const now = new Date("2026-01-01T00:00:00Z");

const toFiles = (files: Iterable<GeneratedFile>): MemoryFiles => Object.fromEntries([...files].map((f) => [f.path, f.data]));
const archive = toFiles(generateArchive({ count: 60, seed: 7 }));

describe("generate-archive", () => {
  it("writes valid articles of realistic size, with 1–3 authors, a section, tags and a lead image", async () => {
    const content = await loadContent(createMemorySource(archive), site);
    expect(content.issues).toEqual([]);
    expect(content.warnings).toEqual([]);
    expect(content.records).toHaveLength(60);
    for (const a of content.records) {
      expect(a.authors.length).toBeGreaterThanOrEqual(1);
      expect(a.authors.length).toBeLessThanOrEqual(3);
      expect(a.section).toBeTruthy();
      expect(a.tags.length).toBeGreaterThanOrEqual(2);
      expect(a.image?.width).toBeGreaterThan(0);
      const words = a.body.split(/\s+/).filter(Boolean).length;
      expect(words).toBeGreaterThanOrEqual(800);
      expect(words).toBeLessThan(1000);
    }
    expect(content.images.size).toBe(15); // one in four lead images is a local file
    expect(new Set(content.records.map((r) => r.section)).size).toBeGreaterThan(3);
  });

  it("is deterministic for a count and seed, and differs by seed", () => {
    expect(toFiles(generateArchive({ count: 60, seed: 7 }))).toEqual(archive);
    expect(toFiles(generateArchive({ count: 60, seed: 8 }))).not.toEqual(archive);
  });
});

describe("archive index", () => {
  it("serves the same feed and image bytes as the file-by-file catalog", async () => {
    const plain = appOver({ source: createMemorySource(archive), site, now: () => now });
    const indexed = appOver({
      source: createMemorySource(await indexFiles(archive, site)),
      site,
      now: () => now,
      loadCatalog: (source, s) => loadIndexedCatalog(source, s, { recordBudget: 20_000 }), // smaller than a feed: evicts
    });
    const image = Object.keys(archive).find((p) => p.startsWith("images/"))!;
    const firstSlug = (await loadContent(createMemorySource(archive), site)).records[3]!.slug;
    const paths = [
      "/rss.xml",
      "/atom.xml",
      "/feed.json",
      "/rss.xml",
      "/sections/news/rss.xml",
      "/archive/1/atom.xml",
      "/archive/2/feed.json",
      "/feeds.opml",
      `/${image}`,
      "/",
      `/articles/${firstSlug}`,
      "/headlines.json",
      "/headlines.json?section=news,business&limit=10",
    ];
    for (const path of paths) {
      const [a, b] = await Promise.all([plain.request(path), indexed.request(path)]);
      expect(b.status, path).toBe(200);
      for (const header of ["content-type", "etag", "last-modified", "cache-control", "link"]) {
        expect(b.headers.get(header), `${path} ${header}`).toBe(a.headers.get(header));
      }
      expect(new Uint8Array(await b.arrayBuffer())).toEqual(new Uint8Array(await a.arrayBuffer()));
    }
    const etag = (await indexed.request("/sections/news/atom.xml")).headers.get("etag")!;
    expect((await indexed.request("/sections/news/atom.xml", { headers: { "If-None-Match": etag } })).status).toBe(304);
  });

  it("refuses an index built for other site settings", async () => {
    const files = await indexFiles(archive, site);
    const other = { ...site, url: "https://elsewhere.example.com" };
    await expect(loadIndexedCatalog(createMemorySource(files), other).countPublished(HOME, now)).rejects.toBeInstanceOf(ConfigError);
    await expect(loadIndexedCatalog(createMemorySource({}), site).countPublished(HOME, now)).rejects.toThrow(INDEX_FILE);
  });

  it.each([
    ["baku-visit-2025", "records/baku-visit-2025.json"],
    ["a_b", "records/a_5fb.json"],
    ["a b", "records/a_20b.json"],
    ["تهران-مترو", "records/_d8_aa_d9_87_d8_b1_d8_a7_d9_86-_d9_85_d8_aa_d8_b1_d9_88.json"],
  ])("names the record file of %s safely", (slug, file) => {
    expect(recordFile(slug)).toBe(file);
  });
});
