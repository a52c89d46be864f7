// Embed and page routes inside workerd, over the bundled sample articles.
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
    ["/embed.js", "text/javascript; charset=utf-8"],
    ["/embed/headlines?section=business", "text/html; charset=UTF-8"],
    ["/articles/oil-gas-baku-energy-week", "text/html; charset=UTF-8"],
    ["/preview/oil-gas-baku-energy-week", "text/html; charset=UTF-8"],
    ["/", "text/html; charset=UTF-8"],
    ["/feed.css", "text/css; charset=utf-8"],
  ])("serves %s", async (path, type) => {
    const res = await exports.default.fetch(BASE + path);
    expect(res.status, await res.text()).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
  });

  it("keeps drafts out of the article pages and the preview without a token", async () => {
    expect((await exports.default.fetch(`${BASE}/articles/embargoed-summit-preview`)).status).toBe(404);
    expect((await exports.default.fetch(`${BASE}/preview/embargoed-summit-preview`)).status).toBe(404);
  });
});
