// Inside workerd: the deployed worker's HTTP rules on the published sample (validators, HEAD, methods, lists, 404s).
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { publishSample } from "./sample.ts";

const BASE = "http://localhost:8787";

beforeAll(publishSample, 120_000);

describe("the worker", () => {
  it("serves conditional GET, HEAD and 405 on the published sample feeds", async () => {
    const res = await exports.default.fetch(`${BASE}/atom.xml`);
    expect(res.status).toBe(200);
    await res.text();
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"atom-/);
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+$/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");

    const notModified = await exports.default.fetch(`${BASE}/atom.xml`, { headers: { "If-None-Match": etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);

    const head = await exports.default.fetch(`${BASE}/atom.xml`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(await head.text()).toBe("");

    const post = await exports.default.fetch(`${BASE}/atom.xml`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("serves section feeds, the OPML list and archive pages, and 404s as problem+json", async () => {
    const opml = await exports.default.fetch(`${BASE}/feeds.opml`);
    const list = await opml.text();
    expect(opml.status).toBe(200);
    const sectionUrl = /xmlUrl="(http:\/\/localhost:8787\/sections\/[^"]+)"/.exec(list)?.[1];
    expect(sectionUrl).toBeDefined();
    const section = await exports.default.fetch(sectionUrl!);
    expect(section.status).toBe(200);
    await section.text();
    const page = await exports.default.fetch(`${BASE}/archive/1/feed.json`);
    expect(page.status).toBe(200);
    expect(((await page.json()) as { feed_url: string }).feed_url).toBe(`${BASE}/feed.json`);
    const missing = await exports.default.fetch(`${BASE}/sections/no-such-section/rss.xml`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    await missing.text();
  });
});
