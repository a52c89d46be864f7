// Faults inside workerd, on the real local D1 and R2: a store that fails a read answers 503 with Retry-After
// (problem+json), never a partial document, and logs one storage-fault event; a publish whose batch fails half way
// leaves the previous version serving, every list intact.
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { loadContent } from "../../src/core/content.ts";
import { createApp } from "../../src/http/app.ts";
import { createD1Catalog } from "../../src/sources/d1-catalog.ts";
import { writePublication } from "../../src/sources/d1-writer.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";
import { preparePublication } from "../../src/sources/publication.ts";
import { AUTHORS_YAML, articleText, NEWSROOM, NOW, testSite } from "../support/http-fixtures.ts";
import { fillD1 } from "./fill-d1.ts";
import { resetD1 } from "./reset-d1.ts";
import { failingD1, failingR2, INJECTED } from "./wrapped-bindings.ts";

const BASE = "https://news.example";
const site = testSite();

// A 1×1 PNG, so the image route has bytes in R2 to fail on.
const DOT_PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="),
  (ch) => ch.charCodeAt(0),
);
const FILES: MemoryFiles = {
  ...NEWSROOM,
  "images/dot.png": DOT_PNG,
  "2026/photo.md": "---\ntitle: A photo\ndate: 2026-01-04T09:00:00Z\nsection: City\nimage: /images/dot.png\n---\n\nA dot.\n",
};

beforeEach(async () => {
  await resetD1(env.DB, env.IMAGES);
  await fillD1(env.DB, env.IMAGES, FILES, site);
});

/** The app over the real bindings, with faults switched on by `failing`; the lines it logs. */
function appWithFaults(failing: { sql?: RegExp; r2?: boolean }) {
  const logged: string[] = [];
  const db = failingD1(env.DB, (sql) => failing.sql?.test(sql) ?? false);
  const images = failingR2(env.IMAGES, (method) => method === "get" && (failing.r2 ?? false));
  const app = createApp({ catalog: createD1Catalog(db, images), site, now: () => NOW, log: (line) => logged.push(line) });
  return { app, logged, failing };
}

describe("a store that fails a read", () => {
  it.each([
    // A feed reads its plan in one batch (`window`): the count, the newest or an archive page, the next releases.
    { path: "/rss.xml", sql: /ORDER BY m\.published DESC, m\.position DESC LIMIT/, operation: "window" },
    { path: "/atom.xml", sql: /FROM article_parts/, operation: "parts" },
    { path: "/sections/business/feed.json", sql: /FROM facets WHERE scope IN/, operation: "facet" },
    { path: "/tags/energy/archive/1/rss.xml", sql: /m\.position >= \?2/, operation: "window" },
    { path: "/feeds.opml", sql: /FROM facets WHERE kind/, operation: "publicFacets" },
    { path: "/", sql: /FROM facets WHERE kind/, operation: "publicFacets" },
    { path: "/articles/oil-deal", sql: /FROM articles a LEFT JOIN article_parts/, operation: "find" },
    { path: "/images/dot.png", sql: /FROM images i/, operation: "image" },
    // A path with nothing at it still asks when the next embargo lifts, to bound the 404's lifetime.
    { path: "/nothing-here", sql: /MIN\(published\) AS next/, operation: "nextRelease" },
  ])("$path: D1 failing $operation answers 503 with Retry-After, then serves again", async ({ path, sql, operation }) => {
    const faults = appWithFaults({ sql });
    const res = await faults.app.request(BASE + path);
    const body = await res.text();
    expect(res.status, body).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(JSON.parse(body)).toMatchObject({ status: 503, title: "Service Unavailable", instance: path });
    expect(body).not.toContain(INJECTED);
    expect(faults.logged.map((line) => JSON.parse(line))).toEqual([
      { event: "storage-fault", store: "d1", operation, message: expect.stringContaining(INJECTED), path },
    ]);

    faults.failing.sql = undefined;
    const healed = await faults.app.request(BASE + path);
    expect(healed.status).toBe(path === "/nothing-here" ? 404 : 200);
  });

  it("answers 503 even to a conditional request, since only the store can say whether the feed changed", async () => {
    const faults = appWithFaults({});
    const etag = (await faults.app.request(BASE + "/rss.xml")).headers.get("etag")!;
    faults.failing.sql = /FROM memberships WHERE scope = \?1 AND published <= \?2 ORDER BY/;
    const res = await faults.app.request(BASE + "/rss.xml", { headers: { "If-None-Match": etag } });
    expect(res.status).toBe(503);
    expect(res.headers.get("etag")).toBeNull();
  });

  it("an R2 failure on an image's bytes answers 503, never a truncated image", async () => {
    const faults = appWithFaults({ r2: true });
    const res = await faults.app.request(BASE + "/images/dot.png");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(faults.logged.map((line) => JSON.parse(line))).toEqual([
      { event: "storage-fault", store: "r2", operation: "imageBytes", message: expect.stringContaining(INJECTED), path: "/images/dot.png" },
    ]);
    faults.failing.r2 = false;
    const healed = await faults.app.request(BASE + "/images/dot.png");
    expect(healed.status).toBe(200);
    expect(new Uint8Array(await healed.arrayBuffer())).toEqual(DOT_PNG);
  });

  it("shows browsers the same 503 as a page", async () => {
    const faults = appWithFaults({ sql: /FROM facets WHERE kind/ });
    const res = await faults.app.request(BASE + "/", { headers: { Accept: "text/html" } });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(await res.text()).toContain("<h1>Service Unavailable</h1>");
  });
});

