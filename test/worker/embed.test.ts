// Embed and page routes inside workerd, over the sample articles published into local D1 and R2.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { publishSample } from "./sample.ts";

const BASE = "http://localhost:8787";

beforeAll(publishSample, 120_000);

describe("embeds and pages in workerd", () => {
  // The first request parses the whole archive in a cold isolate; on a busy 2-core machine that can pass 5 s.
  beforeAll(async () => {
    await (await exports.default.fetch(`${BASE}/headlines.json`)).arrayBuffer();
  }, 60_000);

  it("serves headlines.json with CORS and without drafts", async () => {
    const res = await exports.default.fetch(`${BASE}/headlines.json?limit=10`, { headers: { Origin: "https://partner.example" } });
    const body = await res.text();
    expect(res.status, body).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(body).toContain("Pezeshkian visits Baku");
    expect(body).not.toContain("DRAFT: summit preview");
  });

  it.each([
    ["/embed/headlines?section=business", "text/html; charset=UTF-8"],
    ["/articles/oil-gas-baku-energy-week", "text/html; charset=UTF-8"],
    ["/preview/oil-gas-baku-energy-week", "text/html; charset=UTF-8"],
    ["/", "text/html; charset=UTF-8"],
    ["/sections/news/", "text/html; charset=UTF-8"],
    ["/tags/%D8%AA%D9%87%D8%B1%D8%A7%D9%86/", "text/html; charset=UTF-8"],
    ["/authors/leila-hosseini/", "text/html; charset=UTF-8"],
    ["/sitemap.xml", "application/xml; charset=utf-8"],
    ["/sitemaps/pages-1.xml", "application/xml; charset=utf-8"],
    ["/sitemaps/articles-1.xml", "application/xml; charset=utf-8"],
    ["/sitemap-news.xml", "application/xml; charset=utf-8"],
    ["/robots.txt", "text/plain; charset=utf-8"],
  ])("serves %s", async (path, type) => {
    const res = await exports.default.fetch(BASE + path);
    expect(res.status, await res.text()).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
  });

  it("lays out the Persian sample article right to left, with Persian labels and structured data (workerd's Intl)", async () => {
    const html = await (await exports.default.fetch(`${BASE}/articles/tehran-metro-fa`)).text();
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toContain('<p class="meta byline">نوشتهٔ <a rel="author"');
    expect(html).toContain('<meta property="og:locale" content="fa_IR">');
    const ld = JSON.parse(/<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html)![1]!) as {
      datePublished: string;
      image: { url: string }[];
    };
    expect(ld.datePublished).toBe("2025-04-22T10:00:00+01:00");
    expect(ld.image[0]!.url).toBe(`${BASE}/images/tehran-metro-line-6.webp`);
    const sitemap = await (await exports.default.fetch(`${BASE}/sitemaps/articles-1.xml`)).text();
    expect(sitemap).toContain(`<loc>${BASE}/articles/tehran-metro-fa</loc>`);
    expect(sitemap).not.toContain("embargoed-summit-preview");
  });

  it("keeps drafts out of the article pages and the preview without a token", async () => {
    expect((await exports.default.fetch(`${BASE}/articles/embargoed-summit-preview`)).status).toBe(404);
    expect((await exports.default.fetch(`${BASE}/preview/embargoed-summit-preview`)).status).toBe(404);
  });
});
