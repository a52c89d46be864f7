// Faults inside workerd, on the real local D1 and R2: a store that fails a read answers 503 with Retry-After
// (problem+json), never a partial document, and logs one storage-fault event; so does every D1 and R2 failure on the
// publish path, leaving the previous version serving, every list intact; a value over D1's limits is a refusal that
// names the file (422), never a 500.
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.ts";
import type { MemoryFiles } from "../../src/sources/memory.ts";
import { createD1Catalog } from "../../src/store/d1/catalog.ts";
import { createD1Store } from "../../src/store/d1/store.ts";
import { send } from "../support/api-client.ts";
import { articleText, NEWSROOM, NOW, testSite } from "../support/http-fixtures.ts";
import { publisherOver } from "../support/publish-tree.ts";
import { fillD1 } from "./fill-d1.ts";
import { resetD1 } from "./reset-d1.ts";
import { failingD1, failingR2, INJECTED, tooBigD1 } from "./wrapped-bindings.ts";

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
    { path: "/rss.xml", sql: /ORDER BY m\.published DESC, m\.slug LIMIT/, operation: "window" },
    { path: "/atom.xml", sql: /FROM article_parts/, operation: "parts" },
    { path: "/sections/business/feed.json", sql: /FROM facets WHERE scope IN/, operation: "facet" },
    { path: "/tags/energy/archive/1/rss.xml", sql: /m\.position >= \?2/, operation: "window" },
    { path: "/feeds.opml", sql: /FROM facets WHERE kind/, operation: "publicFacets" },
    { path: "/", sql: /FROM facets WHERE kind/, operation: "publicFacets" },
    { path: "/articles/oil-deal", sql: /FROM articles a LEFT JOIN article_parts/, operation: "find" },
    { path: "/images/dot.png", sql: /FROM images i/, operation: "image" },
    // A path with nothing at it still asks when the next embargo lifts, to bound the 404's lifetime.
    { path: "/nothing-here", sql: /listed AS next/, operation: "lookupPath" },
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
    faults.failing.sql = /SELECT position FROM memberships WHERE scope = \?1 AND listed <= \?2 ORDER BY/;
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

const TOKEN = "faults-publish-token-0123456789abcdef";

/** The app with the publish API over D1 and R2 wrapped as given; the lines it logs, and a client of its API. */
function publishingApp(db: D1Database, images: R2Bucket = env.IMAGES) {
  const logged: string[] = [];
  const app = createApp({
    catalog: createD1Catalog(env.DB, env.IMAGES),
    site,
    now: () => NOW,
    log: (line) => logged.push(line),
    publish: { publisher: publisherOver(createD1Store(db, images), site), token: TOKEN },
  });
  const fetch = async (input: string, init?: RequestInit) => app.request(input, init);
  const call = (method: "PUT" | "DELETE", path: string, body?: string | Uint8Array) => send(fetch, BASE, TOKEN, method, path, body);
  return { logged, fetch, call };
}

/** Every served document a publish of the metro article would touch, and every list and article row as stored. */
async function snapshot() {
  const app = createApp({ catalog: createD1Catalog(env.DB, env.IMAGES), site, now: () => NOW, log: () => {} });
  const paths = ["/rss.xml", "/atom.xml", "/feed.json", "/sections/city/rss.xml", "/tags/transport/atom.xml", "/articles/metro"];
  const bodies = await Promise.all(
    paths.map(async (p) => [p, (await app.request(BASE + p)).status, await (await app.request(BASE + p)).text()]),
  );
  const { results } = await env.DB.prepare("SELECT scope, position, slug, listed, removed FROM memberships ORDER BY scope, position").all();
  const articles = await env.DB.prepare("SELECT slug, file, id, fingerprint, version FROM articles ORDER BY slug").all();
  return { bodies, lists: results, articles: articles.results };
}

const metroEdit = articleText({
  title: "Metro line opens (edited)",
  date: "2026-01-09T09:00:00Z",
  section: "Culture",
  tags: ["Rail"],
  author: "ana-lima",
});

