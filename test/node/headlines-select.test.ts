// selectHeadlines reads section lists instead of scanning the archive: it must pick what the scan picked.
import { describe, expect, it } from "vitest";
import { generateArchive } from "../../bench/generate-archive.ts";
import type { ArticleRecord } from "../../src/core/article.ts";
import { loadContent } from "../../src/core/content.ts";
import { selectHeadlines } from "../../src/core/headlines.ts";
import { createMemoryCatalog } from "../../src/core/memory-catalog.ts";
import type { HeadlinesPlan } from "../../src/core/partners.ts";
import { slugify } from "../../src/core/text.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { site } from "../support/site.ts";

const source = createMemorySource(Object.fromEntries([...generateArchive({ count: 200, seed: 5 })].map((f) => [f.path, f.data])));
const content = await loadContent(source, site);
const catalog = createMemoryCatalog(content, source);

/** The straightforward definition: every published article, newest first, kept when its section is wanted. */
function scan(now: Date, sections: readonly string[] | null, limit: number): readonly ArticleRecord[] {
  const published = content.records.filter((r) => r.published <= now);
  return published.filter((r) => !sections || (r.section !== undefined && sections.includes(slugify(r.section)))).slice(0, limit);
}

describe("selectHeadlines", () => {
  const times = [new Date("2030-01-01T00:00:00Z"), content.records[37]!.published, content.records[190]!.published];
  it.each([
    [null, 5],
    [["news"], 5],
    [["news", "business"], 10],
    [["sport", "science", "culture"], 50],
    [["opinion", "no-such-section"], 3],
    [["energy", "energy"], 7],
  ] as const)("sections %j, limit %i", async (sections, limit) => {
    for (const now of times) {
      const plan: HeadlinesPlan = { sections: sections ?? undefined, limit, utm: [], origins: ["*"] };
      const picked = await selectHeadlines(catalog, now, plan);
      expect(picked.map((r) => r.slug)).toEqual(scan(now, sections, limit).map((r) => r.slug));
    }
  });
});