describe("a publish whose batch fails half way", () => {
  /** Every served document the edit would touch, and every list as stored. */
  async function snapshot() {
    const app = createApp({ catalog: createD1Catalog(env.DB, env.IMAGES), site, now: () => NOW, log: () => {} });
    const paths = ["/rss.xml", "/atom.xml", "/feed.json", "/sections/city/rss.xml", "/tags/transport/atom.xml", "/articles/metro"];
    const bodies = await Promise.all(
      paths.map(async (p) => [p, (await app.request(BASE + p)).status, await (await app.request(BASE + p)).text()]),
    );
    const { results } = await env.DB.prepare("SELECT scope, slug, position FROM memberships ORDER BY scope, position").all();
    const articles = await env.DB.prepare("SELECT slug, file, id, fingerprint FROM articles ORDER BY slug").all();
    return { bodies, lists: results, articles: articles.results };
  }

  /** The metro article edited as `front` says, prepared the way the publish API prepares it. */
  async function editedMetro(front: string) {
    const text = articleText({
      title: "Metro line opens (edited)",
      date: "2026-01-09T09:00:00Z",
      section: "Culture",
      tags: ["Rail"],
      author: "ana-lima",
    }).replace("---\n", `---\n${front}\n`);
    const content = await loadContent(createMemorySource({ "authors.yaml": AUTHORS_YAML, "2026/metro.md": text }), site);
    expect(content.issues).toEqual([]);
    return preparePublication(content.records[0]!, text, []);
  }

  // Both edits pass the content check alone; the clash is with another stored article, found by a constraint
  // inside the batch after the old version's rows were already removed and its lists renumbered.
  it.each([
    { clash: "another article's id", front: `id: "${BASE}/articles/oil-deal"`, constraint: /UNIQUE constraint failed: articles\.id/ },
    // An id of its own, so the slug is what clashes.
    {
      clash: "another article's slug",
      front: 'slug: oil-deal\nid: "tag:news.example,2026:metro"',
      constraint: /constraint failed: articles\.slug/,
    },
  ])("taking $clash rolls back whole: the previous version keeps serving", async ({ front, constraint }) => {
    const before = await snapshot();
    await expect(writePublication(env.DB, await editedMetro(front))).rejects.toThrow(constraint);
    expect(await snapshot()).toEqual(before);
    // And the same edit without the clash goes through, so the failure was the clash alone.
    expect(await writePublication(env.DB, await editedMetro(""))).toBe("updated");
    expect((await snapshot()).bodies).not.toEqual(before.bodies);
  });

  // Two publishes of one article at once leave one whole version: test/worker/d1-writer.test.ts checks it on the
  // writer, and test/worker/publish-api.test.ts through the publish API.
});