describe("a store that fails on the publish path", () => {
  // Each round trip of each route, failing in turn: the answer is a 503 with Retry-After like a failing read, the
  // fault is logged once, nothing is half done, and the same request goes through once the store answers again.
  it.each([
    { what: "the read by file name", method: "PUT", path: "2026/metro.md", body: metroEdit, sql: /FROM registries WHERE name IN/ },
    { what: "the claims", method: "PUT", path: "2026/metro.md", body: metroEdit, sql: /JOIN retired_ids r ON/ },
    { what: "the write", method: "PUT", path: "2026/metro.md", body: metroEdit, sql: /^DELETE FROM write_guard$/ },
    { what: "a delete's read", method: "DELETE", path: "2026/metro.md", sql: /FROM drafts WHERE file IN/ },
    { what: "a delete's write", method: "DELETE", path: "2026/metro.md", sql: /^INSERT INTO write_guard/ },
    { what: "an image's row", method: "PUT", path: "images/new.png", body: DOT_PNG, sql: /^INSERT INTO images/ },
    { what: "a registry's write", method: "PUT", path: "authors.yaml", body: "x:\n  name: X\n", sql: /^INSERT INTO registries/ },
  ] as const)("$what: D1 failing answers 503 with Retry-After, changes nothing, then goes through", async ({ method, path, body, sql }) => {
    const before = await snapshot();
    const failing = { sql: sql as RegExp | undefined };
    const { call, logged } = publishingApp(failingD1(env.DB, (text) => failing.sql?.test(text) ?? false));
    const res = await call(method, path, body);
    const text = await res.text();
    expect(res.status, text).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(text).not.toContain(INJECTED);
    expect(logged.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        event: "storage-fault",
        store: "d1",
        message: expect.stringContaining(INJECTED),
        path: expect.any(String),
      }),
    ]);
    expect(await snapshot()).toEqual(before);
    failing.sql = undefined;
    expect((await call(method, path, body)).status).toBeLessThan(300);
  });

  it.each([
    { what: "an image's bytes", method: "PUT", path: "images/new.png", r2: "put" },
    { what: "an image's removal", method: "DELETE", path: "images/dot.png", r2: "delete" },
  ] as const)("$what: R2 failing answers 503 with Retry-After", async ({ method, path, r2 }) => {
    if (method === "DELETE") await publishingApp(env.DB).call("DELETE", "2026/photo.md");
    const failing = { on: r2 as string | undefined };
    const { call, logged } = publishingApp(
      env.DB,
      failingR2(env.IMAGES, (name) => name === failing.on),
    );
    const res = await call(method, path, method === "PUT" ? DOT_PNG : undefined);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(JSON.parse(logged[0]!)).toMatchObject({ event: "storage-fault", store: "r2" });
    failing.on = undefined;
    expect((await call(method, path, method === "PUT" ? DOT_PNG : undefined)).status).toBeLessThan(300);
  });

  it("a batch whose write fails answers 503; the files of earlier transactions stay stored", async () => {
    const failing = { sql: /^DELETE FROM write_guard$/ as RegExp | undefined };
    const { fetch, logged } = publishingApp(failingD1(env.DB, (text) => failing.sql?.test(text) ?? false));
    const form = new FormData();
    form.append("2026/new.md", new Blob([articleText({ title: "New", date: "2026-01-09T10:00:00Z" })]), "new.md");
    const res = await fetch(`${BASE}/api/batch`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` }, body: form });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(logged.some((line) => line.includes('"storage-fault"'))).toBe(true);
    expect(await env.DB.prepare("SELECT 1 FROM articles WHERE file = '2026/new.md'").first()).toBeNull();
  });
});

describe("a value over D1's limits", () => {
  // Local D1 stores a value of any size; production D1 refuses one over 2,000,000 bytes (SQLITE_TOOBIG), failing the
  // whole transaction. The store writes each change of the failed transaction alone to find which, and the publish
  // answers that file with a refusal that names it; the others are stored.
  it("is refused for the file that holds it (422), the other files of the batch stored", async () => {
    const { fetch } = publishingApp(tooBigD1(env.DB, "Too big to store"));
    const form = new FormData();
    form.append("2026/big.md", new Blob([articleText({ title: "Too big to store", date: "2026-01-09T10:00:00Z" })]), "big.md");
    form.append("2026/fine.md", new Blob([articleText({ title: "Fine", date: "2026-01-09T11:00:00Z" })]), "fine.md");
    const res = await fetch(`${BASE}/api/batch`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` }, body: form });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { path: string; status: number; issues?: { file: string; found: string }[] }[] };
    expect(results.map((r) => [r.path, r.status])).toEqual([
      ["2026/big.md", 422],
      ["2026/fine.md", 201],
    ]);
    expect(results[0]!.issues).toEqual([
      expect.objectContaining({ file: "2026/big.md", found: "a stored value the store refused as too big" }),
    ]);
    expect(
      await env.DB.prepare("SELECT file FROM articles WHERE file LIKE '2026/%.md' AND file IN ('2026/big.md', '2026/fine.md')").all(),
    ).toMatchObject({
      results: [{ file: "2026/fine.md" }],
    });
  });

  it("is refused before anything is written when a part is known to be over it: a body that renders past 2,000,000 bytes", async () => {
    const before = await snapshot();
    const { call } = publishingApp(env.DB);
    // One footnote referred to 20,000 times: 100 KB of markdown, several MB of HTML (each reference and back-reference).
    const body = `${"See[^1]. ".repeat(20_000)}\n\n[^1]: The note.\n`;
    const res = await call("PUT", "2026/notes.md", articleText({ title: "Notes", date: "2026-01-09T10:00:00Z", body }));
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { issues: { file: string }[] };
    expect(problem.issues.map((i) => i.file)).toEqual(["2026/notes.md"]);
    expect(await snapshot()).toEqual(before);
  });
});
