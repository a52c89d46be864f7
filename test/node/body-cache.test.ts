// The in-memory body cache's budget: bytes, not entries; least recently used out first; oversize bodies refused.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Body, createMemoryCache, ENTRY_OVERHEAD_BYTES, entryCost, ISOLATE_CACHE_LIMITS } from "../../src/http/body-cache.ts";

const body = (size: number, fill = 0x61): Body => new Uint8Array(size).fill(fill) as Body;
/** Keys of equal length, so equal bodies cost the same. */
const COST = entryCost("k0", body(100));

describe("entryCost", () => {
  it.each([
    { key: "k", size: 0, expected: 2 + ENTRY_OVERHEAD_BYTES },
    { key: "r1/rss.xml/abc", size: 1000, expected: 1000 + 28 + ENTRY_OVERHEAD_BYTES },
  ])("$key with $size bytes costs $expected", ({ key, size, expected }) => {
    expect(entryCost(key, body(size))).toBe(expected);
  });
});

describe("createMemoryCache", () => {
  it("keeps entries up to the byte budget and evicts the least recently used first", async () => {
    const cache = createMemoryCache({ maxBytes: 3 * COST, maxEntryBytes: COST });
    for (const key of ["k1", "k2", "k3"]) await cache.put(key, body(100));
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(3 * COST);
    expect(await cache.get("k1")).toBeDefined(); // k1 is now the most recently used; k2 the least
    await cache.put("k4", body(100));
    expect(cache.bytes).toBe(3 * COST);
    expect(await cache.get("k2")).toBeUndefined();
    for (const key of ["k1", "k3", "k4"]) expect(await cache.get(key), key).toBeDefined();
  });

  it("evicts as many small entries as a large one needs", async () => {
    const big = entryCost("kb", body(250));
    const cache = createMemoryCache({ maxBytes: 3 * COST, maxEntryBytes: big });
    for (const key of ["k1", "k2", "k3"]) await cache.put(key, body(100));
    await cache.put("kb", body(250)); // 250 + overhead needs two of the three 100-byte entries' room
    expect(cache.bytes).toBeLessThanOrEqual(3 * COST);
    expect(await cache.get("k1")).toBeUndefined();
    expect(await cache.get("k2")).toBeUndefined();
    expect(await cache.get("k3")).toBeDefined();
    expect(await cache.get("kb")).toBeDefined();
  });

  it("refuses a body over maxEntryBytes, and drops what the key held before", async () => {
    const cache = createMemoryCache({ maxBytes: 10 * COST, maxEntryBytes: COST });
    await cache.put("k1", body(100));
    await cache.put("k2", body(101));
    expect(await cache.get("k2")).toBeUndefined();
    expect(cache.bytes).toBe(COST);
    await cache.put("k1", body(5000)); // a newer version that is too large: the old one must not linger
    expect(await cache.get("k1")).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it("counts a replaced entry once", async () => {
    const cache = createMemoryCache({ maxBytes: 10 * COST, maxEntryBytes: 10 * COST });
    await cache.put("k1", body(100));
    await cache.put("k1", body(100, 0x62));
    expect(cache.bytes).toBe(COST);
    expect((await cache.get("k1"))![0]).toBe(0x62);
  });

  it("refuses limits that cannot hold their own largest entry", () => {
    expect(() => createMemoryCache({ maxBytes: 10, maxEntryBytes: 11 })).toThrow(RangeError);
    expect(() => createMemoryCache({ maxBytes: 10, maxEntryBytes: -1 })).toThrow(RangeError);
  });

  it("never holds more than its budget, whatever is put and read (property)", async () => {
    const op = fc.record({
      put: fc.boolean(),
      key: fc.integer({ min: 0, max: 30 }).map((i) => `key-${i}`),
      size: fc.integer({ min: 0, max: 3000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 200 }), async (ops) => {
        const limits = { maxBytes: 8000, maxEntryBytes: 2500 };
        const cache = createMemoryCache(limits);
        for (const { put, key, size } of ops) {
          if (put) {
            const b = body(size);
            await cache.put(key, b);
            // The newest entry is kept exactly when it fits on its own.
            expect((await cache.get(key)) === b).toBe(entryCost(key, b) <= limits.maxEntryBytes);
          } else {
            await cache.get(key);
          }
          expect(cache.bytes).toBeLessThanOrEqual(limits.maxBytes);
          expect(cache.bytes).toBeGreaterThanOrEqual(cache.size * ENTRY_OVERHEAD_BYTES);
        }
      }),
      { seed: 9, numRuns: 200 },
    );
  });

  it("defaults to the isolate's limits: 16 MiB in all, no body over 1 MiB", async () => {
    expect(ISOLATE_CACHE_LIMITS).toEqual({ maxBytes: 16 * 1024 * 1024, maxEntryBytes: 1024 * 1024 });
    const cache = createMemoryCache();
    await cache.put("big", body(1024 * 1024));
    expect(await cache.get("big")).toBeUndefined();
    for (let i = 0; i < 40; i++) await cache.put(`k${i}`, body(1000 * 1000));
    expect(cache.bytes).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(cache.size).toBe(16);
  });
});
