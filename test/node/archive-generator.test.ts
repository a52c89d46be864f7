// The benchmark archive generator: valid, realistic, deterministic articles.
import { describe, expect, it } from "vitest";
import { type GeneratedFile, generateArchive } from "../../bench/generate-archive.ts";
import { loadContent } from "../../src/core/content.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";

const site = parseSettings({
  SITE_URL: "https://news.example.com",
  SITE_TITLE: "Bench",
  SITE_DESCRIPTION: "Generated archive",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "Europe/London",
  FEED_ITEMS: "20",
});

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

  it("writes short briefs on request, still valid and with every other field", async () => {
    const content = await loadContent(createMemorySource(toFiles(generateArchive({ count: 40, seed: 7, body: "short" }))), site);
    expect(content.issues).toEqual([]);
    expect(content.records).toHaveLength(40);
    for (const a of content.records) {
      const words = a.body.split(/\s+/).filter(Boolean).length;
      expect(words).toBeGreaterThanOrEqual(36);
      expect(words).toBeLessThanOrEqual(72);
      expect(a.tags.length).toBeGreaterThanOrEqual(2);
    }
  });

  it("yields the same files oldest first, each image before its article, across chunk boundaries", () => {
    const count = 2100; // three chunks of generation, the last one partial
    const newestFirst = [...generateArchive({ count, seed: 7 })];
    const oldestFirst = [...generateArchive({ count, seed: 7, order: "oldest-first" })];
    expect(toFiles(oldestFirst)).toEqual(toFiles(newestFirst));
    const dates = oldestFirst.filter((f) => f.path.endsWith(".md")).map((f) => /^date: (.+)$/m.exec(String(f.data))![1]!);
    expect(dates).toEqual([...dates].sort());
    expect(oldestFirst[0]!.path).toBe("authors.yaml");
    oldestFirst.forEach((file, i) => {
      if (!file.path.startsWith("images/")) return;
      const article = oldestFirst[i + 1]!;
      expect(article.path.endsWith(".md") && String(article.data).includes(`src: /${file.path}`)).toBe(true);
    });
  });

  it("is deterministic for a count and seed, and differs by seed", () => {
    expect(toFiles(generateArchive({ count: 60, seed: 7 }))).toEqual(archive);
    expect(toFiles(generateArchive({ count: 60, seed: 8 }))).not.toEqual(archive);
  });
});
