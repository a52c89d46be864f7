// Where rendered bodies are kept between requests: the Workers Cache API at the edge behind a small in-isolate tier
// bounded by bytes (core/memo.ts), an in-memory map in tests, or nothing.
import { createMemo } from "../core/memo.ts";

/** A rendered body as UTF-8 bytes: kept encoded, so a hit is sent without decoding or re-encoding it. */
export type Body = Uint8Array<ArrayBuffer>;

export interface BodyCache {
  get(key: string): Promise<Body | undefined>;
  put(key: string, body: Body): Promise<void>;
  /** Forgets a key (where the tier allows: the Cache API forgets in this data centre only). */
  delete(key: string): Promise<void>;
  /**
   * What the tier in this isolate holds under `key`, read at once (no await, no far tier): for answers given before
   * routing (`answerHot` in versioned.ts). Absent on caches with no tier in the isolate.
   */
  peek?(key: string): Body | undefined;
}

/** Keeps nothing: every request renders. */
export const noCache: BodyCache = {
  get: async () => undefined,
  put: async () => {},
  delete: async () => {},
};

const MiB = 1024 * 1024;

/** What an in-memory cache may hold, in bytes. */
export interface MemoryCacheLimits {
  /** Most bytes kept in all (each entry counted by `entryCost`); the least recently used entries go first. */
  maxBytes: number;
  /** The largest entry kept; a larger body is not kept at all (it stays in the far tier, if any). */
  maxEntryBytes: number;
}

/**
 * The near tier in the worker's isolate. Cloudflare gives an isolate 128 MB for everything: the code, the memo of
 * items re-written for an older output revision (8 MB at most, src/store/d1/catalog.ts), and every request in
 * flight, each holding its rendered string and UTF-8 bytes (about three times its body) while other requests run in
 * the same isolate. 16 MiB of bodies leaves that room; it is an optimisation over the
 * Cache API, which holds everything anyway. Feeds are 0.2–0.5 MB (the 1,000-article /rss.xml is 173 KB); a body over
 * 1 MiB is an outlier (a huge article, a large `?limit`), cheap to fetch from the Cache API next to its size, and
 * would let a few requests push out every hot feed, so it is not kept here. With a byte budget, `?limit` variants (up
 * to 100 per feed and format, each a distinct key) evict each other instead of adding up.
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

/**
 * A cache in memory bounded by bytes, least recently used evicted first; an entry over `maxEntryBytes` is refused.
 * The near tier of the worker (ISOLATE_CACHE_LIMITS) and the Node server's only tier.
 */
export function createMemoryCache(limits: MemoryCacheLimits = ISOLATE_CACHE_LIMITS): MemoryCache {
  const memo = createMemo<Body>(limits);
  return {
    get size() {
      return memo.size;
    },
    get bytes() {
      return memo.bytes;
    },
    get: async (key) => memo.get(key),
    peek: (key) => memo.get(key),
    put: async (key, body) => memo.set(key, body, entryCost(key, body)),
    delete: async (key) => memo.delete(key),
  };
}

/**
 * A small cache in the isolate in front of a shared one: hits in `near` cost a map lookup, where a Cache API hit costs
 * a subrequest and two copies of the body (measured in BENCHMARKS.md); misses fall through to `far` and fill `near`.
 * Keys name content versions, so the two never disagree.
 */
export function createTieredCache(near: BodyCache, far: BodyCache): BodyCache {
  const peek = near.peek?.bind(near);
  return {
    ...(peek ? { peek } : {}),
    async get(key) {
      const hit = await near.get(key);
      if (hit !== undefined) return hit;
      const body = await far.get(key);
      if (body !== undefined) await near.put(key, body);
      return body;
    },
    async put(key, body) {
      await Promise.all([near.put(key, body), far.put(key, body)]);
    },
    async delete(key) {
      await Promise.all([near.delete(key), far.delete(key)]);
    },
  };
}

/** The worker's body cache: a near tier in the isolate, bounded by ISOLATE_CACHE_LIMITS, in front of `far` (the Cache API). */
export function createIsolateBodyCache(far: BodyCache): BodyCache {
  return createTieredCache(createMemoryCache(ISOLATE_CACHE_LIMITS), far);
}

/** The part of the Workers `Cache` (Cache API) this module uses. */
export interface CacheApi {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
  delete(request: Request): Promise<boolean>;
}

/**
 * A cache over the Workers Cache API (`caches.default`). Keys become URLs under `origin`; since a key names a content
 * version, an entry never goes stale and may live as long as the cache keeps it.
 */
export function createWorkersCache(cache: CacheApi, origin: string): BodyCache {
  const url = (key: string): Request => new Request(`${origin.replace(/\/+$/, "")}/__edge-feeds-cache/${encodeURIComponent(key)}`);
  return {
    async get(key) {
      const hit = await cache.match(url(key));
      return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
    },
    async put(key, body) {
      const response = new Response(body, {
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=86400" },
      });
      await cache.put(url(key), response);
    },
    async delete(key) {
      await cache.delete(url(key));
    },
  };
}
