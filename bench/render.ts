// In-process render cost: this project's renderers against the `feed` package on the same full-content items.
// Markdown is rendered once before timing (the app memoises it per article); what is timed is model → the UTF-8 bytes
// a response carries, for both sides: ours encodes the document's pieces (encodeParts), `feed`'s string is encoded
// whole, as `new Response(string)` would.
import { HOME } from "../src/core/catalog.ts";
import { loadContent } from "../src/core/content.ts";
import { planFeed } from "../src/core/feed-plan.ts";
import { linkQueryFor } from "../src/core/link-query.ts";
import { createMemoryCatalog } from "../src/core/memory-catalog.ts";
import type { Feed } from "../src/core/model.ts";
import type { SiteSettings } from "../src/core/settings.ts";
import { encodeParts } from "../src/core/utf8.ts";
import { FORMATS, renderFeed } from "../src/formats/index.ts";
import { withLinkQuery } from "../src/formats/item-links.ts";
import { createMemorySource } from "../src/sources/memory.ts";
import { renderWithFeedPackage } from "./feed-peer.ts";
import { generateArchive } from "./generate-archive.ts";

export interface Timing {
  iterations: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
}

export interface RenderRow {
  items: number;
  format: string;
  bytes: number;
  /** Every item written from its article each time (markdown already rendered): the cost of a first request. */
  ours: Timing;
  /** Each item's text already written (stored at publish, or memoised): what a request assembles. */
  oursWarm: Timing;
  /**
   * Warm, with FEED_LINK_QUERY set: each stored item's link found, read back and written again with the query (the
   * per-request work the option adds; docs/feeds.md, "Feed options").
   */
  oursWarmLinkQuery?: Timing;
  /** Warm, as excerpts (FEED_CONTENT = excerpt): the stored excerpt items assembled, and the document's bytes. */
  oursWarmExcerpt?: Timing;
  excerptBytes?: number;
  feedPackage: Timing;
  /** feed package median / our median, cold: how many times faster ours is. */
  speedup: number;
  speedupWarm: number;
}

/**
 * Times `fn` for about `budgetMs` after a warm-up. Each result is forced flat before the clock stops: a string built
 * with `+=` is a rope until something reads it, and timing the rope would hide most of the cost.
 */
export function time<T>(
  fn: (input: T) => string | Uint8Array,
  budgetMs: number,
  setup: () => T = () => undefined as T,
  minIterations = 50,
): Timing {
  let sink = 0;
  const warmUntil = performance.now() + Math.min(300, budgetMs / 4);
  while (performance.now() < warmUntil) sink += flatten(fn(setup()));
  const samples: number[] = [];
  const until = performance.now() + budgetMs;
  while (performance.now() < until || samples.length < minIterations) {
    const input = setup(); // not timed
    const start = performance.now();
    const out = fn(input);
    sink += flatten(out);
    samples.push(performance.now() - start);
  }
  if (sink === -1) console.log(sink); // keeps the reads observable
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return {
    iterations: samples.length,
    medianMs: at(0.5),
    p99Ms: at(0.99),
    meanMs: samples.reduce((s, x) => s + x, 0) / samples.length,
  };
}

/** Reading characters of a cons string makes V8 flatten it into one sequential string; bytes are read as they are. */
function flatten(s: string | Uint8Array): number {
  if (typeof s !== "string") return s[s.length - 1]! + s[s.length >> 1]!;
  return s.charCodeAt(s.length - 1) + s.charCodeAt(s.length >> 1);
}

const utf8 = new TextEncoder();

/** The query the link-query rows add: a typical UTM pair, one medium per format. */
const LINK_QUERY = "utm_source=feed&utm_medium={format}";

export async function runRenderBench(site: SiteSettings, { budgetMs = 2000, sizes = [20, 100] } = {}): Promise<RenderRow[]> {
  const source = createMemorySource(
    Object.fromEntries([...generateArchive({ count: Math.max(...sizes), seed: 1 })].map((f) => [f.path, f.data])),
  );
  const catalog = createMemoryCatalog(await loadContent(source, site), source);
  const now = new Date("2100-01-01T00:00:00Z");
  const rows: RenderRow[] = [];
  for (const items of sizes) {
    const plan = (await planFeed(catalog, { ...site, feedItems: items }, now, { scope: HOME, limit: items }))!;
    // Markdown is rendered before timing: a served feed never renders it per request.
    const feed: Feed = { head: plan.head, updated: plan.updated, items: await catalog.articles(plan.entries) };
    for (const format of FORMATS) {
      const written = await catalog.items(plan.entries, format);
      const document = { head: plan.head, updated: plan.updated };
      const ours = time(
        () => encodeParts(format.documentParts({ ...document, items: feed.items.map((a) => format.renderItem(a)) })),
        budgetMs,
      );
      const oursWarm = time(() => encodeParts(format.documentParts({ ...document, items: written })), budgetMs);
      const query = linkQueryFor(LINK_QUERY, format.id);
      const oursWarmLinkQuery = time(
        () => encodeParts(format.documentParts({ ...document, items: withLinkQuery(format, written, query, plan.head.siteUrl) })),
        budgetMs,
      );
      const excerpts = await catalog.items(plan.entries, format.excerpt);
      const oursWarmExcerpt = time(() => encodeParts(format.documentParts({ ...document, items: excerpts })), budgetMs);
      const theirs = time(() => utf8.encode(renderWithFeedPackage(feed, format.id)), budgetMs);
      rows.push({
        items,
        format: format.id,
        bytes: new TextEncoder().encode(renderFeed(format, feed)).byteLength,
        ours,
        oursWarm,
        oursWarmLinkQuery,
        oursWarmExcerpt,
        excerptBytes: encodeParts(format.documentParts({ ...document, items: excerpts })).byteLength,
        feedPackage: theirs,
        speedup: theirs.medianMs / ours.medianMs,
        speedupWarm: theirs.medianMs / oursWarm.medianMs,
      });
    }
  }
  return rows;
}
