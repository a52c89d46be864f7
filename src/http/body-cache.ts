// Where rendered feed bodies are kept between requests, keyed by content version: the Workers Cache API at the edge,
// a small in-memory map under Node, or nothing.

export interface BodyCache {
  get(key: string): Promise<string | undefined>;
  put(key: string, body: string): Promise<void>;
}

/** Keeps nothing: every request renders. */
export const noCache: BodyCache = {
  get: async () => undefined,
  put: async () => {},
};

/** A bounded in-memory cache (oldest entry evicted first); for the Node server and tests. */
export function createMemoryCache(maxEntries = 256): BodyCache {
  const entries = new Map<string, string>();
  return {
    get: async (key) => entries.get(key),
    put: async (key, body) => {
      entries.delete(key);
      entries.set(key, body);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
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
      return hit ? await hit.text() : undefined;
    },
    async put(key, body) {
      const response = new Response(body, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=86400" } });
      await cache.put(url(key), response);
    },
  };
}
