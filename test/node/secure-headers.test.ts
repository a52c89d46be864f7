// hono/secure-headers on every answer: nosniff always, Strict-Transport-Security only on an https site, and none of
// the middleware's other defaults (they would stop partners framing the iframe or loading images and the script).
import { describe, expect, it } from "vitest";
import { STRICT_TRANSPORT_SECURITY } from "../../src/http/responses.ts";
import { appOver } from "../support/app.ts";
import { fixtureSite, fixtureSource, NOW, PREVIEW_TOKEN } from "../support/embed-fixture.ts";

/** One path of each kind of answer: feeds, lists, pages, images, embeds, sitemaps, the preview, and errors. */
const ROUTES = [
  ["/rss.xml", 200],
  ["/feed.json", 200],
  ["/sections/news/atom.xml", 200],
  ["/feeds.opml", 200],
  ["/", 200],
  ["/sections/news/", 200],
  ["/articles/ferry", 200],
  ["/images/photo.jpg", 200],
  ["/headlines.json", 200],
  ["/embed/headlines", 200],
  ["/sitemap.xml", 200],
  ["/robots.txt", 200],
  ["/preview", 200],
  ["/nothing-here", 404],
  ["/rss.xml?limit=0", 400],
] as const;

/** Defaults of hono/secure-headers this service leaves off (src/http/responses.ts says why for each). */
const LEFT_OFF = [
  "X-Frame-Options",
  "Cross-Origin-Resource-Policy",
  "Cross-Origin-Opener-Policy",
  "Origin-Agent-Cluster",
  "X-DNS-Prefetch-Control",
  "X-Download-Options",
  "X-Permitted-Cross-Domain-Policies",
  "X-XSS-Protection",
];

function appAt(origin: string) {
  const site = fixtureSite(origin, { PREVIEW_TOKEN });
  return appOver({ source: fixtureSource(), site, now: () => NOW, log: () => {} });
}

describe.each([
  ["https://feeds.example.com", STRICT_TRANSPORT_SECURITY],
  ["http://localhost:8787", null],
])("on a site at %s", (origin, hsts) => {
  const app = appAt(origin);
  it.each(ROUTES)("%s answers %i with nosniff, and HSTS only over https", async (path, status) => {
    const res = await app.request(origin + path);
    expect(res.status).toBe(status);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Strict-Transport-Security")).toBe(hsts);
    for (const name of LEFT_OFF) expect(res.headers.get(name), name).toBeNull();
  });

  it("keeps each page's own Content-Security-Policy and Referrer-Policy", async () => {
    const iframe = await app.request(`${origin}/embed/headlines`);
    expect(iframe.headers.get("Content-Security-Policy")).toMatch(/frame-ancestors \*/);
    expect(iframe.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    const image = await app.request(`${origin}/images/photo.jpg`);
    expect(image.headers.get("Content-Security-Policy")).toBe("default-src 'none'; sandbox");
    expect(image.headers.get("Referrer-Policy")).toBeNull();
  });
});
