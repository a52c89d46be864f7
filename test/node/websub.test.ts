// WebSub: every feed advertises the hub, and notify-hub tells a (stub) hub about exactly the feeds that changed.
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogFromSource } from "../../src/core/memory-catalog.ts";
import { notifyHub } from "../../src/node/notify-hub.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";
import { articleText, EMBARGO, NEWSROOM, NOW, testSite } from "../support/http-fixtures.ts";

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

describe("notify-hub", () => {
  let server: Server;
  let hubUrl: string;
  let received: string[] = [];
  let failFor: string | undefined;
  let dir: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        const ok =
          req.method === "POST" &&
          req.headers["content-type"] === "application/x-www-form-urlencoded" &&
          form.get("hub.mode") === "publish";
        const url = form.get("hub.url") ?? "";
        if (!ok || url === failFor) {
          res.writeHead(ok ? 500 : 400).end();
          return;
        }
        received.push(url);
        res.writeHead(204).end();
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    dir = await mkdtemp(join(tmpdir(), "edge-feeds-websub-"));
  });
  afterAll(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const feedUrls = (...paths: string[]) => paths.flatMap((p) => ["rss.xml", "atom.xml", "feed.json"].map((f) => `${BASE}${p}${f}`)).sort();

  async function run(files: typeof NEWSROOM, now: Date, statePath: string) {
    received = [];
    const site = testSite({ WEBSUB_HUB: hubUrl });
    const catalog = catalogFromSource(createMemorySource(files), site);
    const result = await notifyHub({ site, catalog, now, statePath });
    return { result, received: [...received].sort() };
  }

  it("notifies every feed the first time, nothing when nothing changed, then exactly the feeds an edit touches", async () => {
    const state = join(dir, "state-1.json");
    const first = await run(NEWSROOM, NOW, state);
    const every = feedUrls(
      "/",
      "/sections/business/",
      "/sections/city/",
      "/sections/world-news/",
      "/tags/baku/",
      "/tags/energy/",
      "/tags/politics/",
      "/tags/transport/",
      "/authors/ana-lima/",
      "/authors/ben-ode/",
    );
    expect(first.received).toEqual(every);
    expect(first.result.notified.sort()).toEqual(every);

    const second = await run(NEWSROOM, NOW, state);
    expect(second.received).toEqual([]);
    expect(second.result.unchanged).toBe(10);

    // An edit to "Gas prices fall" (Business, Energy, Ben Ode) without a new `updated`.
    const edited = {
      ...NEWSROOM,
      "2026/gas-prices.md": articleText({
        title: "Gas prices fall",
        date: "2026-01-06T09:00:00Z",
        updated: "2026-01-08T10:30:00Z",
        section: "Business",
        tags: ["Energy"],
        author: "ben-ode",
        body: "Corrected.",
      }),
    };
    const third = await run(edited, NOW, state);
    expect(third.received).toEqual(feedUrls("/", "/sections/business/", "/tags/energy/", "/authors/ben-ode/"));

    // The embargo lifts: the summit (Diplomacy; Summit, Baku; Ana Lima) appears, with two brand-new feeds.
    const fourth = await run(edited, EMBARGO, state);
    expect(fourth.received).toEqual(feedUrls("/", "/sections/diplomacy/", "/tags/baku/", "/tags/summit/", "/authors/ana-lima/"));

    const saved = JSON.parse(await readFile(state, "utf8")) as { hub: string; feeds: Record<string, string> };
    expect(saved.hub).toBe(hubUrl);
    expect(Object.keys(saved.feeds)).toHaveLength(12);
  });

  it("retries a feed the hub refused, and only that one", async () => {
    const state = join(dir, "state-2.json");
    await run(NEWSROOM, NOW, state);
    const edited = { ...NEWSROOM, "2026/metro.md": NEWSROOM["2026/metro.md"] + "\nOne more line.\n" };
    failFor = `${BASE}/sections/city/atom.xml`;
    const refused = await run(edited, NOW, state);
    expect(refused.result.failed).toEqual([failFor]);
    failFor = undefined;
    const retried = await run(edited, NOW, state);
    expect(retried.received).toEqual(feedUrls("/sections/city/"));
  });

  it("refuses to run without a hub", async () => {
    const site = testSite();
    const catalog = catalogFromSource(createMemorySource(NEWSROOM), site);
    await expect(notifyHub({ site, catalog, now: NOW, statePath: join(dir, "none.json") })).rejects.toThrow(/WEBSUB_HUB/);
  });
});
