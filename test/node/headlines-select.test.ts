// selectHeadlines reads section lists instead of scanning the archive: it must pick what the scan picked.
import { describe, expect, it } from "vitest";
import { generateArchive } from "../../bench/generate-archive.ts";
import type { ArticleRecord } from "../../src/core/article.ts";
import { type Catalog, firstPublishedIndex, loadCatalog } from "../../src/core/catalog.ts";
import { selectHeadlines } from "../../src/core/headlines.ts";
import type { HeadlinesPlan } from "../../src/core/partners.ts";
import { slugify } from "../../src/core/text.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { site } from "../support/site.ts";

const files = Object.fromEntries([...generateArchive({ count: 200, seed: 5 })].map((f) => [f.path, f.data]));
const catalog = await loadCatalog(createMemorySource(files), site);

/** The straightforward definition: every published article, newest first, kept when its section is wanted. */
function scan(c: Catalog, now: Date, sections: readonly string[] | null, limit: number): readonly ArticleRecord[] {
  const published = c.articles.slice(firstPublishedIndex(c, now));
  return published.filter((r) => !sections || (r.section !== undefined && sections.includes(slugify(r.section)))).slice(0, limit);
}

describe("selectHeadlines", () => {
  const times = [new Date("2030-01-01T00:00:00Z"), catalog.articles[37]!.published, catalog.articles[190]!.published];
  it.each([
    [null, 5],
    [["news"], 5],
    [["news", "business"], 10],
    [["sport", "science", "culture"], 50],
    [["opinion", "no-such-section"], 3],
    [["energy", "energy"], 7],
  ] as const)("sections %j, limit %i", (sections, limit) => {
    for (const now of times) {
      const plan: HeadlinesPlan = { sections: sections ?? undefined, limit, utm: [], origins: ["*"] };
      expect(selectHeadlines(catalog, now, plan).map((r) => r.slug)).toEqual(scan(catalog, now, sections, limit).map((r) => r.slug));
    }
  });
});
