// The static assets inside workerd, as the vitest plugin's asset server answers them (the ASSETS binding: a request to
// the worker's own export never reaches it): the partner script and the feeds' stylesheet at their old addresses for an
// hour, the pages' stylesheet and the script at fingerprinted paths for a year, and the documents the worker serves
// linking exactly those.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ASSET_PATHS } from "../../src/assets/paths.ts";
import { EMBED_SCRIPT } from "../../src/embed/widget.ts";
import { publishSample } from "./sample.ts";

const BASE = "http://localhost:8787";
const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;

/** A request as Cloudflare routes it: to a static asset when one has the path, else to the worker. */
async function platformFetch(path: string): Promise<Response> {
  const asset = await assets.fetch(BASE + path);
  if (asset.status !== 404) return asset;
  await asset.arrayBuffer();
  return exports.default.fetch(BASE + path);
}

beforeAll(publishSample, 120_000);

describe("static assets", () => {
  it.each([
    [ASSET_PATHS.pageCss, "text/css; charset=utf-8", "public, max-age=31536000, immutable"],
    [ASSET_PATHS.embedJs, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"],
    ["/feed.css", "text/css; charset=utf-8", "public, max-age=3600"],
    ["/embed.js", "text/javascript; charset=utf-8", "public, max-age=3600"],
  ])("%s: %s, %s", async (path, type, cacheControl) => {
    const res = await assets.fetch(BASE + path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("cache-control")).toBe(cacheControl);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const body = await res.text();
    if (path.endsWith(".js")) expect(body).toBe(EMBED_SCRIPT);
    else expect(body.length).toBeGreaterThan(500);
  });

  it("are what the worker's documents link: the feeds' stylesheet and the pages'", async () => {
    const rss = await (await platformFetch("/rss.xml")).text();
    const feedCss = /<\?xml-stylesheet type="text\/css" href="http:\/\/localhost:8787([^"]+)"\?>/.exec(rss)?.[1];
    expect(feedCss).toBe("/feed.css");
    const home = await (await platformFetch("/")).text();
    const pageCss = /<link rel="stylesheet" href="http:\/\/localhost:8787([^"]+)">/.exec(home)?.[1];
    expect(pageCss).toBe(ASSET_PATHS.pageCss);
    for (const path of [feedCss!, pageCss!]) {
      const res = await platformFetch(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/css; charset=utf-8");
      await res.text();
    }
  });

  it("leave every other path to the worker", async () => {
    for (const path of ["/rss.xml", "/assets/feed.000000000000.css", "/embed"]) {
      const res = await assets.fetch(BASE + path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
    expect((await platformFetch("/rss.xml")).headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
  });
});
