// Articles' parts in D1 databases (src/store/d1/parts.ts), inside workerd on real local bindings: one row shape in the
// catalog database (shard 0) and in the parts databases, the same answers and bytes wherever the parts are; a version
// written whole before the catalog names it and removed once it does not; a publish that fails half way leaves the
// previous version serving and nothing behind; a clean-up that fails is logged and swept later; a shard that fails a
// read answers 503.
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { HOME } from "../../src/core/catalog.ts";
import { ConfigError } from "../../src/core/errors.ts";
import type { EmitEvent } from "../../src/core/events.ts";
import { createEventLog } from "../../src/core/events.ts";
import { PART_NAMES } from "../../src/core/publish/publication.ts";
import { FORMAT_BY_ID } from "../../src/formats/index.ts";
import { createApp } from "../../src/http/app.ts";
import { runScheduled } from "../../src/runtime/scheduled.ts";
import { composeServices } from "../../src/runtime/services.ts";
import { createD1Catalog } from "../../src/store/d1/catalog.ts";
import {
  moveParts,
  type PartsShards,
  partsShards,
  SWEEP_BATCH,
  SWEEP_MIN_AGE_MS,
  shardsFromEnv,
  sweepParts,
} from "../../src/store/d1/parts.ts";
import { createD1Store } from "../../src/store/d1/store.ts";
import { NEWSROOM, NOW, testSite } from "../support/http-fixtures.ts";
import { publisherOver } from "../support/publish-tree.ts";
import { story } from "../support/store-contract.ts";
import { fillD1 } from "./fill-d1.ts";
import { resetD1 } from "./reset-d1.ts";
import { TOKEN } from "./sample.ts";
import { rows, servedPaths } from "./served.ts";
import { testShardDatabases, testShards } from "./shards.ts";
import { countingD1, failingD1, INJECTED } from "./wrapped-bindings.ts";

const BASE = "https://news.example";
const site = testSite();
const [PARTS_1, PARTS_2] = [testShardDatabases().get(1)!, testShardDatabases().get(2)!];

/** Every document route a reader, crawler or page visitor asks for, over the sample newsroom. */
const PATHS = [
  "/rss.xml",
  "/atom.xml",
  "/feed.json",
  "/sections/city/rss.xml",
  "/tags/transport/atom.xml",
  "/authors/ana-lima/feed.json",
  "/archive/1/rss.xml",
  "/articles/metro",
  "/articles/oil-deal",
  "/sitemap.xml",
];

const served = (shards = testShards(0)) => servedPaths(env.DB, env.IMAGES, shards, site, NOW, BASE, PATHS);

/** A publisher writing parts where `shards` says (its catalog is env.DB unless the shards name another). */
const publisher = (shards: PartsShards, emit?: EmitEvent) =>
  publisherOver(createD1Store(shards.catalog, env.IMAGES, shards, emit ? { emit } : {}), site);
const text = (slug: string, hours: number, title = slug) => new TextEncoder().encode(story(slug, hours, "News", ["Oil"], title));
/** Publishes `slug.md` (News, tagged Oil) with its parts where `shards` writes them; its result. */
const put = async (shards: PartsShards, slug: string, hours: number, title = slug) =>
  (await publisher(shards).putArticle(`${slug}.md`, text(slug, hours, title), { now: NOW })).result;
/** The sample newsroom's metro article under another title. */
const metroEdit = (title: string) => new TextEncoder().encode(String(NEWSROOM["2026/metro.md"]).replace("Metro line opens", title));

/** Where the catalog says the article `slug` is, and the versions each parts database holds for it. */
async function placed(slug: string) {
  const row = await env.DB.prepare("SELECT shard, version FROM articles WHERE slug = ?1")
    .bind(slug)
    .first<{ shard: number; version: string }>();
  const versions = async (db: D1Database) =>
    (await db.prepare("SELECT DISTINCT version FROM article_parts WHERE slug = ?1").bind(slug).all<{ version: string }>()).results.map(
      (r) => r.version,
    );
  const local = await env.DB.prepare("SELECT COUNT(*) AS n FROM article_parts WHERE slug = ?1").bind(slug).first<{ n: number }>();
  return { row, local: local!.n, one: await versions(PARTS_1), two: await versions(PARTS_2) };
}

beforeEach(async () => {
  await resetD1(env.DB, env.IMAGES);
});

