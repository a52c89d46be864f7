// WebSub: every feed advertises the hub; publish pings carry the fields hubs read (checked field by field, and against a
// stand-in of Flask-WebSub's hub on Debian's Flask); a refusing hub is tried again later and later. Telling the hub what
// changed, over D1 and through the scheduled run, is tested inside workerd (test/worker/scheduled.test.ts).
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventLog } from "../../src/core/events.ts";
import { catalogFromSource } from "../../src/core/memory-catalog.ts";
import { type HubStateStore, hubRetryDelay, notifyChangedFeeds, type PendingFeed, publishPing } from "../../src/core/websub.ts";
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

/** What the hub was told, in memory: the D1 store's contract, for calls outside workerd. */
function memoryHubState(): HubStateStore & { rows: Map<string, string | PendingFeed> } {
  const rows = new Map<string, string | PendingFeed>();
  return {
    rows,
    async versions(hub, keys) {
      return new Map(keys.flatMap((key) => (rows.get(`v ${hub} ${key}`) ? [[key, rows.get(`v ${hub} ${key}`) as string]] : [])));
    },
    async pending() {
      return [...rows.entries()].flatMap(([key, value]) => (key.startsWith("r ") ? [value as PendingFeed] : []));
    },
    async save(hub, { announced, retry, settled }) {
      for (const [key, version] of announced) rows.set(`v ${hub} ${key}`, version);
      for (const p of retry) rows.set(`r ${p.key}`, p);
      for (const key of settled) rows.delete(`r ${key}`);
    },
  };
}

describe("publish pings", () => {
  it("carry hub.mode=publish, hub.topic and hub.url, each the feed's URL, as a form (field by field)", () => {
    const feed = "https://news.example/tags/oil%20%26%20gas/atom.xml?x=1&y=2";
    const body = publishPing(feed).toString();
    // Parsed back as hubs parse a form body (application/x-www-form-urlencoded), field by field, in order.
    expect([...new URLSearchParams(body)]).toEqual([
      ["hub.mode", "publish"],
      ["hub.topic", feed],
      ["hub.url", feed],
    ]);
    expect(body).toBe(
      "hub.mode=publish&hub.topic=https%3A%2F%2Fnews.example%2Ftags%2Foil%2520%2526%2520gas%2Fatom.xml%3Fx%3D1%26y%3D2&hub.url=https%3A%2F%2Fnews.example%2Ftags%2Foil%2520%2526%2520gas%2Fatom.xml%3Fx%3D1%26y%3D2",
    );
  });

  it.each([
    [1, 1],
    [2, 2],
    [3, 4],
    [9, 256],
    [10, 360],
    [1000, 360],
  ])("after %i failures in a row, the next try waits %i minutes (doubling, at most six hours)", (failures, minutes) => {
    expect(hubRetryDelay(failures)).toBe(minutes * 60_000);
  });

  describe("against a hub that reads the form as Flask-WebSub does (Debian's Flask)", () => {
    let hub: ChildProcessWithoutNullStreams;
    let url: string;
    beforeAll(async () => {
      hub = spawn("/usr/bin/python3", [fileURLToPath(new URL("../judges/websub_hub.py", import.meta.url))]);
      url = await new Promise<string>((resolve, reject) => {
        hub.once("error", reject);
        hub.stderr.on("data", () => {});
        hub.stdout.once("data", (chunk: Buffer) => resolve(`http://127.0.0.1:${chunk.toString().trim()}/`));
      });
    }, 20_000);
    afterAll(() => {
      hub?.stdin.end();
      hub?.kill();
    });

    it("accepts every ping (202), and hears each feed's URL as its topic", async () => {
      const lines: string[] = [];
      const outcome = await notifyChangedFeeds(
        {
          catalog: catalogFromSource(createMemorySource(NEWSROOM), testSite()),
          site: testSite({ WEBSUB_HUB: url }),
          fetch: (to, init) => fetch(to, init),
          state: memoryHubState(),
          emit: createEventLog((line) => lines.push(line)),
          outputRevision: 1,
        },
        ["home", "tags/energy"],
        NOW,
      );
      const feeds = [`${BASE}/rss.xml`, `${BASE}/atom.xml`, `${BASE}/feed.json`].flatMap((f) => [
        f,
        f.replace(BASE, `${BASE}/tags/energy`),
      ]);
      expect(outcome.failed).toEqual([]);
      expect(outcome.notified.sort()).toEqual(feeds.sort());
      expect(lines.map((l) => JSON.parse(l).status)).toEqual(feeds.map(() => 202));
      const received = (await (await fetch(`${url}received`)).json()) as { topic: string; form: Record<string, string[]> }[];
      expect(received.map((r) => r.topic).sort()).toEqual(feeds.sort());
      for (const r of received) expect(r.form).toEqual({ "hub.mode": ["publish"], "hub.topic": [r.topic], "hub.url": [r.topic] });
    });

    it("refuses the ping without hub.topic that the worker used to send (so the test can fail)", async () => {
      const res = await fetch(url, {
        method: "POST",
        body: new URLSearchParams({ "hub.mode": "publish", "hub.url": `${BASE}/rss.xml` }),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toBe("Missing form argument: hub.topic\n");
    });
  });
});
