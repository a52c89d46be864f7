// WebSub: every feed advertises the hub. Telling the hub what changed is tested inside workerd, over D1
// (test/worker/scheduled.test.ts).
import { describe, expect, it } from "vitest";
import { createMemorySource } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";
import { NEWSROOM, NOW, testSite } from "../support/http-fixtures.ts";

const HUB = "https://hub.example/";
const BASE = "https://news.example";

describe("advertising the hub", () => {
  const app = appOver({ source: createMemorySource(NEWSROOM), site: testSite({ WEBSUB_HUB: HUB }), now: () => NOW, log: () => {} });
  const plain = appOver({ source: createMemorySource(NEWSROOM), site: testSite(), now: () => NOW, log: () => {} });

  it.each([
    { path: "/rss.xml", marker: `<atom:link href="${HUB}" rel="hub"/>` },
    { path: "/atom.xml", marker: `<link rel="hub" href="${HUB}"/>` },
    { path: "/feed.json", marker: `"hubs": [\n    {\n      "type": "WebSub",\n      "url": "${HUB}"` },
    { path: "/tags/energy/rss.xml", marker: `<atom:link href="${HUB}" rel="hub"/>` },
  ])("$path: Link headers and the document name the hub and self", async ({ path, marker }) => {
    const res = await app.request(`http://localhost${path}`);
    // The HTML page of the feed's scope: the home page, or the tag's page.
    const page = BASE + path.replace(/[^/]*$/, "");
    expect(res.headers.get("link")).toBe(`<${page}>; rel="alternate"; type="text/html", <${HUB}>; rel="hub", <${BASE}${path}>; rel="self"`);
    expect(await res.text()).toContain(marker);
    const without = await plain.request(`http://localhost${path}`);
    expect(without.headers.get("link")).not.toContain("hub");
    expect(await without.text()).not.toContain(HUB);
  });

  it("keeps the self link canonical when ?limit is used", async () => {
    const res = await app.request("http://localhost/atom.xml?limit=2");
    expect(res.headers.get("link")).toContain(`<${BASE}/atom.xml>; rel="self"`);
  });
});
