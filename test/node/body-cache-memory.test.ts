// The worst case of issue 9 against the worker's body cache: 5 MB of long reads and 40 `?limit` variants per format,
// through createApp and the same body cache the worker builds, with the heap read before and after.
import { describe, expect, it } from "vitest";
import { createMemoryCache, ISOLATE_CACHE_LIMITS } from "../../src/http/body-cache.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";
import { AUTHORS_YAML, articleText, testSite } from "../support/http-fixtures.ts";

const MiB = 1024 * 1024;
const NOW = new Date("2026-01-10T12:00:00Z");
const VARIANTS = 40;
const FILES = ["rss.xml", "atom.xml", "feed.json"];
/**
 * What the heap may gain beyond the cache's budget between two collections: allocator and compiler noise, the
 * request bookkeeping of Hono and vitest (the first case below grows by under 1 MiB in all), and well below what the
 * count-bounded cache kept (32 bodies: 145 MiB and 27 MiB in these two cases, measured before the byte budget).
 */
const SLACK = 4 * MiB;

/** Plain paragraphs (no markup to escape), about `bytes` long. */
function bodyOf(bytes: number): string {
  const paragraph = `${"The delegation discussed the corridor, the port and the tariffs at length. ".repeat(12)}\n\n`;
  return paragraph.repeat(Math.ceil(bytes / paragraph.length));
}

/** The largest body one article may have is 512 KiB (src/core/limits.ts): a huge feed is several long reads. */
const LONG_READ_BYTES = 480 * 1024;

/** How many long reads make `bigBytes`. */
const longReads = (bigBytes: number): number => Math.ceil(bigBytes / LONG_READ_BYTES);

/**
 * Long reads of `bigBytes` together, newest, then VARIANTS small articles, so `?limit=n…n+VARIANTS-1` (n long reads)
 * are distinct documents that all hold every long read.
 */
function archiveWith(bigBytes: number) {
  const files: Record<string, string> = { "authors.yaml": AUTHORS_YAML };
  const n = longReads(bigBytes);
  for (let i = 0; i < n; i++) {
    const date = new Date(Date.UTC(2026, 0, 10, 9) - i * 60_000).toISOString();
    files[`big/long-${i}.md`] = articleText({ title: `The long read ${i}`, date, section: "Features", body: bodyOf(bigBytes / n) });
  }
  for (let i = 0; i < VARIANTS; i++) {
    files[`small/a${i}.md`] = articleText({ title: `Brief ${i}`, date: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString() });
  }
  return createMemorySource(files);
}

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc (vitest.node.config.ts sets execArgv)");
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers; // bodies are Uint8Arrays: their bytes are outside heapUsed, in arrayBuffers
}

async function driveVariants(bigBytes: number) {
  const cache = createMemoryCache(ISOLATE_CACHE_LIMITS);
  const app = appOver({
    source: archiveWith(bigBytes),
    site: testSite(),
    now: () => NOW,
    cache,
    log: () => {},
  });
  // Load the catalog and render the article's markdown once (memoised), so only what the cache keeps is measured.
  for (const file of FILES) await (await app.request(`/${file}`)).arrayBuffer();
  const before = collect();
  const sizes: number[] = [];
  const n = longReads(bigBytes);
  for (const file of FILES) {
    for (let limit = n; limit < n + VARIANTS; limit++) {
      const res = await app.request(`/${file}?limit=${limit}`);
      expect(res.status).toBe(200);
      sizes.push((await res.arrayBuffer()).byteLength);
    }
  }
  const grown = collect() - before;
  return { grown, sizes, cache, app };
}

describe("memory of the isolate's body cache", () => {
  it("keeps none of 120 variants of a 5 MB feed (over the per-body cap): the heap does not grow with them", async () => {
    const { grown, sizes, cache } = await driveVariants(5 * MiB);
    expect(Math.min(...sizes)).toBeGreaterThan(5 * MiB); // every variant holds every long read
    // Nothing is kept: every document holds every long read, over the per-body cap.
    expect(cache.size).toBe(0);
    // The count-bounded cache kept 32 of these bodies: over 160 MB, beyond the 128 MB isolate limit.
    expect(grown).toBeLessThan(ISOLATE_CACHE_LIMITS.maxBytes + SLACK);
  });

  it("keeps variants under the per-body cap within the byte budget", async () => {
    const { grown, sizes } = await driveVariants(0.9 * MiB);
    expect(Math.max(...sizes)).toBeLessThan(ISOLATE_CACHE_LIMITS.maxEntryBytes); // all small enough to be kept…
    expect(Math.min(...sizes) * 32).toBeGreaterThan(ISOLATE_CACHE_LIMITS.maxBytes + SLACK); // …and 32 of them would not fit
    expect(grown).toBeLessThan(ISOLATE_CACHE_LIMITS.maxBytes + SLACK);
  });
});