describe("parts in other databases", () => {
  it("serves the same bytes, ETags included, wherever each article's parts are", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site);
    const single = await served();
    expect(single.get("/rss.xml")).toMatch(/^200 /);
    for (const layout of [(i: number) => i % 3, () => 1, () => 2]) {
      await resetD1(env.DB, env.IMAGES);
      await fillD1(env.DB, env.IMAGES, NEWSROOM, site, (i) => testShards(layout(i)));
      const remote = await rows(env.DB, "SELECT slug FROM articles WHERE shard <> 0");
      expect(remote.length).toBeGreaterThan(0);
      expect(await served(testShards(0))).toEqual(single);
    }
  });

  it("writes a version whole into the write shard, replaces it on an edit, keeps it on an identical publish, moves it between shards, and deletes it", async () => {
    expect(await put(testShards(1), "x", 1)).toBe("created");
    const first = await placed("x");
    expect(first.row!.shard).toBe(1);
    expect(first.one).toEqual([first.row!.version]);
    expect(first.local).toBe(0);
    expect(await rows(PARTS_1, "SELECT part FROM article_parts ORDER BY part")).toEqual([...PART_NAMES].sort().map((part) => ({ part })));

    // Identical content: no new version (so no ETag moves).
    expect(await put(testShards(1), "x", 1)).toBe("unchanged");
    expect(await placed("x")).toEqual(first);

    // An edit: a new version, and the old one gone.
    expect(await put(testShards(1), "x", 1, "Edited")).toBe("updated");
    const edited = await placed("x");
    expect(edited.row!.version).not.toBe(first.row!.version);
    expect(edited.one).toEqual([edited.row!.version]);

    // The write shard moves on: the next edit goes there, and leaves nothing in the old one.
    expect(await put(testShards(2), "x", 1, "Moved")).toBe("updated");
    const moved = await placed("x");
    expect(moved).toMatchObject({ row: { shard: 2 }, local: 0, one: [] });
    expect(moved.two).toEqual([moved.row!.version]);

    // And back to the catalog's own table: the same rows, under the version the row names.
    expect(await put(testShards(0), "x", 1, "Home again")).toBe("updated");
    const home = await placed("x");
    expect(home).toEqual({ row: { shard: 0, version: expect.any(String) }, local: PART_NAMES.length, one: [], two: [] });
    expect(await rows(env.DB, "SELECT DISTINCT version FROM article_parts WHERE slug = 'x'")).toEqual([{ version: home.row!.version }]);

    // A delete from shard 2 leaves nothing anywhere.
    await put(testShards(2), "x", 1, "Last");
    expect((await publisher(testShards(2)).deleteArticle("x.md", NOW)).result).toBe("deleted");
    expect(await placed("x")).toEqual({ row: null, local: 0, one: [], two: [] });
  });

  it("leaves one whole version, and only that one, when the same article is published twice at once", async () => {
    for (let round = 0; round < 5; round++) {
      await resetD1(env.DB, env.IMAGES);
      await put(testShards(1), "same", 3, "Base");
      // Both go through: the one that finds the file changed underneath reads it again and writes after the other.
      expect(await Promise.all([put(testShards(1), "same", 0, "One"), put(testShards(2), "same", 9, "Two")])).toEqual([
        "updated",
        "updated",
      ]);
      const now = await placed("same");
      const holder = now.row!.shard === 1 ? now.one : now.two;
      expect(holder).toEqual([now.row!.version]);
      expect(now.row!.shard === 1 ? now.two : now.one).toEqual([]);
      const catalog = createD1Catalog(env.DB, env.IMAGES, { shards: testShards(0) });
      const found = await catalog.find("same");
      // The record read from the shard is the version the catalog's row was written with.
      expect(found!.record.published.getTime()).toBe(found!.entry.published.getTime());
      expect(["One", "Two"]).toContain(found!.record.title);
    }
  });

  it("a publish whose catalog batch fails keeps the previous version serving, and removes the parts it wrote", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site, () => testShards(1));
    const before = await served();
    const versionsBefore = await rows(PARTS_1, "SELECT slug, version, part FROM article_parts ORDER BY 1, 2, 3");
    // The catalog's transaction fails (D1 down), after the parts were written to PARTS_1.
    const shards = partsShards(
      failingD1(env.DB, (sql) => sql === "DELETE FROM write_guard"),
      testShardDatabases(),
      1,
    );
    await expect(publisher(shards).putArticle("2026/metro.md", metroEdit("Metro (edited)"), { now: NOW })).rejects.toThrow(INJECTED);
    expect(await served()).toEqual(before);
    expect(await rows(PARTS_1, "SELECT slug, version, part FROM article_parts ORDER BY 1, 2, 3")).toEqual(versionsBefore);
  });

  it("a clean-up that fails is logged, the new version serves, and the sweep removes the old one once it is old enough", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site, () => testShards(1));
    const old = await placed("metro");
    const logged: string[] = [];
    // PARTS_1 refuses deletes; everything else is the real binding.
    const shards = partsShards(env.DB, new Map([[1, failingD1(PARTS_1, (sql) => sql.startsWith("DELETE"))]]), 1);
    const emit = createEventLog((line) => logged.push(line));
    const edit = await publisher(shards, emit).putArticle("2026/metro.md", metroEdit("Metro line opens (edited)"), { now: NOW });
    expect(edit.result).toBe("updated");
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ event: "storage-fault", store: "d1", operation: "parts clean-up" });
    expect(logged[0]).toContain(`metro@1/${old.row!.version}`);
    const now = await placed("metro");
    expect(now.one.sort()).toEqual([old.row!.version, now.row!.version].sort());
    expect((await served()).get("/articles/metro")).toContain("Metro line opens (edited)");

    // Too young to sweep: a publish may be about to name it. Every shard is swept, the catalog's own included.
    expect(await sweepParts(testShards(1))).toEqual([
      { shard: 0, checked: expect.any(Number), deleted: 0 },
      { shard: 1, checked: expect.any(Number), deleted: 0 },
      { shard: 2, checked: 0, deleted: 0 },
    ]);
    const later = Date.now() + SWEEP_MIN_AGE_MS + 1000;
    expect((await sweepParts(testShards(1), later))[1]).toMatchObject({ shard: 1, deleted: 1 });
    expect((await placed("metro")).one).toEqual([now.row!.version]);
    // Nothing any article names was touched: every document is as before the sweep.
    const after = await served();
    expect(after.get("/articles/metro")).toContain("Metro line opens (edited)");
    expect(after.get("/rss.xml")).toMatch(/^200 /);
  });

  it("is swept by the scheduled run, which logs what it deleted", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site, () => testShards(1));
    const hourAgo = Date.now() - 60 * 60 * 1000;
    await PARTS_1.prepare(
      `INSERT INTO article_parts (slug, version, part, revision, text, written) VALUES ('gone', 'v1', 'rss', 6, 'x', ${hourAgo})`,
    ).run();
    const lines: string[] = [];
    // The test environment binds PARTS_1 and PARTS_2 (vitest.workers.config.ts), as a production one would.
    await runScheduled(composeServices(env, { log: (line) => lines.push(line) }), NOW.getTime());
    expect(lines.map((line) => JSON.parse(line)).filter((e) => e.event === "parts-sweep")).toEqual([
      { event: "parts-sweep", shard: 1, checked: expect.any(Number), deleted: 1 },
    ]);
    expect(await rows(PARTS_1, "SELECT slug FROM article_parts WHERE slug = 'gone'")).toEqual([]);
    expect((await served()).get("/rss.xml")).toMatch(/^200 /);
  });

  it("sweeps a bounded step per run, resuming where the last run stopped and starting over at the end", async () => {
    await put(testShards(1), "zz-kept", 1);
    // Orphans, as half-finished publishes would leave them: versions no article names, written an hour ago.
    const total = SWEEP_BATCH + 50;
    const hourAgo = Date.now() - 60 * 60 * 1000;
    for (let i = 0; i < total; i += 100) {
      const values = Array.from(
        { length: Math.min(100, total - i) },
        (_x, j) => `('orphan-${String(i + j).padStart(4, "0")}', 'v', 'rss', 6, 'x', ${hourAgo})`,
      );
      await PARTS_1.prepare(`INSERT INTO article_parts (slug, version, part, revision, text, written) VALUES ${values.join(", ")}`).run();
    }
    const first = await sweepParts(testShards(1));
    expect(first[1]).toEqual({ shard: 1, checked: SWEEP_BATCH, deleted: SWEEP_BATCH });
    const second = await sweepParts(testShards(1));
    // The rest of the orphans and the kept article (which stays), then the end of the shard.
    expect(second[1]).toEqual({ shard: 1, checked: 51, deleted: 50 });
    expect(await rows(PARTS_1, "SELECT DISTINCT slug FROM article_parts")).toEqual([{ slug: "zz-kept" }]);
    const cursor = await env.DB.prepare("SELECT value FROM state WHERE key = 'parts-sweep:1'").first<{ value: string }>();
    expect(JSON.parse(cursor!.value)).toEqual(["", ""]);
  });

  it("reads an article's new version when a publish replaced the listed one between the plan and the items", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site, () => testShards(1));
    const catalog = createD1Catalog(env.DB, env.IMAGES, { shards: testShards(1) });
    const plan = await catalog.window(HOME, NOW, { newest: 20 });
    // The edit switches the catalog to a new version and deletes the one the plan's entries name.
    await publisher(testShards(1)).putArticle("2026/metro.md", metroEdit("Metro line opens (edited meanwhile)"), { now: NOW });
    const items = await catalog.items(plan.entries, FORMAT_BY_ID.rss);
    expect(items).toHaveLength(plan.entries.length);
    expect(items.join("")).toContain("Metro line opens (edited meanwhile)");
    // A version that is gone for good (a damaged store) is still a 503, not a feed without the item.
    await PARTS_1.prepare("DELETE FROM article_parts WHERE slug = 'metro'").run();
    await expect(catalog.items((await catalog.window(HOME, NOW, { newest: 20 })).entries, FORMAT_BY_ID.rss)).rejects.toThrow(
      /no rss stored for "metro" in shard 1/,
    );
  });

  it("a shard that fails a read answers 503 with Retry-After, never a feed without its items", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site, () => testShards(1));
    const logged: string[] = [];
    const shards = partsShards(
      env.DB,
      new Map([
        [1, failingD1(PARTS_1, () => true)],
        [2, PARTS_2],
      ]),
      0,
    );
    const app = createApp({ catalog: createD1Catalog(env.DB, env.IMAGES, { shards }), site, now: () => NOW, log: (l) => logged.push(l) });
    for (const path of ["/rss.xml", "/feed.json", "/articles/metro"]) {
      const res = await app.request(BASE + path);
      expect(res.status, path).toBe(503);
      expect(res.headers.get("retry-after")).toBe("30");
    }
    expect(logged.some((l) => l.includes('"storage-fault"') && l.includes('"operation":"parts"'))).toBe(true);
  });

  it("an article in a shard that is not bound answers 503, naming the binding", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site, () => testShards(2));
    const logged: string[] = [];
    const shards = partsShards(env.DB, new Map([[1, PARTS_1]]), 0);
    const app = createApp({ catalog: createD1Catalog(env.DB, env.IMAGES, { shards }), site, now: () => NOW, log: (l) => logged.push(l) });
    expect((await app.request(`${BASE}/rss.xml`)).status).toBe(503);
    expect(logged.join("\n")).toContain("no D1 database is bound as PARTS_2");
  });

  it("reads a feed in one batch to the catalog and one query to the shard holding its items", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site, () => testShards(1));
    const catalog = countingD1(env.DB);
    const shard = countingD1(PARTS_1);
    const shards = partsShards(
      catalog.db,
      new Map([
        [1, shard.db],
        [2, PARTS_2],
      ]),
      0,
    );
    const app = createApp({ catalog: createD1Catalog(catalog.db, env.IMAGES, { shards }), site, now: () => NOW, log: () => {} });
    expect((await app.request(`${BASE}/rss.xml`)).status).toBe(200);
    expect(catalog.trips).toHaveLength(1);
    expect(shard.trips).toHaveLength(1);
    expect(shard.trips[0]!.join(" ")).toContain("FROM article_parts");
  });

  it("takes its shards from the environment, and refuses a write shard that is not bound", () => {
    const bindings = { PARTS_1, PARTS_2 };
    expect(shardsFromEnv(env.DB, bindings)).toMatchObject({ write: 0, all: [0, 1, 2] });
    expect(shardsFromEnv(env.DB, { ...bindings, PARTS_WRITE_SHARD: "2" })).toMatchObject({ write: 2 });
    expect(() => shardsFromEnv(env.DB, { PARTS_1, PARTS_WRITE_SHARD: "2" })).toThrow(ConfigError);
    expect(() => shardsFromEnv(env.DB, { ...bindings, PARTS_WRITE_SHARD: "two" })).toThrow(/must be a shard number/);
  });
});

