// Where rendered feed bodies are kept between requests, keyed by content version: the Workers Cache API at the edge,
// a small in-memory map under Node, or nothing.

/** A rendered body as UTF-8 bytes: kept encoded, so a hit is sent without decoding or re-encoding it. */
export type Body = Uint8Array<ArrayBuffer>;

export interface BodyCache {
  get(key: string): Promise<Body | undefined>;
  put(key: string, body: Body): Promise<void>;
}

/** Keeps nothing: every request renders. */
export const noCache: BodyCache = {
  get: async () => undefined,
  put: async () => {},
};

/** A bounded in-memory cache (oldest entry evicted first); for the Node server and tests. */
export function createMemoryCache(maxEntries = 256): BodyCache {
  const entries = new Map<string, Body>();
  return {
    get: async (key) => entries.get(key),
    put: async (key, body) => {
      entries.delete(key);
      entries.set(key, body);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}

/**
 * A small cache in the isolate in front of a shared one: hits in `near` cost a map lookup, where a Cache API hit costs
 * a subrequest and two copies of the body (measured in BENCHMARKS.md); misses fall through to `far` and fill `near`.
 * Keys name content versions, so the two never disagree.
 */
export function createTieredCache(near: BodyCache, far: BodyCache): BodyCache {
  return {
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
  };
}

/** The part of the Workers `Cache` (Cache API) this module uses. */
export interface CacheApi {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
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
  };
}
