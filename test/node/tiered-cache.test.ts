// The in-isolate tier in front of the Cache API: hits stay near, misses fall through and fill the near tier.
import { describe, expect, it } from "vitest";
import { type Body, type BodyCache, createMemoryCache, createTieredCache, entryCost } from "../../src/http/body-cache.ts";

const bytes = (text: string): Body => new TextEncoder().encode(text) as Body;

/** A cache that records what is asked of it. */
function recording(inner: BodyCache = createMemoryCache()): BodyCache & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    get: async (key) => {
      calls.push(`get ${key}`);
      return inner.get(key);
    },
    put: async (key, body) => {
      calls.push(`put ${key}`);
      return inner.put(key, body);
    },
    delete: async (key) => {
      calls.push(`delete ${key}`);
      return inner.delete(key);
    },
  };
}

describe("createTieredCache", () => {
  it("writes both tiers and answers from the near one", async () => {
    const near = recording();
    const far = recording();
    const cache = createTieredCache(near, far);
    await cache.put("k", bytes("body"));
    expect(await cache.get("k")).toEqual(bytes("body"));
    expect(far.calls).toEqual(["put k"]);
  });

  it("fills the near tier from the far one on a near miss", async () => {
    const far = recording();
    await far.put("k", bytes("body"));
    const near = recording();
    const cache = createTieredCache(near, far);
    expect(await cache.get("k")).toEqual(bytes("body"));
    expect(await cache.get("k")).toEqual(bytes("body"));
    expect(far.calls.filter((c) => c.startsWith("get"))).toEqual(["get k"]);
    expect(near.calls).toEqual(["get k", "put k", "get k"]);
  });

  it("misses when neither tier has the key", async () => {
    const cache = createTieredCache(createMemoryCache(), createMemoryCache());
    expect(await cache.get("nope")).toBeUndefined();
  });

  it("keeps only as many bodies near as its byte budget allows", async () => {
    const far = recording();
    const room = 2 * entryCost("a", bytes("a"));
    const cache = createTieredCache(createMemoryCache({ maxBytes: room, maxEntryBytes: room }), far);
    for (const key of ["a", "b", "c"]) await cache.put(key, bytes(key));
    expect(await cache.get("a")).toEqual(bytes("a")); // evicted near, still far
    expect(far.calls).toContain("get a");
  });
});