describe("moving parts between shards", () => {
  /** Where every article's parts are, by shard: how many articles the catalog places in each. */
  async function spread(): Promise<Record<number, number>> {
    const counts = await rows(env.DB, "SELECT shard, COUNT(*) AS n FROM articles GROUP BY shard ORDER BY shard");
    return Object.fromEntries(counts.map((r) => [r.shard, r.n]));
  }
  const partRows = async (db: D1Database) => (await db.prepare("SELECT COUNT(*) AS n FROM article_parts").first<{ n: number }>())!.n;

  it("moves every article out of a shard in bounded steps, changing no byte and no ETag, and back again", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site);
    const before = await served();
    const articles = (await spread())[0]!;
    expect(articles).toBeGreaterThan(2);
    for (const [from, to] of [
      [0, 1],
      [1, 2],
      [2, 0],
    ] as const) {
      const steps = [];
      for (let more = true; more; ) {
        const step = await moveParts(testShards(to), from, 2);
        steps.push(step.moved);
        more = step.more;
      }
      // Two articles a step, the last step short (or empty when the count is even).
      expect(steps.slice(0, -1).every((n) => n === 2)).toBe(true);
      expect(steps.reduce((a, b) => a + b, 0)).toBe(articles);
      expect(await spread()).toEqual({ [to]: articles });
      expect(await served()).toEqual(before);
      const counts = [await partRows(env.DB), await partRows(PARTS_1), await partRows(PARTS_2)];
      expect(counts.map((n, shard) => (shard === to ? n > 0 : n === 0))).toEqual([true, true, true]);
    }
  });

  it("leaves an article re-published during a move as the publish wrote it, and removes the move's copy", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site);
    let raced = false;
    // The catalog, with an edit of "metro" published (to shard 1) just before the move's switch reaches it.
    const racing = new Proxy(env.DB, {
      get(target, property) {
        if (property === "batch") {
          return async (statements: D1PreparedStatement[]) => {
            if (!raced) {
              raced = true;
              await publisher(testShards(1)).putArticle("2026/metro.md", metroEdit("Metro (edited during the move)"), { now: NOW });
            }
            return target.batch(statements);
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const outcome = await moveParts(partsShards(racing, testShardDatabases(), 1), 0, 50);
    expect(raced).toBe(true);
    const total = Object.values(await spread()).reduce((a, b) => a + b, 0);
    expect(outcome).toEqual({ from: 0, to: 1, moved: total - 1, more: false });
    const now = await placed("metro");
    expect(now.row!.shard).toBe(1);
    expect(now.one).toEqual([now.row!.version]);
    expect((await served()).get("/articles/metro")).toContain("Metro (edited during the move)");
    expect(await partRows(env.DB)).toBe(0);
  });

  it("refuses to move from a shard that lost an article's parts, and changes nothing", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site, () => testShards(1));
    await PARTS_1.prepare("DELETE FROM article_parts WHERE slug = 'metro'").run();
    const before = await rows(env.DB, "SELECT slug, shard, version FROM articles ORDER BY slug");
    await expect(moveParts(testShards(2), 1, 50)).rejects.toThrow(/no record stored for "metro" in shard 1/);
    expect(await rows(env.DB, "SELECT slug, shard, version FROM articles ORDER BY slug")).toEqual(before);
    expect(await partRows(PARTS_2)).toBe(0);
  });

  it("is a publish API route: authenticated, its parameters checked, answering what it did", async () => {
    await fillD1(env.DB, env.IMAGES, NEWSROOM, site);
    const shards = testShards(2);
    const app = createApp({
      catalog: createD1Catalog(env.DB, env.IMAGES, { shards }),
      site,
      now: () => NOW,
      log: () => {},
      publish: { publisher: publisher(shards), token: TOKEN },
    });
    const post = (query: string, token = TOKEN) =>
      app.request(`${BASE}/api/parts/move${query}`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    expect((await app.request(`${BASE}/api/parts/move?from=0`, { method: "POST" })).status).toBe(401);
    expect((await post("?from=0", "wrong-token-0123456789")).status).toBe(403);
    expect((await app.request(`${BASE}/api/parts/move?from=0`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    for (const bad of ["", "?from=-1", "?from=x", "?from=0&limit=0", "?from=0&limit=51"]) {
      const res = await post(bad);
      expect(res.status, bad).toBe(400);
      expect((await res.json()) as { detail: string }).toMatchObject({
        detail: expect.stringMatching(/^(from|limit) must be a whole number/),
      });
    }
    const res = await post("?from=0&limit=3");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ from: 0, to: 2, moved: 3, more: true });
    expect((await spread())[2]).toBe(3);
  });
});
