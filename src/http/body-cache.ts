// Where rendered bodies are kept between requests, by content version: the isolate's memory, bounded in bytes
// (core/memo.ts), or nothing. In production Workers Caching answers in front of the worker (cache-tags.ts); this only
// spares a request that reaches the worker the assembly of a document some request already assembled (BENCHMARKS.md,
// "Workers Caching in front").
import { createMemo } from "../core/memo.ts";

/** A rendered body as UTF-8 bytes: kept encoded, so a hit is sent without decoding or re-encoding it. */
export type Body = Uint8Array<ArrayBuffer>;

export interface BodyCache {
  get(key: string): Body | undefined;
  put(key: string, body: Body): void;
}

/** Keeps nothing: every request renders. */
export const noCache: BodyCache = {
  get: () => undefined,
  put: () => {},
};

const MiB = 1024 * 1024;

/** What an in-memory cache may hold, in bytes. */
export interface MemoryCacheLimits {
  /** Most bytes kept in all (each entry counted by `entryCost`); the least recently used entries go first. */
  maxBytes: number;
  /** The largest entry kept; a larger body is not kept at all. */
  maxEntryBytes: number;
}

/**
 * The body cache in the worker's isolate. Cloudflare gives an isolate 128 MB for everything: the code, the memo of
 * items re-written for an older output revision (8 MB at most, src/store/d1/catalog.ts), and every request in
 * flight, each holding its rendered string and UTF-8 bytes (about three times its body) while other requests run in
 * the same isolate. 16 MiB of bodies leaves that room. Feeds are 0.2–0.5 MB (the 1,000-article /rss.xml is 173 KB); a
 * body over 1 MiB is an outlier (a huge article, a large `?limit`), cheap to assemble again next to its size, and would
 * let a few requests push out every hot feed, so it is not kept. With a byte budget, `?limit` variants (up to 100 per
 * feed and format, each a distinct key) evict each other instead of adding up.
 */
export const ISOLATE_CACHE_LIMITS: MemoryCacheLimits = { maxBytes: 16 * MiB, maxEntryBytes: 1 * MiB };

/** Per-entry bookkeeping beyond the body and the key (a Map entry and the body's object): an estimate, kept generous. */
export const ENTRY_OVERHEAD_BYTES = 128;

/** What one entry costs the budget: the body's bytes, the key as UTF-16, and the bookkeeping. */
export function entryCost(key: string, body: Body): number {
  return body.byteLength + key.length * 2 + ENTRY_OVERHEAD_BYTES;
}

/** An in-memory BodyCache that also says what it holds (for tests and logs). */
export interface MemoryCache extends BodyCache {
  /** Entries held. */
  readonly size: number;
  /** Their cost, by `entryCost`; never above `maxBytes`. */
  readonly bytes: number;
}

/** A cache in memory bounded by bytes, least recently used evicted first; an entry over `maxEntryBytes` is refused. */
export function createMemoryCache(limits: MemoryCacheLimits = ISOLATE_CACHE_LIMITS): MemoryCache {
  const memo = createMemo<Body>(limits);
  return {
    get size() {
      return memo.size;
    },
    get bytes() {
      return memo.bytes;
    },
    get: (key) => memo.get(key),
    put: (key, body) => memo.set(key, body, entryCost(key, body)),
  };
}
