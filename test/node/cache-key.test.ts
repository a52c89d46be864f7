// Body cache keys name the output revision: a body rendered by code of another revision is never served under this
// revision's ETag.
import { describe, expect, it } from "vitest";
import { OUTPUT_REVISION } from "../../src/formats/index.ts";
import { type Body, type BodyCache, createMemoryCache } from "../../src/http/body-cache.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { appOver } from "../support/app.ts";
import { FIXTURE_DIR, NOW, site } from "../support/site.ts";

function recording(): BodyCache & { keys: string[] } {
  const inner = createMemoryCache();
  const keys: string[] = [];
  return {
    keys,
    get: (key) => inner.get(key),
    put: (key, body) => {
      keys.push(key);
      inner.put(key, body);
    },
  };
}

const app = (cache: BodyCache) => appOver({ source: createDirectorySource(FIXTURE_DIR), site, now: () => NOW, cache, log: () => {} });

describe("body cache keys", () => {
  it("name the output revision", async () => {
    const cache = recording();
    for (const path of ["/rss.xml", "/sections/news/atom.xml", "/feeds.opml"]) expect((await app(cache).request(path)).status).toBe(200);
    // Each document is kept once: its body by content version.
    expect(cache.keys.filter((key) => key.startsWith(`r${OUTPUT_REVISION}/`))).toHaveLength(3);
    expect(cache.keys).toHaveLength(3);
  });

  it("do not find a body stored by an earlier revision for the same content", async () => {
    const first = recording();
    const fresh = await (await app(first).request("/rss.xml")).text();
    const key = first.keys[0]!;
    const stale = createMemoryCache();
    const old = new TextEncoder().encode("stale body from older code") as Body;
    await stale.put(key.replace(`r${OUTPUT_REVISION}/`, `r${OUTPUT_REVISION - 1}/`), old);
    await stale.put(key.slice(key.indexOf("/") + 1), old); // the key as it was before revisions were part of it
    expect(await (await app(stale).request("/rss.xml")).text()).toBe(fresh);
  });
});
